/*
 * test_rdap.c - the RDAP parsers on ARIN-, RIPE-, APNIC- and LACNIC-style
 * answers and on broken ones, bootstrap matching, and the cache without
 * a network.
 *
 *   test_rdap                           the offline tests (make check)
 *   test_rdap --net BASE CACERT LOG DIR lookups against tests/rdapserver.py
 *                                       at BASE, run by tests/cli_rdap.sh
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "rdap.h"
#include "tap.h"
#include "util.h"

static const char *fixdir;

static char *fixture(const char *name, size_t *len)
{
	char *path = xasprintf("%s/data/rdap/%s", fixdir, name), *buf = NULL;

	if (file_read_all(path, &buf, len) != 0) {
		printf("# cannot read %s: %s\n", path, strerror(errno));
		*len = 0;
	}
	free(path);
	return buf;
}

static struct ga_addr addr(const char *s)
{
	struct ga_addr a;

	if (addr_parse(s, strlen(s), &a, NULL) != 0) {
		printf("# bad test address %s\n", s);
		memset(&a, 0, sizeof(a));
	}
	return a;
}

static int contains(const char *hay, const char *needle, const char *what)
{
	int yes = hay != NULL && strstr(hay, needle) != NULL;

	if (!ok(yes, "%s", what))
		printf("# \"%s\" not in \"%s\"\n", needle, hay ? hay : "(null)");
	return yes;
}

/* Parse a fixture; returns the parser's result, r filled on success. */
static int parse_fixture(const char *name, struct rdap_result *r, char *err,
                         size_t errlen)
{
	size_t len;
	char *buf = fixture(name, &len);
	int rc = rdap_parse_network(buf ? buf : "", len, r, err, errlen);

	free(buf);
	return rc;
}

/* ------------------------------------------------------------- parsers */

