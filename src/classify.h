/*
 * classify.h - what kind of network holds an address: cloud/hosting,
 * VPN, Tor, CDN/anycast, mobile or fixed ISP, education, government,
 * enterprise, special-use, or unknown.
 *
 * The kind matters more than the country: an address in a rented cloud
 * server, a VPN or a Tor exit says nothing about who used it, while an
 * address of a residential ISP points to a home connection (often a
 * compromised device).
 *
 * Evidence is taken in a fixed order, the first that applies wins:
 *   1. special-use (the caller's special_lookup() said so)  high
 *   2. a provider feed record naming a type                  high
 *   3. a curated anycast prefix containing the address       high
 *   4. a curated ASN (geo/asn-types.csv)                     high
 *   5. a third-party ASN list (X4BNet datacenter/VPN lists,  medium
 *      bad-asn-list), unless the organisation name says the
 *      holder is a carrier, university or government: the lists
 *      are made for blocking bots and err towards "hosting"
 *   6. a third-party range list (client9/ipcat's datacenter   low
 *      ranges, frozen in 2019): hosting, with the same
 *      exception; it answers for the address, not the holder,
 *      so it is applied after the holder's own answer
 *      (classify_by_range)
 *   7. words in the organisation name                        medium/low
 *   8. nothing: NT_UNKNOWN with CONF_NONE.
 * Unknown stays unknown: no step guesses when its evidence is absent.
 *
 * Data files (RFC 4180 CSV with a header line; columns found by name,
 * extra columns ignored):
 *   asn-types.csv        asn,type,name,basis
 *   anycast-prefixes.csv network,type,operator,service,basis
 *   ipcat-datacenters.csv  start,end,name,url, no header (rangelist.h)
 * type is a net_type_name() other than "unknown" and "special-use".
 *
 * Ownership: the caller owns the struct classifier and frees it with
 * classify_free(); classify_free(NULL) is a no-op.  The strings a
 * struct net_class points to are static or owned by the classifier and
 * stay valid until classify_free().
 *
 * Threads: classify() records each new feed name in the classifier the
 * first time it sees it (so that "feed NAME" can be returned without an
 * allocation per call); calls on one classifier must not run at once.
 */
#ifndef GEOATTR_CLASSIFY_H
#define GEOATTR_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum net_type {
	NT_UNKNOWN = 0,
	NT_HOSTING,     /* cloud, VPS, dedicated servers, colocation */
	NT_VPN,         /* a VPN provider's own network */
	NT_TOR,         /* Tor exit (only from a feed) */
	NT_CDN,         /* CDN or anycast service */
	NT_MOBILE,      /* mobile carrier */
	NT_ISP,         /* fixed/residential ISP, or a carrier's backbone */
	NT_EDU,         /* education and research */
	NT_GOV,         /* government */
	NT_ENTERPRISE,  /* a company's own network */
	NT_SPECIAL      /* special-use address (private, documentation ...) */
};
#define NT_COUNT (NT_SPECIAL + 1)

/* Stable names for JSON/CSV: "unknown", "hosting", "vpn", "tor", "cdn",
 * "mobile", "isp", "edu", "gov", "enterprise", "special-use". */
const char *net_type_name(enum net_type t);

/* Labels for people: "cloud/hosting", "VPN", "Tor exit", "CDN/anycast",
 * "mobile ISP", "fixed/residential ISP", "education/research",
 * "government", "enterprise", "special-use", "unknown". */
const char *net_type_label(enum net_type t);

/* Parse a name from net_type_name(), case-insensitively, from s[0..len);
 * "anycast" is also read as NT_CDN and "special" as NT_SPECIAL.
 * Returns 0, or -1 if s is no type name. */
int net_type_parse(const char *s, size_t len, enum net_type *out);

/* Which tier of knowledge an answer rests on, in order of trust. */
enum type_tier {
	TIER_NONE = 0,     /* unknown: nothing applied */
	TIER_SPECIAL,      /* special-use registry */
	TIER_PROVIDER,     /* provider-published ranges: a feed or an embedded snapshot */
	TIER_CURATED,      /* curated ASN table or anycast prefix */
	TIER_LIST,         /* a third-party ASN list */
	TIER_NAME          /* organisation-name rule */
};
#define TIER_COUNT (TIER_NAME + 1)

/* Stable names: "none", "special-use", "provider", "curated", "list",
 * "name-rule". */
const char *type_tier_name(enum type_tier t);

/* Labels for people: "no evidence", "special-use registry", "provider
 * ranges", "curated", "third-party lists", "name rules". */
const char *type_tier_label(enum type_tier t);

enum confidence {
	CONF_NONE = 0,
	CONF_LOW,
	CONF_MEDIUM,
	CONF_HIGH
};

/* "none", "low", "medium", "high". */
const char *confidence_name(enum confidence c);

