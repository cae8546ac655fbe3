/*
 * input/text.c - addresses in free text (a report as text, Markdown,
 * HTML, or the text of a PDF).
 *
 * A candidate is a maximal run of hex digits, '.' and ':' (defang markers
 * read as the byte they stand for) that starts and ends at a word
 * boundary.  It is an IPv4 candidate only if it has exactly four parts of
 * one to three decimal digits, so dates (2024.01.02), three-part versions
 * (10.5.2), OIDs (1.3.6.1.4.1.311: a quad inside a longer dotted run) and
 * hostnames (1.2.3.4.example.com) never are.  Version numbers are
 * recognised by context only: a word right before the run such as
 * "version", "ver.", "v", "build", "release", "firmware", "section"; a
 * letter glued on ("v1.2.3.4"); a suffix glued on with '-'
 * ("1.2.3.4-rc1"); or a "product/1.2.3.4" token.  A bare product name is
 * not enough: "OpenSSL 1.1.1.1" yields 1.1.1.1, which is also a
 * well-known resolver address, and we do not guess from a list of
 * products.  "1.2.3.4:80" yields 1.2.3.4; a "/LEN" after an address is a
 * prefix except inside a URL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

/* ------------------------------------------------------------ free text */

/* Words that make the number after them a version or section number. */
static const char *const version_words[] = {
	"version", "versions", "ver", "vers", "v", "release", "rel", "build",
	"firmware", "fw", "rev", "revision", "patch", "update", "kernel",
	"section", "sect", "sec", "chapter", "clause", "oid", NULL
};

/* May an address start at p?  Not inside a word or a dotted run. */
static int start_ok(const char *base, const char *p)
{
	char c;

	if (p == base)
		return 1;
	c = p[-1];
	if (is_alnum(c) || c == '_' || c == '.')
		return 0;
	/* "build-1.2.3.4", "Agent/1.2.3.4": part of a product token. */
	if ((c == '-' || c == '/') && p - 1 > base && is_alnum(p[-2]))
		return 0;
	return 1;
}

/* True if the word right before p (past "=", ":" and blanks) is one of
 * version_words. */
static int after_version_word(const char *base, const char *p)
{
	const char *e, *s;
	char w[16];
	size_t n, i;
	int k = 0;

	while (p > base && k < 3 && (p[-1] == ' ' || p[-1] == '\t' ||
	    p[-1] == '=' || p[-1] == ':')) {
		p--;
		k++;
	}
	if (p > base && p[-1] == '.')
		p--;
	e = p;
	while (p > base && is_alpha(p[-1]))
		p--;
	s = p;
	n = (size_t)(e - s);
	if (n == 0 || n >= sizeof w)
		return 0;
	for (i = 0; i < n; i++)
		w[i] = lower(s[i]);
	w[n] = '\0';
	return ex_name_index(version_words, w) >= 0;
}

/*
 * Read a run of address bytes from p: hex digits, '.', ':' and defang
 * markers for them.  The undone text goes to out (cap EX_RUN_MAX);
 * raw[k] is the input offset just past out[k].  Returns the length, or
 * EX_RUN_MAX + 1 if the run is longer; *rend is where the run ends.
 */
static size_t read_run(const char *p, const char *end, char *out,
                       const char **raw, const char **rend)
{
	size_t n = 0, m;
	char c;

	while (p < end) {
		if (is_hex(*p) || *p == '.' || *p == ':') {
			c = *p++;
		} else if (n > 0 && (m = ex_marker(p, end, &c)) != 0 && c != '/') {
			p += m;
		} else {
			break;
		}
		if (n < EX_RUN_MAX) {
			out[n] = c;
			raw[n] = p;
		}
		n++;
	}
	*rend = p;
	return n > EX_RUN_MAX ? EX_RUN_MAX + 1 : n;
}

/* Four parts of one to three decimal digits: an IPv4 candidate. */
static int v4_shape(const char *s, size_t n)
{
	size_t i, digits = 0;
	int parts = 1;

	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0)
				return 0;
			parts++;
			digits = 0;
		} else if (is_digit(s[i]) && digits < 3) {
			digits++;
		} else {
			return 0;
		}
	}
	return parts == 4 && digits > 0;
}

/*
 * An IPv6 candidate: groups of one to four hex digits separated by ':',
 * with "::" or seven colons, perhaps ending in a dotted quad.
 */
static int v6_shape(const char *s, size_t n)
{
	size_t i, g = 0, colons = 0, hexd = 0, last = 0;
	int dbl = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ':') {
			if (i > 0 && s[i - 1] == ':')
				dbl = 1;
			colons++;
			g = 0;
			last = i + 1;
		} else if (s[i] == '.') {
			return colons >= 2 && (dbl || colons == 6) &&
			    v4_shape(s + last, n - last);
		} else if (g < 4) {
			g++;
			hexd++;
		} else {
			return 0;
		}
	}
	return colons >= 2 && hexd > 0 && (dbl || colons == 7);
}

