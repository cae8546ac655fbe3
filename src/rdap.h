/*
 * rdap.h - optional registration data over RDAP (RFC 9083 answers found
 * through the RFC 9224 IANA bootstrap), cached on disk.
 *
 * Nothing here runs unless the user asked for it (`--online rdap`): a
 * cited address is sent to a registry only through rdap_lookup(), and
 * never with offline set.  The query itself is made only over https; the
 * bootstrap file (which reveals nothing about the address) may come from
 * any http(s) URL the caller configures.
 *
 * Two layers:
 *   rdap_parse.c  the parsers, buffer + length in, no network (linked by
 *                 the fuzzer without libcurl);
 *   rdap.c        rdap_lookup(): bootstrap, query, on-disk cache, over
 *                 fetch.h.  The caller runs fetch_global_init() first.
 *
 * Cache layout under cache_dir/rdap/ (directory 0700, files 0600: the
 * cache records which addresses the user looked up):
 *   bootstrap-ipv4.json, bootstrap-ipv6.json   IANA files, refreshed
 *                                              after max_age_days
 *   net-START_END.json                         one RDAP answer per block
 *   index.tsv                                  START END FETCHED URL FILE
 *
 * Ownership: struct rdap_result is caller-owned; the parsers and
 * rdap_lookup() fill it with allocated strings, which rdap_result_free()
 * releases (it accepts NULL and a zeroed or already freed result).
 */
#ifndef GEOATTR_RDAP_H
#define GEOATTR_RDAP_H

#include <stddef.h>
#include <time.h>

#include "addr.h"

#define RDAP_BOOTSTRAP_V4 "https://data.iana.org/rdap/ipv4.json"
#define RDAP_BOOTSTRAP_V6 "https://data.iana.org/rdap/ipv6.json"
#define RDAP_DEFAULT_MAX_AGE_DAYS 7
#define RDAP_DEFAULT_TIMEOUT 20
#define RDAP_URL_MAX 512

struct rdap_opts {
	const char *cache_dir;        /* e.g. ~/.cache/geoattr; NULL: no cache */
	const char *bootstrap_url_v4; /* NULL: RDAP_BOOTSTRAP_V4 */
	const char *bootstrap_url_v6; /* NULL: RDAP_BOOTSTRAP_V6 */
	long timeout;                 /* seconds per request; <= 0: default */
	const char *cacert;           /* PEM bundle instead of the system's */
	long max_age_days;            /* cache lifetime; <= 0: default 7 */
	int offline;                  /* answer from the cache (any age) or fail */
};

struct rdap_result {
	char *network;            /* "8.8.8.0/24", or "START-END" */
	char *name;               /* network name, "GOGL" */
	char *type;               /* "DIRECT ALLOCATION", "ASSIGNED PA", or NULL */
	char *country;            /* two upper-case letters, or NULL */
	char *registry;           /* "ARIN", "RIPE NCC", ... or the server's host */
	char *registration_date;  /* eventDate of "registration", as given */
	char *last_changed;       /* eventDate of "last changed", as given */
	char *handle;             /* "NET-8-8-8-0-2" */
	char *source_url;         /* the query URL the answer came from */
	int from_cache;           /* 1 when no request was made */
	time_t fetched;           /* when the answer was downloaded, 0 unknown */
	struct ga_net block;      /* network as addresses (kind NET_RANGE) */
};

/*
 * Look up a's registration: from the cache when a fresh answer covers a
 * (any cached answer with o->offline), else bootstrap and query, then
 * cache.  Returns 0 with r filled, or -1 with err saying why (r is then
 * empty).  err should hold at least 256 bytes.
 */
int rdap_lookup(const struct rdap_opts *o, const struct ga_addr *a,
                struct rdap_result *r, char *err, size_t errlen);

void rdap_result_free(struct rdap_result *r);

/* rdap_parse_bootstrap() results. */
enum rdap_boot_status {
	RDAP_BOOT_FOUND = 0,    /* url holds the https base URL */
	RDAP_BOOT_NOMATCH = 1,  /* no service covers the address */
	RDAP_BOOT_NOHTTPS = 2,  /* the covering service offers no usable https URL */
	RDAP_BOOT_BAD = -1      /* not an RFC 9224 bootstrap file */
};

/*
 * Find in an IANA bootstrap file (RFC 9224) the service with the longest
 * prefix covering a and copy its first https base URL, with a trailing
 * '/', into url[0..urlsz).  Prefixes that do not parse are skipped.
 * Returns an enum rdap_boot_status.
 */
int rdap_parse_bootstrap(const char *buf, size_t len, const struct ga_addr *a,
                         char *url, size_t urlsz);

/*
 * Parse an RFC 9083 "ip network" answer.  Fills r (every string optional
 * except network), or returns -1 with err saying why and r empty.  Text
 * from the server has control characters replaced, so it is safe to
 * print.  registry comes from port43 here; rdap_lookup() falls back to
 * the server's host.
 */
int rdap_parse_network(const char *buf, size_t len, struct rdap_result *r,
                       char *err, size_t errlen);

/* Registry name for a whois or RDAP host name ("whois.arin.net" ->
 * "ARIN"), or NULL when it is none of the five RIRs. */
const char *rdap_registry_for_host(const char *host);

#endif
