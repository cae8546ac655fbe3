/*
 * rangelist.c - reader for third-party lists of datacenter address
 * ranges (see rangelist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "rangelist.h"
#include "util.h"

/* ipcat's names are a few words; a longer one is cut, it is only shown
 * as detail. */
#define NAME_MAX_BYTES 200
/* Bounds per record, so that a damaged file cannot make one record cost
 * more than a few kilobytes of work. */
#define MAX_FIELDS 8
#define MAX_RECORD 4096
#define SHOW_MAX 40
#define SHOW(f) (int)((f)->len < SHOW_MAX ? (f)->len : SHOW_MAX), (f)->p

static int cmp_row(const void *a, const void *b)
{
	const struct rangelist_row *x = a, *y = b;
	int c = addr_cmp(&x->lo, &y->lo);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* An IPv4 address as a number: its order is addr_cmp()'s. */
static uint32_t v4_number(const struct ga_addr *a)
{
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	       (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

/* One record into out; -1 with err set on a bad one. */
static int take_row(const struct csv_field *f, size_t nf, unsigned long line,
                    const char *where, struct rangelist *out, struct buf *names,
                    char *err, size_t errlen)
{
	struct rangelist_row *r;
	struct ga_addr lo, hi;
	const char *why = NULL;
	size_t nlen;

	if (nf != 4) {
		errbuf_set(err, errlen, "%s:%lu: %zu fields, want 4 (start,end,name,url)",
		    where, line, nf);
		return -1;
	}
	if (addr_parse(f[0].p, f[0].len, &lo, &why) != 0) {
		errbuf_set(err, errlen, "%s:%lu: start \"%.*s\": %s", where, line,
		    SHOW(&f[0]), why);
		return -1;
	}
	if (addr_parse(f[1].p, f[1].len, &hi, &why) != 0) {
		errbuf_set(err, errlen, "%s:%lu: end \"%.*s\": %s", where, line,
		    SHOW(&f[1]), why);
		return -1;
	}
	if (lo.family != hi.family) {
		errbuf_set(err, errlen, "%s:%lu: start and end are of different families",
		    where, line);
		return -1;
	}
	if (addr_cmp(&lo, &hi) > 0) {
		errbuf_set(err, errlen, "%s:%lu: start \"%.*s\" is after end \"%.*s\"",
		    where, line, SHOW(&f[0]), SHOW(&f[1]));
		return -1;
	}
	if (f[2].len == 0) {
		errbuf_set(err, errlen, "%s:%lu: empty name", where, line);
		return -1;
	}
	if (memchr(f[2].p, '\n', f[2].len) != NULL || memchr(f[2].p, '\r', f[2].len) != NULL) {
		errbuf_set(err, errlen, "%s:%lu: name spans lines", where, line);
		return -1;
	}
	nlen = f[2].len < NAME_MAX_BYTES ? f[2].len : NAME_MAX_BYTES;
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	r = &out->v[out->n++];
	r->lo = lo;
	r->hi = hi;
	r->line = line;
	/* One block for all names, in row order, pointed into once it stops
	 * growing (a CSV record holds no NUL, so each name ends at its own). */
	r->name = NULL;
	buf_add0(names, f[2].p, nlen);
	return 0;
}

/* The first row out of the order rangelist_find() needs (by family, IPv4
 * first, then start; one family a row, start <= end, each start past the
 * end before it), or l->n when there is none; counts the IPv4 addresses
 * on the way. */
static size_t first_bad_row(struct rangelist *l)
{
	size_t i;

	l->v4_addresses = 0;
	for (i = 0; i < l->n; i++) {
		const struct rangelist_row *r = &l->v[i];
		int bad;

		/* IPv4 rows compared as numbers: a check of the type index's
		 * rows runs in every process that reads them. */
		if (r->lo.family == 4 && r->hi.family == 4) {
			uint32_t lo = v4_number(&r->lo), hi = v4_number(&r->hi);

			bad = lo > hi || (i > 0 && (r[-1].lo.family != 4 ||
			                            lo <= v4_number(&r[-1].hi)));
			l->v4_addresses += (unsigned long long)hi - lo + 1;
		} else {
			bad = r->lo.family != 6 || r->hi.family != 6 ||
			    addr_cmp(&r->lo, &r->hi) > 0 ||
			    (i > 0 && r[-1].lo.family == 6 && addr_cmp(&r->lo, &r[-1].hi) <= 0);
		}
		if (bad)
			return i;
	}
	return l->n;
}

/* The IPv4 rows' starts and ends as numbers (rangelist_find). */
static void index_v4(struct rangelist *l)
{
	size_t i;

	/* IPv4 sorts first: its rows are a prefix of v. */
	for (l->nv4 = 0; l->nv4 < l->n && l->v[l->nv4].lo.family == 4; l->nv4++)
		;
	l->v4lo = xmalloc((l->nv4 ? l->nv4 : 1) * sizeof(*l->v4lo));
	l->v4hi = xmalloc((l->nv4 ? l->nv4 : 1) * sizeof(*l->v4hi));
	for (i = 0; i < l->nv4; i++) {
		l->v4lo[i] = v4_number(&l->v[i].lo);
		l->v4hi[i] = v4_number(&l->v[i].hi);
	}
}

int rangelist_parse(const char *buf, size_t len, const char *where,
                    struct rangelist *out, char *err, size_t errlen)
{
	struct csv_reader *rd;
	const struct csv_field *f;
	struct buf names;
	const char *p;
	size_t nf, i;
	unsigned long line;
	int st, rc = 0;

	memset(out, 0, sizeof(*out));
	rd = csv_new(buf, len, ',', MAX_FIELDS, MAX_RECORD);
	if (rd == NULL) {
		errbuf_set(err, errlen, "%s: cannot read CSV", where);
		return -1;
	}
	buf_init(&names);
	while (rc == 0 && (st = csv_next(rd, &f, &nf, &line)) != CSV_EOF) {
		if (st != CSV_RECORD) {
			errbuf_set(err, errlen, "%s:%lu: %s", where, line, csv_strerror(st));
			rc = -1;
		} else {
			rc = take_row(f, nf, line, where, out, &names, err, errlen);
		}
	}
	csv_free(rd);
	out->names = names.data;        /* owned by out from here */
	for (i = 0, p = out->names; i < out->n; p += strlen(p) + 1, i++)
		out->v[i].name = p;
	if (rc == 0 && out->n == 0) {
		errbuf_set(err, errlen, "%s: no ranges", where);
		rc = -1;
	}
	if (rc == 0) {
		/* ipcat publishes its file in order: sort only when it is not. */
		for (i = 1; i < out->n && cmp_row(&out->v[i - 1], &out->v[i]) < 0; i++)
			;
		if (i < out->n)
			qsort(out->v, out->n, sizeof(*out->v), cmp_row);
		/* Sorted, and every row checked as it was read: what is left to
		 * fail is an overlap, which would make "the range holding a"
		 * ambiguous. */
		if ((i = first_bad_row(out)) < out->n) {
			const struct rangelist_row *r = &out->v[i];
			unsigned long other = i > 0 ? r[-1].line : r->line;

			errbuf_set(err, errlen, "%s:%lu: range overlaps the one on line %lu",
			    where, r->line > other ? r->line : other,
			    r->line > other ? other : r->line);
			rc = -1;
		}
	}
	if (rc == 0)
		index_v4(out);
	if (rc != 0)
		rangelist_free(out);
	return rc;
}

int rangelist_finish(struct rangelist *l)
{
	if (first_bad_row(l) < l->n) {
		rangelist_free(l);
		return -1;
	}
	index_v4(l);
	return 0;
}

const struct rangelist_row *rangelist_find(const struct rangelist *l,
                                           const struct ga_addr *a)
{
	size_t lo = 0, hi = l->n;

	if (a->family == 4 && l->v4lo != NULL) {
		uint32_t key = v4_number(a);

		hi = l->nv4;
		/* As below, on the numbers: the rows are not read unless one
		 * holds the key. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (l->v4lo[mid] <= key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || key > l->v4hi[lo - 1])
			return NULL;
		return &l->v[lo - 1];
	}

	/* The last range starting at or before a; no overlaps, so it is
	 * the only one that can hold a. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr_cmp(&l->v[mid].lo, a) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (l->v[lo - 1].lo.family != a->family || addr_cmp(a, &l->v[lo - 1].hi) > 0)
		return NULL;
	return &l->v[lo - 1];
}

void rangelist_free(struct rangelist *l)
{
	if (l == NULL)
		return;
	free(l->names);
	free(l->v);
	free(l->v4lo);
	free(l->v4hi);
	memset(l, 0, sizeof(*l));
}
