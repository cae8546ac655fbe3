/*
 * claim.h - a public claim: who said what, when, about which country and
 * share, and where its address list is (if one was published).
 *
 * Ownership: claim_release() frees what the structure owns; it accepts a
 * structure set up by claim_init().
 */
#ifndef GEOATTR_CLAIM_H
#define GEOATTR_CLAIM_H

#include <stddef.h>

struct claim {
	char *claimant;
	char *date;            /* YYYY[-MM[-DD]] as given */
	char *statement;
	char *source;          /* where the claim was published */
	char *addresses;       /* path of the list, resolved against the claim file */
	char country[3];       /* claimed country, "" if none */
	double share;          /* claimed share 0..1, or < 0 when none */
	int no_list;           /* the claimant published no addresses */
	char *note;            /* free note from the claim file */
};

void claim_init(struct claim *c);
void claim_release(struct claim *c);
/* Load a claim file (JSON, see geoattr-check(1)).  Returns 0, or -1 with
 * err set ("FILE: reason"). */
int claim_load(const char *path, struct claim *c, char *err, size_t errlen);
/* Parse a claim file already in memory; `name` is used in error text. */
int claim_parse(const char *name, const char *buf, size_t len,
                struct claim *c, char *err, size_t errlen);
/* Parse "0.75", "75%", "75 %" into 0.75.  Returns 0 or -1. */
int claim_parse_share(const char *s, double *out);
/* Parse a date "YYYY", "YYYY-MM" or "YYYY-MM-DD" into months since year 0
 * (days ignored).  Returns 0 or -1. */
int claim_parse_month(const char *s, long *months);

#endif
