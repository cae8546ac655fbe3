/*
 * bulk.h - resolving many networks at once, and writing answers fast.
 *
 * A database answer covers a whole block, so a lookup cursor keeps each
 * source's last block and answers from it while the next address falls
 * inside; looking addresses up in address order makes that the common
 * case and keeps the tree pages a lookup touches in cache.  Work is split
 * over threads ($GEOATTR_THREADS, default the number of processors, at
 * most BULK_MAX_THREADS; 1 disables), each with its own cursor; the
 * answers are the same as resolve_net() gives, one network at a time.
 *
 * The writers append one lookup record (CSV row or NDJSON line, the
 * same bytes as `geoattr lookup` has always written) to a struct buf.
 *
 * Nothing here owns the source set; answers borrow from it as with
 * resolve_net().
 */
#ifndef GEOATTR_BULK_H
#define GEOATTR_BULK_H

#include <stddef.h>
#include <stdint.h>

#include "resolve.h"
#include "util.h"

#define BULK_MAX_THREADS 16

/* Threads to use: $GEOATTR_THREADS when it is a number from 1 to
 * BULK_MAX_THREADS, else the processors online, at most that. */
unsigned bulk_threads(void);

/* Run fn(k, ctx) for k in [0, n) on n threads, k = 0 on the caller's, and
 * return when all are done.  Falls back to running them in turn on the
 * caller's thread when a thread cannot be started. */
void bulk_parallel(unsigned n, void (*fn)(unsigned k, void *ctx), void *ctx);

/* Call before the first lookup from worker threads (once is enough): sets
 * up tables that are otherwise built lazily on first use. */
void bulk_prepare(void);

/* One source's answer in little space: the entry (NULL: none) and the
 * length of its block's prefix, which with the address gives the block;
 * bits < 0 when the lookup failed. */
struct bulk_hit {
	const struct src_entry *e;
	int bits;
};

/* A lookup cursor: the last block of every source.  One per thread. */
struct bulk_cursor {
	size_t nsrc;
	struct {
		struct ga_net block;
		const struct src_entry *e;
		int valid;
	} last[RESOLVE_MAX_SOURCES];
};

void bulk_cursor_init(struct bulk_cursor *c, const struct source_set *set);

/* Look a network's first address up in every source (hits[0..nsrc)). */
void bulk_lookup(struct bulk_cursor *c, struct source_set *set,
                 const struct ga_addr *a, struct bulk_hit *hits);

/* The answer resolve_net() gives for `net`, from its hits. */
void bulk_answer(const struct source_set *set, const struct ga_net *net,
                 const struct bulk_hit *hits, struct answer *ans);

/* The order to look nets[0..n) up in, by address (order[0..n) receives
 * indexes 0..n-1).  Only locality depends on it: any order gives the
 * same answers.  `skip[i]` nonzero (skip may be NULL) leaves i out; the
 * count placed is returned. */
size_t bulk_order(const struct ga_net *nets, const unsigned char *skip,
                  size_t n, uint32_t *order);

/* Resolve nets[0..n) and call fn(i, answer, ctx) once for every i, in
 * any order, always on the calling thread.  The answer is only valid
 * during the call.  n must be below 2^32. */
void resolve_batch(struct source_set *set, const struct ga_net *nets,
                   size_t n,
                   void (*fn)(size_t i, const struct answer *ans, void *ctx),
                   void *ctx);

/* ---- writers: one record of `geoattr lookup`, newline included ---- */

/* CSV row for an answer, and for an input rejected with `why`.  `input`
 * is the text as given (written up to a NUL byte, as always). */
void bulk_csv_answer(struct buf *b, const struct source_set *set,
                     const struct answer *a, const char *input, size_t len);
void bulk_csv_error(struct buf *b, const struct source_set *set,
                    const char *input, size_t len, const char *why);

/* NDJSON line: the object answer_to_json() builds, written compactly as
 * jv_dump() does. */
void bulk_ndjson_answer(struct buf *b, const struct source_set *set,
                        const struct answer *a, const char *input,
                        size_t len);
void bulk_ndjson_error(struct buf *b, const char *input, size_t len,
                       const char *why);

/* A JSON string for s[0..n) as jv_strn() and jv_dump() write it: invalid
 * UTF-8 and NUL bytes become U+FFFD. */
void bulk_json_string(struct buf *b, const char *s, size_t n);

#endif
