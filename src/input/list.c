/*
 * input/list.c - one address, prefix or range per line.
 *
 * The bulk path (published lists run to millions of lines): one memchr()
 * per line for the newline, one or two for a comment, and net_parse() on
 * the slice in place.  All the slower checks (NUL bytes, UTF-8, defanged
 * forms) run only on lines that failed to parse, since a line that parsed
 * is plain ASCII by construction.  Given threads (extract_buffer_shared)
 * and a long list, the bulk path runs on them, a piece of the list each,
 * and the calling thread hands the results on in order (list_shared()).
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

/*
 * The bulk path's test of the line p[0..n): a bare address with at most
 * white space (a CR) around it.  Returns 1 with the network in *net and
 * its text at [*ts, *te); 0 when the line needs list_line().  The same
 * test for the one-thread loop and the pieces, so both take the same
 * lines the same way.
 */
static inline int list_fast(const char *p, size_t n, struct ga_net *net,
                            const char **ts, const char **te)
{
	const char *s = p, *e = p + n;

	if (n == 0 || n > NET_TEXT_MAX || memchr(p, '#', n) != NULL ||
	    memchr(p, ';', n) != NULL)
		return 0;
	ex_trim(&s, &e);
	if (s == e || net_parse(s, (size_t)(e - s), 0, net, NULL) != 0)
		return 0;
	*ts = s;
	*te = e;
	return 1;
}

/* ------------------------------------------------------------ shared */

/*
 * A long list is read in rounds of about LIST_ROUND bytes, each ending
 * after a newline.  The threads run the bulk path over a round piece by
 * piece (LIST_PIECE bytes; a piece takes the lines that start in it),
 * leaving one result per line, while the calling thread hands the last
 * round's results to the sink in input order: it accepts the lines that
 * parsed and sends the others, and every line until the header is
 * settled, through list_line() as the one-thread loop does.  So counts,
 * line numbers, messages and order are the same, and the sink (not
 * made for threads) is only called from the calling thread.  The pieces
 * only read the round after the one being handed on, so what lies behind
 * the sink's item is never read again (check gives those pages back).
 * Rounds bound the results' memory (a round of blank lines is a result
 * a byte); 256 KiB rounds were faster than 1 MiB ones at 100k and 1M
 * lines, the last round, handed on alone, being shorter.
 */
#define LIST_SHARE_MIN ((size_t)64 << 10)   /* a few thousand lines */
#define LIST_ROUND ((size_t)256 << 10)
#define LIST_PIECE ((size_t)32 << 10)

struct lres {
	struct ga_net net;      /* the address, when len > 0 */
	size_t n;               /* the line's length, without its newline */
	unsigned char off, len; /* the address text in the line (at most
	                         * NET_TEXT_MAX); len 0: list_line() reads it */
};

struct lpiece {
	struct lres *r;         /* one per line starting in the piece */
	size_t n, cap;
};

struct lround {
	const char *at;         /* its first byte, the start of a line */
	size_t len;             /* ends after a newline or at the input's end */
	struct lpiece *pc;      /* len / LIST_PIECE rounded up */
	size_t npc, cappc;
};

struct lshare {
	struct ex *x;
	struct lround set[2];
	int fill;               /* the set the pieces fill; the other is handed on */
	/* The calling thread's alone: */
	unsigned long line;
	int first;
	struct ex_item it;
};

