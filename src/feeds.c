/*
 * feeds.c - parsers for provider address feeds.  See feeds.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "feeds.h"
#include "jsonout.h"
#include "util.h"

/* Skipped entries reported one by one before the rest are only counted:
 * a feed that changed format would otherwise flood the terminal. */
#define FEED_MAX_WARN 5

static const char *const format_names[FEED_FORMAT_COUNT] = {
	"aws", "gcp", "oracle", "lines", "fastly", "geofeed", "mullvad",
	"proton", "azure"
};

const char *feed_format_name(enum feed_format f)
{
	return (unsigned)f < FEED_FORMAT_COUNT ? format_names[f] : "?";
}

void feed_data_init(struct feed_data *d)
{
	memset(d, 0, sizeof(*d));
}

void feed_data_free(struct feed_data *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].region);
		free(d->v[i].city);
		free(d->v[i].service);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

static void refuse(struct feed_data *d, const char *fmt, ...) GA_PRINTF(2, 3);

static void refuse(struct feed_data *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

/* Count a skipped entry; loc is "WHERE:LINE" or "WHERE: KEY[i]". */
static void reject(struct feed_data *d, const char *loc, const char *why)
{
	d->rejected++;
	if (d->rejected == 1)
		snprintf(d->first_bad, sizeof(d->first_bad), "%s: %s", loc, why);
	if (!d->quiet && d->rejected <= FEED_MAX_WARN)
		msg_warn(loc, "%s; entry skipped", why);
}

/* Append the prefix or single address s[0..n).  Returns NULL and sets *e,
 * or the reason it is not one. */
static const char *add_net(struct feed_data *d, const char *s, size_t n,
                           struct feed_entry **e)
{
	struct ga_net net;
	const char *why = NULL;

	if (s == NULL || n == 0)
		return "no prefix";
	if (net_parse(s, n, ADDR_NO_RANGE, &net, &why) != 0)
		return why;
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	*e = &d->v[d->n++];
	memset(*e, 0, sizeof(**e));
	(*e)->start = net.lo;
	(*e)->len = net.prefix_len;
	return NULL;
}

static void set_country(struct feed_entry *e, const char *s, size_t n)
{
	if (s == NULL || n != 2)
		return;
	if (((s[0] | 0x20) < 'a' || (s[0] | 0x20) > 'z') ||
	    ((s[1] | 0x20) < 'a' || (s[1] | 0x20) > 'z'))
		return;
	e->country[0] = (char)(s[0] & ~0x20);
	e->country[1] = (char)(s[1] & ~0x20);
	e->country[2] = '\0';
}

/* A copy of s[0..n) without surrounding blanks, or NULL when empty. */
static char *dup_trim(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || memchr(s, '\0', n) != NULL)
		return NULL;
	return xstrndup(s, n);
}

/* The string member key of o, or NULL. */
static const char *jmember(const struct jv *o, const char *key, size_t *n)
{
	const char *s;

	if (o == NULL || jv_typeof(o) != JV_OBJECT)
		return NULL;
	s = jv_string(jv_get(o, key), n);
	return s;
}

static char *jdup(const struct jv *o, const char *key)
{
	size_t n = 0;
	const char *s = jmember(o, key, &n);

	return dup_trim(s, n);
}

/* Keep YYYY-MM-DD from the start of a timestamp member, if it is one. */
static void take_date(struct feed_data *d, const struct jv *root,
                      const char *key)
{
	size_t n = 0, i;
	const char *s = jmember(root, key, &n);

	if (s == NULL || n < 10)
		return;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return;
		} else if (s[i] < '0' || s[i] > '9') {
			return;
		}
	}
	memcpy(d->date, s, 10);
	d->date[10] = '\0';
}

static struct jv *parse_json(const char *buf, size_t len, struct feed_data *d)
{
	char err[200];
	struct jv *root = jv_parse(buf, len, err, sizeof(err));

	if (root == NULL)
		refuse(d, "invalid JSON: %s", err);
	return root;
}

static struct jv *need_array(const struct jv *root, const char *key,
                             struct feed_data *d, const char *what)
{
	struct jv *a = root != NULL && jv_typeof(root) == JV_OBJECT
	               ? jv_get(root, key) : NULL;

	if (a == NULL || jv_typeof(a) != JV_ARRAY) {
		refuse(d, "not %s: no \"%s\" array", what, key);
		return NULL;
	}
	return a;
}

