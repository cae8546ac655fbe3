/*
 * input/csv.c - CSV and TSV with a header: the address column found by
 * name or by content, and the count, cited-location, type, role, phase
 * and date columns by name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "input/input.h"

/* ------------------------------------------------------------ CSV */

#define KIND_COLS 8

struct csv_cols {
	long addr, count, cited;        /* column index, or -1 */
	long type, role, phase, observed;
	/* Columns whose name is a kind of indicator ("FQDN", "md5"): each
	 * cell in them is an indicator of that kind. */
	long kcol[KIND_COLS];
	int kind[KIND_COLS];
	int nk;
};

/* Pick the separator: whichever of ',', '\t', ';' the line has most of. */
static char pick_sep(const char *s, const char *e)
{
	size_t comma = 0, tab = 0, semi = 0;
	int quoted = 0;

	for (; s < e; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*s == ',')
			comma++;
		else if (*s == '\t')
			tab++;
		else if (*s == ';')
			semi++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma && semi > tab)
		return ';';
	return ',';
}

static int field_is_addr(struct ex *x, const struct csv_field *f)
{
	struct ga_net net;
	size_t m;

	if (net_parse(f->p, f->len, 0, &net, NULL) == 0)
		return 1;
	if (ex_has_bracket(f->p, f->len) && (m = ex_refang(x, f->p, f->len)) != 0)
		return net_parse(x->fixed, m, 0, &net, NULL) == 0;
	return 0;
}

static int row_has_addr(struct ex *x, const struct csv_field *f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (field_is_addr(x, &f[i]))
			return 1;
	return 0;
}

/*
 * Find the address, count and cited columns among nf header names, and
 * note time and port columns.  Returns 1 if any known name was seen.
 */
static int cols_by_name(struct ex *x, char (*names)[EX_NAME_MAX], size_t nf,
                        struct csv_cols *c)
{
	int best = -1, r, known = 0;
	size_t i;

	c->addr = c->count = c->cited = -1;
	c->type = c->role = c->phase = c->observed = -1;
	c->nk = 0;
	for (i = 0; i < nf; i++) {
		const char *n = names[i];
		int cit = ex_is_cited_name(n);

		if ((r = ex_name_index(ex_addr_names, n)) >= 0 &&
		    (best < 0 || r < best)) {
			best = r;
			c->addr = (long)i;
		}
		if (c->count < 0 && ex_name_index(ex_count_names, n) >= 0)
			c->count = (long)i;
		else if (c->cited < 0 && cit)
			c->cited = (long)i;
		if (c->type < 0 && ex_name_index(ex_type_names, n) >= 0)
			c->type = (long)i;
		if (c->role < 0 && ex_name_index(ex_role_names, n) >= 0)
			c->role = (long)i;
		if (c->phase < 0 && ex_name_index(ex_phase_names, n) >= 0)
			c->phase = (long)i;
		if (c->observed < 0 && ex_name_index(ex_observed_names, n) >= 0)
			c->observed = (long)i;
		if (r < 0 && c->nk < KIND_COLS) {
			int is_addr, k = ex_kind_of_type(n, strlen(n), &is_addr);

			/* "host" is an address name and a domain word: a
			 * column the address list names is the address. */
			if (k >= 0 && k != EXK_OTHER) {
				c->kcol[c->nk] = (long)i;
				c->kind[c->nk++] = k;
			}
		}
		if (ex_is_time_name(n))
			x->st->has_time = 1;
		if (ex_is_port_name(n))
			x->st->has_ports = 1;
		if (r >= 0 || ex_name_index(ex_count_names, n) >= 0 || cit ||
		    ex_is_time_name(n) || ex_is_port_name(n) ||
		    ex_name_index(ex_type_names, n) >= 0)
			known = 1;
	}
	/* A column cannot be two things; the address wins. */
	if (c->count == c->addr)
		c->count = -1;
	if (c->cited == c->addr)
		c->cited = -1;
	if (c->type == c->addr)
		c->type = -1;
	if (c->observed == c->addr)
		c->observed = -1;
	return known;
}

static int is_special_col(const struct csv_cols *c, size_t i)
{
	long k = (long)i;

	return k == c->addr || k == c->count || k == c->type ||
	    k == c->role || k == c->phase || k == c->observed;
}

/* A field's text, trimmed, into s and n (NULL and 0 if empty or absent). */
static void field_text(const struct csv_field *f, size_t nf, long col,
                       const char **s, size_t *n)
{
	const char *p, *e;

	*s = NULL;
	*n = 0;
	if (col < 0 || (size_t)col >= nf)
		return;
	p = f[col].p;
	e = p + f[col].len;
	ex_trim(&p, &e);
	if (p < e) {
		*s = p;
		*n = (size_t)(e - p);
	}
}

