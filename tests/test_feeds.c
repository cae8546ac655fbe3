/*
 * test_feeds.c - the feed parsers on fixtures in the providers' real
 * formats (tests/data/feeds/) and on malformed input.
 */
#include <stdlib.h>
#include <string.h>

#include "feeds.h"
#include "tap.h"
#include "util.h"

static char *fixture(const char *name, size_t *len)
{
	const char *top = getenv("TOP_SRCDIR");
	char *path, *buf = NULL;

	path = xasprintf("%s/tests/data/feeds/%s", top ? top : GEOATTR_SRC_DIR, name);
	if (file_read_all(path, &buf, len) != 0) {
		printf("# cannot read %s\n", path);
		free(path);
		return NULL;
	}
	free(path);
	return buf;
}

/* Parse a fixture; returns feed_parse()'s result. */
static int parse_fixture(enum feed_format f, const char *name,
                         struct feed_data *d)
{
	size_t len = 0;
	char *buf = fixture(name, &len);
	int rc;

	feed_data_init(d);
	d->quiet = 1;
	if (buf == NULL)
		return -2;
	rc = feed_parse(f, buf, len, name, d);
	free(buf);
	return rc;
}

static int parse_text(enum feed_format f, const char *text, struct feed_data *d)
{
	feed_data_init(d);
	d->quiet = 1;
	return feed_parse(f, text, strlen(text), "t", d);
}

/* Index of the entry starting at text/len, or -1. */
static long find(const struct feed_data *d, const char *net)
{
	char buf[ADDR_TEXT_MAX], want[NET_TEXT_MAX];
	size_t i;

	for (i = 0; i < d->n; i++) {
		snprintf(want, sizeof(want), "%s/%d",
		         addr_format(&d->v[i].start, buf), d->v[i].len);
		if (strcmp(want, net) == 0)
			return (long)i;
	}
	return -1;
}

static void test_aws(void)
{
	struct feed_data d;
	long i;

	is_int(parse_fixture(FEED_AWS, "aws-ip-ranges.json", &d), 0, "aws: parsed");
	is_int((long long)d.n, 50 + 12 + 3 + 10, "aws: 75 prefix entries (v4 and v6)");
	is_int((long long)d.rejected, 0, "aws: nothing rejected");
	is_str(d.date, "2021-01-27", "aws: date from createDate");
	i = find(&d, "3.5.140.0/22");
	ok(i >= 0 && strcmp(d.v[i].region, "ap-northeast-2") == 0, "aws: region kept");
	ok(i >= 0 && d.v[i].net_type == NULL, "aws: AMAZON entry has the feed's type");
	/* AMAZON entries come first so that EC2 (inserted later) wins. */
	i = find(&d, "52.4.0.0/14");
	ok(i >= 0 && strcmp(d.v[i].service, "AMAZON") == 0, "aws: first match is the AMAZON entry");
	ok(i >= 0 && (size_t)i < 50, "aws: AMAZON entries ordered first");
	i = find(&d, "13.32.0.0/15");
	ok(i >= 0, "aws: CloudFront prefix present");
	i = find(&d, "2600:9000::/28");
	ok(i >= 0, "aws: IPv6 prefix present");
	{
		size_t k;
		int cdn = 0;

		for (k = 0; k < d.n; k++)
			if (d.v[k].net_type != NULL && strcmp(d.v[k].net_type, "cdn") == 0)
				cdn++;
		is_int(cdn, 4, "aws: CLOUDFRONT entries typed cdn");
	}
	feed_data_free(&d);
}

static void test_gcp_oracle_fastly(void)
{
	struct feed_data d;
	long i;

	is_int(parse_fixture(FEED_GCP, "gcp-cloud.json", &d), 0, "gcp: parsed");
	is_int((long long)d.n, 19, "gcp: 19 prefixes");
	is_str(d.date, "2024-05-24", "gcp: date from creationTime");
	i = find(&d, "34.87.0.0/17");
	ok(i >= 0 && strcmp(d.v[i].region, "asia-southeast1") == 0, "gcp: scope is the region");
	i = find(&d, "2600:1900:4000::/44");
	ok(i >= 0 && strcmp(d.v[i].service, "Google Cloud") == 0, "gcp: IPv6 prefix with service");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_ORACLE, "oracle-public_ip_ranges.json", &d), 0, "oracle: parsed");
	is_int((long long)d.n, 14, "oracle: 14 cidrs");
	is_str(d.date, "2024-05-21", "oracle: date from last_updated_timestamp");
	i = find(&d, "130.61.0.0/16");
	ok(i >= 0 && strcmp(d.v[i].region, "eu-frankfurt-1") == 0 &&
	   strcmp(d.v[i].service, "OCI") == 0, "oracle: region and tag");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_FASTLY, "fastly-public-ip-list.json", &d), 0, "fastly: parsed");
	is_int((long long)d.n, 21, "fastly: 19 IPv4 + 2 IPv6");
	ok(find(&d, "151.101.0.0/16") >= 0, "fastly: 151.101.0.0/16");
	is_str(d.date, "", "fastly: no date in the document");
	feed_data_free(&d);
}