/* One JSON string entry arr[i] (or member key of arr[i] when key is set). */
static struct feed_entry *json_net(struct feed_data *d, const char *where,
                                   const char *arrname, size_t i,
                                   const struct jv *v, const char *key)
{
	struct feed_entry *e = NULL;
	const char *s, *why;
	size_t n = 0;
	char loc[160];

	s = key != NULL ? jmember(v, key, &n) : jv_string(v, &n);
	why = s == NULL ? (key != NULL ? "no prefix member" : "not a string")
	                : add_net(d, s, n, &e);
	if (why != NULL) {
		snprintf(loc, sizeof(loc), "%s: %s[%zu]", where, arrname, i);
		reject(d, loc, why);
		return NULL;
	}
	return e;
}

static int parse_aws(struct jv *root, const char *where, struct feed_data *d)
{
	static const char *const arrs[2] = { "prefixes", "ipv6_prefixes" };
	static const char *const keys[2] = { "ip_prefix", "ipv6_prefix" };
	struct jv *a[2];
	struct feed_entry *e;
	size_t i, n;
	const char *svc;
	int k, pass, is_amazon;

	a[0] = need_array(root, "prefixes", d, "an AWS ip-ranges.json");
	if (a[0] == NULL)
		return -1;
	a[1] = jv_get(root, "ipv6_prefixes");
	take_date(d, root, "createDate");
	/* "AMAZON" lists every Amazon prefix again beside the specific
	 * service (EC2, CLOUDFRONT, ...): insert it first so that the
	 * specific entry, inserted later, is what a lookup finds. */
	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < 2; k++) {
			if (a[k] == NULL || jv_typeof(a[k]) != JV_ARRAY)
				continue;
			for (i = 0; i < jv_len(a[k]); i++) {
				struct jv *o = jv_at(a[k], i);

				svc = jmember(o, "service", &n);
				is_amazon = svc != NULL && n == 6 && memcmp(svc, "AMAZON", 6) == 0;
				if (is_amazon != (pass == 0))
					continue;
				e = json_net(d, where, arrs[k], i, o, keys[k]);
				if (e == NULL)
					continue;
				e->region = jdup(o, "region");
				e->service = jdup(o, "service");
				if (e->service != NULL &&
				    strncmp(e->service, "CLOUDFRONT", 10) == 0)
					e->net_type = "cdn";
			}
		}
	}
	return 0;
}

static int parse_gcp(struct jv *root, const char *where, struct feed_data *d)
{
	struct jv *a = need_array(root, "prefixes", d, "a Google cloud.json");
	struct feed_entry *e;
	size_t i;

	if (a == NULL)
		return -1;
	take_date(d, root, "creationTime");
	for (i = 0; i < jv_len(a); i++) {
		struct jv *o = jv_at(a, i);

		e = json_net(d, where, "prefixes", i, o,
		             jv_get(o, "ipv4Prefix") != NULL ? "ipv4Prefix" : "ipv6Prefix");
		if (e == NULL)
			continue;
		e->region = jdup(o, "scope");
		e->service = jdup(o, "service");
	}
	return 0;
}

static int parse_oracle(struct jv *root, const char *where, struct feed_data *d)
{
	struct jv *a = need_array(root, "regions", d, "an Oracle public_ip_ranges.json");
	struct feed_entry *e;
	size_t i, j;
	char name[64];

	if (a == NULL)
		return -1;
	take_date(d, root, "last_updated_timestamp");
	for (i = 0; i < jv_len(a); i++) {
		struct jv *r = jv_at(a, i), *c = jv_get(r, "cidrs");

		if (c == NULL || jv_typeof(c) != JV_ARRAY) {
			char loc[160];

			snprintf(loc, sizeof(loc), "%s: regions[%zu]", where, i);
			reject(d, loc, "no \"cidrs\" array");
			continue;
		}
		snprintf(name, sizeof(name), "regions[%zu].cidrs", i);
		for (j = 0; j < jv_len(c); j++) {
			struct jv *o = jv_at(c, j), *tags = jv_get(o, "tags");

			e = json_net(d, where, name, j, o, "cidr");
			if (e == NULL)
				continue;
			e->region = jdup(r, "region");
			if (tags != NULL && jv_typeof(tags) == JV_ARRAY && jv_len(tags) > 0) {
				size_t n = 0;
				const char *s = jv_string(jv_at(tags, 0), &n);

				e->service = dup_trim(s, n);
			}
		}
	}
	return 0;
}

