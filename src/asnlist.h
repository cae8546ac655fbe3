/*
 * asnlist.h - third-party lists of autonomous systems that their
 * maintainers consider datacenter/hosting or VPN networks (X4BNet
 * lists_vpn, brianhama's bad-asn-list).  The classifier uses them as a
 * tier below the curated table and above organisation-name rules.
 *
 * Formats:
 *   ASNLIST_X4BNET  one "AS<number>" per line, optionally followed by
 *                   blanks and a "# comment" (the comment names the
 *                   network); blank lines and lines that are only a
 *                   comment are skipped.
 *   ASNLIST_BADASN  CSV with the header "ASN,Entity"; the number may be
 *                   quoted and the entity quoted or not, with blanks
 *                   after the comma (as the published file has).
 *
 * Policy: strict.  Any line that is not a row of the format is an error
 * "WHERE:LINE: reason" and the whole list is refused, so that no row is
 * ever dropped without a word.  A number listed twice is kept once and
 * counted in `repeated`.
 *
 * Parsers take a buffer and a length and never read past it.
 * Ownership: the caller owns the struct asnlist; asnlist_free() releases
 * what the parser allocated inside it and is a no-op on a zeroed struct.
 */
#ifndef GEOATTR_ASNLIST_H
#define GEOATTR_ASNLIST_H

#include <stddef.h>
#include <stdint.h>

enum asnlist_format { ASNLIST_X4BNET, ASNLIST_BADASN };

struct asnlist_row {
	uint32_t asn;
	unsigned long line;
	const char *name;       /* the comment or entity, "" when absent; in names */
};

struct asnlist {
	struct asnlist_row *v;  /* sorted by asn, each number once */
	size_t n, cap;
	char *names;            /* every row's name, NUL-terminated, one block */
	unsigned long repeated; /* rows whose number was already listed */
};

/* Parse buf[0..len) in format f; where names it in messages.  Returns
 * 0, or -1 with err set to "WHERE:LINE: reason" (err may be NULL when
 * errlen is 0).  On failure out holds nothing. */
int asnlist_parse(enum asnlist_format f, const char *buf, size_t len,
                  const char *where, struct asnlist *out,
                  char *err, size_t errlen);

void asnlist_free(struct asnlist *l);

#endif
