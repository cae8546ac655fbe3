/*
 * input/list.c - one address, prefix or range per line.
 *
 * The bulk path (published lists run to millions of lines): one memchr()
 * per line for the newline, one or two for a comment, and net_parse() on
 * the slice in place.  All the slower checks (NUL bytes, UTF-8, defanged
 * forms) run only on lines that failed to parse, since a line that parsed
 * is plain ASCII by construction.
 *
 * Comments.  Lists take '#' and ';' comments, anywhere on a line: ';' is
 * what the Spamhaus DROP family uses, and neither byte can be part of an
 * address.  A line holding a NUL byte or invalid UTF-8 is rejected even
 * when the bad bytes are in its comment, because such a line means the
 * file is not the text it claims to be.
 *
 * Host bits.  "1.2.3.4/24" is rejected with net_parse's reason rather
 * than masked: the author meant either the host or the network and we
 * cannot tell which.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

/* ------------------------------------------------------------ list */

/* Where a '#' or ';' comment starts in s[0..n), or NULL. */
const char *ex_find_comment(const char *s, size_t n)
{
	const char *h = memchr(s, '#', n);
	const char *c = memchr(s, ';', h != NULL ? (size_t)(h - s) : n);

	return c != NULL ? c : h;
}

static void list_line(struct ex *x, unsigned long line, const char *s,
                      const char *eol, int *first)
{
	struct ex_item it;
	const char *c, *e;
	char name[EX_NAME_MAX];

	if (eol - s > EX_LINE_MAX) {
		ex_reject(x, line, s, EX_REJECT_MAX, R_LONG);
		return;
	}
	c = ex_find_comment(s, (size_t)(eol - s));
	e = c != NULL ? c : eol;
	ex_trim(&s, &e);
	if (c != NULL && (memchr(c, '\0', (size_t)(eol - c)) != NULL ||
	    !ex_utf8_valid(c, (size_t)(eol - c)))) {
		const char *why = memchr(c, '\0', (size_t)(eol - c)) != NULL ?
		    R_NUL_LINE : R_UTF8;
		const char *ls = s;

		/* Report from the token when there is one, else the comment. */
		ex_reject(x, line, ls, (size_t)(eol - ls), why);
		return;
	}
	if (s == e)
		return;
	if (*first) {
		*first = 0;
		/* A one-column file with a header ("ip") is not a bad line. */
		if ((size_t)(e - s) < EX_NAME_MAX) {
			ex_norm_name(s, (size_t)(e - s), name);
			if (ex_name_index(ex_addr_names, name) >= 0) {
				ex_set_column(x, s, (size_t)(e - s));
				return;
			}
		}
	}
	ex_item_init(&it);
	ex_take(x, line, s, (size_t)(e - s), &it);
}

void ex_read_list(struct ex *x)
{
	const char *p = x->base, *end = x->end, *nl, *eol;
	struct ex_item it;
	unsigned long line = 0;
	int first = 1;
	size_t n;

	ex_item_init(&it);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		line++;
		n = (size_t)(eol - p);
		/*
		 * The common line is a bare address with at most a CR after
		 * it; parse it in place and go on.  Anything else (blank,
		 * comment, header, error) takes the careful path.
		 */
		if (!first && n > 0 && n <= NET_TEXT_MAX &&
		    memchr(p, '#', n) == NULL && memchr(p, ';', n) == NULL) {
			const char *s = p, *e = eol;

			ex_trim(&s, &e);
			if (s < e && net_parse(s, (size_t)(e - s), 0, &it.net,
			    NULL) == 0) {
				it.text = s;
				it.len = (size_t)(e - s);
				it.line = line;
				ex_accept(x, &it);
				p = nl != NULL ? nl + 1 : end;
				continue;
			}
		}
		list_line(x, line, p, eol, &first);
		p = nl != NULL ? nl + 1 : end;
	}
	x->st->lines = line;
}

int ex_list_like(struct ex *x, const char *p, const char *end)
{
	unsigned long lines = 0, single = 0, good = 0;
	const char *nl, *eol, *s, *e, *t;
	struct ga_net net;
	size_t m;

	while (p < end && lines < EX_SNIFF_LINES) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		s = p;
		p = nl != NULL ? nl + 1 : end;
		if (eol - s > EX_LINE_MAX) {
			lines++;
			continue;
		}
		e = ex_find_comment(s, (size_t)(eol - s));
		if (e == NULL)
			e = eol;
		ex_trim(&s, &e);
		if (s == e)
			continue;
		lines++;
		for (t = s; t < e && !is_space(*t); t++)
			;
		if (t < e) {
			/* "1.2.3.0 - 1.2.3.255" is one token too. */
			if (net_parse(s, (size_t)(e - s), 0, &net, NULL) != 0)
				continue;
		}
		single++;
		if (net_parse(s, (size_t)(e - s), 0, &net, NULL) == 0 ||
		    (ex_has_bracket(s, (size_t)(e - s)) &&
		    (m = ex_refang(x, s, (size_t)(e - s))) != 0 &&
		    net_parse(x->fixed, m, 0, &net, NULL) == 0))
			good++;
	}
	if (lines == 0)
		return 1;
	return single * 10 >= lines * 9 && good * 2 >= single;
}

/* Does the text at p (a '[' or '{') start a JSON value? */