static int parse_fastly(struct jv *root, const char *where, struct feed_data *d)
{
	static const char *const arrs[2] = { "addresses", "ipv6_addresses" };
	struct jv *a;
	size_t i;
	int k;

	if (need_array(root, "addresses", d, "a Fastly public-ip-list") == NULL)
		return -1;
	for (k = 0; k < 2; k++) {
		a = jv_get(root, arrs[k]);
		if (a == NULL || jv_typeof(a) != JV_ARRAY)
			continue;
		for (i = 0; i < jv_len(a); i++)
			json_net(d, where, arrs[k], i, jv_at(a, i), NULL);
	}
	return 0;
}

/* Mullvad's bridges are Shadowsocks entry points that forward to a relay:
 * traffic leaves through the relay, so a bridge's address is never the
 * source a destination sees, and typing it vpn would claim an exit that
 * is not one.  Both shapes of the list skip them. */
static int is_bridge(const char *s, size_t n)
{
	return s != NULL && n == 6 && memcmp(s, "bridge", 6) == 0;
}

/* The flat list of api.mullvad.net/www/relays/all/: [ {hostname,
 * country_code, city_name, ipv4_addr_in, ipv6_addr_in, type}, ... ]. */
static int parse_mullvad_www(struct jv *root, const char *where, struct feed_data *d)
{
	static const char *const keys[2] = { "ipv4_addr_in", "ipv6_addr_in" };
	struct feed_entry *e;
	const char *s, *cc, *why;
	size_t i, n, ncc;
	char loc[160];
	int k, found;

	for (i = 0; i < jv_len(root); i++) {
		struct jv *o = jv_at(root, i);

		s = jmember(o, "type", &n);
		if (is_bridge(s, n))
			continue;
		found = 0;
		for (k = 0; k < 2; k++) {
			s = jmember(o, keys[k], &n);
			if (s == NULL || n == 0)
				continue;
			found = 1;
			e = NULL;
			why = add_net(d, s, n, &e);
			if (why != NULL) {
				snprintf(loc, sizeof(loc), "%s: [%zu].%s", where, i, keys[k]);
				reject(d, loc, why);
				continue;
			}
			ncc = 0;
			cc = jmember(o, "country_code", &ncc);
			set_country(e, cc, ncc);
			e->city = jdup(o, "city_name");
			e->region = jdup(o, "city_name");
			e->service = jdup(o, "type");
		}
		if (!found) {
			snprintf(loc, sizeof(loc), "%s: [%zu]", where, i);
			reject(d, loc, "relay without ipv4_addr_in or ipv6_addr_in");
		}
	}
	return 0;
}

/* The list Mullvad's apps read, api.mullvad.net/app/v1/relays:
 * { locations: { "se-got": {country, city, ...} }, wireguard: { relays:
 * [ {hostname, location, ipv4_addr_in, ipv6_addr_in, ...} ] }, openvpn:
 * { relays: [...] }, bridge: { relays: [...] } }.  The country is the
 * location key's first part ("se" of "se-got"), the city the location's.
 * A relay's ipv4_addr_in is required, its ipv6_addr_in optional; other
 * addresses it lists (obfuscation entries) are ingress only. */
