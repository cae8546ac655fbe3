/*
 * rangelist.h - third-party lists of address ranges their maintainers
 * consider datacenter or hosting space (client9/ipcat's
 * datacenters.csv).  The classifier uses them in the third-party list
 * tier, after the ASN lists: a range names a datacenter's own block even
 * where its holder is too small for any ASN list or curated table.
 *
 * Format (RFC 4180 CSV, no header line, as ipcat publishes it):
 *   start,end,name,url
 * start and end are addresses of one family with start <= end; name is
 * the datacenter's name and may not be empty; url may be.  Lines are
 * read in any order and kept sorted by start.
 *
 * Policy: strict.  A line that is not such a row (a bad address, start
 * after end, two families, an empty name, the wrong number of fields, a
 * CSV error), and a range that overlaps another, is an error
 * "WHERE:LINE: reason" and the whole list is refused, so that no row is
 * dropped without a word.
 *
 * Parsers take a buffer and a length and never read past it.
 * Ownership: the caller owns the struct rangelist; rangelist_free()
 * releases what the parser allocated inside it and is a no-op on a
 * zeroed struct.
 */
#ifndef GEOATTR_RANGELIST_H
#define GEOATTR_RANGELIST_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct rangelist_row {
	struct ga_addr lo, hi;  /* both ends included, one family */
	unsigned long line;
	const char *name;       /* the datacenter's name, never empty; in names */
};

struct rangelist {
	struct rangelist_row *v;  /* sorted by family then lo, no overlaps */
	size_t n, cap;
	char *names;              /* every row's name, NUL-terminated, one block */
	unsigned long long v4_addresses;  /* IPv4 addresses covered */
	/* The starts and ends of the IPv4 rows, v[0..nv4), as numbers:
	 * searched without a call per step and without reading the rows
	 * (rangelist_find runs once per answer). */
	uint32_t *v4lo, *v4hi;
	size_t nv4;
};

/* Parse buf[0..len); where names it in messages.  Returns 0, or -1 with
 * err set to "WHERE:LINE: reason" (err may be NULL when errlen is 0).
 * On failure out holds nothing. */
int rangelist_parse(const char *buf, size_t len, const char *where,
                    struct rangelist *out, char *err, size_t errlen);

/* Finish a list whose rows (v, n, cap) were filled by another reader
 * (the type index): checks that they are in the order rangelist_parse()
 * leaves them (by family then start, one family per row, start <= end,
 * no overlaps) and counts and indexes them as it does.  Returns 0, or -1
 * with the list freed. */
int rangelist_finish(struct rangelist *l);

/* The range holding a, or NULL. */
const struct rangelist_row *rangelist_find(const struct rangelist *l,
                                           const struct ga_addr *a);

void rangelist_free(struct rangelist *l);

#endif