/*
 * Classify the undone run r[0..n): returns the candidate's length (a
 * prefix of r) and its family in *fam, or 0 if it is not a candidate.
 */
static size_t classify(const char *r, size_t n, int *fam)
{
	const char *c = memchr(r, ':', n);
	size_t k;

	if (c == NULL) {
		*fam = 4;
		return v4_shape(r, n) ? n : 0;
	}
	/* "1.2.3.4:8080": the address and a port. */
	k = (size_t)(c - r);
	if (k > 0 && memchr(r, '.', k) != NULL) {
		size_t i;

		if (!v4_shape(r, k))
			return 0;
		for (i = k + 1; i < n && is_digit(r[i]); i++)
			;
		*fam = 4;
		return i == n && i - k - 1 <= 5 ? k : 0;
	}
	*fam = 6;
	return v6_shape(r, n) ? n : 0;
}

struct tcand {
	char text[2 * EX_RUN_MAX + 16];
	size_t len;
	const char *rstart;     /* raw start */
	const char *rend;       /* raw end of what was consumed */
	int fam;
};

/*
 * Read one candidate starting at p.  Returns 1 with c filled in, or 0
 * with c->rend set to where scanning should go on.
 */
static int text_candidate(struct ex *x, const char *p, struct tcand *c)
{
	const char *base = x->base, *end = x->end, *rend, *q, *after;
	const char *raw[EX_RUN_MAX];
	char r[EX_RUN_MAX];
	size_t n, k, m, d;
	int url;
	char ch;

	c->rstart = p;
	n = read_run(p, end, r, raw, &rend);
	c->rend = rend;
	if (n > EX_RUN_MAX || n == 0)
		return 0;
	/* Sentence punctuation is not part of the run. */
	while (n > 0 && r[n - 1] == '.')
		n--;
	if (n > 1 && r[n - 1] == ':' && r[n - 2] != ':')
		n--;
	if (n == 0)
		return 0;
	if ((k = classify(r, n, &c->fam)) == 0) {
		/* "abc:1.2.3.4", "12:34:56": look again after the colon. */
		q = memchr(p, ':', (size_t)(rend - p));
		if (q != NULL)
			c->rend = q + 1;
		return 0;
	}
	after = raw[k - 1];
	/* "1.2.3.4g", "1.2.3.4.example.com": part of a longer token. */
	if (rend < end && (is_alnum(*rend) || *rend == '_'))
		return 0;
	if (c->fam == 4 && after_version_word(base, p))
		return 0;
	memcpy(c->text, r, k);
	c->len = k;

	/* A prefix length, except in a URL path ("hxxp://1.2.3.4/24/"). */
	url = p - base >= 3 && memcmp(p - 3, "://", 3) == 0;
	if (!url && p - base >= 4 && memcmp(p - 4, "://[", 4) == 0)
		url = 1;
	q = after;
	m = 0;
	if (q < end && *q == '/')
		m = 1;
	else if (q < end && ex_marker(q, end, &ch) != 0 && ch == '/')
		m = 3;
	if (!url && m > 0 && k == n) {
		for (d = 0; q + m + d < end && d < 4 && is_digit(q[m + d]); d++)
			;
		if (d >= 1 && d <= 3 && (q + m + d == end ||
		    (!is_alnum(q[m + d]) && q[m + d] != '/' &&
		    !(q[m + d] == '.' && q + m + d + 1 < end &&
		    is_digit(q[m + d + 1]))))) {
			c->text[c->len++] = '/';
			memcpy(c->text + c->len, q + m, d);
			c->len += d;
			c->rend = q + m + d;
			return 1;
		}
	}
	/* "1.2.3.4-rc1" is a version; "1.2.3.0-1.2.3.255" a range. */
	if (k == n && q < end && (*q == '-' || (*q == ' ' && q + 2 < end &&
	    q[1] == '-' && q[2] == ' '))) {
		const char *s2 = *q == '-' ? q + 1 : q + 3, *rend2;
		const char *raw2[EX_RUN_MAX];
		char r2[EX_RUN_MAX];
		size_t n2;
		int fam2;

		if (*q == ' ' && s2 < end && *s2 == ' ')
			s2++;
		n2 = s2 < end && is_hex(*s2) ?
		    read_run(s2, end, r2, raw2, &rend2) : 0;
		while (n2 > 0 && n2 <= EX_RUN_MAX && r2[n2 - 1] == '.')
			n2--;
		if (n2 > 0 && n2 <= EX_RUN_MAX &&
		    classify(r2, n2, &fam2) == n2 && fam2 == c->fam &&
		    (rend2 == end || !(is_alnum(*rend2) || *rend2 == '_'))) {
			c->text[c->len++] = '-';
			memcpy(c->text + c->len, r2, n2);
			c->len += n2;
			c->rend = raw2[n2 - 1];
			return 1;
		}
		if (*q == '-' && s2 < end && is_alnum(*s2))
			return 0;
	}
	/* "fe80::1%eth0": keep the zone so that it is refused by name. */
	if (c->fam == 6 && k == n && q < end && *q == '%') {
		for (d = 1; q + d < end && d < 32 && (is_alnum(q[d]) ||
		    q[d] == '_' || q[d] == '.'); d++)
			;
		memcpy(c->text + c->len, q, d);
		c->len += d;
		c->rend = q + d;
	}
	return 1;
}

