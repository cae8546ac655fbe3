/*
 * input/json.c - JSON: an array of strings or objects, an object wrapping
 * one, or NDJSON; STIX 2 bundles and MISP events go to their readers.
 *
 * Line numbers.  jansson keeps no positions, so after it has validated
 * the text we walk the raw bytes once ourselves (skipping strings,
 * counting depth) and note the line where each element of the item array
 * starts.  An item's line is that line, exactly; an address nested deeper
 * (in a STIX pattern, or an observed-data object) carries the line of the
 * top-level element that holds it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

/* ------------------------------------------------------------ JSON */

/*
 * Lines where the elements of the item array start.  With key NULL the
 * array is the top-level value; else it is the member `key` of the
 * top-level object (the last one, as jansson keeps the last of a
 * duplicated key).  The text has been validated, so skipping strings
 * and counting brackets is enough.  Returns the number of elements seen.
 */
size_t ex_json_elem_lines(const char *p, const char *end, const char *key,
                         unsigned long *out, size_t cap)
{
	size_t klen = key != NULL ? strlen(key) : 0, n = 0;
	unsigned long line = 1;
	int depth = 0, target = key != NULL ? 2 : 1, in = 0, expect = 0;
	int armed = 0, top_obj = -1;
	const char *q;
	char c;

	for (; p < end; p++) {
		c = *p;
		if (c == '\n') {
			line++;
			continue;
		}
		if (is_space(c) || c == ':')
			continue;
		if (top_obj < 0)
			top_obj = c == '{';
		if (in && depth == target && expect && c != ']' && c != '}') {
			if (n < cap)
				out[n] = line;
			n++;
			expect = 0;
		}
		if (c == '"') {
			q = ++p;
			while (p < end && *p != '"') {
				if (*p == '\\' && p + 1 < end)
					p++;
				else if (*p == '\n')
					line++;
				p++;
			}
			if (key != NULL && top_obj == 1 && depth == 1 && !in) {
				const char *t = p + 1;

				while (t < end && is_space(*t))
					t++;
				if (t < end && *t == ':') {
					armed = (size_t)(p - q) == klen &&
					    memcmp(q, key, klen) == 0;
					continue;
				}
			}
			armed = 0;
			continue;
		}
		if (c == '[' || c == '{') {
			depth++;
			if (c == '[' && !in && ((key == NULL && depth == 1) ||
			    (armed && depth == 2))) {
				in = 1;
				expect = 1;
				n = 0;
			}
			armed = 0;
			continue;
		}
		if (c == ']' || c == '}') {
			if (in && depth == target)
				in = 0;
			depth--;
			continue;
		}
		if (c == ',') {
			if (in && depth == target)
				expect = 1;
			continue;
		}
		armed = 0;
	}
	return n;
}

/* jv_typeof() for a value that may be missing (NULL). */
struct jctx {
	struct ex *x;
	const char *key;        /* address key found by content, or NULL */
	char keybuf[EX_NAME_MAX];
	int column_set;
};

static const char *jtype_name(const struct jv *v)
{
	switch (ex_jtype(v)) {
	case JV_NULL: return "null";
	case JV_BOOL: return "a boolean";
	case JV_INT:
	case JV_REAL: return "a number";
	case JV_STRING: return "a string";
	case JV_ARRAY: return "an array";
	case JV_OBJECT: return "an object";
	}
	return "a value";
}

/* A short stand-in for a value that has no text of its own. */
static void jdescribe(const struct jv *v, char *out, size_t n)
{
	switch (ex_jtype(v)) {
	case JV_NULL: snprintf(out, n, "null"); break;
	case JV_BOOL: snprintf(out, n, "boolean"); break;
	case JV_INT: snprintf(out, n, "%lld", jv_intval(v)); break;
	case JV_REAL: snprintf(out, n, "%g", jv_number(v)); break;
	case JV_ARRAY: snprintf(out, n, "[...]"); break;
	case JV_OBJECT: snprintf(out, n, "{...}"); break;
	case JV_STRING: snprintf(out, n, "\"...\""); break;
	}
}

