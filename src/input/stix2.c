/*
 * input/stix2.c - STIX 2.x bundles.
 *
 * Only comparisons on ipv4-addr:value and ipv6-addr:value with '=',
 * ISSUBSET or IN count; '!=', NOT and other operators say nothing about
 * where an address is, and patterns of another pattern_type (snort, yara,
 * ...) are not STIX patterns.  An address object that an observed-data
 * object lists in object_refs is read once, through the observed-data,
 * with its number_observed as the count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

/* ------------------------------------------------------------ STIX */

struct sco {
	const char *id;
	size_t idx;
	int consumed;
};

static int sco_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sco *)a)->id, ((const struct sco *)b)->id);
}

static int is_addr_type(const char *t)
{
	return t != NULL && (strcmp(t, "ipv4-addr") == 0 ||
	    strcmp(t, "ipv6-addr") == 0);
}

static int contains(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

static const char *jstr(const struct jv *o, const char *key)
{
	return jv_string(jv_get(o, key), NULL);
}

/* One address-object value (an SCO or a member of an objects map). */
static void stix_sco(struct ex *x, const struct jv *o, unsigned long line,
                     const struct ex_item *proto)
{
	const char *s;
	size_t n;

	if ((s = jv_string(jv_get(o, "value"), &n)) == NULL) {
		ex_reject(x, line, jstr(o, "type"), strlen(jstr(o, "type")),
		    "address object without a string value");
		return;
	}
	ex_take(x, line, s, n, proto);
}

/*
 * One STIX string literal at *pp ('...' with \' and \\ escapes) into b.
 * Returns 0, or -1 if there is none.
 */
static int stix_literal(const char **pp, const char *end, struct buf *b)
{
	const char *p = *pp;

	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '\'')
		return -1;
	buf_reset(b);
	for (p++; p < end && *p != '\''; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		buf_addc(b, *p);
	}
	if (p == end)
		return -1;
	*pp = p + 1;
	return 0;
}

static int word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w), i;

	if ((size_t)(end - p) < n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != lower(w[i]))
			return 0;
	return p + n == end || !is_alnum(p[n]);
}

static void stix_pattern(struct ex *x, const char *pat, size_t plen,
                         unsigned long line)
{
	const char *p = pat, *end = pat + plen, *q;
	struct ex_item it;
	struct buf lit;

	buf_init(&lit);
	ex_item_init(&it);
	while (p < end && (q = memchr(p, ':', (size_t)(end - p))) != NULL) {
		const char *path = q - 9;       /* "ipv4-addr" */
		int set = 0;

		p = q + 1;
		if (q - pat < 9 || (memcmp(path, "ipv4-addr", 9) != 0 &&
		    memcmp(path, "ipv6-addr", 9) != 0))
			continue;
		if (path > pat && (is_alnum(path[-1]) || path[-1] == '-' ||
		    path[-1] == '_'))
			continue;
		if (end - p < 5 || memcmp(p, "value", 5) != 0)
			continue;
		p += 5;
		if (p < end && (is_alnum(*p) || *p == '_' || *p == '.'))
			continue;
		while (p < end && is_space(*p))
			p++;
		if (p < end && *p == '=') {
			p++;
		} else if (word_at(p, end, "ISSUBSET")) {
			p += 8;
		} else if (word_at(p, end, "IN")) {
			p += 2;
			while (p < end && is_space(*p))
				p++;
			if (p == end || *p != '(')
				continue;
			p++;
			set = 1;
		} else {
			/* !=, NOT, MATCHES, LIKE, ...: not a location. */
			continue;
		}
		for (;;) {
			if (stix_literal(&p, end, &lit) != 0)
				break;
			ex_take(x, line, lit.data != NULL ? lit.data : "", lit.len,
			    &it);
			if (!set)
				break;
			while (p < end && is_space(*p))
				p++;
			if (p == end || *p != ',')
				break;
			p++;
		}
	}
	buf_free(&lit);
}

/* number_observed as a count, if the object has a sensible one. */
static void stix_count(struct ex *x, const struct jv *o, struct ex_item *it)
{
	const struct jv *n = jv_get(o, "number_observed");

	if (n != NULL && (ex_jtype(n) == JV_INT) && jv_intval(n) >= 0) {
		it->count = (double)jv_intval(n);
		it->has_count = 1;
		x->st->has_counts = 1;
	}
}

