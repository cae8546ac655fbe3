/*
 * input/xmlcommon.c - what the XML readers (STIX 1.x, OpenIOC) share: the
 * element path for messages, pending indicators of one group, and
 * detection by the document's namespace.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "input/xmlcommon.h"
#include "xmlread.h"

void xp_push(struct xpath *p, const char *name)
{
	if (p->depth < XP_MAX)
		snprintf(p->names[p->depth], sizeof p->names[0], "%s", name);
	p->depth++;
}

void xp_pop(struct xpath *p)
{
	if (p->depth > 0)
		p->depth--;
}

const char *xp_at(const struct xpath *p, int up)
{
	int i = p->depth - 1 - up;

	return i >= 0 && i < XP_MAX ? p->names[i] : "";
}

int xp_has(const struct xpath *p, const char *name)
{
	int i;

	for (i = 0; i < p->depth && i < XP_MAX; i++)
		if (strcmp(p->names[i], name) == 0)
			return 1;
	return 0;
}

void xp_text(const struct xpath *p, char *out, size_t cap)
{
	size_t o = 0;
	int i;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < p->depth && i < XP_MAX && o + 2 < cap; i++) {
		int n = snprintf(out + o, cap - o, "/%s", p->names[i]);

		if (n < 0)
			break;
		o += (size_t)n;
	}
	if (o >= cap)
		out[cap - 1] = '\0';
}

/* err = "XERR in /PATH". */
static void xml_fail(char *err, size_t errlen, const char *xerr, const struct xpath *p)
{
	char path[256];

	xp_text(p, path, sizeof path);
	errbuf_set(err, errlen, "%s%s%s", xerr, path[0] ? " in " : "", path);
}

int xml_walk(struct ex *x, struct xml_reader *r, const struct xml_walk *w,
             struct xpath *path, void *ctx, char *err, size_t errlen)
{
	struct xml_ev ev;
	char xerr[256];
	int rc, ret = 0, root = 1;

	x->st->lines = ex_count_lines(x->base, x->end);
	while ((rc = xml_next(r, &ev, xerr, sizeof xerr)) == 1) {
		if (ev.type == XML_EV_START) {
			if (root && !w->root_ok(&ev)) {
				errbuf_set(err, errlen, "line %lu: not %s (root element <%s>)",
				    ev.line, w->what, ev.name);
				ret = -1;
				break;
			}
			root = 0;
			w->start(ctx, &ev);
			xp_push(path, ev.name);
		} else if (ev.type == XML_EV_END) {
			xp_pop(path);
			w->end(ctx, &ev);
		} else {
			w->text(ctx, &ev);
		}
	}
	if (rc < 0 && ret == 0) {
		xml_fail(err, errlen, xerr, path);
		ret = -2;
	}
	return ret;
}

/* ------------------------------------------------------------ groups */

void grp_reset(struct group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->p[i].text);
	g->n = 0;
	buf_reset(&g->desc);
	buf_reset(&g->role);
	buf_reset(&g->phase);
	buf_reset(&g->observed);
}

void grp_free(struct group *g)
{
	grp_reset(g);
	free(g->p);
	buf_free(&g->desc);
	buf_free(&g->role);
	buf_free(&g->phase);
	buf_free(&g->observed);
	memset(g, 0, sizeof(*g));
}

void grp_add(struct group *g, const char *s, size_t n, unsigned long line,
             int kind, const char *why)
{
	struct pending *p;

	g->p = xgrow(g->p, &g->cap, g->n + 1, sizeof(*g->p));
	p = &g->p[g->n++];
	p->text = xstrndup(s, n);
	p->len = strlen(p->text);
	p->line = line;
	p->kind = kind;
	p->why = why;
}

/* Append a piece of text, within a bound (descriptions can be long and
 * only the first few kilobytes are read for a cited location). */
void grp_text(struct buf *b, const char *s, size_t n)
{
	if (b->len >= 8192)
		return;
	if (n > 8192 - b->len)
		n = 8192 - b->len;
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_addc(b, ' ');
	buf_add(b, s, n);
}

static size_t trimmed(const struct buf *b, const char **s)
{
	const char *p = b->data, *e;

	if (p == NULL) {
		*s = NULL;
		return 0;
	}
	e = p + b->len;
	ex_trim(&p, &e);
	*s = p;
	return (size_t)(e - p);
}

void grp_emit(struct ex *x, struct group *g)
{
	struct ex_item proto;
	const char *at, *d;
	size_t alen, dn, i;

	ex_item_init(&proto);
	proto.role_len = trimmed(&g->role, &proto.role);
	proto.phase_len = trimmed(&g->phase, &proto.phase);
	proto.observed_len = trimmed(&g->observed, &proto.observed);
	if (proto.role_len + proto.phase_len + proto.observed_len > 0)
		x->st->has_roles = 1;
	dn = trimmed(&g->desc, &d);
	for (i = 0; i < g->n; i++) {
		const struct pending *p = &g->p[i];

		if (p->why != NULL) {
			ex_reject(x, p->line, p->text, p->len, p->why);
			continue;
		}
		if (p->kind >= 0) {
			ex_other(x, (enum ex_kind)p->kind, p->line, p->text, p->len);
			continue;
		}
		if (dn > 0 && proto.cited_len == 0 &&
		    ex_cited_phrase(d, dn, proto.cited, &at, &alen)) {
			proto.cited_text = at;
			proto.cited_len = alen;
			x->st->has_cited = 1;
			x->st->cited_from_text = 1;
		}
		ex_take(x, p->line, p->text, p->len, &proto);
	}
	grp_reset(g);
}

/* ------------------------------------------------------------ detection */

static int has(const char *p, const char *end, const char *w)
{
	size_t k = strlen(w);

	for (; (size_t)(end - p) >= k; p++)
		if (*p == *w && memcmp(p, w, k) == 0)
			return 1;
	return 0;
}

int ex_xml_like(const char *p, const char *end, enum ex_format *which)
{
	const char *head;

	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '<')
		return 0;
	head = end - p > 8192 ? p + 8192 : end;
	if (has(p, head, "stix.mitre.org/stix-1") ||
	    has(p, head, "STIX_Package") ||
	    has(p, head, "cybox.mitre.org/cybox-2")) {
		*which = EX_STIX1;
		return 1;
	}
	if (has(p, head, "schemas.mandiant.com/2010/ioc") ||
	    has(p, head, "openioc.org/schemas/OpenIOC_1.1") ||
	    has(p, head, "<OpenIOC") || has(p, head, "<ioc ")) {
		*which = EX_OPENIOC;
		return 1;
	}
	return 0;
}
