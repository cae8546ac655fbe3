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

/* Work in address order reads and writes per-item arrays out of order;
 * asking for the memory a few items ahead hides most of the wait. */
#if defined(__GNUC__)
#define BULK_PREFETCH(p) __builtin_prefetch(p)
#else
#define BULK_PREFETCH(p) ((void)(p))
#endif
#define BULK_AHEAD 8

/* Threads to use: $GEOATTR_THREADS when it is a number from 1 to
 * BULK_MAX_THREADS, else the processors online, at most that. */
unsigned bulk_threads(void);

/* Threads that stay for several jobs and share each job's work by
 * pieces: whichever thread is free takes the next piece, so a thread
 * that starts late or loses its processor to another program takes
 * fewer, and the caller never waits for one that has not begun.  The
 * caller works too, as thread 0. */
struct bulk_team;

/* A team of n threads, the caller's included (n - 1 are started; with
 * n <= 1, or when none can be started, the caller works alone). */
struct bulk_team *bulk_team_new(unsigned n);
/* Threads in the team, the caller's included. */
unsigned bulk_team_size(const struct bulk_team *t);
/* Run fn(lo, hi, k, ctx) over [lo, hi) pieces of [0, count), each at
 * most `piece` long and starting at a multiple of it, k being the
 * thread (0 the caller's, below bulk_team_size()); returns when every
 * piece is done.  t may be NULL: the caller does it all. */
void bulk_team_run(struct bulk_team *t, size_t count, size_t piece,
                   void (*fn)(size_t lo, size_t hi, unsigned k, void *ctx),
                   void *ctx);
/* The same, the caller first doing own(ctx) (may be NULL) while the
 * helpers take pieces, and then taking what pieces are left: work only
 * the caller's thread may do overlaps the shared work. */
void bulk_team_run_own(struct bulk_team *t, size_t count, size_t piece,
                       void (*fn)(size_t lo, size_t hi, unsigned k, void *ctx),
                       void (*own)(void *ctx), void *ctx);
void bulk_team_free(struct bulk_team *t);

/* Call before the first lookup from worker threads (once is enough): sets
 * up tables that are otherwise built lazily on first use. */
void bulk_prepare(void);

/* A source's answer in little space: the entry (NULL: none) and the
 * length of its block's prefix, which with the address gives the block.
 * Results for several sources sit side by side: e[0..nsrc), bits[0..nsrc). */
#define BULK_FAILED 255   /* bits of a failed lookup (database error) */

/* A lookup cursor: the last block of every source.  One per thread. */
struct bulk_cursor {
	size_t nsrc;
	struct {
		uint64_t lo[2], hi[2];          /* the block, as numbers */
		int family;                     /* 0: nothing kept */
		int bits;
		const struct src_entry *e;
		src_ref ref;                    /* bulk_lookup_refs() keeps this instead */
	} last[RESOLVE_MAX_SOURCES];
	struct src_walk *walk;          /* per source (source_lookup_walk), or NULL */
};

void bulk_cursor_init(struct bulk_cursor *c, const struct source_set *set);

/* Look an address up in every source. */
void bulk_lookup(struct bulk_cursor *c, struct source_set *set,
                 const struct ga_addr *a, const struct src_entry **e,
                 unsigned char *bits);

/* The same walk giving each source's record as a ref (source.h), not
 * decoded: 0 for none or a failed lookup.  The cursor needs walk set. */
void bulk_lookup_refs(struct bulk_cursor *c, struct source_set *set,
                      const struct ga_addr *a, src_ref *refs);

/* The answer resolve_net() gives for `net`, from the results for its
 * first address. */
void bulk_answer(const struct source_set *set, const struct ga_net *net,
                 const struct src_entry *const *e, const unsigned char *bits,
                 struct answer *ans);

/* The order to look addresses up in: order[0..m) receives the indexes
 * i < n with skip[i] zero (skip may be NULL), by address; m is returned.
 * The address of item i is at (const char *)base + i * stride.  Only
 * locality depends on the order: any order gives the same answers, and
 * items with one sort key (an IPv6 address's first 63 bits, less the
 * index's bits) may come in any order among themselves.  A long list is
 * sorted on `team` (borrowed; may be NULL). */
size_t bulk_order(struct bulk_team *team, const void *base, size_t stride,
                  const unsigned char *skip, size_t n, uint32_t *order);

/* Resolve nets[0..n) and call fn(i, answer, ctx) once for every i, in
 * any order, always on the calling thread.  The answer is only valid
 * during the call.  n must be below 2^32.  Threads: a team made for the
 * call (bulk_threads()). */
void resolve_batch(struct source_set *set, const struct ga_net *nets,
                   size_t n,
                   void (*fn)(size_t i, const struct answer *ans, void *ctx),
                   void *ctx);