static void test_answers(void)
{
	struct rdap_result r;
	char err[256];

	is_int(parse_fixture("arin-8.8.8.0.json", &r, err, sizeof(err)), 0, "ARIN: parses");
	is_str(r.network, "8.8.8.0/24", "ARIN: network from startAddress/endAddress");
	is_str(r.name, "GOGL", "ARIN: name");
	is_str(r.type, "DIRECT ALLOCATION", "ARIN: type");
	is_str(r.handle, "NET-8-8-8-0-2", "ARIN: handle");
	is_str(r.country, NULL, "ARIN: no country (none given, adr has only a label)");
	is_str(r.registry, "ARIN", "ARIN: registry from port43");
	is_str(r.registration_date, "2023-12-28T17:24:33-05:00", "ARIN: registration event");
	is_str(r.last_changed, "2023-12-28T17:24:56-05:00", "ARIN: last changed event");
	is_int(r.block.prefix_len, 24, "ARIN: block is one /24");
	is_int(r.from_cache, 0, "ARIN: from_cache is 0 from the parser");
	ok(r.source_url == NULL, "parser leaves source_url to the lookup");
	rdap_result_free(&r);
	ok(r.network == NULL && r.name == NULL, "rdap_result_free empties the result");
	rdap_result_free(&r);
	rdap_result_free(NULL);
	ok(1, "rdap_result_free: twice and NULL are no-ops");

	is_int(parse_fixture("ripe-193.0.0.0.json", &r, err, sizeof(err)), 0, "RIPE: parses");
	is_str(r.network, "193.0.0.0/21", "RIPE: network");
	is_str(r.name, "RIPE-NCC", "RIPE: name");
	is_str(r.country, "NL", "RIPE: country");
	is_str(r.registry, "RIPE NCC", "RIPE: registry");
	is_str(r.handle, "193.0.0.0 - 193.0.7.255", "RIPE: handle");
	is_str(r.registration_date, "2012-03-09T14:27:27Z", "RIPE: registration");
	rdap_result_free(&r);

	is_int(parse_fixture("apnic-1.1.1.0.json", &r, err, sizeof(err)), 0, "APNIC: parses");
	is_str(r.network, "1.1.1.0/24", "APNIC: network");
	is_str(r.name, "APNIC-LABS", "APNIC: name");
	is_str(r.country, "AU", "APNIC: country");
	is_str(r.registry, "APNIC", "APNIC: registry");
	is_str(r.type, "ASSIGNED PORTABLE", "APNIC: type");
	rdap_result_free(&r);

	is_int(parse_fixture("arin-2001-4860.json", &r, err, sizeof(err)), 0, "ARIN IPv6: parses");
	is_str(r.network, "2001:4860::/32", "ARIN IPv6: network");
	is_str(r.country, "US", "ARIN IPv6: country from the registrant's adr cc");
	is_str(r.registration_date, "2005-03-14T00:00:00-05:00", "ARIN IPv6: registration");
	rdap_result_free(&r);

	is_int(parse_fixture("lacnic-cidr-only.json", &r, err, sizeof(err)), 0,
	       "LACNIC, cidr0 only: parses");
	is_str(r.network, "200.160.0.0/20", "cidr0 only: network (length given as a string)");
	is_str(r.country, "BR", "country from the registrant's adr country component");
	is_str(r.registry, "LACNIC", "LACNIC: registry");
	is_str(r.last_changed, NULL, "no last changed event: NULL");
	rdap_result_free(&r);

	is_int(parse_fixture("range-not-cidr.json", &r, err, sizeof(err)), 0, "range: parses");
	is_str(r.network, "192.0.2.0-192.0.2.99", "range not one CIDR block: START-END");
	is_int(r.block.prefix_len, -1, "range: no prefix length");
	is_str(r.country, "DE", "country code upper-cased");
	is_str(r.registry, "whois.example.net", "unknown port43 host kept as the registry");
	is_str(r.name, NULL, "missing name: NULL");
	is_str(r.registration_date, NULL, "missing events: NULL");
	rdap_result_free(&r);

	is_int(parse_fixture("control-chars.json", &r, err, sizeof(err)), 0,
	       "control characters: parses");
	is_str(r.name, "EVIL?[31mNET?X", "escape and NUL in the name replaced");
	is_str(r.country, NULL, "a country name is not a country code");
	is_str(r.registration_date, NULL, "event without a date: NULL");
	is_str(r.registry, NULL, "no port43: registry left to the lookup");
	rdap_result_free(&r);
}

static void refused(const char *name, const char *why, const char *what)
{
	struct rdap_result r;
	char err[256] = "";

	is_int(parse_fixture(name, &r, err, sizeof(err)), -1, what);
	contains(err, why, "  ... saying why");
	ok(r.network == NULL && r.name == NULL, "  ... result left empty");
}

static void test_broken_answers(void)
{
	struct rdap_result r;
	char err[256] = "";

	refused("error-404.json", "RDAP error 404: Not Found", "RDAP error object");
	refused("domain-object.json", "\"domain\", not an \"ip network\"", "a domain object");
	refused("missing-block.json", "no address block", "no start/end and no cidr0");
	refused("bad-start.json", "invalid startAddress", "startAddress not an address");
	refused("reversed-range.json", "not a range", "start after end");
	refused("mixed-family.json", "not a range", "start and end of different families");
	refused("truncated.json", "not JSON", "truncated JSON");
	refused("not-json.json", "not JSON", "not JSON at all");
	refused("array.json", "not a JSON object", "a JSON array");

	is_int(rdap_parse_network("", 0, &r, err, sizeof(err)), -1, "empty answer refused");
	is_int(rdap_parse_network("{}", 2, &r, NULL, 0), -1, "NULL err is accepted");
	/* The parser reads only len bytes: the rest of the buffer is junk. */
	is_int(rdap_parse_network("{\"startAddress\":\"8.8.8.0\",\"endAddress\":\"8.8.8.7\"}XX",
	                          49, &r, err, sizeof(err)), 0, "length respected");
	is_str(r.network, "8.8.8.0/29", "  ... and the block read");
	rdap_result_free(&r);
}

