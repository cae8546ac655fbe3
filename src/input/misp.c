/*
 * input/misp.c - MISP events in MISP's JSON: {"Event": {...}}, a list of
 * them, or a REST search answer {"response": [{"Event": ...}]}.
 *
 * Every Attribute is one indicator, whether it sits in the event's
 * Attribute list or in an Object's.  Address types are ip-src, ip-dst and
 * their "|port" forms ("1.2.3.4|443": the port is dropped) and the address
 * half of domain|ip (whose domain half is counted as a domain).  Every
 * other attribute is counted by kind, from its type ("md5", "url",
 * "filename|sha256" ...) and, for types that say nothing of the value
 * ("text", "comment"), as "other".
 *
 * What the event says of the entry: the attribute's comment, else its
 * object's comment, is read for a cited location; its type is the role
 * ("ip-dst"), its category the phase ("Network activity"), and its
 * first_seen, else the event's date, the observation date.
 *
 * Lines: jansson keeps no positions, so an attribute's line is found by
 * looking for its quoted value in the raw text, moving forward only;
 * attributes come in document order, so this is the line of that very
 * value except where the same text also appears in between (then it is
 * an earlier line holding the same string, never a later one).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

struct mctx {
	struct ex *x;
	const char *cur;        /* forward cursor in the raw text */
	unsigned long line;
	const char *event_date;
	size_t event_date_len;
};

static const char *str_of(const struct jv *o, const char *key, size_t *n)
{
	const char *s = jv_string(jv_get(o, key), n);

	if (s == NULL && n != NULL)
		*n = 0;
	return s;
}

/* The line of the next occurrence of "s" in the text. */
static unsigned long line_of(struct mctx *m, const char *s, size_t n)
{
	const char *end = m->x->end, *p;

	if (n == 0 || n > 512)
		return m->line;
	for (p = m->cur; p + n + 2 <= end; p++) {
		if (*p == '\n') {
			m->line++;
			continue;
		}
		if (*p == '"' && memcmp(p + 1, s, n) == 0 && p[n + 1] == '"') {
			m->cur = p;
			return m->line;
		}
	}
	return m->line;
}

static int is_addr_type(const char *t)
{
	return strcmp(t, "ip-src") == 0 || strcmp(t, "ip-dst") == 0 ||
	    strcmp(t, "ip-src|port") == 0 || strcmp(t, "ip-dst|port") == 0;
}

static void attribute(struct mctx *m, const struct jv *a, const struct jv *obj)
{
	struct ex *x = m->x;
	const char *type, *val, *cmt, *bar, *at;
	size_t tn, vn, cn, alen;
	unsigned long line;
	struct ex_item it;
	int kind, is_addr;

	type = str_of(a, "type", &tn);
	val = str_of(a, "value", &vn);
	if (val == NULL) {
		/* A value that is not a string is still an indicator. */
		ex_other(x, EXK_OTHER, m->line, type != NULL ? type : "", tn);
		return;
	}
	line = line_of(m, val, vn);
	if (type == NULL)
		type = "";
	ex_item_init(&it);
	it.role = type;
	it.role_len = tn;
	it.phase = str_of(a, "category", &it.phase_len);
	it.observed = str_of(a, "first_seen", &it.observed_len);
	if (it.observed == NULL) {
		it.observed = m->event_date;
		it.observed_len = m->event_date_len;
	}
	cmt = str_of(a, "comment", &cn);
	if ((cmt == NULL || cn == 0) && obj != NULL)
		cmt = str_of(obj, "comment", &cn);
	if (cmt != NULL && ex_cited_phrase(cmt, cn, it.cited, &at, &alen)) {
		it.cited_text = at;
		it.cited_len = alen;
		x->st->has_cited = 1;
		x->st->cited_from_text = 1;
	}
	if (it.role_len + it.phase_len + it.observed_len > 0)
		x->st->has_roles = 1;
	if (is_addr_type(type)) {
		if (strchr(type, '|') != NULL &&
		    (bar = memchr(val, '|', vn)) != NULL)
			vn = (size_t)(bar - val);
		ex_take(x, line, val, vn, &it);
		return;
	}
	if (strcmp(type, "domain|ip") == 0 &&
	    (bar = memchr(val, '|', vn)) != NULL) {
		ex_other(x, EXK_DOMAIN, line, val, (size_t)(bar - val));
		ex_take(x, line, bar + 1, vn - (size_t)(bar - val) - 1, &it);
		return;
	}
	kind = ex_kind_of_type(type, tn, &is_addr);
	if (kind < 0)
		kind = EXK_OTHER;
	if ((strncmp(type, "filename|", 9) == 0) &&
	    (bar = memchr(val, '|', vn)) != NULL) {
		/* "name|hash": the hash is the indicator. */
		ex_other(x, (enum ex_kind)kind, line, bar + 1,
		    vn - (size_t)(bar - val) - 1);
		return;
	}
	ex_other(x, (enum ex_kind)kind, line, val, vn);
}

static void attributes(struct mctx *m, const struct jv *list,
                       const struct jv *obj)
{
	size_t i;

	if (ex_jtype(list) != JV_ARRAY)
		return;
	for (i = 0; i < jv_len(list); i++) {
		const struct jv *a = jv_at(list, i);

		if (ex_jtype(a) == JV_OBJECT)
			attribute(m, a, obj);
		else
			ex_other(m->x, EXK_OTHER, m->line, "(attribute)", 11);
	}
}

static void event(struct mctx *m, const struct jv *ev)
{
	const struct jv *objs = jv_get(ev, "Object");
	size_t i;

	m->event_date = str_of(ev, "date", &m->event_date_len);
	attributes(m, jv_get(ev, "Attribute"), NULL);
	if (ex_jtype(objs) == JV_ARRAY)
		for (i = 0; i < jv_len(objs); i++) {
			const struct jv *o = jv_at(objs, i);

			if (ex_jtype(o) == JV_OBJECT)
				attributes(m, jv_get(o, "Attribute"), o);
		}
}

/* {"Event": {...}} or an Event object itself (with Attribute/Object and
 * the fields every event has). */
static const struct jv *as_event(const struct jv *v)
{
	const struct jv *e = jv_get(v, "Event");

	if (ex_jtype(v) != JV_OBJECT)
		return NULL;
	if (ex_jtype(e) == JV_OBJECT)
		return e;
	if ((jv_get(v, "Attribute") != NULL || jv_get(v, "Object") != NULL) &&
	    jv_get(v, "info") != NULL && jv_get(v, "uuid") != NULL)
		return v;
	return NULL;
}

static const struct jv *event_list(const struct jv *v)
{
	const struct jv *r = ex_jtype(v) == JV_OBJECT ? jv_get(v, "response") : v;

	if (ex_jtype(r) == JV_ARRAY && jv_len(r) > 0 && as_event(jv_at(r, 0)))
		return r;
	return NULL;
}

int ex_misp_like(const struct jv *v)
{
	return as_event(v) != NULL || event_list(v) != NULL;
}

void ex_read_misp(struct ex *x, const struct jv *v)
{
	struct mctx m;
	const struct jv *e, *list;
	size_t i;

	memset(&m, 0, sizeof m);
	m.x = x;
	m.cur = x->base;
	m.line = 1;
	if ((e = as_event(v)) != NULL) {
		event(&m, e);
		return;
	}
	if ((list = event_list(v)) == NULL)
		return;
	for (i = 0; i < jv_len(list); i++) {
		if ((e = as_event(jv_at(list, i))) != NULL)
			event(&m, e);
		else
			ex_other(x, EXK_OTHER, m.line, "(not an event)", 14);
	}
}