static int parse_mullvad_app(struct jv *root, const char *where, struct feed_data *d)
{
	static const char *const kinds[2] = { "wireguard", "openvpn" };
	static const char *const keys[2] = { "ipv4_addr_in", "ipv6_addr_in" };
	struct jv *locs = jv_get(root, "locations");
	struct feed_entry *e;
	const char *s, *lk, *why;
	size_t i, n, nlk;
	char loc[160], key[48];
	int k, a, lists = 0;

	for (k = 0; k < 2; k++) {
		struct jv *g = jv_get(root, kinds[k]);
		struct jv *rel = g != NULL && jv_typeof(g) == JV_OBJECT ? jv_get(g, "relays") : NULL;

		if (rel == NULL || jv_typeof(rel) != JV_ARRAY)
			continue;
		lists++;
		for (i = 0; i < jv_len(rel); i++) {
			struct jv *o = jv_at(rel, i), *place = NULL;

			nlk = 0;
			lk = jmember(o, "location", &nlk);
			if (lk != NULL && nlk > 0 && nlk < sizeof(key) &&
			    memchr(lk, '\0', nlk) == NULL && locs != NULL) {
				memcpy(key, lk, nlk);
				key[nlk] = '\0';
				place = jv_get(locs, key);
			}
			for (a = 0; a < 2; a++) {
				s = jmember(o, keys[a], &n);
				snprintf(loc, sizeof(loc), "%s: %s.relays[%zu].%s", where,
				         kinds[k], i, keys[a]);
				if (s == NULL || n == 0) {
					if (a == 0)
						reject(d, loc, "relay without ipv4_addr_in");
					continue;
				}
				e = NULL;
				why = add_net(d, s, n, &e);
				if (why != NULL) {
					reject(d, loc, why);
					continue;
				}
				if (lk != NULL && nlk > 3 && lk[2] == '-')
					set_country(e, lk, 2);
				e->city = jdup(place, "city");
				e->region = jdup(place, "city");
				e->service = xstrdup(kinds[k]);
			}
		}
	}
	if (lists == 0) {
		refuse(d, "not a Mullvad relay list: neither an array of relays nor "
		       "an object with wireguard.relays or openvpn.relays");
		return -1;
	}
	return 0;
}

/* Mullvad publishes its relays in two shapes; the document says which. */
static int parse_mullvad(struct jv *root, const char *where, struct feed_data *d)
{
	if (jv_typeof(root) == JV_ARRAY)
		return parse_mullvad_www(root, where, d);
	if (jv_typeof(root) == JV_OBJECT)
		return parse_mullvad_app(root, where, d);
	refuse(d, "not a Mullvad relay list: neither a JSON array nor an object");
	return -1;
}

static int parse_proton(struct jv *root, const char *where, struct feed_data *d)
{
	struct jv *a = need_array(root, "LogicalServers", d, "a Proton VPN server list");
	struct feed_entry *e;
	const char *cc;
	size_t i, j, ncc;
	char name[64];

	if (a == NULL)
		return -1;
	for (i = 0; i < jv_len(a); i++) {
		struct jv *l = jv_at(a, i), *sv = jv_get(l, "Servers");

		if (sv == NULL || jv_typeof(sv) != JV_ARRAY) {
			char loc[160];

			snprintf(loc, sizeof(loc), "%s: LogicalServers[%zu]", where, i);
			reject(d, loc, "no \"Servers\" array");
			continue;
		}
		snprintf(name, sizeof(name), "LogicalServers[%zu].Servers", i);
		for (j = 0; j < jv_len(sv); j++) {
			e = json_net(d, where, name, j, jv_at(sv, j), "ExitIP");
			if (e == NULL)
				continue;
			ncc = 0;
			cc = jmember(l, "ExitCountry", &ncc);
			set_country(e, cc, ncc);
			e->city = jdup(l, "City");
			e->region = jdup(l, "City");
			e->service = jdup(l, "Name");
		}
	}
	return 0;
}