static void test_bootstrap(void)
{
	char url[RDAP_URL_MAX];
	size_t len4, len6;
	char *v4 = fixture("bootstrap-ipv4.json", &len4);
	char *v6 = fixture("bootstrap-ipv6.json", &len6);
	struct ga_addr a;
	const char *nested =
	    "{\"services\": [[[\"10.0.0.0/8\"], [\"https://wide.example/\"]],"
	    " [[\"10.1.0.0/16\", \"bogus\", \"10.2.3.4/8\"], [\"https://narrow.example/rdap\"]],"
	    " [[\"10.1.2.0/24\"], [\"http://clear.example/\", \"ftp://x/\"]],"
	    " [[\"10.1.3.0/24\"], [\"https://has space.example/\", \"HTTPS://ok.example/\"]],"
	    " [[\"10.1.4.0/24\"], [\"https:///\", \"https://h/\"]],"
	    " \"junk\", [[\"10.9.0.0/16\"]]]}";

	a = addr("8.8.8.8");
	is_int(rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url)), RDAP_BOOT_FOUND,
	       "bootstrap v4: 8.8.8.8 found");
	is_str(url, "https://rdap.arin.net/registry/", "  ... ARIN");
	a = addr("193.0.6.139");
	rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url));
	is_str(url, "https://rdap.db.ripe.net/", "bootstrap v4: RIPE");
	a = addr("41.1.2.3");
	rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url));
	is_str(url, "https://rdap.afrinic.net/rdap/", "bootstrap v4: AFRINIC, https URL chosen");
	a = addr("200.160.2.3");
	rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url));
	is_str(url, "https://rdap.lacnic.net/rdap/", "bootstrap v4: LACNIC");
	a = addr("::ffff:1.1.1.1");
	rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url));
	is_str(url, "https://rdap.apnic.net/", "bootstrap v4: IPv4-mapped address is IPv4");
	a = addr("192.168.1.1");
	is_int(rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url)), RDAP_BOOT_NOMATCH,
	       "bootstrap v4: private address not covered");
	is_str(url, "", "  ... url empty");
	a = addr("2001:4860:4860::8888");
	is_int(rdap_parse_bootstrap(v4, len4, &a, url, sizeof(url)), RDAP_BOOT_NOMATCH,
	       "bootstrap v4 file: an IPv6 address is not covered");

	is_int(rdap_parse_bootstrap(v6, len6, &a, url, sizeof(url)), RDAP_BOOT_FOUND,
	       "bootstrap v6: 2001:4860:4860::8888 found");
	is_str(url, "https://rdap.arin.net/registry/", "  ... ARIN");
	a = addr("2a00:1450:4001::1");
	rdap_parse_bootstrap(v6, len6, &a, url, sizeof(url));
	is_str(url, "https://rdap.db.ripe.net/", "bootstrap v6: RIPE /12");
	a = addr("2001:db8::1");
	is_int(rdap_parse_bootstrap(v6, len6, &a, url, sizeof(url)), RDAP_BOOT_NOMATCH,
	       "bootstrap v6: documentation prefix not covered");
	a = addr("8.8.8.8");
	is_int(rdap_parse_bootstrap(v6, len6, &a, url, sizeof(url)), RDAP_BOOT_NOMATCH,
	       "bootstrap v6 file: an IPv4 address is not covered");

	a = addr("10.1.9.9");
	is_int(rdap_parse_bootstrap(nested, strlen(nested), &a, url, sizeof(url)),
	       RDAP_BOOT_FOUND, "nested: found");
	is_str(url, "https://narrow.example/rdap/", "nested: longest prefix wins, '/' appended");
	a = addr("10.200.0.1");
	rdap_parse_bootstrap(nested, strlen(nested), &a, url, sizeof(url));
	is_str(url, "https://wide.example/", "nested: outside the /16, the /8");
	a = addr("10.1.2.3");
	is_int(rdap_parse_bootstrap(nested, strlen(nested), &a, url, sizeof(url)),
	       RDAP_BOOT_NOHTTPS, "nested: most specific service without https is not skipped");
	a = addr("10.1.3.3");
	rdap_parse_bootstrap(nested, strlen(nested), &a, url, sizeof(url));
	is_str(url, "https://ok.example/", "URL with a space skipped; scheme lower-cased");
	a = addr("10.1.4.4");
	rdap_parse_bootstrap(nested, strlen(nested), &a, url, sizeof(url));
	is_str(url, "https://h/", "URL without a host skipped");
	a = addr("10.1.9.9");
	is_int(rdap_parse_bootstrap(nested, strlen(nested), &a, url, 20),
	       RDAP_BOOT_NOHTTPS, "URL longer than the buffer is not used");
	is_int(rdap_parse_bootstrap(nested, strlen(nested) - 1, &a, url, sizeof(url)),
	       RDAP_BOOT_BAD, "truncated bootstrap is bad");
	is_int(rdap_parse_bootstrap("{\"services\": 3}", 15, &a, url, sizeof(url)),
	       RDAP_BOOT_BAD, "services not an array is bad");
	is_int(rdap_parse_bootstrap("[]", 2, &a, url, sizeof(url)),
	       RDAP_BOOT_BAD, "an array is bad");
	is_int(rdap_parse_bootstrap("", 0, &a, url, sizeof(url)),
	       RDAP_BOOT_BAD, "empty is bad");
	free(v4);
	free(v6);

	is_str(rdap_registry_for_host("whois.arin.net"), "ARIN", "host: whois.arin.net");
	is_str(rdap_registry_for_host("rdap.db.ripe.net"), "RIPE NCC", "host: rdap.db.ripe.net");
	is_str(rdap_registry_for_host("WHOIS.APNIC.NET."), "APNIC", "host: case and root dot");
	is_str(rdap_registry_for_host("afrinic.net"), "AFRINIC", "host: the domain itself");
	is_str(rdap_registry_for_host("notarin.net"), NULL, "host: suffix must be a label");
	is_str(rdap_registry_for_host(NULL), NULL, "host: NULL");
}

