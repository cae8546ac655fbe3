/*
 * ipset.h - the unique networks of an input, with their counts.
 *
 * Every accepted item is added; an item equal to one already present (same
 * address, or same prefix/range) is merged: its count is added and it is
 * counted as a duplicate.  Prefixes and ranges are kept as networks, never
 * expanded.  Records are compact (16 bytes for IPv4, 28 for IPv6, plus
 * the hash slot while entries are still being added) because lists run
 * to millions of addresses.
 *
 * Ownership: the set owns its records; ipset_free(NULL) is a no-op.
 */
#ifndef GEOATTR_IPSET_H
#define GEOATTR_IPSET_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* One entry as a whole, filled by ipset_get().  The set stores less: a
 * record of 16 or 28 bytes, and a side table for what few entries have (a weight
 * other than their number of appearances, a note, a range's last
 * address), because lists run to millions of single addresses. */
struct ipset_entry {
	uint8_t bytes[16];     /* first address (IPv4 in bytes[0..3]) */
	uint8_t family;        /* 4 or 6 */
	uint8_t kind;          /* enum net_kind */
	int16_t prefix_len;    /* 0..128 for NET_CIDR and NET_ADDR; -1 for odd ranges */
	char cited[2];         /* first cited country, or "\0\0" */
	uint8_t cited_conflict;/* duplicates cited different countries */
	uint32_t line;         /* first line it was seen on */
	uint32_t seen;         /* times it appeared */
	uint32_t note;         /* first note given (ipset_note_add), 0 if none */
	double weight;         /* sum of counts (1 per appearance without a count) */
};

struct ipset;

struct ipset *ipset_new(void);
void ipset_free(struct ipset *s);

/* Add one network seen on `line` with count `weight` and cited country
 * (NULL or ""). Returns 1 if new, 0 if merged into an existing record. */
int ipset_add(struct ipset *s, const struct ga_net *n, unsigned long line,
              double weight, const char *cited);

/* Make room for about n entries without rehashing as they arrive. */
void ipset_reserve(struct ipset *s, size_t n);

/* One entry to add, for ipset_add_many(). */
struct ipset_item {
	struct ga_net net;
	unsigned long line;
	double weight;
	const char *cited;         /* NULL or a 2-letter code (borrowed) */
	uint32_t note;             /* from ipset_note_add(), or 0 */
};
#define IPSET_BATCH 256

/* Add up to IPSET_BATCH entries, as ipset_add() each in order, but with
 * the memory of later entries fetched ahead.  Returns how many were new. */
size_t ipset_add_many(struct ipset *s, const struct ipset_item *it, size_t n);

/*
 * Notes: what the list itself says of an entry (its role, attack phase
 * and observation date, as written).  Few distinct ones exist in a list,
 * so each is kept once and a record holds its number.  Returns 0 when all
 * three are empty.  The strings are copied.
 */
uint32_t ipset_note_add(struct ipset *s, const char *role, size_t rlen,
                        const char *phase, size_t plen,
                        const char *observed, size_t olen);
/* The parts of note id ("" where absent); valid while the set lives. */
void ipset_note_get(const struct ipset *s, uint32_t id, const char **role,
                    const char **phase, const char **observed);

/* Done adding for now: frees the hash (about a third of the set's
 * memory) for the stages that only read entries.  A later add rebuilds it. */
void ipset_seal(struct ipset *s);

/* Entries are numbered 0..count-1 in the order they were first added. */
size_t ipset_count(const struct ipset *s);
/* Entry i into *e; -1 (e untouched) if there is no entry i. */
int ipset_get(const struct ipset *s, size_t i, struct ipset_entry *e);
/* Entry i as a network (i < count). */
void ipset_net(const struct ipset *s, size_t i, struct ga_net *out);
/* The first address of entry i (i < count): family, and its bytes (4 for
 * IPv4, 16 for IPv6), valid while the set lives.  Cheaper than
 * ipset_get(). */
const uint8_t *ipset_first(const struct ipset *s, size_t i, uint8_t *family);
/* Start loading entry i's record (a hint; i < count). */
void ipset_prefetch(const struct ipset *s, size_t i);
/* Bytes of memory held (for the benchmark's bytes-per-address figure). */
size_t ipset_memory(const struct ipset *s);

#endif
