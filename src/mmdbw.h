/*
 * mmdbw.h - a writer of MaxMind DB files (MaxMind DB File Format
 * Specification 2.0).
 *
 * Usage:
 *   struct mmdbw *w = mmdbw_new(6);
 *   struct mmdbw_enc *e = mmdbw_enc_new();
 *   mmdbw_enc_map(e, 2);
 *     mmdbw_enc_str(e, "autonomous_system_number", 24); mmdbw_enc_u32(e, 15169);
 *     mmdbw_enc_str(e, "autonomous_system_organization", 30); mmdbw_enc_str(e, "Google LLC", 10);
 *   uint32_t d = mmdbw_data_add(w, e);      (deduplicated; e is reset)
 *   mmdbw_insert_range(w, &lo, &hi, d);
 *   mmdbw_meta_str(w, "database_type", "geoattr-ASN"); ...
 *   mmdbw_write_file(w, "out.mmdb");
 *   mmdbw_free(w); mmdbw_enc_free(e);
 *
 * Tree: a binary trie over address bits.  An IPv6 database (ip_version 6)
 * stores IPv4 under ::/96 as libmaxminddb expects, and aliases
 * ::ffff:0:0/96 (IPv4-mapped) to the same subtree so that other readers
 * find IPv4 data through mapped addresses too.  An IPv4 database rejects
 * IPv6 input.
 *
 * Overlap rule (documented for `geoattr compile`): inserts are applied in
 * order and a later insert replaces earlier data over exactly the
 * addresses it covers; the rest of an earlier range keeps its data.  So
 * for every address the data is that of the last inserted range holding
 * it.  mmdbw_overlaps() counts inserts that replaced something.
 *
 * Record size: the smallest of 24, 28, 32 bits that can hold every record
 * value.  Data section: each distinct encoded record is stored once.
 * Nodes whose two children end up equal are merged before writing.
 *
 * Ownership: the caller owns the mmdbw and the mmdbw_enc and frees them
 * with mmdbw_free()/mmdbw_enc_free(); both accept NULL.  Strings passed in
 * are copied.
 */
#ifndef GEOATTR_MMDBW_H
#define GEOATTR_MMDBW_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct mmdbw;
struct mmdbw_enc;

/* Status codes. */
enum mmdbw_status {
	MMDBW_OK = 0,
	MMDBW_ERR_FAMILY,    /* IPv6 range into an IPv4 database, or mixed families */
	MMDBW_ERR_ORDER,     /* range end before start */
	MMDBW_ERR_DATA,      /* malformed encoding (unbalanced map/array) */
	MMDBW_ERR_TOO_BIG,   /* more than 32-bit records can address */
	MMDBW_ERR_IO         /* write failed; errno is set */
};
const char *mmdbw_strerror(int status);

/* --- encoder: builds one data-section value in MaxMind DB encoding --- */
struct mmdbw_enc *mmdbw_enc_new(void);
void mmdbw_enc_free(struct mmdbw_enc *e);
void mmdbw_enc_reset(struct mmdbw_enc *e);
/* A map of n key/value pairs follows: n times (key string, value). */
void mmdbw_enc_map(struct mmdbw_enc *e, uint32_t n);
/* An array of n values follows. */
void mmdbw_enc_array(struct mmdbw_enc *e, uint32_t n);
void mmdbw_enc_str(struct mmdbw_enc *e, const char *s, size_t len);
void mmdbw_enc_cstr(struct mmdbw_enc *e, const char *s); /* strlen(s) */
/* A map entry whose key and value are both strings: cstr(k), cstr(v). */
void mmdbw_enc_kv(struct mmdbw_enc *e, const char *k, const char *v);
void mmdbw_enc_bytes(struct mmdbw_enc *e, const void *p, size_t len);
void mmdbw_enc_u16(struct mmdbw_enc *e, uint16_t v);
void mmdbw_enc_u32(struct mmdbw_enc *e, uint32_t v);
void mmdbw_enc_u64(struct mmdbw_enc *e, uint64_t v);
void mmdbw_enc_i32(struct mmdbw_enc *e, int32_t v);
void mmdbw_enc_double(struct mmdbw_enc *e, double v);
void mmdbw_enc_bool(struct mmdbw_enc *e, int v);
/* Raw encoded bytes so far (for tests and the fuzzer). */
const uint8_t *mmdbw_enc_data(const struct mmdbw_enc *e, size_t *len);

/* --- database --- */
/* ip_version is 4 or 6. */
struct mmdbw *mmdbw_new(int ip_version);
void mmdbw_free(struct mmdbw *w);

/* Store the value built in e (which must be one complete value) and
 * return its handle; identical values share one handle.  e is reset. */
uint32_t mmdbw_data_add(struct mmdbw *w, struct mmdbw_enc *e);

/* Map [lo, hi] (inclusive, same family) to data handle d.  Returns an
 * mmdbw_status. */
int mmdbw_insert_range(struct mmdbw *w, const struct ga_addr *lo,
                       const struct ga_addr *hi, uint32_t d);
int mmdbw_insert_prefix(struct mmdbw *w, const struct ga_addr *start,
                        int prefix_len, uint32_t d);

/* The same for a value encoded elsewhere: p holds exactly one complete
 * value as an encoder built it (mmdbw_enc_data() after one whole value),
 * so another thread can encode while this one inserts.  An empty value
 * gives the bad handle. */
uint32_t mmdbw_data_add_encoded(struct mmdbw *w, const uint8_t *p, size_t len);

/* Inserts so far that replaced data of an earlier insert. */
uint64_t mmdbw_overlaps(const struct mmdbw *w);
/* Distinct data values stored. */
size_t mmdbw_data_count(const struct mmdbw *w);

/* Metadata.  Defaults: database_type "geoattr", languages ["en"], no
 * description, build_epoch = time(NULL) (or $SOURCE_DATE_EPOCH when set,
 * for reproducible builds).  record_size 0 means automatic. */
void mmdbw_meta_type(struct mmdbw *w, const char *database_type);
void mmdbw_meta_description(struct mmdbw *w, const char *lang,
                            const char *text);
void mmdbw_meta_language(struct mmdbw *w, const char *lang);
void mmdbw_meta_build_epoch(struct mmdbw *w, uint64_t epoch);
void mmdbw_meta_record_size(struct mmdbw *w, int bits);
/* Extra metadata key with a string value (geoattr keeps its provenance
 * here: "geoattr_source", "geoattr_license", ...). */
void mmdbw_meta_extra(struct mmdbw *w, const char *key, const char *value);

/* Write the database.  mmdbw_write_file() writes to PATH.tmp and renames,
 * so an existing file is replaced only by a complete new one. Returns an
 * mmdbw_status; on MMDBW_ERR_IO errno tells why.  After writing, node and
 * record size figures are available. */
int mmdbw_write_file(struct mmdbw *w, const char *path);
int mmdbw_write_fd(struct mmdbw *w, int fd);
uint32_t mmdbw_node_count(const struct mmdbw *w);
int mmdbw_record_size(const struct mmdbw *w);

#endif