/* ---------------------------------------------------------------- cache */

static void put_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
		printf("# cannot write %s\n", path);
}

static void test_cache(const char *tmp)
{
	struct rdap_opts o;
	struct rdap_result r;
	char err[256], *dir, *p, *idx;
	size_t len;
	char *arin = fixture("arin-8.8.8.0.json", &len);
	const char *wide = "{\"objectClassName\":\"ip network\",\"name\":\"WIDE\","
	                   "\"startAddress\":\"8.0.0.0\",\"endAddress\":\"8.255.255.255\"}";
	struct ga_addr a;
	long long now = (long long)time(NULL);

	memset(&o, 0, sizeof(o));
	o.cache_dir = tmp;
	o.offline = 1;
	/* Nothing listens on port 1: a request would fail, not hang. */
	o.bootstrap_url_v4 = "http://127.0.0.1:1/ipv4.json";
	o.bootstrap_url_v6 = "http://127.0.0.1:1/ipv6.json";
	o.timeout = 5;

	a = addr("8.8.8.8");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "offline, empty cache: error");
	contains(err, "no answer for 8.8.8.8", "  ... the cache has no answer");
	contains(err, "nothing was sent", "  ... and nothing was sent");
	dir = xasprintf("%s/rdap", tmp);
	ok(access(dir, F_OK) != 0, "  ... and no cache directory made");

	mkdir(dir, 0700);
	p = xasprintf("%s/net-8.8.8.0_8.8.8.255.json", dir);
	put_file(p, arin, len);
	free(p);
	p = xasprintf("%s/net-8.0.0.0_8.255.255.255.json", dir);
	put_file(p, wide, strlen(wide));
	free(p);
	idx = xasprintf("8.0.0.0\t8.255.255.255\t%lld\thttps://rdap.arin.net/registry/ip/8.1.1.1\n"
	                "garbage line\n"
	                "8.8.8.0\t8.8.8.255\t1000\thttps://rdap.arin.net/registry/ip/8.8.8.8\n"
	                "2001:db8::\t2001:db8::ff\t1000\n", now);
	p = xasprintf("%s/index.tsv", dir);
	put_file(p, idx, strlen(idx));
	free(p);
	free(idx);

	a = addr("8.8.8.200");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0, "offline: cached block answers");
	is_int(r.from_cache, 1, "  ... from_cache");
	is_str(r.name, "GOGL", "  ... the narrowest block, though old (offline: any age)");
	is_str(r.source_url, "https://rdap.arin.net/registry/ip/8.8.8.8", "  ... source URL kept");
	is_int((long long)r.fetched, 1000, "  ... download time kept");
	is_str(r.registry, "ARIN", "  ... registry");
	rdap_result_free(&r);

	o.offline = 0;
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1,
	       "online: an expired answer is not used");
	contains(err, "bootstrap", "  ... the lookup went on to the bootstrap");
	a = addr("8.9.9.9");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0,
	       "online: a fresh cached block answers without a request");
	is_str(r.name, "WIDE", "  ... the wide block for an address outside the narrow one");
	is_int(r.from_cache, 1, "  ... from_cache");
	is_str(r.registry, "ARIN", "  ... registry from the source URL's host");
	rdap_result_free(&r);

	o.offline = 1;
	a = addr("2001:db8::1");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1,
	       "offline: index line without a URL ignored");
	o.cache_dir = NULL;
	a = addr("8.8.8.8");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "offline without a cache: error");
	contains(err, "nothing was sent", "  ... nothing was sent");
	free(dir);
	free(arin);
}