static void test_lines(void)
{
	struct feed_data d;
	size_t len;
	char *a;

	is_int(parse_fixture(FEED_LINES, "cloudflare-ips-v4.txt", &d), 0, "cloudflare v4: parsed");
	is_int((long long)d.n, 15, "cloudflare v4: 15 prefixes");
	feed_data_free(&d);
	/* Both files of a feed go into one feed_data. */
	is_int(parse_fixture(FEED_LINES, "cloudflare-ips-v6.txt", &d), 0, "cloudflare v6: parsed");
	a = fixture("cloudflare-ips-v4.txt", &len);
	is_int(feed_parse(FEED_LINES, a, len, "v4", &d), 0, "cloudflare: second file appended");
	is_int((long long)d.n, 22, "cloudflare: 22 prefixes in all");
	free(a);
	feed_data_free(&d);

	is_int(parse_fixture(FEED_LINES, "tor-exits.txt", &d), 0, "tor: parsed");
	is_int((long long)d.n, 9, "tor: 9 exits");
	ok(d.n > 0 && d.v[0].len == 32, "tor: single address is a /32");
	feed_data_free(&d);

	is_int(parse_text(FEED_LINES, "# c\r\n\r\n 192.0.2.1 \r\n10.1.2.3/8\n192.0.2.0/24\nbad\n2001:db8::/32",
	                  &d), 0, "lines: CRLF, comments, blanks");
	is_int((long long)d.n, 3, "lines: 3 accepted");
	is_int((long long)d.rejected, 2, "lines: host bits and garbage rejected");
	ok(strncmp(d.first_bad, "t:4: ", 5) == 0, "lines: rejection names FILE:LINE (%s)", d.first_bad);
	feed_data_free(&d);

	is_int(parse_fixture(FEED_LINES, "errorpage.html", &d), -1, "lines: an HTML error page is refused");
	ok(strstr(d.err, "no valid prefix") != NULL, "lines: says why (%s)", d.err);
	feed_data_free(&d);
	is_int(parse_text(FEED_LINES, "", &d), -1, "lines: empty document refused");
	feed_data_free(&d);
	is_int(parse_text(FEED_LINES, "192.0.2.1\nx\ny\n", &d), -1,
	       "lines: more bad entries than good refused");
	feed_data_free(&d);
}

static void test_geofeed(void)
{
	struct feed_data d;
	long i;

	is_int(parse_fixture(FEED_GEOFEED, "digitalocean-geofeed.csv", &d), 0, "do: parsed");
	is_int((long long)d.n, 12, "do: 12 prefixes");
	i = find(&d, "68.183.0.0/20");
	ok(i >= 0 && strcmp(d.v[i].country, "SG") == 0 && strcmp(d.v[i].region, "SG-01") == 0 &&
	   strcmp(d.v[i].city, "Singapore") == 0, "do: country, region, city");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_GEOFEED, "linode-geofeed.csv", &d), 0, "linode: parsed");
	is_int((long long)d.n, 10, "linode: comments skipped, 10 prefixes");
	is_int((long long)d.rejected, 0, "linode: nothing rejected");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_GEOFEED, "icloud-egress.csv", &d), 0, "icloud: parsed");
	is_int((long long)d.n, 8, "icloud: 8 prefixes");
	i = find(&d, "2a02:26f7:b3c0:4000::/64");
	ok(i >= 0 && strcmp(d.v[i].country, "GB") == 0, "icloud: IPv6 with country");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_GEOFEED, "geofeed-badlines.csv", &d), 0, "geofeed: bad lines skipped");
	is_int((long long)d.n, 3, "geofeed: 3 accepted");
	is_int((long long)d.rejected, 2, "geofeed: 2 rejected");
	ok(strncmp(d.first_bad, "geofeed-badlines.csv:3: ", 24) == 0,
	   "geofeed: first rejection is FILE:LINE (%s)", d.first_bad);
	i = find(&d, "203.0.113.0/24");
	ok(i >= 0 && strcmp(d.v[i].country, "NL") == 0, "geofeed: country upper-cased");
	i = find(&d, "2001:db8::/32");
	ok(i >= 0 && d.v[i].country[0] == '\0', "geofeed: a non-ISO country is left out");
	feed_data_free(&d);

	is_int(parse_fixture(FEED_GEOFEED, "invalid.csv", &d), -1, "geofeed: unclosed quote refused");
	ok(strstr(d.err, "invalid CSV at line 2") != NULL, "geofeed: says where (%s)", d.err);
	feed_data_free(&d);
	is_int(parse_text(FEED_GEOFEED, "a,b\0c\n", &d), -1, "geofeed: header-only garbage refused");
	feed_data_free(&d);
}

