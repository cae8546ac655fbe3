/*
 * jsonout.h - geoattr's JSON values, a thin layer over jansson (the only
 * module that includes jansson.h), so the rest of the code speaks our own
 * types.
 *
 * Ownership: every constructor returns a new value owned by the caller;
 * jv_set() and jv_push() take ownership of the value they are given (like
 * jansson's *_new functions).  Values returned by accessors (jv_get,
 * jv_at) are borrowed from their container.  jv_free(NULL) is a no-op.
 */
#ifndef GEOATTR_JSONOUT_H
#define GEOATTR_JSONOUT_H

#include <stddef.h>
#include <stdio.h>

struct jv;

enum jv_type {
	JV_NULL, JV_BOOL, JV_INT, JV_REAL, JV_STRING, JV_ARRAY, JV_OBJECT
};

struct jv *jv_object(void);
struct jv *jv_array(void);
struct jv *jv_str(const char *s);            /* NULL s gives null */
struct jv *jv_strn(const char *s, size_t n); /* invalid UTF-8 is replaced by U+FFFD */
struct jv *jv_int(long long v);
struct jv *jv_real(double v);
struct jv *jv_bool(int v);
struct jv *jv_null(void);

void jv_set(struct jv *obj, const char *key, struct jv *v);
void jv_push(struct jv *arr, struct jv *v);
void jv_free(struct jv *v);

#define JV_PRETTY 0x1   /* indented, for people */
/* Write v and a newline.  Returns 0, or -1 on a write error. */
int jv_dump(const struct jv *v, FILE *fp, unsigned flags);
/* v as compact JSON text, as jv_dump() writes it without JV_PRETTY and
 * without the newline; the caller frees it. */
char *jv_dumps(const struct jv *v);

/* --- reading --- */
/* Parse one JSON text from buf[0..len).  On error returns NULL and fills
 * err (at least 160 bytes) with "line L column C: reason". */
struct jv *jv_parse(const char *buf, size_t len, char *err, size_t errlen);
enum jv_type jv_typeof(const struct jv *v);
struct jv *jv_get(const struct jv *obj, const char *key);
size_t jv_len(const struct jv *arr);
struct jv *jv_at(const struct jv *arr, size_t i);
const char *jv_string(const struct jv *v, size_t *len);  /* NULL if not a string */
long long jv_intval(const struct jv *v);
double jv_number(const struct jv *v);                    /* int or real */
/* Iterate over an object: *key and the value of member i, or NULL. */
struct jv *jv_member(const struct jv *obj, size_t i, const char **key);

#endif