static const char *jcount(const struct jv *v, double *out)
{
	const char *s;
	size_t n;
	double d;

	switch (ex_jtype(v)) {
	case JV_INT:
	case JV_REAL:
		d = jv_number(v);
		if (!(d >= 0))
			return "negative count";
		if (d > 1e15)
			return "count too large";
		*out = d;
		return NULL;
	case JV_STRING:
		s = jv_string(v, &n);
		return ex_parse_count(s, n, out);
	default:
		return "count is not a number";
	}
}

static void json_object_item(struct jctx *j, const struct jv *o,
                             unsigned long line)
{
	struct ex *x = j->x;
	const struct jv *addr = NULL, *cnt = NULL, *cited = NULL, *v;
	const char *key, *addr_key = NULL, *why, *s;
	char name[EX_NAME_MAX], msg[96];
	struct ex_item it;
	size_t i, n;
	int best = -1, r;

	for (i = 0; i < EX_MAX_MEMBERS &&
	    (v = jv_member(o, i, &key)) != NULL; i++) {
		ex_norm_name(key, strlen(key), name);
		if ((r = ex_name_index(ex_addr_names, name)) >= 0 &&
		    (best < 0 || r < best)) {
			best = r;
			addr = v;
			addr_key = key;
		}
		if (cnt == NULL && ex_name_index(ex_count_names, name) >= 0)
			cnt = v;
		else if (cited == NULL && ex_name_index(ex_cited_names, name) >= 0)
			cited = v;
		if (ex_is_time_name(name))
			x->st->has_time = 1;
		if (ex_is_port_name(name))
			x->st->has_ports = 1;
	}
	if (addr == NULL && j->key != NULL) {
		addr = jv_get(o, j->key);
		addr_key = j->key;
	}
	if (cnt == addr)
		cnt = NULL;
	if (cited == addr)
		cited = NULL;
	if (addr == NULL) {
		ex_reject(x, line, "{...}", 5, "no address field in object");
		return;
	}
	if (!j->column_set) {
		ex_set_column(x, addr_key, strlen(addr_key));
		j->column_set = 1;
	}
	if ((s = jv_string(addr, &n)) == NULL) {
		jdescribe(addr, msg, sizeof msg);
		ex_reject(x, line, msg, strlen(msg), "address field is not a string");
		return;
	}
	ex_item_init(&it);
	if (cnt != NULL) {
		x->st->has_counts = 1;
		if ((why = jcount(cnt, &it.count)) != NULL) {
			ex_reject(x, line, s, n, why);
			return;
		}
		it.has_count = 1;
	}
	if (cited != NULL && (s = jv_string(cited, &n)) != NULL) {
		x->st->has_cited = 1;
		ex_set_cited(&it, s, n);
	}
	s = jv_string(addr, &n);
	ex_take(x, line, s, n, &it);
}

static void json_element(struct jctx *j, const struct jv *v,
                         unsigned long line)
{
	struct ex_item it;
	const char *s;
	char msg[96], why[64];
	size_t n;

	switch (ex_jtype(v)) {
	case JV_STRING:
		s = jv_string(v, &n);
		ex_item_init(&it);
		ex_take(j->x, line, s, n, &it);
		break;
	case JV_OBJECT:
		json_object_item(j, v, line);
		break;
	default:
		jdescribe(v, msg, sizeof msg);
		snprintf(why, sizeof why, "%s, not an address", jtype_name(v));
		ex_reject(j->x, line, msg, strlen(msg), why);
		break;
	}
}

/*
 * Arrays of objects whose keys name nothing we know: the key whose
 * string values parse as addresses most often in the first objects.
 */