static void test_vpn(void)
{
	struct feed_data d;
	long i;

	is_int(parse_fixture(FEED_MULLVAD, "mullvad-relays.json", &d), 0, "mullvad: parsed");
	is_int((long long)d.n, 9, "mullvad: 5 IPv4 + 4 IPv6 relays, the bridge left out");
	i = find(&d, "185.195.233.76/32");
	ok(i >= 0 && strcmp(d.v[i].country, "SE") == 0 && strcmp(d.v[i].city, "Stockholm") == 0,
	   "mullvad: country upper-cased, city kept");
	ok(find(&d, "185.195.232.66/32") < 0, "mullvad: a bridge is not an exit");
	feed_data_free(&d);

	/* The app/v1/relays shape, the one embedded as a snapshot. */
	is_int(parse_fixture(FEED_MULLVAD, "mullvad-app-relays.json", &d), 0, "mullvad app: parsed");
	is_int((long long)d.n, 6, "mullvad app: 4 IPv4 + 2 IPv6 relays");
	is_int((long long)d.rejected, 0, "mullvad app: nothing rejected");
	i = find(&d, "185.213.154.68/32");
	ok(i >= 0 && strcmp(d.v[i].country, "SE") == 0 && d.v[i].city != NULL &&
	   strcmp(d.v[i].city, "Gothenburg") == 0 && strcmp(d.v[i].service, "wireguard") == 0,
	   "mullvad app: country from the location key, city from locations");
	i = find(&d, "2a02:6ea0:c020:1::a01f/128");
	ok(i >= 0 && strcmp(d.v[i].country, "US") == 0, "mullvad app: IPv6 of a relay");
	i = find(&d, "193.27.14.2/32");
	ok(i >= 0 && strcmp(d.v[i].service, "openvpn") == 0, "mullvad app: OpenVPN relays count");
	i = find(&d, "198.51.100.7/32");
	ok(i >= 0 && d.v[i].country[0] == '\0' && d.v[i].city == NULL,
	   "mullvad app: an unknown location leaves country and city out");
	ok(find(&d, "185.195.232.66/32") < 0, "mullvad app: bridges are skipped");
	ok(find(&d, "185.213.154.90/32") < 0, "mullvad app: obfuscation entries are not exits");
	feed_data_free(&d);

	/* A bad relay among good ones is named by list and index. */
	is_int(parse_text(FEED_MULLVAD, "{\"wireguard\":{\"relays\":["
	                  "{\"location\":\"se-got\",\"ipv4_addr_in\":\"192.0.2.1\"},"
	                  "{\"location\":\"se-got\",\"ipv4_addr_in\":\"192.0.2.300\"},"
	                  "{\"location\":\"se-got\"},"
	                  "{\"location\":\"se-got\",\"ipv4_addr_in\":\"192.0.2.3\"}]}}", &d),
	       0, "mullvad app: bad relays skipped");
	is_int((long long)d.rejected, 2, "mullvad app: two rejected");
	ok(strncmp(d.first_bad, "t: wireguard.relays[1].ipv4_addr_in: ", 37) == 0,
	   "mullvad app: rejection names the relay (%s)", d.first_bad);
	feed_data_free(&d);
	is_int(parse_text(FEED_MULLVAD, "{\"bridge\":{\"relays\":[{\"ipv4_addr_in\":\"192.0.2.1\"}]}}", &d),
	       -1, "mullvad app: bridges alone are not a relay list");
	ok(strstr(d.err, "wireguard.relays") != NULL, "mullvad app: says what is missing (%s)", d.err);
	feed_data_free(&d);

	is_int(parse_fixture(FEED_PROTON, "proton-logicals.json", &d), 0, "proton: parsed");
	is_int((long long)d.n, 5, "proton: 5 exit addresses");
	ok(find(&d, "185.107.56.21/32") >= 0, "proton: second server of a logical");
	ok(find(&d, "185.107.56.20/32") < 0, "proton: entry IPs are not exits");
	i = find(&d, "138.199.21.11/32");
	ok(i >= 0 && strcmp(d.v[i].country, "JP") == 0, "proton: ExitCountry");
	feed_data_free(&d);

	is_int(parse_text(FEED_MULLVAD, "{\"a\":1}", &d), -1, "mullvad: an object is refused");
	feed_data_free(&d);
	is_int(parse_text(FEED_PROTON, "[]", &d), -1, "proton: an array is refused");
	ok(strstr(d.err, "LogicalServers") != NULL, "proton: says what is missing");
	feed_data_free(&d);
}

