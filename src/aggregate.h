/*
 * aggregate.h - the measurements of a list: country spread per source,
 * where the sources disagree, ASN/organisation spread and concentration,
 * network types, special-use entries, /24 and /48 clustering, cited
 * location against database location.
 *
 * Every figure exists twice: `n` counts unique entries (addresses,
 * prefixes, ranges each count once) and `w` weights them by the list's
 * count column (or by how often they appeared).  Aggregation never
 * re-reads input: agg_add() takes one record after another.
 *
 * Ownership: the aggregate borrows the source set and the classifier
 * (which must outlive it) and owns its tables; agg_release() frees them.
 */
#ifndef GEOATTR_AGGREGATE_H
#define GEOATTR_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "ipset.h"
#include "resolve.h"

#define AGG_MAX_CSRC 8          /* country sources measured side by side */
#define AGG_NCC (26 * 26 + 1)   /* every two-letter code, plus "no data" */
#define AGG_NODATA (26 * 26)
#define AGG_KEEP 1000           /* listed disagreements/mismatches kept */
#define AGG_NTYPES (NT_SPECIAL + 1)
#define AGG_NSPECIAL 16
#define AGG_CLUSTER_FULL 0x7fffu  /* a slot's count field, full */

struct agg_bin {
	double n;
	double w;
};

struct agg_asn {
	uint32_t asn;
	const char *org;            /* borrowed from the source */
	enum net_type type;
	double n, w;
};

struct agg_example {
	uint32_t rec;               /* index in the ipset */
	uint8_t family;             /* and its first address: the examples */
	uint8_t bytes[16];          /* kept are the first AGG_KEEP by address */
	char cc[AGG_MAX_CSRC][3];   /* what each country source said ("" none) */
	char cited[3];
};

struct agg_cluster {
	uint64_t key;
	double n;
};

struct aggregate {
	struct source_set *set;
	const struct classifier *cls;

	size_t ncs;                             /* country sources */
	size_t csrc[AGG_MAX_CSRC];              /* their index in the set */
	struct agg_bin country[AGG_MAX_CSRC][AGG_NCC];

	struct agg_bin total;                   /* every unique entry */
	size_t n_v4, n_v6, n_networks;

	struct agg_bin type[AGG_NTYPES];
	struct agg_bin type_basis[AGG_NTYPES][4];   /* by confidence */
	struct agg_bin type_tier[AGG_NTYPES][TIER_COUNT];   /* by tier of knowledge */
	struct agg_bin special[AGG_NSPECIAL];   /* by enum special_class */
	struct agg_bin special_total;
	struct agg_bin placeholder;             /* made-up-looking addresses */

	/* ASNs: hash during aggregation; after finish the first AGG_ASN_RANKED
	 * (or all, when fewer) are the largest by n (then w, then ASN) in that
	 * order, the rest follow in no order.  Reports show at most that many
	 * (check --top); every figure over all ASNs is order-free. */
	struct agg_asn *asns;
	size_t nasn, capasn;
	uint32_t *asn_slots;
	size_t nasn_slots;
	struct agg_bin no_asn;
	double hhi, hhi_w;                      /* over entries with an ASN */
	double top1, top5, top1_w, top5_w;      /* shares of all entries */

	/* Country sources disagree: both answered and differ. */
	struct agg_bin both_answered;
	struct agg_bin disagree;
	/* Disagreeing entries by each country a source named for them
	 * (an entry A puts in DE and B in US counts for both). */
	struct agg_bin disagree_cc[AGG_NCC];
	struct agg_example *disagreements;
	size_t ndisagreements;

	/* Cited location vs database. */
	struct agg_bin cited;
	struct agg_bin cited_match[AGG_MAX_CSRC];
	struct agg_bin cited_nodata[AGG_MAX_CSRC];  /* the source places it nowhere */
	struct agg_example *mismatches;
	size_t nmismatches;

	/* /24 (IPv4) and /48 (IPv6) blocks. */
	/* Open addressing, 8 bytes a slot (lists run to millions of blocks):
	 * the block's 49-bit key + 1 above a 15-bit count, 0 = empty.  A
	 * count at AGG_CLUSTER_FULL goes on in the small table of big blocks
	 * (those of more than 32,766 entries), by the same key + 1. */
	uint64_t *cluster_slots;
	size_t ncluster_slots, nclusters;
	uint64_t *big_keys, *big_counts;        /* count beyond AGG_CLUSTER_FULL */
	size_t nbig_slots, nbig;
	struct agg_cluster top_clusters[10];
	size_t ntop_clusters;
	double max_cluster;
};

void agg_init(struct aggregate *a, struct source_set *set,
              const struct classifier *cls);
/* Size the table of /24 and /48 blocks for the entries of set, all about
 * to be added, from an estimate of how many blocks they fall in: growing
 * it on the way holds two tables at once, and at millions of blocks that
 * was the peak of a check's memory.  A hint only: it changes no result. */
void agg_reserve(struct aggregate *a, const struct ipset *set);
/* Start loading what agg_add() of entry i of set, held by AS asn (0:
 * none), will read: stage 0 the record and the ASN's first hash slot
 * (some entries ahead), stage 1 its cluster slot and the ASN's counts
 * (fewer ahead, once the record and the slot are in).  A hint only: it
 * changes no result. */
void agg_prefetch(const struct aggregate *a, const struct ipset *set, size_t i,
                  int stage, uint32_t asn);
/* Add entry `idx` of the ipset (e, from ipset_get()), already resolved. */
void agg_add(struct aggregate *a, uint32_t idx, const struct ipset_entry *e,
             const struct answer *ans, const struct net_class *nc);
#define AGG_ASN_RANKED 1000
/* Rank ASNs (see above) and clusters; compute concentration figures. */
void agg_finish(struct aggregate *a);
void agg_release(struct aggregate *a);

/* The country rows worth showing: indexes of the codes with the most
 * entries in any source, largest first, at most max of them. */
size_t agg_top_countries(const struct aggregate *a, size_t *rows, size_t max);

/* How much of type t's share rests on each tier, for people: "22.0%
 * curated, 15.0% third-party lists, 4.0% name rules" (shares of all
 * entries, the most trusted tier first), written into buf; "" when the
 * type has no entries or only one tier (then the tier is the basis
 * of the whole figure and is named alone, "curated"). */
const char *agg_tier_text(const struct aggregate *a, enum net_type t,
                          char *buf, size_t len);

/* Index of a two-letter code in the country tables (AGG_NODATA if none). */
size_t agg_cc_index(const char *cc);
/* The code at an index, written into out[3]. */
void agg_cc_code(size_t idx, char out[3]);
/* Text of a cluster key: "203.0.113.0/24" or "2001:db8:1::/48". */
char *agg_cluster_text(uint64_t key, char *buf);

/* Does a single IPv4 address look made up or like a network/broadcast
 * address rather than a host: 1.2.3.4, 11.22.33.44, 123.123.123.123,
 * 12.34.56.78, x.y.z.0, x.y.z.255?  (Repeated octets below 10, such as the
 * public resolvers 1.1.1.1 and 8.8.8.8, are real and not counted.) */
int agg_placeholder_like(const struct ga_addr *a);

#endif