/* ------------------------------------------------------------- network */

static int count_lines(const char *path, const char *prefix)
{
	char *buf = NULL, *p, *nl;
	size_t len;
	int n = 0;

	if (file_read_all(path, &buf, &len) != 0)
		return 0;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	free(buf);
	return n;
}

static int net_tests(const char *base, const char *cacert, const char *log,
                     const char *tmp)
{
	struct rdap_opts o;
	struct rdap_result r;
	char err[256], *want, *dir, *p;
	struct ga_addr a;
	struct stat st;

	if (fetch_global_init() != 0)
		skip_all("libcurl did not start");
	memset(&o, 0, sizeof(o));
	o.cache_dir = dir = xasprintf("%s/cache", tmp);
	o.bootstrap_url_v4 = xasprintf("%s/bootstrap/ipv4.json", base);
	o.bootstrap_url_v6 = xasprintf("%s/bootstrap/ipv6.json", base);
	o.cacert = cacert;
	o.timeout = 10;

	a = addr("8.8.8.8");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0, "first lookup succeeds");
	if (r.network == NULL)
		printf("# %s\n", err);
	is_int(r.from_cache, 0, "  ... fetched, not from the cache");
	is_str(r.network, "8.8.8.0/24", "  ... network");
	is_str(r.name, "GOGL", "  ... name");
	is_str(r.registry, "ARIN", "  ... registry");
	want = xasprintf("%s/rdap/ip/8.8.8.8", base);
	is_str(r.source_url, want, "  ... source URL from the bootstrap's base");
	free(want);
	ok(r.fetched > 0, "  ... download time set");
	rdap_result_free(&r);
	is_int(count_lines(log, "/bootstrap/ipv4.json"), 1, "bootstrap fetched once");
	is_int(count_lines(log, "/rdap/ip/8.8.8.8"), 1, "answer fetched once");

	p = xasprintf("%s/rdap/index.tsv", dir);
	ok(stat(p, &st) == 0 && (st.st_mode & 077) == 0, "index written, private");
	free(p);
	p = xasprintf("%s/rdap/net-8.8.8.0_8.8.8.255.json", dir);
	ok(stat(p, &st) == 0 && (st.st_mode & 077) == 0, "answer cached per block, private");
	free(p);
	p = xasprintf("%s/rdap", dir);
	ok(stat(p, &st) == 0 && (st.st_mode & 077) == 0, "cache directory private");
	free(p);

	a = addr("8.8.8.9");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0, "second lookup in the block");
	is_int(r.from_cache, 1, "  ... from the cache");
	is_str(r.name, "GOGL", "  ... same answer");
	rdap_result_free(&r);
	is_int(count_lines(log, "/rdap/"), 1, "  ... the server saw no second query");
	is_int(count_lines(log, "/bootstrap/"), 1, "  ... nor a second bootstrap request");

	a = addr("2001:4860:4860::8888");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0, "IPv6 lookup succeeds");
	is_str(r.network, "2001:4860::/32", "  ... network");
	is_int(r.from_cache, 0, "  ... fetched");
	rdap_result_free(&r);
	is_int(count_lines(log, "/bootstrap/ipv6.json"), 1, "  ... through the IPv6 bootstrap");
	p = xasprintf("%s/rdap/net-2001-4860--_2001-4860-ffff-ffff-ffff-ffff-ffff-ffff.json", dir);
	ok(access(p, F_OK) == 0, "  ... cached under a name without ':'");
	free(p);

	a = addr("198.51.100.7");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "404: error");
	contains(err, "no record of 198.51.100.7 (HTTP 404)", "  ... saying so");
	a = addr("203.0.113.5");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "invalid JSON: error");
	contains(err, "not JSON", "  ... saying so");
	a = addr("192.0.2.1");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "answer about another block: error");
	contains(err, "193.0.0.0/21, which does not contain 192.0.2.1", "  ... saying so");
	a = addr("10.1.2.3");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "service with http only: error");
	contains(err, "not sent in clear text", "  ... saying so");
	a = addr("172.16.0.1");
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "address no service covers: error");
	contains(err, "nothing was sent", "  ... saying so");
	is_int(count_lines(log, "/rdap/"), 5, "five queries in all: two answers, three failures");
	is_int(count_lines(log, "/bootstrap/"), 2, "the bootstrap files came from the cache");

	a = addr("8.8.8.1");
	o.offline = 1;
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), 0, "offline: cached answer");
	is_int(r.from_cache, 1, "  ... from the cache");
	rdap_result_free(&r);
	o.cache_dir = p = xasprintf("%s/empty", tmp);
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1, "offline, empty cache: error");
	contains(err, "no answer for 8.8.8.1 (offline: nothing was sent)", "  ... saying so");
	is_int(count_lines(log, "/"), 7, "  ... and the server saw nothing");
	free(p);

	o.offline = 0;
	o.cacert = NULL;
	o.cache_dir = p = xasprintf("%s/untrusted", tmp);
	is_int(rdap_lookup(&o, &a, &r, err, sizeof(err)), -1,
	       "a server the trust store does not know: error");
	contains(err, "TLS", "  ... a TLS error");
	free(p);

	free(dir);
	free((char *)o.bootstrap_url_v4);
	free((char *)o.bootstrap_url_v6);
	fetch_global_cleanup();
	return done_testing();
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/geoattr-rdap.XXXXXX";
	char *tmp, *cmd;
	int rc;

	fixdir = getenv("TESTS_SRCDIR");
	if (fixdir == NULL)
		fixdir = GEOATTR_SRC_DIR "/tests";
	if ((tmp = mkdtemp(tmpl)) == NULL)
		skip_all("cannot make a temporary directory");
	if (argc == 6 && strcmp(argv[1], "--net") == 0) {
		rc = net_tests(argv[2], argv[3], argv[4], argv[5]);
	} else {
		if (fetch_global_init() != 0)
			skip_all("libcurl did not start");
		test_answers();
		test_broken_answers();
		test_bootstrap();
		test_cache(tmp);
		fetch_global_cleanup();
		rc = done_testing();
	}
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", tmp);
	free(cmd);
	return rc;
}