static void test_azure(void)
{
	struct feed_data d;
	long i;

	is_int(parse_fixture(FEED_AZURE, "azure-servicetags.json", &d), 0, "azure: parsed");
	is_int((long long)d.n, 10, "azure: 10 prefixes");
	/* 52.224.0.0/16 is in both AzureCloud and AzureCloud.eastus: the
	 * regional one must come later. */
	i = find(&d, "52.224.0.0/16");
	ok(i >= 0 && d.v[i].region != NULL && strcmp(d.v[i].region, "eastus") == 0,
	   "azure: regional tag after the global one");
	ok(d.n > 0 && d.v[0].region == NULL, "azure: global tag first");
	i = find(&d, "13.69.40.0/21");
	ok(i >= 0 && strcmp(d.v[i].service, "AzureStorage") == 0, "azure: systemService");
	feed_data_free(&d);
}

static void test_malformed_json(void)
{
	static const struct { enum feed_format f; const char *text; const char *what; } bad[] = {
		{ FEED_AWS, "", "aws: empty" },
		{ FEED_AWS, "{\"prefixes\": 5}", "aws: prefixes not an array" },
		{ FEED_AWS, "{\"prefixes\": []}", "aws: no prefix" },
		{ FEED_AWS, "[1,2]", "aws: array" },
		{ FEED_GCP, "{\"prefixes\":[{\"ipv4Prefix\": 7}]}", "gcp: prefix not a string" },
		{ FEED_ORACLE, "{\"regions\":[{\"cidrs\": {}}]}", "oracle: cidrs not an array" },
		{ FEED_FASTLY, "{\"addresses\":[\"1.2.3.4/33\"]}", "fastly: bad prefix length" },
		{ FEED_AZURE, "{\"values\":[{\"properties\":null}]}", "azure: no properties" },
		{ FEED_PROTON, "{\"LogicalServers\":[{\"Servers\":[{\"ExitIP\":\"1.2.3\"}]}]}", "proton: bad exit" },
		{ FEED_MULLVAD, "[{\"ipv4_addr_in\": null}]", "mullvad: null address" },
	};
	struct feed_data d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(parse_text(bad[i].f, bad[i].text, &d), -1, bad[i].what);
		ok(d.err[0] != '\0', "%s: reason given (%s)", bad[i].what, d.err);
		feed_data_free(&d);
	}
	is_int(parse_fixture(FEED_AWS, "invalid.json", &d), -1, "aws: truncated JSON refused");
	ok(strncmp(d.err, "invalid JSON: line", 18) == 0, "aws: JSON error position (%s)", d.err);
	feed_data_free(&d);
	/* One bad entry among good ones is skipped and reported by index. */
	is_int(parse_text(FEED_AWS, "{\"prefixes\":[{\"ip_prefix\":\"192.0.2.0/24\"},"
	                  "{\"ip_prefix\":\"192.0.2.0/33\"},{\"ip_prefix\":\"198.51.100.0/24\"}]}",
	                  &d), 0, "aws: one bad entry skipped");
	is_int((long long)d.rejected, 1, "aws: one rejected");
	ok(strncmp(d.first_bad, "t: prefixes[1]: ", 16) == 0, "aws: rejection names the index (%s)",
	   d.first_bad);
	feed_data_free(&d);
	ok(strcmp(feed_format_name(FEED_GEOFEED), "geofeed") == 0, "format names");
}

int main(void)
{
	size_t len;
	char *probe = fixture("aws-ip-ranges.json", &len);

	if (probe == NULL)
		skip_all("fixtures not found (set TOP_SRCDIR)");
	free(probe);
	test_aws();
	test_gcp_oracle_fastly();
	test_lines();
	test_geofeed();
	test_vpn();
	test_azure();
	test_malformed_json();
	return done_testing();
}