static void list_piece(size_t lo, size_t hi, unsigned k, void *arg)
{
	struct lshare *L = arg;
	const struct lround *rd = &L->set[L->fill];
	struct lpiece *pc = &rd->pc[lo / LIST_PIECE];
	const char *q = rd->at + lo, *stop = rd->at + hi;
	const char *end = rd->at + rd->len, *nl, *eol, *s, *e;
	struct lres *r;

	(void)k;
	pc->n = 0;
	if (lo > 0) {
		/* The first line starting in [lo, hi) follows a newline in
		 * [lo - 1, hi - 1); the line running in is the piece before's. */
		nl = memchr(q - 1, '\n', hi - lo);
		if (nl == NULL)
			return;
		q = nl + 1;
	}
	while (q < stop) {
		nl = memchr(q, '\n', (size_t)(end - q));
		eol = nl != NULL ? nl : end;
		if (pc->n == pc->cap)
			pc->r = xgrow(pc->r, &pc->cap, pc->n + 1, sizeof(*pc->r));
		r = &pc->r[pc->n++];
		r->n = (size_t)(eol - q);
		if (list_fast(q, r->n, &r->net, &s, &e)) {
			r->off = (unsigned char)(s - q);
			r->len = (unsigned char)(e - s);
		} else {
			r->len = 0;
		}
		q = nl != NULL ? nl + 1 : end;
	}
}

/* Hand the results of the set the pieces are not filling to the sink. */
static void list_deliver(void *arg)
{
	struct lshare *L = arg;
	struct lround *rd = &L->set[L->fill ^ 1];
	size_t i, j, at = 0;

	for (i = 0; i < rd->npc; i++) {
		const struct lpiece *pc = &rd->pc[i];

		for (j = 0; j < pc->n; j++) {
			const struct lres *r = &pc->r[j];
			const char *p = rd->at + at;

			L->line++;
			if (r->len > 0 && !L->first) {
				L->it.net = r->net;
				L->it.text = p + r->off;
				L->it.len = r->len;
				L->it.line = L->line;
				ex_accept(L->x, &L->it);
			} else {
				list_line(L->x, L->line, p, p + r->n, &L->first);
			}
			/* Past the newline; the last line may have none. */
			at += r->n + (at + r->n < rd->len);
		}
	}
	rd->npc = 0;
}

static void list_shared(struct ex *x)
{
	struct lshare L;
	struct lround *rd;
	const char *at, *nl;
	size_t len, i;
	int b;

	memset(&L, 0, sizeof L);
	L.x = x;
	L.first = 1;
	ex_item_init(&L.it);
	/* Each round fills one set while the calling thread hands on the
	 * other; the first has nothing before it to hand on. */
	L.fill = 1;
	for (at = x->base; at < x->end; at += L.set[L.fill].len) {
		L.fill ^= 1;
		rd = &L.set[L.fill];
		len = (size_t)(x->end - at);
		if (len > LIST_ROUND) {
			nl = memchr(at + LIST_ROUND - 1, '\n',
			            len - (LIST_ROUND - 1));
			if (nl != NULL)
				len = (size_t)(nl + 1 - at);
		}
		rd->at = at;
		rd->len = len;
		rd->npc = (len + LIST_PIECE - 1) / LIST_PIECE;
		if (rd->npc > rd->cappc) {
			size_t old = rd->cappc;

			rd->pc = xgrow(rd->pc, &rd->cappc, rd->npc, sizeof(*rd->pc));
			memset(rd->pc + old, 0, (rd->cappc - old) * sizeof(*rd->pc));
		}
		x->threads->run(x->threads->team, len, LIST_PIECE, list_piece,
		                list_deliver, &L);
	}
	L.fill ^= 1;
	list_deliver(&L);
	x->st->lines = L.line;
	for (b = 0; b < 2; b++) {
		for (i = 0; i < L.set[b].cappc; i++)
			free(L.set[b].pc[i].r);
		free(L.set[b].pc);
	}
}

/* ------------------------------------------------------------ read */

void ex_read_list(struct ex *x)
{
	const char *p = x->base, *end = x->end, *nl, *eol, *s, *e;
	struct ex_item it;
	unsigned long line = 0;
	int first = 1;
	size_t n;

	if (x->threads != NULL && (size_t)(end - p) >= LIST_SHARE_MIN) {
		list_shared(x);
		return;
	}
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
		if (!first && list_fast(p, n, &it.net, &s, &e)) {
			it.text = s;
			it.len = (size_t)(e - s);
			it.line = line;
			ex_accept(x, &it);
		} else {
			list_line(x, line, p, eol, &first);
		}
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
