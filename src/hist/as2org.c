/*
 * as2org.c - CAIDA's AS Organizations files (YYYYMMDD.as-org2info.txt,
 * quarterly, monthly since late 2024).  Two kinds of records, each kind
 * introduced by a "# format:" line naming its fields:
 *
 *   # format:org_id|changed|org_name|country|source
 *   LVLT-ARIN|20120130|Level 3 Communications, Inc.|US|ARIN
 *   # format:aut|changed|aut_name|org_id|opaque_id|source
 *   1|20120224|LVLT-1|LVLT-ARIN|e5e3b9c13678dfc483fb1f819d70883c_ARIN|ARIN
 *
 * (older files: "name" for org_name, and AS rows without opaque_id; the
 * sections may come in either order).  Other '#' lines are comments.  An
 * AS is named by the org_name of its organisation, else by its own
 * aut_name.  Strict like the other archives: a record before any format
 * line, a record with the wrong number of fields, a bad AS number, date
 * or country, a control character, an organisation or AS listed twice
 * fails the whole file.
 */
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"
#include "util.h"

#define NAME_MAX_LEN 255
#define MAXF 8

enum section { SEC_NONE, SEC_ORG, SEC_AUT5, SEC_AUT6 };

/* Pointers into the document, valid during the parse. */
struct org {
	const char *id, *name;
	size_t idn, namen;
	unsigned long line;
};

struct aut {
	uint32_t asn;
	const char *org, *name;
	size_t orgn, namen;
	unsigned long line;
};

struct work {
	struct org *org;
	size_t norg, caporg;
	struct aut *aut;
	size_t naut, capaut;
};

/* "# format:" (a space after the colon allowed) and a known field list. */
static int format_line(const char *s, size_t n, enum section *sec)
{
	static const char pre[] = "# format:";
	size_t pl = sizeof(pre) - 1;

	if (n < pl || memcmp(s, pre, pl) != 0)
		return 0;
	s += pl;
	n -= pl;
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	if (hist_is(s, n, "org_id|changed|org_name|country|source") ||
	    hist_is(s, n, "org_id|changed|name|country|source"))
		*sec = SEC_ORG;
	else if (hist_is(s, n, "aut|changed|aut_name|org_id|opaque_id|source"))
		*sec = SEC_AUT6;
	else if (hist_is(s, n, "aut|changed|aut_name|org_id|source") ||
	         hist_is(s, n, "aut|changed|name|org_id|source"))
		*sec = SEC_AUT5;
	else
		return -1;
	return 1;
}

/* The changed field: empty or a YYYYMMDD date. */
static int changed_ok(const char *s, size_t n)
{
	uint64_t v;

	return n == 0 || (n == 8 && parse_u64(s, n, 19000101, 99991231, &v) == 0);
}

static int parse_lines(const char *buf, size_t len, const char *where,
                       struct hist_data *d, struct work *w)
{
	const char *line, *f[MAXF];
	size_t n, fl[MAXF], pos = 0, i;
	unsigned long lineno = 0;
	enum section sec = SEC_NONE;
	int k, r;

