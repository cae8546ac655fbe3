/*
 * asof.h - "as of the claim date": the historical set that
 * `update --as-of` installed for a day (registry, routing, Tor exits),
 * looked up beside today's data, and the comparison of then and now.
 *
 * Per entry (its first address): the registry record then (country,
 * status, allocation date), the route then (origin AS, the origin field as
 * written, the origin's name then in rt->org when the set has AS names),
 * whether it was seen as a Tor exit within the set's window
 * (first and last seen).  Compared with now (the first country source,
 * the ASN source, today's network type) it gets flags:
 *
 *   ASOF_NOT_ALLOCATED  no registry had given the block out that day: no
 *                       record, an available or reserved block, or an
 *                       allocation dated after the day
 *   ASOF_UNROUTED       no prefix covering it in the routing snapshot
 *   ASOF_MOVED          changed holder: the origin AS then is not the ASN now
 *   ASOF_CC_CHANGED     the registry country then is not the country now
 *   ASOF_TYPE_CHANGED   a Tor exit then and not now, or the reverse
 *
 * Ownership: asof_open() returns a set the caller frees with
 * asof_close() (NULL is a no-op); the records an asof_rec refers to, and
 * the src_entry pointers asof_then_get() gives, belong to the set and
 * live until it is closed.
 */
#ifndef GEOATTR_ASOF_H
#define GEOATTR_ASOF_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "source.h"

#define ASOF_NOT_ALLOCATED 0x1u
#define ASOF_UNROUTED      0x2u
#define ASOF_MOVED         0x4u
#define ASOF_CC_CHANGED    0x8u
#define ASOF_TYPE_CHANGED  0x10u

struct asof_set;

/* What the set says of one address; NULL members: no record. */
struct asof_then {
	const struct src_entry *reg, *rt, *tor;
};

/* One entry of a check: then, its flags, and what now said.  Kept small
 * (a check holds one per entry): then is kept as the records' refs, read
 * whole (asof_then_get) only when a report shows the entry. */
struct asof_rec {
	src_ref then[3];          /* registry, routing, Tor; 0: no record */
	uint32_t asn_now;
	unsigned char flags;      /* ASOF_* */
	unsigned char compared;   /* 0 for special-use entries, left out */
	unsigned char tor_now;
	unsigned char cc_then;    /* 1: the registry record then has a country */
	char cc_now[3];
};

/* What the comparison needs of then, worked out from the entries alone
 * (on the thread that looked them up, while they are in its cache), so
 * that asof_compare_pre() reads no record of the set. */
struct asof_pre {
	uint32_t asn;             /* the first origin AS then, 0 when unrouted */
	char cc[2];               /* the registry country then, "" when none */
	unsigned char bits;       /* ASOF_PRE_* */
};
#define ASOF_PRE_NOT_ALLOCATED 0x1u
#define ASOF_PRE_ROUTED        0x2u
#define ASOF_PRE_MULTI         0x4u   /* several origins: the route is read */
#define ASOF_PRE_TOR           0x8u

struct asof_summary {
	unsigned long n;             /* entries compared */
	unsigned long not_allocated, unrouted, moved, cc_changed, type_changed;
	unsigned long holder_base;   /* routed then and with an ASN now */
	unsigned long cc_base;       /* registry country then and a country now */
	unsigned long tor_then, tor_now;
	unsigned long changed;       /* country, holder or type changed */
};

/* Is a set of date (YYYY-MM-DD) installed in the user data directory? */
int asof_installed(const char *date);

/* Open the set of date.  NULL with err set when it is not installed or
 * a file of it cannot be read. */
struct asof_set *asof_open(const char *date, char *err, size_t errlen);
void asof_close(struct asof_set *s);

const char *asof_date(const struct asof_set *s);
/* What each part used, as update --as-of wrote it ("routing of
 * 2017-07-17 12:00 UTC"): part 0 registry, 1 routing, 2 Tor, 3 the AS
 * names ("CAIDA as2org 2017-07-01, 16 days earlier", or why there are
 * none). */
const char *asof_used(const struct asof_set *s, int part);
/* The set's directory. */
const char *asof_dir(const struct asof_set *s);

/* r->then for one address (the other members are left alone). */
void asof_lookup(struct asof_set *s, const struct ga_addr *a, struct asof_rec *r);
/* The entries r->then refers to, decoded. */
void asof_then_get(const struct asof_set *s, const struct asof_rec *r, struct asof_then *out);
/* For many entries: the set's sources (registry, routing, Tor, in that
 * order; borrowed) to look up beside today's in one resolve_batch_also()
 * walk, which gives the refs of r->then. */
struct source_set *asof_sources(struct asof_set *s);

/* Fill r's flags from r->then and the now members; r->compared must be set. */
void asof_compare(const struct asof_set *s, struct asof_rec *r);
/* The same in two steps: p from then alone (any thread; refs as in
 * r->then), then r's flags from p and the now members (r->then set,
 * r->compared too). */
void asof_prepare(const struct asof_set *s, const src_ref *refs, struct asof_pre *p);
/* The same, taking what it can from last (of last_refs; both may be
 * NULL): the registry part when the registry record is the same, the
 * routing part when the route is. */
void asof_prepare_from(const struct asof_set *s, const src_ref *refs, struct asof_pre *p,
                       const src_ref *last_refs, const struct asof_pre *last);
void asof_compare_pre(const struct asof_set *s, const struct asof_pre *p, struct asof_rec *r);
/* Add r to the summary (nothing when !r->compared). */
void asof_count(struct asof_summary *sum, const struct asof_rec *r);

/* Names of the flags set in f, comma-separated, into buf ("" for none). */
const char *asof_flag_names(unsigned f, char *buf, size_t n);

#endif