void ex_read_stix2(struct ex *x, const struct jv *bundle)
{
	const struct jv *objs = jv_get(bundle, "objects"), *o, *refs, *m;
	struct sco *scos = NULL, key, *hit;
	size_t n, i, k, nsco = 0, seen;
	unsigned long *lines;
	struct ex_item it;
	const char *t, *id, *s, *mk;
	size_t sl;

	if (ex_jtype(objs) != JV_ARRAY)
		return;
	n = jv_len(objs);
	lines = xcalloc(n > 0 ? n : 1, sizeof *lines);
	seen = ex_json_elem_lines(x->base, x->end, "objects", lines, n);
	for (i = 0; i < n; i++)
		if (i >= seen)
			lines[i] = 1;

	/* Address objects by id, so observed-data can claim them. */
	scos = xcalloc(n > 0 ? n : 1, sizeof *scos);
	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		if (is_addr_type(jstr(o, "type")) &&
		    (id = jstr(o, "id")) != NULL) {
			scos[nsco].id = id;
			scos[nsco].idx = i;
			nsco++;
		}
	}
	qsort(scos, nsco, sizeof *scos, sco_cmp);
	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		t = jstr(o, "type");
		if (t == NULL || strcmp(t, "observed-data") != 0)
			continue;
		refs = jv_get(o, "object_refs");
		for (k = 0; ex_jtype(refs) == JV_ARRAY && k < jv_len(refs);
		    k++) {
			if ((key.id = jv_string(jv_at(refs, k), NULL)) == NULL)
				continue;
			hit = nsco > 0 ? bsearch(&key, scos, nsco, sizeof *scos,
			    sco_cmp) : NULL;
			if (hit != NULL)
				hit->consumed = 1;
		}
	}

	for (i = 0; i < n; i++) {
		o = jv_at(objs, i);
		if ((t = jstr(o, "type")) == NULL)
			continue;
		ex_item_init(&it);
		if (strcmp(t, "indicator") == 0) {
			s = jstr(o, "pattern_type");
			if (s != NULL && strcmp(s, "stix") != 0)
				continue;
			if ((s = jv_string(jv_get(o, "pattern"), &sl)) != NULL) {
				if (contains(s, sl, "_port"))
					x->st->has_ports = 1;
				stix_pattern(x, s, sl, lines[i]);
			}
		} else if (is_addr_type(t)) {
			key.id = jstr(o, "id");
			hit = key.id != NULL && nsco > 0 ? bsearch(&key, scos,
			    nsco, sizeof *scos, sco_cmp) : NULL;
			if (hit == NULL || !hit->consumed)
				stix_sco(x, o, lines[i], &it);
		} else if (strcmp(t, "network-traffic") == 0) {
			if (jv_get(o, "src_port") != NULL ||
			    jv_get(o, "dst_port") != NULL)
				x->st->has_ports = 1;
		} else if (strcmp(t, "observed-data") == 0) {
			if (jv_get(o, "first_observed") != NULL ||
			    jv_get(o, "last_observed") != NULL)
				x->st->has_time = 1;
			stix_count(x, o, &it);
			refs = jv_get(o, "object_refs");
			for (k = 0; ex_jtype(refs) == JV_ARRAY &&
			    k < jv_len(refs); k++) {
				if ((key.id = jv_string(jv_at(refs, k), NULL)) ==
				    NULL || nsco == 0)
					continue;
				hit = bsearch(&key, scos, nsco, sizeof *scos,
				    sco_cmp);
				if (hit != NULL)
					stix_sco(x, jv_at(objs, hit->idx),
					    lines[hit->idx], &it);
			}
			/* STIX 2.0 style: the objects inline, by local key. */
			refs = jv_get(o, "objects");
			for (k = 0; ex_jtype(refs) == JV_OBJECT &&
			    k < EX_MAX_MEMBERS &&
			    (m = jv_member(refs, k, &mk)) != NULL; k++) {
				if (is_addr_type(jstr(m, "type")))
					stix_sco(x, m, lines[i], &it);
				else if (jv_get(m, "src_port") != NULL ||
				    jv_get(m, "dst_port") != NULL)
					x->st->has_ports = 1;
			}
		}
	}
	free(scos);
	free(lines);
}

int ex_stix2_is_bundle(const struct jv *v)
{
	const char *t;

	return ex_jtype(v) == JV_OBJECT && (t = jstr(v, "type")) != NULL &&
	    strcmp(t, "bundle") == 0;
}
