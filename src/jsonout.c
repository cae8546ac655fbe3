/*
 * jsonout.c - the jansson adapter.  A struct jv is a json_t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonout.h"
#include "util.h"

#define J(v) ((json_t *)(v))
#define V(j) ((struct jv *)(j))

static json_t *checked(json_t *j)
{
	if (j == NULL) {
		fprintf(stderr, "%s: memory: out of memory in JSON\n", msg_progname);
		exit(70);
	}
	return j;
}

struct jv *jv_object(void) { return V(checked(json_object())); }
struct jv *jv_array(void) { return V(checked(json_array())); }
struct jv *jv_int(long long v) { return V(checked(json_integer(v))); }
struct jv *jv_real(double v) { return V(checked(json_real(v))); }
struct jv *jv_bool(int v) { return V(checked(json_boolean(v))); }
struct jv *jv_null(void) { return V(json_null()); }

struct jv *jv_str(const char *s)
{
	return s == NULL ? jv_null() : jv_strn(s, strlen(s));
}

/* Length of a valid UTF-8 sequence at p (max n bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	if ((p[0] & 0xe0) == 0xc0) { len = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { len = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { len = 4; cp = p[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

struct jv *jv_strn(const char *s, size_t n)
{
	struct buf b;
	size_t i = 0, k;
	json_t *j;

	/* Fast path: valid UTF-8 without NUL goes straight in. */
	for (i = 0; i < n; i += k)
		if ((k = utf8_seq((const unsigned char *)s + i, n - i)) == 0)
			break;
	if (i == n)
		return V(checked(json_stringn(s, n)));
	buf_init(&b);
	for (i = 0; i < n; ) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0) {
			buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		} else {
			buf_add(&b, s + i, k);
			i += k;
		}
	}
	j = checked(json_stringn(b.data ? b.data : "", b.len));
	buf_free(&b);
	return V(j);
}

void jv_set(struct jv *obj, const char *key, struct jv *v)
{
	json_object_set_new(J(obj), key, J(v));
}

void jv_push(struct jv *arr, struct jv *v)
{
	json_array_append_new(J(arr), J(v));
}

void jv_free(struct jv *v)
{
	if (v != NULL)
		json_decref(J(v));
}

/* jansson hands the text over a token at a time; json_dumpf() makes an
 * fwrite() call of each, which was half the cost of a large report.
 * Tokens are gathered here and written in blocks. */
#define DUMP_BLOCK (64u * 1024)

struct dump_out {
	struct buf b;
	FILE *fp;
	int failed;
};

static int dump_flush(struct dump_out *d)
{
	if (!d->failed && d->b.len > 0 && fwrite(d->b.data, 1, d->b.len, d->fp) != d->b.len)
		d->failed = 1;
	d->b.len = 0;
	return d->failed ? -1 : 0;
}

static int dump_token(const char *p, size_t n, void *ctx)
{
	struct dump_out *d = ctx;

	buf_add(&d->b, p, n);
	return d->b.len >= DUMP_BLOCK ? dump_flush(d) : 0;
}

int jv_dump(const struct jv *v, FILE *fp, unsigned flags)
{
	size_t f = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10);
	struct dump_out d;
	int rc;

	f |= (flags & JV_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	buf_init(&d.b);
	d.fp = fp;
	d.failed = 0;
	rc = json_dump_callback(J(v), dump_token, &d, f);
	if (rc == 0) {
		buf_addc(&d.b, '\n');
		rc = dump_flush(&d);
	}
	buf_free(&d.b);
	return rc == 0 ? 0 : -1;
}

char *jv_dumps(const struct jv *v)
{
	size_t f = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10) |
	           JSON_COMPACT;
	char *s = json_dumps(J(v), f);

	if (s == NULL)          /* only when jansson could not allocate */
		xoom(0);
	return s;
}

struct jv *jv_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t e;
	json_t *j = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (j == NULL && err != NULL)
		snprintf(err, errlen, "line %d column %d: %s", e.line, e.column,
		         e.text);
	return V(j);
}

enum jv_type jv_typeof(const struct jv *v)
{
	switch (json_typeof(J(v))) {
	case JSON_OBJECT: return JV_OBJECT;
	case JSON_ARRAY: return JV_ARRAY;
	case JSON_STRING: return JV_STRING;
	case JSON_INTEGER: return JV_INT;
	case JSON_REAL: return JV_REAL;
	case JSON_TRUE: case JSON_FALSE: return JV_BOOL;
	default: return JV_NULL;
	}
}

struct jv *jv_get(const struct jv *obj, const char *key)
{
	return V(json_object_get(J(obj), key));
}

size_t jv_len(const struct jv *arr)
{
	return json_is_array(J(arr)) ? json_array_size(J(arr))
	                             : json_object_size(J(arr));
}

struct jv *jv_at(const struct jv *arr, size_t i)
{
	return V(json_array_get(J(arr), i));
}

const char *jv_string(const struct jv *v, size_t *len)
{
	if (!json_is_string(J(v)))
		return NULL;
	if (len)
		*len = json_string_length(J(v));
	return json_string_value(J(v));
}

long long jv_intval(const struct jv *v)
{
	return json_integer_value(J(v));
}

double jv_number(const struct jv *v)
{
	return json_number_value(J(v));
}

struct jv *jv_member(const struct jv *obj, size_t i, const char **key)
{
	void *it;
	size_t k = 0;

	for (it = json_object_iter(J(obj)); it; it = json_object_iter_next(J(obj), it), k++)
		if (k == i) {
			*key = json_object_iter_key(it);
			return V(json_object_iter_value(it));
		}
	return NULL;
}
