/*
 * feeds.h - parsers for the address lists that providers publish: each
 * turns one downloaded document into a list of prefixes with what the
 * provider says about them (region, country, service).
 *
 * Formats:
 *   FEED_AWS      ip-ranges.json: prefixes[].ip_prefix, ipv6_prefixes[].ipv6_prefix,
 *                 region, service; date from createDate.
 *   FEED_GCP      Google cloud.json: prefixes[].ipv4Prefix/ipv6Prefix, scope
 *                 (the region), service; date from creationTime.
 *   FEED_ORACLE   public_ip_ranges.json: regions[].region, regions[].cidrs[].cidr;
 *                 date from last_updated_timestamp.
 *   FEED_LINES    one prefix or address per line (Cloudflare ips-v4/ips-v6,
 *                 Tor's torbulkexitlist); blank lines and '#' comments skipped.
 *   FEED_FASTLY   public-ip-list: addresses[], ipv6_addresses[].
 *   FEED_GEOFEED  RFC 8805 CSV: prefix,country,region,city,postal; '#' comments.
 *   FEED_MULLVAD  Mullvad relay list in either shape Mullvad publishes:
 *                 www/relays/all/, [ {ipv4_addr_in, ipv6_addr_in,
 *                 country_code, city_name, type}, ... ], or app/v1/relays,
 *                 {locations: {"se-got": {city}}, wireguard: {relays: [
 *                 {location, ipv4_addr_in, ipv6_addr_in}]}, openvpn: ...};
 *                 bridges (entry points that carry no exit traffic) are
 *                 skipped in both.
 *   FEED_PROTON   Proton VPN logicals: LogicalServers[].Servers[].ExitIP,
 *                 ExitCountry, City.
 *   FEED_AZURE    Azure service tags: values[].properties.addressPrefixes[],
 *                 region, systemService.
 *
 * Policy: an entry that is not a valid prefix (or has host bits set) is
 * skipped and counted, the first few reported as WHERE:LINE (text
 * formats) or WHERE: KEY[i] (JSON) through msg_warn().  The whole document
 * is refused (feed_parse() returns -1 with d->err set) when it is not in
 * the format at all: invalid JSON, a missing top-level member, a CSV
 * syntax error, no valid entry, or more rejected entries than accepted
 * ones (an error page that happens to contain one address is not a feed).
 *
 * Ownership: the caller owns the struct feed_data; feed_data_free()
 * releases what the parser allocated inside it.
 */
#ifndef GEOATTR_FEEDS_H
#define GEOATTR_FEEDS_H

#include <stddef.h>

#include "addr.h"

enum feed_format {
	FEED_AWS, FEED_GCP, FEED_ORACLE, FEED_LINES, FEED_FASTLY,
	FEED_GEOFEED, FEED_MULLVAD, FEED_PROTON, FEED_AZURE
};
#define FEED_FORMAT_COUNT (FEED_AZURE + 1)

/* One prefix.  Strings are owned by the feed_data, NULL when absent. */
struct feed_entry {
	struct ga_addr start;
	int len;
	char country[3];        /* ISO 3166-1 alpha-2, upper case, or "" */
	char *region;           /* provider region/scope, or ISO 3166-2 for geofeeds */
	char *city;
	char *service;
	const char *net_type;   /* overrides the feed's type ("cdn" for CloudFront), or NULL */
};

struct feed_data {
	struct feed_entry *v;
	size_t n, cap;
	char date[11];          /* YYYY-MM-DD the feed states, or "" */
	unsigned long rejected; /* entries skipped */
	char first_bad[160];    /* "WHERE:LINE: reason" of the first skipped entry */
	int quiet;              /* set: no msg_warn() output */
	char err[256];          /* why the document was refused */
};

void feed_data_init(struct feed_data *d);
void feed_data_free(struct feed_data *d);

/* Parse buf[0..len) in format f; where names it in messages (a file
 * name or the feed's name).  Returns 0, or -1 with d->err set. */
int feed_parse(enum feed_format f, const char *buf, size_t len,
               const char *where, struct feed_data *d);

/* "aws", "gcp", ... for messages and the fuzzer. */
const char *feed_format_name(enum feed_format f);

#endif