/* The role, phase and observation date the row gives its indicator. */
static void note_fields(struct ex *x, const struct csv_cols *c,
                        const struct csv_field *f, size_t nf,
                        struct ex_item *it)
{
	field_text(f, nf, c->role, &it->role, &it->role_len);
	field_text(f, nf, c->phase, &it->phase, &it->phase_len);
	field_text(f, nf, c->observed, &it->observed, &it->observed_len);
	if (it->role_len + it->phase_len + it->observed_len > 0)
		x->st->has_roles = 1;
}

/* A location the row's prose cites ("This IP address is located in
 * Swaziland."), from any column that is not a known field. */
static void cited_in_prose(struct ex *x, const struct csv_cols *c,
                           const struct csv_field *f, size_t nf,
                           struct ex_item *it)
{
	const char *at;
	size_t i, alen;

	for (i = 0; i < nf; i++) {
		if (is_special_col(c, i) || f[i].len < 8 ||
		    memchr(f[i].p, ' ', f[i].len) == NULL)
			continue;
		if (ex_cited_phrase(f[i].p, f[i].len, it->cited, &at, &alen)) {
			it->cited_text = at;
			it->cited_len = alen;
			x->st->has_cited = 1;
			x->st->cited_from_text = 1;
			return;
		}
	}
}

/* Split the header text s[0..n) (a comment line) into normalised names. */
static size_t header_from_text(const char *s, size_t n, char sep,
                               char (**names)[EX_NAME_MAX],
                               struct buf *raw)
{
	struct csv_reader *r = csv_new(s, n, sep, 1024, EX_LINE_MAX);
	const struct csv_field *f;
	size_t nf = 0, i;
	unsigned long ln;

	if (r != NULL && csv_next(r, &f, &nf, &ln) == CSV_RECORD) {
		*names = xcalloc(nf, sizeof **names);
		buf_reset(raw);
		for (i = 0; i < nf; i++) {
			ex_norm_name(f[i].p, f[i].len, (*names)[i]);
			buf_add(raw, f[i].p, f[i].len);
			buf_addc(raw, '\0');
		}
	} else {
		nf = 0;
	}
	csv_free(r);
	return nf;
}

/* The n-th NUL-terminated string in b. */
static const char *nth_str(const struct buf *b, size_t n)
{
	const char *p = b->data;

	while (n-- > 0)
		p += strlen(p) + 1;
	return p;
}