/* Is the token s[0..n) a URL, a hash, or a defanged domain or e-mail?
 * Plain words with dots are not taken: prose is full of them ("e.g.",
 * "Node.js", "README.md"), and only a defanged name says it is one. */
static int text_other_kind(const char *s, size_t n)
{
	size_t i;
	enum ex_kind k;

	for (i = 0; i + 2 < n && i < 8; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return i >= 3 ? (int)EXK_URL : -1;
	k = ex_kind_of_value(s, n);
	if (k == EXK_MD5 || k == EXK_SHA1 || k == EXK_SHA256 || k == EXK_SHA512)
		return (int)k;
	if ((k == EXK_DOMAIN || k == EXK_EMAIL) && ex_has_bracket(s, n))
		return (int)k;
	return -1;
}

static int token_byte(char c)
{
	return !(is_space(c) || c == ',' || c == ';' || c == '"' || c == '\'' ||
	    c == '<' || c == '>' || c == '|' || c == '`' || c == '*');
}

/* Non-address indicators in the text: counted, in a pass of their own. */
static void text_others(struct ex *x)
{
	const char *p = x->base, *end = x->end, *s;
	unsigned long line = 1;
	int kind;

	while (p < end) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (!token_byte(*p)) {
			p++;
			continue;
		}
		s = p;
		while (p < end && token_byte(*p))
			p++;
		/* Sentence punctuation and brackets around the token. */
		{
			const char *a = s, *e = p;

			while (e > a && (e[-1] == '.' || e[-1] == ')' ||
			    e[-1] == ':' || e[-1] == '!' || e[-1] == '?'))
				e--;
			while (a < e && (*a == '(' || *a == '['))
				a++;
			if (e - a >= 8 && e - a <= 2048 &&
			    (kind = text_other_kind(a, (size_t)(e - a))) >= 0)
				ex_other(x, (enum ex_kind)kind,
				    x->page ? x->page : line, a, (size_t)(e - a));
		}
	}
}

/* A location the line around p states ("1.2.3.4 is located in Canada"). */
static int line_cites(struct ex *x, const char *p, struct ex_item *it)
{
	const char *s = p, *e = p, *at;
	size_t alen;

	while (s > x->base && s[-1] != '\n')
		s--;
	while (e < x->end && *e != '\n')
		e++;
	if (ex_cited_phrase(s, (size_t)(e - s), it->cited, &at, &alen)) {
		it->cited_text = at;
		it->cited_len = alen;
		x->st->has_cited = 1;
		x->st->cited_from_text = 1;
		return 1;
	}
	return 0;
}

void ex_read_text(struct ex *x)
{
	const char *p = x->base, *end = x->end;
	struct lcur lc;
	struct tcand c;
	struct ex_item it;
	const char *why;

	x->st->lines += ex_count_lines(x->base, x->end);
	ex_lcur_init(&lc, x->base, x->end);
	while (p < end) {
		if (!is_hex(*p) && !(*p == ':' && p + 1 < end && p[1] == ':')) {
			p++;
			continue;
		}
		if (!start_ok(x->base, p)) {
			p++;
			while (p < end && (is_alnum(*p) || *p == '_'))
				p++;
			continue;
		}
		if (!text_candidate(x, p, &c)) {
			p = c.rend > p ? c.rend : p + 1;
			continue;
		}
		p = c.rend > p ? c.rend : p + 1;
		/* Find the line: the cursor only moves forward. */
		while (lc.p < end) {
			const char *nl = memchr(lc.p, '\n',
			    (size_t)(end - lc.p));

			if (nl == NULL || nl >= c.rstart)
				break;
			lc.p = nl + 1;
			lc.line++;
		}
		ex_item_init(&it);
		if (net_parse(c.text, c.len, 0, &it.net, &why) == 0) {
			it.text = c.text;
			it.len = c.len;
			it.line = x->page ? x->page : lc.line;
			line_cites(x, c.rstart, &it);
			ex_accept(x, &it);
		} else {
			ex_reject(x, x->page ? x->page : lc.line, c.text, c.len, why);
		}
	}
	text_others(x);
}