struct net_class {
	enum net_type type;
	enum confidence conf;
	enum type_tier tier;
	/* Which evidence decided: "special-use registry", "feed NAME",
	 * "anycast prefix", "curated ASN", a list name ("x4bnet datacenter
	 * list", "bad-asn-list", ...), "name rule" or "no rule matched".
	 * Never NULL. */
	const char *basis;
	/* What the evidence was: the curated name and its basis, the
	 * anycast operator and service, the words that matched in the
	 * organisation name.  Never NULL; "" when there is nothing to add. */
	const char *detail;
};

struct classifier;

/*
 * Read DIR/asn-types.csv, DIR/anycast-prefixes.csv and the third-party
 * lists DIR/x4bnet-datacenter-ASN.txt, DIR/x4bnet-vpn-ASN.txt,
 * DIR/bad-asn-list.csv and DIR/ipcat-datacenters.csv.  Returns NULL on
 * failure with the reason in err ("FILE: reason" or "FILE:LINE: reason"
 * for a bad row); err may be NULL when errlen is 0.
 */
struct classifier *classify_load(const char *dir, char *err, size_t errlen);

/* The same with the two files named. */
/* Like classify_load(), but the ASN file is only read, and each lookup
 * searches its sorted text: much cheaper to start, for a few lookups
 * (`geoattr lookup ADDRESS`).  Rows are not validated up front. */
struct classifier *classify_load_lazy(const char *dir, char *err, size_t errlen);
struct classifier *classify_load_files(const char *asn_csv,
                                       const char *anycast_csv,
                                       char *err, size_t errlen);

/* The type index (typeidx.h): the build writes one beside the CSV files
 * and the loaders above read the tables from it while it stands for the
 * files as they are, which spares a process parsing them.  It changes no
 * answer: with no index, or a stale or damaged one (said on stderr),
 * the CSV files are read.
 * classify_load_csv() reads the CSV files only, never an index: what
 * `sources --check-types` checks.  classify_write_index() writes c's
 * tables (c from classify_load_csv(dir)) to path, naming the files of
 * dir they were read from; 0, or -1 with the reason in err.
 * classify_indexed() is 1 when c's tables came from an index. */
struct classifier *classify_load_csv(const char *dir, char *err, size_t errlen);
int classify_write_index(const struct classifier *c, const char *dir,
                         const char *path, char *err, size_t errlen);
int classify_indexed(const struct classifier *c);

void classify_free(struct classifier *c);

/* Number of curated ASNs; 0 for NULL. */
size_t classify_asn_count(const struct classifier *c);

/* The third-party lists a classifier read, for `geoattr sources`. */
struct classify_list_info {
	const char *name;       /* "x4bnet datacenter list" */
	const char *file;       /* file name in the data directory */
	const char *license;    /* "MIT" */
	const char *origin;     /* repository and commit */
	const char *date;       /* the list's commit date */
	size_t rows;            /* distinct ASNs, or ranges */
	const char *unit;       /* what rows counts: "ASNs" or "ranges" */
};
/* The i-th list, or NULL past the last (or for NULL c). */
const struct classify_list_info *classify_list(const struct classifier *c, size_t i);

/*
 * Classify one address.
 *   c          may be NULL: then only special-use, feed and name-rule
 *              evidence applies.
 *   a          may be NULL: then no anycast prefix can match.
 *   is_special non-zero if the address is special-use.
 *   asn        0 when unknown.
 *   org        the organisation name, NUL-terminated, or NULL.
 *   feed_type  a type name from a provider feed record ("hosting",
 *              "tor", ...), or NULL.  A name net_type_parse() does not
 *              know, and "unknown", are not evidence and are skipped.
 *   feed_name  the feed's name for the basis, or NULL.
 * Never allocates except the first time a feed name is seen.
 */
/* classify() in two steps: what the address itself says (special-use,
 * a provider feed, an anycast prefix; returns 1 when that decided), and
 * what its holder says (curated ASN, organisation name, else unknown),
 * which depends on asn and org alone and so can be remembered per
 * database record. */
int classify_by_address(const struct classifier *c, const struct ga_addr *a,
                        int is_special, const char *feed_type,
                        const char *feed_name, struct net_class *out);
void classify_owner(const struct classifier *c, uint32_t asn, const char *org,
                    struct net_class *out);

/* The third-party range list's say on address a, given its holder's
 * answer in *io (from classify_owner): when that rests on no more than a
 * name rule and a lies in a listed datacenter range, *io becomes hosting
 * from the list tier with low confidence and the range's name as detail
 * -- unless that name rule says carrier, university or government.
 * Returns 1 when *io changed. */
int classify_by_range(const struct classifier *c, const struct ga_addr *a,
                      struct net_class *io);

/* All of it: classify_by_address, else classify_owner refined by
 * classify_by_range. */
void classify(const struct classifier *c, const struct ga_addr *a,
              int is_special, uint32_t asn, const char *org,
              const char *feed_type, const char *feed_name,
              struct net_class *out);

#endif