static int parse_azure(struct jv *root, const char *where, struct feed_data *d)
{
	struct jv *a = need_array(root, "values", d, "an Azure service tags file");
	struct feed_entry *e;
	size_t i, j;
	char name[64];
	int pass, regional;

	if (a == NULL)
		return -1;
	/* Tags without a region ("AzureCloud") cover the regional ones
	 * ("AzureCloud.eastus"): insert them first so the regional entry,
	 * inserted later, is what a lookup finds. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < jv_len(a); i++) {
			struct jv *v = jv_at(a, i), *p = jv_get(v, "properties");
			struct jv *ap = jv_get(p, "addressPrefixes");
			char *region = jdup(p, "region");

			regional = region != NULL;
			free(region);
			if (regional != (pass == 1))
				continue;
			if (ap == NULL || jv_typeof(ap) != JV_ARRAY) {
				char loc[160];

				snprintf(loc, sizeof(loc), "%s: values[%zu]", where, i);
				reject(d, loc, "no properties.addressPrefixes array");
				continue;
			}
			snprintf(name, sizeof(name), "values[%zu].addressPrefixes", i);
			for (j = 0; j < jv_len(ap); j++) {
				e = json_net(d, where, name, j, jv_at(ap, j), NULL);
				if (e == NULL)
					continue;
				e->region = jdup(p, "region");
				e->service = jdup(p, "systemService");
				if (e->service == NULL)
					e->service = jdup(v, "name");
			}
		}
	}
	return 0;
}

static int parse_lines(const char *buf, size_t len, const char *where,
                       struct feed_data *d)
{
	size_t pos = 0, end, a, b;
	unsigned long line = 0;
	struct feed_entry *e;
	const char *why;
	char loc[160];

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);

		end = nl != NULL ? (size_t)(nl - buf) : len;
		line++;
		a = pos;
		b = end;
		pos = end + 1;
		while (a < b && (buf[a] == ' ' || buf[a] == '\t'))
			a++;
		while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t' ||
		                 buf[b - 1] == '\r'))
			b--;
		if (a == b || buf[a] == '#')
			continue;
		why = add_net(d, buf + a, b - a, &e);
		if (why != NULL) {
			snprintf(loc, sizeof(loc), "%s:%lu", where, line);
			reject(d, loc, why);
		}
	}
	return 0;
}

static int parse_geofeed(const char *buf, size_t len, const char *where,
                         struct feed_data *d)
{
	struct csv_reader *r = csv_new(buf, len, ',', 64, 8192);
	const struct csv_field *f;
	struct feed_entry *e;
	unsigned long line;
	size_t nf, a, n;
	const char *why;
	char loc[160];
	int st;

	while ((st = csv_next(r, &f, &nf, &line)) != CSV_EOF) {
		if (st < 0) {
			refuse(d, "invalid CSV at line %lu: %s", line, csv_strerror(st));
			csv_free(r);
			return -1;
		}
		a = 0;
		n = f[0].len;
		while (a < n && (f[0].p[a] == ' ' || f[0].p[a] == '\t'))
			a++;
		if (a < n && f[0].p[a] == '#')
			continue;
		if (nf == 1 && a == n)
			continue;   /* a line of blanks */
		e = NULL;
		why = add_net(d, f[0].p + a, n - a, &e);
		if (why != NULL) {
			snprintf(loc, sizeof(loc), "%s:%lu", where, line);
			reject(d, loc, why);
			continue;
		}
		if (nf > 1) {
			char *cc = dup_trim(f[1].p, f[1].len);

			if (cc != NULL)
				set_country(e, cc, strlen(cc));
			free(cc);
		}
		if (nf > 2)
			e->region = dup_trim(f[2].p, f[2].len);
		if (nf > 3)
			e->city = dup_trim(f[3].p, f[3].len);
	}
	csv_free(r);
	return 0;
}

int feed_parse(enum feed_format f, const char *buf, size_t len,
               const char *where, struct feed_data *d)
{
	struct jv *root = NULL;
	int rc;

	d->err[0] = '\0';
	switch (f) {
	case FEED_LINES:
		rc = parse_lines(buf, len, where, d);
		break;
	case FEED_GEOFEED:
		rc = parse_geofeed(buf, len, where, d);
		break;
	case FEED_AWS: case FEED_GCP: case FEED_ORACLE: case FEED_FASTLY:
	case FEED_MULLVAD: case FEED_PROTON: case FEED_AZURE:
		root = parse_json(buf, len, d);
		if (root == NULL)
			return -1;
		rc = f == FEED_AWS ? parse_aws(root, where, d)
		   : f == FEED_GCP ? parse_gcp(root, where, d)
		   : f == FEED_ORACLE ? parse_oracle(root, where, d)
		   : f == FEED_FASTLY ? parse_fastly(root, where, d)
		   : f == FEED_MULLVAD ? parse_mullvad(root, where, d)
		   : f == FEED_PROTON ? parse_proton(root, where, d)
		   : parse_azure(root, where, d);
		jv_free(root);
		break;
	default:
		refuse(d, "unknown feed format");
		return -1;
	}
	if (rc != 0)
		return -1;
	if (d->rejected > FEED_MAX_WARN && !d->quiet)
		msg_warn(where, "%lu entries skipped in all", d->rejected);
	if (d->n == 0) {
		refuse(d, "no valid prefix in the document%s%s",
		       d->rejected ? "; first problem: " : "",
		       d->rejected ? d->first_bad : "");
		return -1;
	}
	if (d->rejected > d->n) {
		refuse(d, "more invalid entries (%lu) than valid ones (%zu); "
		       "first problem: %s", d->rejected, d->n, d->first_bad);
		return -1;
	}
	return 0;
}