static void json_key_by_content(struct jctx *j, const struct jv *arr)
{
	size_t i, k, n = jv_len(arr), best = 0, hits;
	const struct jv *first = NULL, *o;
	const char *key, *s;
	char name[EX_NAME_MAX];
	struct ga_net net;
	size_t sl;

	for (i = 0; i < n && i < EX_SAMPLE_ROWS; i++) {
		o = jv_at(arr, i);
		if (ex_jtype(o) != JV_OBJECT)
			continue;
		if (first == NULL)
			first = o;
		for (k = 0; k < EX_MAX_MEMBERS &&
		    jv_member(o, k, &key) != NULL; k++) {
			ex_norm_name(key, strlen(key), name);
			if (ex_name_index(ex_addr_names, name) >= 0)
				return; /* names will do */
		}
	}
	if (first == NULL)
		return;
	for (k = 0; k < EX_MAX_MEMBERS &&
	    jv_member(first, k, &key) != NULL; k++) {
		if (strlen(key) >= sizeof j->keybuf)
			continue;
		hits = 0;
		for (i = 0; i < n && i < EX_SAMPLE_ROWS; i++) {
			o = jv_at(arr, i);
			if (ex_jtype(o) == JV_OBJECT &&
			    (s = jv_string(jv_get(o, key), &sl)) != NULL &&
			    net_parse(s, sl, 0, &net, NULL) == 0)
				hits++;
		}
		if (hits > best) {
			best = hits;
			snprintf(j->keybuf, sizeof j->keybuf, "%s", key);
			j->key = j->keybuf;
		}
	}
}

static void json_array(struct jctx *j, const struct jv *arr,
                       const char *key)
{
	size_t n = jv_len(arr), i, seen;
	unsigned long *lines = xcalloc(n > 0 ? n : 1, sizeof *lines);

	seen = ex_json_elem_lines(j->x->base, j->x->end, key, lines, n);
	json_key_by_content(j, arr);
	for (i = 0; i < n; i++)
		json_element(j, jv_at(arr, i), i < seen ? lines[i] : 1);
	free(lines);
}

/* Keys that usually hold the list in a wrapping object. */
static const char *const wrap_names[] = {
	"data", "results", "result", "items", "ips", "addresses", "indicators",
	"iocs", "entries", "records", "list", "values", "hosts", "attackers",
	"blocklist", "blacklist", NULL
};

static void json_top(struct jctx *j, const struct jv *v)
{
	const struct jv *m, *pick = NULL;
	const char *key, *pick_key = NULL;
	char name[EX_NAME_MAX];
	size_t i;
	int rank = -1, r;

	if (ex_jtype(v) == JV_ARRAY) {
		json_array(j, v, NULL);
		return;
	}
	if (ex_jtype(v) != JV_OBJECT) {
		json_element(j, v, 1);
		return;
	}
	/* An object holding an array of items, or one item itself. */
	for (i = 0; i < EX_MAX_MEMBERS &&
	    (m = jv_member(v, i, &key)) != NULL; i++) {
		if (ex_jtype(m) != JV_ARRAY)
			continue;
		ex_norm_name(key, strlen(key), name);
		r = ex_name_index(wrap_names, name);
		r = r < 0 ? 1000 : r;
		if (pick == NULL || r < rank) {
			pick = m;
			pick_key = key;
			rank = r;
		}
	}
	if (pick != NULL) {
		for (i = 0; i < EX_MAX_MEMBERS &&
		    (m = jv_member(v, i, &key)) != NULL; i++) {
			ex_norm_name(key, strlen(key), name);
			if (ex_name_index(ex_addr_names, name) >= 0 &&
			    ex_jtype(m) == JV_STRING) {
				pick = NULL;    /* the object is an item */
				break;
			}
		}
	}
	if (pick != NULL)
		json_array(j, pick, pick_key);
	else
		json_element(j, v, 1);
}

