/*
 * input/input.h - what the input readers share, behind extract.h.
 *
 * extract.c detects the format and calls one reader; each reader is a
 * file of its own in src/input/ and ends every candidate in ex_accept()
 * or ex_reject(), every indicator that is not an address in ex_other(),
 * so the counts in ex_stats are kept in one place and
 * items = accepted + rejected holds by construction.
 *
 * Nothing here is part of geoattr's interface: only extract.c and the
 * readers include it.  Ownership is as in extract.h: every pointer handed
 * to the sink is valid only during the call.
 */
#ifndef GEOATTR_INPUT_H
#define GEOATTR_INPUT_H

#include <stddef.h>

#include "extract.h"
#include "jsonout.h"
#include "util.h"

/* Lines longer than this are rejected unread: no address needs them. */
#define EX_LINE_MAX (64 * 1024)
/* Longest text handed to the sink. */
#define EX_REJECT_MAX 200
/* Longest run of address bytes free text may hold as one candidate. */
#define EX_RUN_MAX 128
/* How much of the input the detector and the column sampler look at. */
#define EX_SNIFF_LINES 1000
#define EX_SAMPLE_ROWS 200
/* Object members looked at per JSON object (objects are small). */
#define EX_MAX_MEMBERS 256
#define EX_NAME_MAX 64

#define R_NUL_LINE "NUL byte in line"
#define R_UTF8 "invalid UTF-8"
#define R_LONG "line too long"

struct ex {
	const struct ex_sink *sink;
	const struct ex_threads *threads;       /* may be NULL */
	struct ex_stats *st;
	const char *base;       /* input after the BOM */
	const char *end;
	unsigned long page;     /* PDF: the page being read (items carry it
	                         * as their line), else 0 */
	char fixed[EX_RUN_MAX + 8];     /* a value with defang markers undone */
};

/* ------------------------------------------------------------ bytes */

static inline int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static inline int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* jv_typeof() for a value that may be missing (NULL). */
static inline enum jv_type ex_jtype(const struct jv *v)
{
	return v != NULL ? jv_typeof(v) : JV_NULL;
}

/* Narrow [*s, *e) past white space at both ends. */
void ex_trim(const char **s, const char **e);
int ex_utf8_valid(const char *s, size_t n);

/* ------------------------------------------------------------ results */

void ex_reject(struct ex *x, unsigned long line, const char *s, size_t n,
               const char *why);
void ex_accept(struct ex *x, const struct ex_item *it);
/* An indicator that is not an address, of kind k, counted and handed on. */
void ex_other(struct ex *x, enum ex_kind k, unsigned long line,
              const char *s, size_t n);
void ex_item_init(struct ex_item *it);

/* Defang markers ("[.]", "(.)", "[dot]", "[:]" ...): the length of the one
 * at s with the byte it stands for in *out, or 0. */
size_t ex_marker(const char *s, const char *end, char *out);
/* s[0..n) with markers undone, in x->fixed; its length, or 0 if nothing
 * changed or it does not fit. */
size_t ex_refang(struct ex *x, const char *s, size_t n);
int ex_has_bracket(const char *s, size_t n);

/* One value of a structured format: an item if it parses (directly or
 * once un-defanged), else a rejection.  proto carries count, cited
 * location and notes. */
void ex_take(struct ex *x, unsigned long line, const char *s, size_t n,
             const struct ex_item *proto);

/*
 * The kind of a non-address indicator value: a hash by its length and
 * digits, a URL by its scheme, an e-mail address, a domain name; else
 * EXK_OTHER.  Defanged forms ("hxxp", "[.]") are read as what they stand
 * for.  Used where a format gives no type of its own.
 */
enum ex_kind ex_kind_of_value(const char *s, size_t n);
/* The kind a format's own type word names ("FQDN", "md5", "domain",
 * "url", "filename", "email-src" ...), or -1 for an address type or a
 * word we do not know (*is_addr says which: 1 for an address type). */
int ex_kind_of_type(const char *s, size_t n, int *is_addr);

/* ------------------------------------------------------------ names */

extern const char *const ex_addr_names[];
extern const char *const ex_count_names[];
extern const char *const ex_cited_names[];
extern const char *const ex_type_names[];
extern const char *const ex_role_names[];
extern const char *const ex_phase_names[];
extern const char *const ex_observed_names[];
int ex_is_cited_name(const char *name);

/* Normalise a column or key name: lower case, camelCase split with '_',
 * ' ', '-', '.' read as '_'. */
void ex_norm_name(const char *s, size_t n, char out[EX_NAME_MAX]);
int ex_name_index(const char *const *list, const char *name);
int ex_is_time_name(const char *name);
int ex_is_port_name(const char *name);
void ex_set_column(struct ex *x, const char *s, size_t n);
const char *ex_parse_count(const char *s, size_t n, double *out);
/* The cited location of it from a location field s[0..n) (borrowed). */
void ex_set_cited(struct ex_item *it, const char *s, size_t n);

/*
 * A location cited in prose s[0..n): "located in X", "X-based", "hosted
 * in X", "geolocated to X", "based in X", "registered in X", with "the"
 * and former names read by country_parse().  Returns 1 with the code in
 * cc and the country as written in at[0..alen) (borrowed), or 0.
 */
int ex_cited_phrase(const char *s, size_t n, char cc[3], const char **at,
                    size_t *alen);

/* ------------------------------------------------------------ lines */

unsigned long ex_count_lines(const char *p, const char *end);

/* A forward-moving cursor that finds the text of line L. */
struct lcur {
	const char *base, *end, *p;
	unsigned long line;
};
void ex_lcur_init(struct lcur *c, const char *base, const char *end);
/* Start of line L and its length without the line ending. */
const char *ex_lcur_seek(struct lcur *c, unsigned long line, size_t *len);

/* ------------------------------------------------------------ readers */

/* Where a '#' or ';' comment starts in s[0..n), or NULL. */
const char *ex_find_comment(const char *s, size_t n);

void ex_read_list(struct ex *x);
int ex_list_like(struct ex *x, const char *p, const char *end);

int ex_read_csv(struct ex *x, char *err, size_t errlen);
int ex_csv_like(struct ex *x, const char *p, const char *end);

int ex_read_json(struct ex *x, enum ex_format fmt, char *err, size_t errlen);
int ex_json_like(const char *p, const char *end);
/* Lines where the elements of the item array start (see json.c). */
size_t ex_json_elem_lines(const char *p, const char *end, const char *key,
                          unsigned long *out, size_t cap);

int ex_stix2_is_bundle(const struct jv *v);
void ex_read_stix2(struct ex *x, const struct jv *bundle);

int ex_misp_like(const struct jv *v);
void ex_read_misp(struct ex *x, const struct jv *v);

/* Free text; the PDF reader hands each page's text here. */
void ex_read_text(struct ex *x);

int ex_xml_like(const char *p, const char *end, enum ex_format *which);
int ex_read_stix1(struct ex *x, char *err, size_t errlen);
int ex_read_openioc(struct ex *x, char *err, size_t errlen);

int ex_pdf_like(const char *p, const char *end);
int ex_read_pdf(struct ex *x, char *err, size_t errlen);

#endif