	while (hist_next_line(buf, len, &pos, &line, &n)) {
		lineno++;
		if (n == 0) {
			if (pos >= len)
				break;          /* the final newline */
			HIST_FAIL("empty line");
		}
		for (i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
				HIST_FAIL("control character 0x%02x in the line", (unsigned char)line[i]);
		if (line[0] == '#') {
			r = format_line(line, n, &sec);
			if (r < 0)
				HIST_FAIL("unknown record format '%.*s'", (int)(n > 60 ? 60 : n), line);
			continue;
		}
		if (sec == SEC_NONE)
			HIST_FAIL("a record before any '# format:' line");
		k = hist_split_bar(line, n, f, fl, MAXF);
		if (sec == SEC_ORG) {
			struct org o;

			if (k != 5)
				HIST_FAIL("%d fields where an organisation has 5", k < 0 ? MAXF + 1 : k);
			if (fl[0] == 0)
				HIST_FAIL("organisation without an org_id");
			if (!changed_ok(f[1], fl[1]))
				HIST_FAIL("bad changed date '%.*s'", (int)fl[1], f[1]);
			if (fl[2] > NAME_MAX_LEN)
				HIST_FAIL("org_name longer than %d bytes", NAME_MAX_LEN);
			if (!(fl[3] == 0 || (fl[3] == 2 && f[3][0] >= 'A' && f[3][0] <= 'Z' &&
			                     f[3][1] >= 'A' && f[3][1] <= 'Z')))
				HIST_FAIL("bad country '%.*s'", (int)fl[3], f[3]);
			if (fl[4] == 0)
				HIST_FAIL("organisation without a source");
			o.id = f[0];
			o.idn = fl[0];
			o.name = f[2];
			o.namen = fl[2];
			o.line = lineno;
			w->org = xgrow(w->org, &w->caporg, w->norg + 1, sizeof(*w->org));
			w->org[w->norg++] = o;
		} else {
			struct aut a;
			uint64_t v;
			int want = sec == SEC_AUT6 ? 6 : 5;

			if (k != want)
				HIST_FAIL("%d fields where an AS has %d", k < 0 ? MAXF + 1 : k, want);
			if (parse_u64(f[0], fl[0], 0, UINT32_MAX, &v) != 0)
				HIST_FAIL("bad AS number '%.*s'", (int)fl[0], f[0]);
			if (!changed_ok(f[1], fl[1]))
				HIST_FAIL("bad changed date '%.*s'", (int)fl[1], f[1]);
			if (fl[2] > NAME_MAX_LEN)
				HIST_FAIL("aut_name longer than %d bytes", NAME_MAX_LEN);
			if (fl[want - 1] == 0)
				HIST_FAIL("AS without a source");
			a.asn = (uint32_t)v;
			a.name = f[2];
			a.namen = fl[2];
			a.org = f[3];
			a.orgn = fl[3];
			a.line = lineno;
			w->aut = xgrow(w->aut, &w->capaut, w->naut + 1, sizeof(*w->aut));
			w->aut[w->naut++] = a;
		}
	}
	if (w->naut == 0) {
		lineno = 0;
		HIST_FAIL("no AS record in the file");
	}
	return 0;
}

static int cmp_id(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

static int cmp_org(const void *x, const void *y)
{
	const struct org *a = x, *b = y;
	int c = cmp_id(a->id, a->idn, b->id, b->idn);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int cmp_aut(const void *x, const void *y)
{
	const struct aut *a = x, *b = y;

	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

static int cmp_asname(const void *x, const void *y)
{
	const struct hist_asname *a = x, *b = y;

	return (a->asn > b->asn) - (a->asn < b->asn);
}

static const struct org *find_org(const struct work *w, const char *id, size_t n)
{
	size_t lo = 0, hi = w->norg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(w->org[mid].id, w->org[mid].idn, id, n);

		if (c == 0)
			return &w->org[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void add_name(struct hist_data *d, uint32_t asn, const char *s, size_t n, int from_org)
{
	struct hist_asname a;

	a.asn = asn;
	a.name = (uint32_t)d->nnames;
	a.from_org = from_org;
	d->names = xgrow(d->names, &d->capnames, d->nnames + n + 1, 1);
	memcpy(d->names + d->nnames, s, n);
	d->names[d->nnames + n] = '\0';
	d->nnames += n + 1;
	d->an = xgrow(d->an, &d->capan, d->nan + 1, sizeof(*d->an));
	d->an[d->nan++] = a;
}

static int resolve(const char *where, struct hist_data *d, struct work *w)
{
	unsigned long lineno;
	size_t i;

	if (w->norg > 1)
		qsort(w->org, w->norg, sizeof(*w->org), cmp_org);
	for (i = 1; i < w->norg; i++)
		if (cmp_id(w->org[i].id, w->org[i].idn, w->org[i - 1].id, w->org[i - 1].idn) == 0) {
			lineno = w->org[i].line;
			HIST_FAIL("organisation '%.*s' listed twice (first on line %lu)",
			          (int)w->org[i].idn, w->org[i].id, w->org[i - 1].line);
		}
	if (w->naut > 1)
		qsort(w->aut, w->naut, sizeof(*w->aut), cmp_aut);
	for (i = 1; i < w->naut; i++)
		if (w->aut[i].asn == w->aut[i - 1].asn) {
			lineno = w->aut[i].line;
			HIST_FAIL("AS%lu listed twice (first on line %lu)",
			          (unsigned long)w->aut[i].asn, w->aut[i - 1].line);
		}
	for (i = 0; i < w->naut; i++) {
		const struct aut *a = &w->aut[i];
		const struct org *o = a->orgn ? find_org(w, a->org, a->orgn) : NULL;

		if (o != NULL && o->namen > 0)
			add_name(d, a->asn, o->name, o->namen, 1);
		else if (a->namen > 0)
			add_name(d, a->asn, a->name, a->namen, 0);
	}
	if (d->nan > 1)
		qsort(d->an, d->nan, sizeof(*d->an), cmp_asname);
	d->records += w->naut;
	return 0;
}

int hist_as2org_parse(const char *buf, size_t len, const char *where,
                      struct hist_data *d)
{
	struct work w;
	int rc;

	memset(&w, 0, sizeof(w));
	/* Names are kept at 32-bit offsets: no more text than that. */
	if (len >= UINT32_MAX - d->nnames) {
		errbuf_set(d->err, sizeof(d->err), "%s: too large for an as2org file", where);
		return -1;
	}
	rc = parse_lines(buf, len, where, d, &w);
	if (rc == 0)
		rc = resolve(where, d, &w);
	free(w.org);
	free(w.aut);
	return rc;
}

const char *hist_as_name(const struct hist_data *d, uint32_t asn)
{
	size_t lo = 0, hi = d->nan;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->an[mid].asn == asn)
			return d->names + d->an[mid].name;
		if (d->an[mid].asn < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