/* NDJSON: one value per line; a line that does not parse is rejected. */
static void read_ndjson(struct ex *x, struct jctx *j)
{
	const char *p = x->base, *end = x->end, *nl, *s, *e;
	unsigned long line = 0;
	char jerr[200];
	struct jv *v;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		s = p;
		e = nl != NULL ? nl : end;
		p = nl != NULL ? nl + 1 : end;
		line++;
		ex_trim(&s, &e);
		if (s == e)
			continue;
		if (e - s > EX_LINE_MAX) {
			ex_reject(x, line, s, EX_REJECT_MAX, R_LONG);
			continue;
		}
		if ((v = jv_parse(s, (size_t)(e - s), jerr, sizeof jerr)) ==
		    NULL) {
			/* jansson counts from the line we gave it. */
			const char *c = strstr(jerr, "column ");

			ex_reject(x, line, s, (size_t)(e - s), c != NULL ? c : jerr);
			continue;
		}
		if (ex_jtype(v) == JV_ARRAY) {
			size_t i;

			for (i = 0; i < jv_len(v); i++)
				json_element(j, jv_at(v, i), line);
		} else {
			json_element(j, v, line);
		}
		jv_free(v);
	}
}

/* ------------------------------------------------------------ JSON entry */

/* The first non-blank line of p..end, parsed alone, and there is more. */
static int looks_ndjson(const char *p, const char *end)
{
	const char *nl, *s, *e;
	struct jv *v;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return 0;
		s = p;
		e = nl;
		ex_trim(&s, &e);
		if (s == e)
			continue;
		if ((v = jv_parse(s, (size_t)(e - s), NULL, 0)) == NULL)
			return 0;
		jv_free(v);
		for (s = nl + 1; s < end; s++)
			if (!is_space(*s))
				return 1;
		return 0;
	}
	return 0;
}

int ex_read_json(struct ex *x, enum ex_format fmt, char *err,
                     size_t errlen)
{
	struct jctx j;
	struct jv *v;
	char jerr[256];

	memset(&j, 0, sizeof j);
	j.x = x;
	x->st->lines = ex_count_lines(x->base, x->end);
	v = jv_parse(x->base, (size_t)(x->end - x->base), jerr, sizeof jerr);
	if (v == NULL) {
		if (fmt != EX_STIX && fmt != EX_MISP &&
		    looks_ndjson(x->base, x->end)) {
			x->st->format = EX_JSON;
			read_ndjson(x, &j);
			return 0;
		}
		errbuf_set(err, errlen, "%s", jerr);
		return -1;
	}
	if (ex_stix2_is_bundle(v) && fmt != EX_MISP) {
		x->st->format = EX_STIX;
		ex_read_stix2(x, v);
	} else if (ex_misp_like(v) && fmt != EX_STIX) {
		x->st->format = EX_MISP;
		ex_read_misp(x, v);
	} else if (fmt == EX_MISP) {
		errbuf_set(err, errlen, "line 1: not a MISP event (no \"Event\" "
		    "object, no list of events)");
		jv_free(v);
		return -1;
	} else if (fmt == EX_STIX) {
		errbuf_set(err, errlen, "line 1: not a STIX bundle "
		    "(no \"type\": \"bundle\" at the top level)");
		jv_free(v);
		return -1;
	} else {
		x->st->format = EX_JSON;
		json_top(&j, v);
	}
	jv_free(v);
	return 0;
}

int ex_json_like(const char *p, const char *end)
{
	const char *q = p + 1;
	struct jv *v;

	while (q < end && is_space(*q))
		q++;
	if (q == end)
		return 1;       /* "[" alone: truncated JSON */
	if (*p == '{')
		return *q == '"' || *q == '}';
	if (*q == '"' || *q == '{' || *q == '[' || *q == ']')
		return 1;
	/* "[1.2.3.4]" or "[link](url)": JSON only if it parses. */
	v = jv_parse(p, (size_t)(end - p), NULL, 0);
	jv_free(v);
	return v != NULL;
}