/* The same, and before fn sees item i, ahead(i, 0, ans, ctx) a few items
 * earlier and ahead(i, 1, ans, ctx) fewer items earlier, ans being the
 * answer fn will get (its entries perhaps not loaded yet): a caller whose
 * per-item state is scattered in memory starts loading it (see
 * agg_prefetch).  ahead may be NULL.  The lookups are shared by `team`
 * (borrowed; NULL: one is made for the call when n is worth it), piece
 * by piece, while the caller's thread hands on the answers of the last
 * round; a caller that keeps a team over several batches starts its
 * threads once. */
void resolve_batch_ahead(struct bulk_team *team, struct source_set *set,
                         const struct ga_net *nets, size_t n,
                         void (*fn)(size_t i, const struct answer *ans, void *ctx),
                         void (*ahead)(size_t i, int stage, const struct answer *ans, void *ctx),
                         void *ctx);

/* At most this many sources in the second set of resolve_batch_also(),
 * and the bytes per item its prep function may fill. */
#define BULK_ALSO_MAX 4
#define BULK_ALSO_SCRATCH 16
/* The same walk, and each network (its first address) also looked up in
 * a second set `also` of at most BULK_ALSO_MAX sources (the historical
 * set of check --as-of), in the same sorted order, by the same team,
 * with a cursor of its own: fn gets those records as refs in refs[k] for
 * source k of `also` (0: no record there, or a database error; decode
 * with source_entry_of() when a report needs the whole entry), valid
 * during the call.  The answer `ans` is the one resolve_batch_ahead()
 * gives: nothing of `also` is folded into it.  prep (may be NULL) runs on
 * the thread that looked the item up, right after, and may fill
 * BULK_ALSO_SCRATCH bytes that fn then gets as `scratch`: what the caller
 * wants of the records, read while they are in that thread's cache
 * (prep must only read ctx, and give the same for the same refs: the
 * walk reuses its result for neighbours with the same records).  prep
 * also gets the refs and scratch of the item before on that thread, or
 * NULL: parts worked out from a record they share may be copied.
 * Looking the second set up here instead of in a second batch saves its
 * sort, its answers and its second pass over the callers' per-item
 * state; handing on refs instead of decoded entries saves decoding and
 * keeping every record the set gives once. */
void resolve_batch_also(struct bulk_team *team, struct source_set *set,
                        struct source_set *also, const struct ga_net *nets, size_t n,
                        void (*prep)(const src_ref *refs, void *scratch,
                                     const src_ref *last_refs, const void *last_scratch,
                                     const void *ctx),
                        void (*fn)(size_t i, const struct answer *ans,
                                   const src_ref *refs, const void *scratch, void *ctx),
                        void (*ahead)(size_t i, int stage, const struct answer *ans, void *ctx),
                        void *ctx);

/* ---- writers: one record of `geoattr lookup`, newline included ---- */

/* What the writers need to know of a source set, worked out once: the
 * country columns and the JSON text that is the same on every line.  A
 * writer may be used by several threads at once; it borrows the set. */
struct bulk_writer;

struct bulk_writer *bulk_writer_new(const struct source_set *set);
/* Also prepare the JSON of every country code, for many records. */
void bulk_writer_warm(struct bulk_writer *w);
void bulk_writer_free(struct bulk_writer *w);

/* CSV row for an answer, and for an input rejected with `why`.  `input`
 * is the text as given (written up to a NUL byte, as always). */
void bulk_csv_answer(struct buf *b, const struct bulk_writer *w,
                     const struct answer *a, const char *input, size_t len);
void bulk_csv_error(struct buf *b, const struct bulk_writer *w,
                    const char *input, size_t len, const char *why);
/* The same with more[0..morelen) (columns, each after a comma) before
 * the error column, and for an error nmore empty columns there. */
void bulk_csv_answer_more(struct buf *b, const struct bulk_writer *w,
                          const struct answer *a, const char *input, size_t len,
                          const char *more, size_t morelen);
void bulk_csv_error_more(struct buf *b, const struct bulk_writer *w,
                         const char *input, size_t len, const char *why,
                         size_t nmore);

/* NDJSON line: the object answer_to_json() builds, written compactly as
 * jv_dump() does. */
void bulk_ndjson_answer(struct buf *b, const struct bulk_writer *w,
                        const struct answer *a, const char *input,
                        size_t len);
void bulk_ndjson_error(struct buf *b, const char *input, size_t len,
                       const char *why);
/* The same object with more[0..morelen) (members, each after a comma)
 * before its closing brace. */
void bulk_ndjson_answer_more(struct buf *b, const struct bulk_writer *w,
                             const struct answer *a, const char *input,
                             size_t len, const char *more, size_t morelen);

/* A JSON string for s[0..n) as jv_strn() and jv_dump() write it: invalid
 * UTF-8 and NUL bytes become U+FFFD. */
void bulk_json_string(struct buf *b, const char *s, size_t n);

#endif