int ex_read_csv(struct ex *x, char *err, size_t errlen)
{
	const char *p = x->base, *end = x->end, *nl, *eol, *s;
	const char *comment = NULL, *comment_end = NULL;
	unsigned long line0 = 1, ln;
	const struct csv_field *f;
	char (*names)[EX_NAME_MAX] = NULL;
	struct csv_reader *r;
	struct csv_cols cols;
	struct buf raw;
	struct lcur lc;
	size_t nf, nhead = 0, i, len;
	int stt, header = 1, ret = 0;
	char sep;

	buf_init(&raw);
	ex_lcur_init(&lc, x->base, x->end);
	x->st->lines = ex_count_lines(x->base, x->end);

	/* Skip comment and blank lines before the header; keep the last
	 * comment, which some feeds use as the header. */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		s = p;
		while (s < eol && is_space(*s))
			s++;
		if (s < eol && *s != '#')
			break;
		if (s < eol) {
			comment = s;
			comment_end = eol;
		}
		p = nl != NULL ? nl + 1 : end;
		line0++;
	}
	if (p == end)
		return 0;
	nl = memchr(p, '\n', (size_t)(end - p));
	sep = pick_sep(p, nl != NULL ? nl : end);

	r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
	stt = csv_next(r, &f, &nf, &ln);
	if (stt != CSV_RECORD) {
		errbuf_set(err, errlen, "line %lu: %s", ln + line0 - 1,
		    stt == CSV_ERR_NUL ? "NUL byte in the header "
		    "(binary data?)" : csv_strerror(stt));
		csv_free(r);
		return -1;
	}
	if (row_has_addr(x, f, nf)) {
		/* The first row is data; perhaps the last comment names it. */
		header = 0;
		if (comment != NULL) {
			nhead = header_from_text(comment,
			    (size_t)(comment_end - comment), sep, &names, &raw);
			if (nhead == nf && cols_by_name(x, names, nhead, &cols) &&
			    cols.addr >= 0) {
				ex_set_column(x, nth_str(&raw, (size_t)cols.addr),
				    strlen(nth_str(&raw, (size_t)cols.addr)));
			} else {
				free(names);
				names = NULL;
				nhead = 0;
				x->st->has_time = x->st->has_ports = 0;
			}
		}
		if (names == NULL) {
			cols.addr = cols.count = cols.cited = -1;
			cols.type = cols.role = cols.phase = cols.observed = -1;
			cols.nk = 0;
		}
	} else {
		nhead = nf;
		names = xcalloc(nf, sizeof *names);
		for (i = 0; i < nf; i++) {
			ex_norm_name(f[i].p, f[i].len, names[i]);
			buf_add(&raw, f[i].p, f[i].len);
			buf_addc(&raw, '\0');
		}
		cols_by_name(x, names, nf, &cols);
		if (cols.addr >= 0) {
			const char *h = nth_str(&raw, (size_t)cols.addr);
			const char *he = h + strlen(h);

			ex_trim(&h, &he);
			ex_set_column(x, h, (size_t)(he - h));
		}
	}

	if (cols.addr < 0) {
		/* By content: the column where most values are addresses. */
		size_t *hits = NULL, cap = 0, rows = 0, best = 0;

		csv_free(r);
		r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
		if (header)
			csv_next(r, &f, &nf, &ln);
		while (rows < EX_SAMPLE_ROWS &&
		    (stt = csv_next(r, &f, &nf, &ln)) != CSV_EOF) {
			if (stt != CSV_RECORD)
				continue;
			rows++;
			if (nf > cap) {
				size_t old = cap;

				hits = xgrow(hits, &cap, nf, sizeof *hits);
				memset(hits + old, 0, (cap - old) * sizeof *hits);
			}
			for (i = 0; i < nf; i++)
				if (field_is_addr(x, &f[i]))
					hits[i]++;
		}
		for (i = 0; i < cap; i++)
			if (hits[i] > best) {
				best = hits[i];
				cols.addr = (long)i;
			}
		free(hits);
		if (cols.addr < 0) {
			errbuf_set(err, errlen, "line %lu: no address column "
			    "(by name or by content)", line0);
			ret = -1;
			goto out;
		}
		if (header && (size_t)cols.addr < nhead) {
			const char *h = nth_str(&raw, (size_t)cols.addr);
			const char *he = h + strlen(h);

			ex_trim(&h, &he);
			ex_set_column(x, h, (size_t)(he - h));
		}
		if (x->st->address_column[0] == '\0') {
			char col[32];

			snprintf(col, sizeof col, "column %ld", cols.addr + 1);
			ex_set_column(x, col, strlen(col));
		}
	}
	x->st->has_counts = cols.count >= 0;
	x->st->has_cited = cols.cited >= 0;
	if (cols.cited >= 0 && (size_t)cols.cited < nhead) {
		const char *h = nth_str(&raw, (size_t)cols.cited);
		size_t hn = strlen(h);

		if (hn >= sizeof x->st->cited_column)
			hn = sizeof x->st->cited_column - 1;
		memcpy(x->st->cited_column, h, hn);
		x->st->cited_column[hn] = '\0';
	}

	/* Read again from the top, skipping the header if there is one. */
	csv_free(r);
	r = csv_new(p, (size_t)(end - p), sep, 4096, EX_LINE_MAX);
	if (header)
		csv_next(r, &f, &nf, &ln);
	while ((stt = csv_next(r, &f, &nf, &ln)) != CSV_EOF) {
		unsigned long line = ln + line0 - 1;
		struct ex_item it;
		const char *why, *ls;
		char msg[96];
		int bad = 0;

		if (stt != CSV_RECORD) {
			ls = ex_lcur_seek(&lc, line, &len);
			ex_reject(x, line, ls, len, stt == CSV_ERR_NUL ? R_NUL_LINE :
			    stt == CSV_ERR_TOO_LONG ? R_LONG : csv_strerror(stt));
			continue;
		}
		/* Comment rows inside the data (feeds end with totals). */
		s = f[0].p;
		while (s < f[0].p + f[0].len && is_space(*s))
			s++;
		if (s < f[0].p + f[0].len && *s == '#')
			continue;
		/* A row of empty cells (",,") holds nothing: a blank line. */
		for (i = 0; i < nf; i++) {
			const char *a = f[i].p, *b = a + f[i].len;

			ex_trim(&a, &b);
			if (a < b)
				break;
		}
		if (i == nf)
			continue;
		for (i = 0; i < nf && !bad; i++)
			bad = !ex_utf8_valid(f[i].p, f[i].len);
		if (bad) {
			ls = ex_lcur_seek(&lc, line, &len);
			ex_reject(x, line, ls, len, R_UTF8);
			continue;
		}
		if ((size_t)cols.addr >= nf) {
			ls = ex_lcur_seek(&lc, line, &len);
			ex_reject(x, line, ls, len, "row has no address column");
			continue;
		}
		ex_item_init(&it);
		/* An advisory's type column: addresses are checked, the other
		 * indicators counted by the kind the file gives them. */
		if (cols.type >= 0 && (size_t)cols.type < nf) {
			int is_addr, kind = ex_kind_of_type(f[cols.type].p,
			    f[cols.type].len, &is_addr);

			if (!is_addr && kind < 0 &&
			    !field_is_addr(x, &f[cols.addr]))
				kind = (int)ex_kind_of_value(f[cols.addr].p,
				    f[cols.addr].len);
			if (!is_addr && kind >= 0) {
				ex_other(x, (enum ex_kind)kind, line,
				    f[cols.addr].p, f[cols.addr].len);
				continue;
			}
		}
		note_fields(x, &cols, f, nf, &it);
		if (cols.type < 0 && cols.nk > 0) {
			/* Untyped rows: the cells of kind columns are their
			 * own indicators; a row holding only those has no
			 * address to reject. */
			const char *v;
			size_t vn;
			int k, any = 0;

			for (k = 0; k < cols.nk; k++) {
				if (cols.kcol[k] == cols.addr)
					continue;
				field_text(f, nf, cols.kcol[k], &v, &vn);
				if (v != NULL) {
					ex_other(x, (enum ex_kind)cols.kind[k],
					    line, v, vn);
					any = 1;
				}
			}
			field_text(f, nf, cols.addr, &v, &vn);
			if (v == NULL && any)
				continue;
		}
		if (cols.count >= 0) {
			if ((size_t)cols.count >= nf) {
				why = "row has no count column";
			} else {
				why = ex_parse_count(f[cols.count].p,
				    f[cols.count].len, &it.count);
				if (why != NULL) {
					snprintf(msg, sizeof msg, "%s (\"%.*s\")",
					    why, f[cols.count].len > 24 ? 24 :
					    (int)f[cols.count].len,
					    f[cols.count].p);
					why = msg;
				}
			}
			if (why != NULL) {
				ex_reject(x, line, f[cols.addr].p,
				    f[cols.addr].len, why);
				continue;
			}
			it.has_count = 1;
		}
		if (cols.cited >= 0 && (size_t)cols.cited < nf)
			ex_set_cited(&it, f[cols.cited].p, f[cols.cited].len);
		if (it.cited_len == 0)
			cited_in_prose(x, &cols, f, nf, &it);
		ex_take(x, line, f[cols.addr].p, f[cols.addr].len, &it);
	}
