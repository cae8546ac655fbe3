/*
 * asnlist.c - readers for third-party ASN lists (see asnlist.h).
 */
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "asnlist.h"
#include "util.h"

/* A name longer than this is cut: the lists' comments are one line of
 * a few words, and the name is only shown as detail. */
#define NAME_MAX_BYTES 200

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Trim blanks from both ends of p[0..*len). */
static const char *trim(const char *p, size_t *len)
{
	while (*len > 0 && is_blank(*p)) {
		p++;
		(*len)--;
	}
	while (*len > 0 && is_blank(p[*len - 1]))
		(*len)--;
	return p;
}

/* Parse the decimal ASN at p[0..len); *used gets the digits' length. */
static int take_asn(const char *p, size_t len, uint32_t *asn, size_t *used)
{
	uint64_t v;
	size_t n = 0;

	while (n < len && is_digit(p[n]))
		n++;
	if (n == 0 || parse_u64(p, n, 1, UINT32_MAX, &v) != 0)
		return -1;
	*asn = (uint32_t)v;
	*used = n;
	return 0;
}

static void add_row(struct asnlist *out, struct buf *names, uint32_t asn,
                    unsigned long line, const char *name, size_t nlen)
{
	struct asnlist_row *r;

	if (nlen > NAME_MAX_BYTES)
		nlen = NAME_MAX_BYTES;
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	r = &out->v[out->n++];
	r->asn = asn;
	r->line = line;
	/* One block for all names, in row order, pointed into once it stops
	 * growing (asnlist_parse): a malloc and a free per row cost more
	 * than the rest of the row. */
	r->name = NULL;
	buf_add0(names, name, nlen);
}

/* "AS123 # comment".  Returns 0 for a row, 1 for a line to skip, -1 for
 * an error with why set. */
static int x4bnet_line(const char *p, size_t len, uint32_t *asn,
                       const char **name, size_t *nlen, const char **why)
{
	size_t used;

	p = trim(p, &len);
	if (len == 0 || p[0] == '#')
		return 1;
	if (len < 3 || (p[0] != 'A' && p[0] != 'a') || (p[1] != 'S' && p[1] != 's')) {
		*why = "not an \"AS<number>\" line";
		return -1;
	}
	if (take_asn(p + 2, len - 2, asn, &used) != 0) {
		*why = "the ASN is not a number from 1 to 4294967295";
		return -1;
	}
	p += 2 + used;
	len -= 2 + used;
	if (len > 0 && !is_blank(p[0]) && p[0] != '#') {
		*why = "unexpected text after the ASN (want blanks and a # comment)";
		return -1;
	}
	p = trim(p, &len);
	if (len > 0 && p[0] != '#') {
		*why = "unexpected text after the ASN (want a # comment)";
		return -1;
	}
	if (len > 0) {
		p++;
		len--;
		p = trim(p, &len);
	}
	*name = p;
	*nlen = len;
	return 0;
}

/* 123,"Entity, CC" with the quirks of the published file: the number may
 * be quoted, blanks may follow the comma, the entity may be unquoted. */
static int badasn_line(const char *p, size_t len, uint32_t *asn,
                       const char **name, size_t *nlen, const char **why)
{
	size_t used;
	int quoted = 0;

	p = trim(p, &len);
	if (len == 0)
		return 1;
	if (p[0] == '"') {
		quoted = 1;
		p++;
		len--;
	}
	if (take_asn(p, len, asn, &used) != 0) {
		*why = "the ASN is not a number from 1 to 4294967295";
		return -1;
	}
	p += used;
	len -= used;
	if (quoted) {
		if (len == 0 || p[0] != '"') {
			*why = "the quoted ASN has no closing quote";
			return -1;
		}
		p++;
		len--;
	}
	p = trim(p, &len);
	if (len == 0 || p[0] != ',') {
		*why = "no comma after the ASN";
		return -1;
	}
	p++;
	len--;
	p = trim(p, &len);
	if (len > 0 && p[0] == '"') {
		if (len < 2 || p[len - 1] != '"') {
			*why = "the quoted entity has no closing quote";
			return -1;
		}
		p++;
		len -= 2;
	}
	*name = p;
	*nlen = len;
	return 0;
}

/*
 * Sort v by ASN, and among equal ASNs by line.  The rows come in line
 * order, so a stable sort on the ASN alone does it: four passes of a
 * byte each (LSD radix), a few instructions a row, where qsort() called
 * a comparison some n log n times (the lists are not published in
 * order, and every check and bulk lookup reads them).
 */
static void sort_rows(struct asnlist_row *v, size_t n)
{
	struct asnlist_row *tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
	struct asnlist_row *src = v, *dst = tmp, *t;
	size_t count[256], i, sum, c;
	int shift;

	for (shift = 0; shift < 32; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(src[i].asn >> shift) & 0xffu]++;
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].asn >> shift) & 0xffu]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	/* An even number of passes: the result is back in v. */
	free(tmp);
}

int asnlist_parse(enum asnlist_format f, const char *buf, size_t len,
                  const char *where, struct asnlist *out,
                  char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	unsigned long line = 0;
	struct buf names;
	char *np;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	buf_init(&names);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end;
		const char *name = NULL, *why = NULL;
		size_t nlen = 0;
		uint32_t asn = 0;
		int st;

		line++;
		if (memchr(p, '\0', (size_t)(le - p)) != NULL) {
			errbuf_set(err, errlen, "%s:%lu: NUL byte in the line", where, line);
			goto fail;
		}
		if (f == ASNLIST_BADASN && line == 1) {
			size_t hl = (size_t)(le - p);
			const char *h = trim(p, &hl);

			if (hl != 10 || strncasecmp(h, "ASN,Entity", 10) != 0) {
				errbuf_set(err, errlen, "%s:1: header is not \"ASN,Entity\"", where);
				goto fail;
			}
			st = 1;
		} else if (f == ASNLIST_BADASN) {
			st = badasn_line(p, (size_t)(le - p), &asn, &name, &nlen, &why);
		} else {
			st = x4bnet_line(p, (size_t)(le - p), &asn, &name, &nlen, &why);
		}
		if (st < 0) {
			errbuf_set(err, errlen, "%s:%lu: %s", where, line, why);
			goto fail;
		}
		if (st == 0)
			add_row(out, &names, asn, line, name, nlen);
		p = nl != NULL ? nl + 1 : end;
	}
	out->names = names.data;        /* owned by out from here */
	names.data = NULL;
	/* No line holds a NUL (see above), so each name ends at its own. */
	for (i = 0, np = out->names; i < out->n; np += strlen(np) + 1, i++)
		out->v[i].name = np;
	if (out->n == 0) {
		errbuf_set(err, errlen, "%s: no ASN in the list", where);
		goto fail;
	}
	sort_rows(out->v, out->n);
	for (i = 0, k = 0; i < out->n; i++) {
		if (k > 0 && out->v[k - 1].asn == out->v[i].asn) {
			out->repeated++;
			continue;
		}
		out->v[k++] = out->v[i];
	}
	out->n = k;
	return 0;
fail:
	buf_free(&names);
	asnlist_free(out);
	return -1;
}

void asnlist_free(struct asnlist *l)
{
	if (l == NULL)
		return;
	free(l->names);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