out:
	csv_free(r);
	free(names);
	buf_free(&raw);
	return ret;
}


/* Is the first line a CSV header, or a data row with company after it? */
int ex_csv_like(struct ex *x, const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *eol = nl != NULL ? nl : end;
	const struct csv_field *f;
	struct csv_reader *r;
	struct csv_cols cols;
	struct ex_stats save = *x->st;
	char (*names)[EX_NAME_MAX];
	size_t nf, nf2, i;
	unsigned long ln;
	int yes = 0;
	char sep;

	if (memchr(p, ',', (size_t)(eol - p)) == NULL &&
	    memchr(p, '\t', (size_t)(eol - p)) == NULL)
		return 0;
	sep = pick_sep(p, eol);
	if (sep == ';')
		sep = ',';
	r = csv_new(p, (size_t)(end - p), sep, 1024, EX_LINE_MAX);
	if (csv_next(r, &f, &nf, &ln) != CSV_RECORD || nf < 2) {
		csv_free(r);
		return 0;
	}
	if (!row_has_addr(x, f, nf)) {
		int known, more;

		names = xcalloc(nf, sizeof *names);
		for (i = 0; i < nf; i++)
			ex_norm_name(f[i].p, f[i].len, names[i]);
		known = cols_by_name(x, names, nf, &cols);
		free(names);
		*x->st = save;
		/*
		 * Header-like: it names an address column and the next row
		 * has as many fields, or it names some other column we know
		 * and the next row holds an address.  A known word alone is
		 * not enough: prose starts "Time, they say, ..." too.
		 */
		more = csv_next(r, &f, &nf2, &ln);
		if (cols.addr >= 0)
			yes = more == CSV_EOF ||
			    (more == CSV_RECORD && nf2 == nf);
		else if (known && more == CSV_RECORD)
			yes = nf2 == nf && row_has_addr(x, f, nf2);
		/* An advisory with a type column may open with rows that are
		 * not addresses (a description, domains): look a little
		 * further for a row of the same width holding one. */
		if (!yes && cols.type >= 0) {
			int k;

			for (k = 0; k < EX_SAMPLE_ROWS && more != CSV_EOF && !yes; k++) {
				if (more == CSV_RECORD && nf2 == nf &&
				    row_has_addr(x, f, nf2))
					yes = 1;
				else
					more = csv_next(r, &f, &nf2, &ln);
			}
		}
	} else if (csv_next(r, &f, &nf2, &ln) == CSV_RECORD) {
		yes = nf2 == nf;
	}
	csv_free(r);
	return yes;
}
