/*
 * test_hist.c - the historical archive parsers (src/hist/), the
 * decompression adapter (unpack.c) and the ustar reader, on the real
 * excerpts in tests/data/hist/ and on every way such a file can be bad.
 */
#include <bzlib.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "hist/hist.h"
#include "tap.h"
#include "unpack.h"
#include "ustar.h"
#include "util.h"

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("TESTS_SRCDIR");
	char *path = xasprintf("%s/data/hist/%s", dir ? dir : "tests", name);
	char *buf = NULL;

	if (file_read_all(path, &buf, len) != 0) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	free(path);
	return buf;
}

static int parse(enum hist_kind k, const char *s, struct hist_data *d)
{
	return hist_parse(k, s, strlen(s), "t", d);
}

static void expect_err(enum hist_kind k, const char *doc, const char *want, const char *what)
{
	struct hist_data d;
	int rc;

	hist_data_init(&d);
	rc = parse(k, doc, &d);
	ok(rc == -1 && strstr(d.err, want) != NULL, "%s (got '%s')", what, d.err);
	ok(d.nreg == 0 && d.nrt == 0 && d.norig == 0 && d.nex == 0 && d.nan == 0 && d.nnames == 0,
	   "%s: nothing kept", what);
	hist_data_free(&d);
}

static const char *fmt_addr(const struct ga_addr *a)
{
	static char buf[ADDR_TEXT_MAX];

	return addr_format(a, buf);
}

/* The real extended excerpts (README.md has where each comes from). */
static const struct hist_reg *find_reg(const struct hist_data *d, const char *lo)
{
	size_t i;

	for (i = 0; i < d->nreg; i++)
		if (strcmp(fmt_addr(&d->reg[i].lo), lo) == 0)
			return &d->reg[i];
	return NULL;
}

static void test_extended_excerpts(void)
{
	struct hist_data d;
	const struct hist_reg *r;
	size_t len;
	char *buf;

	/* LACNIC of 2021-04-05: 21 records, 14 ipv4 + 4 ipv6 blocks. */
	hist_data_init(&d);
	buf = slurp("delegated-lacnic-extended-20210405.excerpt", &len);
	is_int(hist_parse(HIST_DELEGATED, buf, len, "lacnic", &d), 0, "LACNIC extended excerpt parses");
	is_int((long long)d.records, 21, "LACNIC: 21 records counted (asn included)");
	is_int((long long)d.nreg, 18, "LACNIC: 18 address blocks (14 ipv4, 4 ipv6)");
	r = find_reg(&d, "45.7.64.0");
	ok(r != NULL, "LACNIC: reserved 45.7.64.0 kept");
	if (r) {
		is_int(r->status, HIST_RESERVED, "reserved record kept, status reserved");
		is_str(r->cc, "", "reserved record has no country");
		is_int(r->date, 0, "reserved record has no date");
		is_str(fmt_addr(&r->hi), "45.7.67.255", "45.7.64.0 + 1024 ends at 45.7.67.255");
	}
	r = find_reg(&d, "45.171.60.0");
	ok(r && strcmp(r->cc, "BR") == 0 && r->date == 20190211 && r->status == HIST_ALLOCATED,
	   "LACNIC: 45.171.60.0 BR allocated 20190211");
	r = find_reg(&d, "45.4.68.0");
	ok(r && r->status == HIST_ASSIGNED, "LACNIC: 45.4.68.0 assigned");
	r = find_reg(&d, "2001:1201:20::");
	ok(r && r->status == HIST_AVAILABLE && strcmp(r->cc, "") == 0,
	   "LACNIC: a 7-field available ipv6 record");
	if (r)
		is_str(fmt_addr(&r->hi), "2001:1201:3f:ffff:ffff:ffff:ffff:ffff", "ipv6 /43 ends where it should");
	hist_data_free(&d);
	free(buf);

	/* AFRINIC of 2021-04-06: 26 records, 18 ipv4 + 3 ipv6 blocks. */
	hist_data_init(&d);
	buf = slurp("delegated-afrinic-extended-20210406.excerpt", &len);
	is_int(hist_parse(HIST_DELEGATED, buf, len, "afrinic", &d), 0, "AFRINIC extended excerpt parses");
	is_int((long long)d.records, 26, "AFRINIC: 26 records counted");
	is_int((long long)d.nreg, 21, "AFRINIC: 21 address blocks");
	r = find_reg(&d, "196.4.20.0");
	ok(r && strcmp(r->cc, "ZA") == 0 && r->date == 19930831, "AFRINIC: 196.4.20.0 ZA 19930831");
	if (r)
		is_str(fmt_addr(&r->hi), "196.4.29.255", "a count of 2560 (not a power of two) ends at 196.4.29.255");
	r = find_reg(&d, "41.57.116.0");
	ok(r && r->status == HIST_RESERVED, "AFRINIC: 41.57.116.0 reserved (country ZZ)");
	r = find_reg(&d, "102.192.0.0");
	ok(r && r->status == HIST_AVAILABLE, "AFRINIC: 102.192.0.0 available");
	hist_data_free(&d);
	free(buf);

	/* ARIN of 2026-07-25: 25 records, 11 ipv4 + 7 ipv6 blocks. */
	hist_data_init(&d);
	buf = slurp("delegated-arin-extended-20260725.excerpt", &len);
	ok(hist_parse(HIST_DELEGATED, buf, len, "arin", &d) == 0, "ARIN extended excerpt (version 2.3) parses (%s)", d.err);
	is_int((long long)d.records, 25, "ARIN: 25 records counted (7 asn)");
	is_int((long long)d.nreg, 18, "ARIN: 18 address blocks");
	r = find_reg(&d, "192.225.1.0");
	ok(r && r->status == HIST_RESERVED, "ARIN: 192.225.1.0 reserved");
	if (r)
		is_str(fmt_addr(&r->hi), "192.225.15.255", "a count of 3840 ends at 192.225.15.255");
	r = find_reg(&d, "26.0.0.0");
	ok(r && strcmp(r->cc, "US") == 0 && r->date == 19950501, "ARIN: 26.0.0.0/8 US 19950501");
	r = find_reg(&d, "2638::");
	ok(r && r->status == HIST_AVAILABLE, "ARIN: 2638::/13 available");
	hist_data_free(&d);
	free(buf);

	/* RIPE NCC of 2026-06-26: 19 records, 14 ipv4 + 5 ipv6 blocks. */
	hist_data_init(&d);
	buf = slurp("delegated-ripencc-extended-20260626.excerpt", &len);
	is_int(hist_parse(HIST_DELEGATED, buf, len, "ripencc", &d), 0, "RIPE NCC extended excerpt parses");
	is_int((long long)d.records, 19, "RIPE NCC: 19 records counted");
	is_int((long long)d.nreg, 19, "RIPE NCC: 19 address blocks");
	r = find_reg(&d, "2.0.0.0");
	ok(r && strcmp(r->cc, "SE") == 0 && r->date == 20100712 && r->status == HIST_ALLOCATED,
	   "RIPE NCC: 2.0.0.0 SE allocated 20100712");
	if (r)
		is_str(fmt_addr(&r->hi), "2.1.255.255", "2.0.0.0 + 131072 ends at 2.1.255.255");
	r = find_reg(&d, "2a18::");
	ok(r && r->status == HIST_AVAILABLE, "RIPE NCC: 2a18::/13 available (7 fields)");
	hist_data_free(&d);
	free(buf);
}

static void test_delegated(void)
{
	struct hist_data d;
	size_t len, i;
	char *buf = slurp("delegated-apnic-20141102.excerpt", &len);
	int found = 0;

	hist_data_init(&d);
	is_int(hist_parse(HIST_DELEGATED, buf, len, "apnic", &d), 0, "APNIC plain excerpt parses");
	is_int((long long)d.records, 18, "18 records counted (asn included)");
	is_int((long long)d.nreg, 15, "15 address blocks (12 ipv4, 3 ipv6)");
	for (i = 0; i < d.nreg; i++) {
		if (strcmp(fmt_addr(&d.reg[i].lo), "1.37.0.0") == 0) {
			found = 1;
			is_str(fmt_addr(&d.reg[i].hi), "1.37.255.255", "1.37.0.0 + 65536 ends at 1.37.255.255");
			is_str(d.reg[i].cc, "PH", "1.37.0.0 registered in PH");
			is_int(d.reg[i].date, 20110405, "allocation date 20110405");
			is_int(d.reg[i].status, HIST_ALLOCATED, "allocated");
			is_str(d.reg[i].registry, "apnic", "registry apnic");
		}
	}
	ok(found, "1.37.0.0 block present");
	is_str(fmt_addr(&d.reg[d.nreg - 1].hi), "2001:200:7fff:ffff:ffff:ffff:ffff:ffff",
	       "ipv6 /34 ends where it should");
	
	hist_data_free(&d);
	free(buf);

	test_extended_excerpts();

	hist_data_init(&d);
	ok(parse(HIST_DELEGATED, "2|arin|1|2|19700101|20170717|-0400\n"
	         "arin|US|ipv4|8.0.0.0|300|19921201|allocated|x\n"
	         "arin|US|asn|3|1|00000000|assigned|y\n", &d) == 0, "a count of 300 addresses parses");
	is_str(fmt_addr(&d.reg[0].hi), "8.0.1.43", "8.0.0.0 + 300 ends at 8.0.1.43");
	hist_data_free(&d);

	expect_err(HIST_DELEGATED, "2|apnic|1|5|19850701|20141031|+1000\n"
	           "apnic|PH|ipv4|1.37.0.0|65536|20110405|allocated\n",
	           "t: truncated: the version line announces 5 records, the file holds 1",
	           "fewer records than announced: truncated");
	expect_err(HIST_DELEGATED, "apnic|PH|ipv4|1.37.0.0|65536|20110405|allocated\n",
	           "t:1: not a delegated statistics file", "no version line");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv4|1.37.0.0|65536|20110405|granted\n",
	           "t:2: unknown status 'granted'", "unknown status");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv4|1.37.0.0|0|20110405|allocated\n",
	           "t:2: bad address count", "zero address count");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv4|255.255.255.0|512|20110405|allocated\n",
	           "t:2: the block runs past 255.255.255.255", "block past the end of IPv4");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|JP|ipv6|2001:200::1|35|19990813|allocated\n",
	           "t:2: host bits set", "ipv6 start with host bits");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv4|1.37.0.0|256|20110231|allocated\n",
	           "t:2: bad date '20110231'", "30 February");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic||ipv4|1.37.0.0|256|20110405|allocated\n",
	           "t:2: an allocated block without a country", "allocated without country");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\nmartian|PH|ipv4|1.37.0.0|256|20110405|allocated\n",
	           "t:2: unknown registry 'martian'", "unknown registry");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv5|1.37.0.0|256|20110405|allocated\n",
	           "t:2: unknown type 'ipv5'", "unknown type");
	expect_err(HIST_DELEGATED, "2|apnic|1|1|1|2|+1000\napnic|PH|ipv4|1.37.0.0\n",
	           "t:2: 4 fields", "short record");
	expect_err(HIST_DELEGATED, "<html><body>404</body></html>\n", "t:1: not a delegated", "an error page");
}

static void test_pfx2as(void)
{
	struct hist_data d;
	size_t len;
	char *buf = slurp("pfx2as-lines.excerpt", &len);

	hist_data_init(&d);
	is_int(hist_parse(HIST_PFX2AS, buf, len, "pfx2as", &d), 0, "pfx2as excerpt parses");
	is_int((long long)d.nrt, 7, "seven routes");
	is_str(fmt_addr(&d.rt[3].start), "1.1.8.0", "fourth route 1.1.8.0");
	is_int(d.rt[3].len, 24, "/24");
	is_int(d.rt[3].asn, 149511, "multi-origin: first AS kept");
	is_str(hist_route_origins(&d, &d.rt[3]), "149511_138421", "multi-origin field kept as written");
	is_str(fmt_addr(&d.rt[6].start), "2001:200::", "IPv6 route");
	hist_data_free(&d);
	free(buf);

	hist_data_init(&d);
	buf = slurp("pfx2as-routes.fixture", &len);
	is_int(hist_parse(HIST_PFX2AS, buf, len, "r", &d), 0, "fixture with an AS set parses");
	is_int(d.rt[4].asn, 208294, "AS set: first AS");
	is_str(hist_route_origins(&d, &d.rt[4]), "208294,60729", "AS set kept as written");
	hist_data_free(&d);
	free(buf);

	expect_err(HIST_PFX2AS, "1.0.0.1\t24\t13335\n", "t:1: host bits set", "host bits");
	expect_err(HIST_PFX2AS, "1.0.0.0\t33\t13335\n", "t:1: bad prefix length", "length 33");
	expect_err(HIST_PFX2AS, "1.0.0.0 24 13335\n", "t:1: not prefix TAB length TAB origin", "spaces");
	expect_err(HIST_PFX2AS, "1.0.0.0\t24\t13335__1\n", "t:1: bad AS number", "empty AS between separators");
	expect_err(HIST_PFX2AS, "1.0.0.0\t24\tAS13335\n", "t:1: bad character 'A'", "AS prefix");
	expect_err(HIST_PFX2AS, "1.0.0.0\t24\t4294967296\n", "t:1: bad AS number", "AS above 32 bits");
	expect_err(HIST_PFX2AS, "1.0.0.0\t24\t1\n\n2.0.0.0\t8\t2\n", "t:2: empty line", "empty line inside");
	expect_err(HIST_PFX2AS, "", "no prefix", "empty file");
}

/* The real excerpt of CAIDA's routeviews-rv2-20170329-0200.pfx2as (README.md
 * says where it comes from and which lines were kept). */
static const struct hist_route *find_route(const struct hist_data *d, const char *start, int len)
{
	size_t i;

	for (i = 0; i < d->nrt; i++)
		if (d->rt[i].len == len && strcmp(fmt_addr(&d->rt[i].start), start) == 0)
			return &d->rt[i];
	return NULL;
}

static void expect_route(const struct hist_data *d, const char *start, int len, uint32_t asn,
                         const char *origins)
{
	const struct hist_route *r = find_route(d, start, len);
	char what[96];

	ok(r != NULL, "real pfx2as: %s/%d read", start, len);
	ok(r != NULL && r->asn == asn, "real pfx2as: %s/%d origin AS%lu (got %lu)", start, len,
	   (unsigned long)asn, r ? (unsigned long)r->asn : 0ul);
	snprintf(what, sizeof(what), "real pfx2as: %s/%d origins as written", start, len);
	is_str(r ? hist_route_origins(d, r) : "", origins, what);
}

static void test_pfx2as_real(void)
{
	/* An AS set of six joined to one of thirteen: 105 bytes, the longest
	 * origin field of the whole file (the parser refused the whole file
	 * for it while it kept origins in 64 bytes). */
	static const char long_field[] =
		"17817,26685,45625,55917,134007,135086_17817,26685,45625,55917,"
		"64512,64682,65001,65002,65003,134007,135086";
	struct hist_data d;
	const struct hist_route *r;
	size_t len;
	char *buf = slurp("routeviews-rv2-20170329-0200.pfx2as.excerpt", &len);

	hist_data_init(&d);
	ok(hist_parse(HIST_PFX2AS, buf, len, "rv2-20170329", &d) == 0,
	   "real pfx2as excerpt parses (got '%s')", d.err);
	is_int((long long)d.nrt, 35, "real pfx2as: 35 routes");
	is_int((long long)d.records, 35, "real pfx2as: 35 records counted");
	is_str(fmt_addr(&d.rt[0].start), "1.0.4.0", "real pfx2as: the file's first line, 1.0.4.0");
	is_int(d.rt[0].len, 24, "real pfx2as: first line /24");
	is_int(d.rt[0].asn, 56203, "real pfx2as: first line AS56203");
	/* The same start at three lengths, each its own route. */
	expect_route(&d, "1.0.128.0", 17, 9737, "9737");
	expect_route(&d, "1.0.128.0", 19, 9737, "9737");
	expect_route(&d, "1.0.128.0", 24, 23969, "23969");
	expect_route(&d, "8.8.8.0", 24, 15169, "15169");
	expect_route(&d, "27.50.0.0", 22, 55303, "55303");
	expect_route(&d, "162.247.72.0", 24, 4224, "4224");
	/* Multi-origin ('_'), an AS set (','), and the two mixed both ways. */
	expect_route(&d, "1.2.4.0", 24, 24151, "24151_24409_24406");
	expect_route(&d, "8.41.202.0", 24, 40179, "40179,65602");
	expect_route(&d, "37.99.128.0", 19, 47794, "47794_47794,48695");
	expect_route(&d, "76.165.193.0", 24, 23366, "23366,64731_23366");
	expect_route(&d, "122.15.0.0", 16, 17817, long_field);
	expect_route(&d, "209.112.113.0", 24, 36623,
	             "36623_36632_36620_36619_36617_36625_36616_36628_36631_36626_36630");
	r = find_route(&d, "122.15.0.0", 16);
	is_int(r ? (long long)strlen(hist_route_origins(&d, r)) : -1, 105,
	       "real pfx2as: the 105-byte origin field kept whole");
	is_str(fmt_addr(&d.rt[34].start), "223.255.254.0", "real pfx2as: the file's last line");
	is_int(d.rt[34].asn, 55415, "real pfx2as: last line AS55415");
	ok(find_route(&d, "1.0.0.0", 24) == NULL, "real pfx2as: no 1.0.0.0/24 on 2017-03-29");

	/* A second document appended to the same data: the first one's
	 * origin fields still read right after the pool grew. */
	free(buf);
	buf = slurp("pfx2as-lines.excerpt", &len);
	is_int(hist_parse(HIST_PFX2AS, buf, len, "lines", &d), 0, "a second pfx2as document appends");
	is_int((long long)d.nrt, 42, "35 + 7 routes");
	expect_route(&d, "122.15.0.0", 16, 17817, long_field);
	expect_route(&d, "1.1.8.0", 24, 149511, "149511_138421");
	hist_data_free(&d);
	free(buf);

	/* The real IPv6 excerpt (routeviews6 layout, vendored whole by
	 * m-lab/uuid-annotator): its longest field is 126 bytes. */
	hist_data_init(&d);
	buf = slurp("RouteViewIPv6.pfx2as.excerpt", &len);
	ok(hist_parse(HIST_PFX2AS, buf, len, "rv6", &d) == 0, "real IPv6 pfx2as excerpt parses (got '%s')", d.err);
	is_int((long long)d.nrt, 22, "real IPv6 pfx2as: 22 routes");
	is_str(fmt_addr(&d.rt[0].start), "2001::", "real IPv6 pfx2as: the file's first line, 2001::");
	is_int(d.rt[0].len, 32, "real IPv6 pfx2as: 2001::/32");
	is_int(d.rt[0].asn, 6939, "real IPv6 pfx2as: 2001::/32 first origin AS6939");
	is_str(hist_route_origins(&d, &d.rt[0]), "6939_1101_25192", "real IPv6 pfx2as: 2001::/32 three origins");
	expect_route(&d, "2001:4860::", 32, 15169, "15169");
	expect_route(&d, "2606:4700::", 36, 13335, "13335");
	expect_route(&d, "2606:4700::", 44, 13335, "13335");
	expect_route(&d, "2001:5e8::", 32, 5050, "5050_1206,1207,36407");
	expect_route(&d, "2001:948::", 32, 2603, "2603_224,39590,64520,65423,65426");
	r = find_route(&d, "2001:500:127::", 48);
	ok(r != NULL && r->asn == 396574, "real IPv6 pfx2as: 2001:500:127::/48 first of nineteen origins");
	is_int(r ? (long long)strlen(hist_route_origins(&d, r)) : -1, 126,
	       "real IPv6 pfx2as: the 126-byte origin field kept whole");
	is_str(fmt_addr(&d.rt[21].start), "2c0f:fff0::", "real IPv6 pfx2as: the file's last line");
	is_int(d.rt[21].asn, 37125, "real IPv6 pfx2as: last line AS37125");
	hist_data_free(&d);
	free(buf);

	/* A refused document after a long field takes its origins back too. */
	hist_data_init(&d);
	buf = xasprintf("122.15.0.0\t16\t%s\n1.0.0.1\t24\t13335\n", long_field);
	is_int(hist_parse(HIST_PFX2AS, buf, strlen(buf), "t", &d), -1, "long field then host bits: refused");
	ok(d.nrt == 0 && d.norig == 0, "refused: no route and no origin text kept");
	hist_data_free(&d);
	free(buf);
}

#define ORGF "# format:org_id|changed|org_name|country|source\n"
#define AUTF "# format:aut|changed|aut_name|org_id|opaque_id|source\n"

static void test_as2org(void)
{
	struct hist_data d;
	size_t len;
	char *buf = slurp("as2org-20170701.fixture", &len);
	const char *nm;

	hist_data_init(&d);
	is_int(hist_parse(HIST_AS2ORG, buf, len, "as2org", &d), 0, "as2org fixture parses");
	is_int((long long)d.records, 9, "nine AS records");
	is_int((long long)d.nan, 9, "nine AS names");
	nm = hist_as_name(&d, 9299);
	is_str(nm ? nm : "(none)", "Philippine Long Distance Telephone Company",
	       "AS9299 named by its organisation's org_name");
	nm = hist_as_name(&d, 208294);
	is_str(nm ? nm : "(none)", "FIXTURE-RELAYS-AS", "no org_id: the AS's own aut_name");
	ok(hist_as_name(&d, 64512) == NULL, "an AS not in the file has no name");
	ok(d.an[0].asn == 2500 && d.an[d.nan - 1].asn == 208294, "names sorted by AS");
	/* A second document appends, and the names stay sorted. */
	is_int(parse(HIST_AS2ORG, AUTF "1|20120224|LVLT-1|LVLT-ARIN|e5e3b9c1_ARIN|ARIN\n" ORGF
	             "LVLT-ARIN|20120130|Level 3 Communications, Inc.|US|ARIN\n", &d), 0,
	       "AS section first (older files), org after: resolved at the end");
	nm = hist_as_name(&d, 1);
	is_str(nm ? nm : "(none)", "Level 3 Communications, Inc.", "AS1 named after a later org section");
	nm = hist_as_name(&d, 9299);
	ok(nm != NULL && d.an[0].asn == 1, "appended: still sorted, earlier names kept");
	is_int(parse(HIST_AS2ORG, AUTF "64496|20120224|BAD-DOC|X||ARIN\n64497|2012|Y|X||ARIN\n", &d), -1,
	       "a bad document after a good one fails");
	ok(hist_as_name(&d, 64496) == NULL && hist_as_name(&d, 1) != NULL,
	   "a refused document keeps nothing, the earlier ones stay");
	hist_data_free(&d);
	free(buf);

	hist_data_init(&d);
	is_int(parse(HIST_AS2ORG, "# format: aut|changed|aut_name|org_id|source\n"
	             "7|20120224|OLD-AS|O-1|ARIN\r\n# format: org_id|changed|name|country|source\n"
	             "O-1||Old Org||ARIN\n", &d), 0, "the older five-field layout, CRLF, spaces after the colon");
	nm = hist_as_name(&d, 7);
	is_str(nm ? nm : "(none)", "Old Org", "older layout resolved");
	hist_data_free(&d);
	hist_data_init(&d);
	is_int(parse(HIST_AS2ORG, ORGF "O-2|20120101||US|ARIN\n" AUTF "8|20120101|OWN-NAME|O-2||ARIN\n", &d),
	       0, "an organisation with an empty name");
	nm = hist_as_name(&d, 8);
	is_str(nm ? nm : "(none)", "OWN-NAME", "empty org_name: the aut_name");
	hist_data_free(&d);

	expect_err(HIST_AS2ORG, "1|20120224|LVLT-1|LVLT-ARIN|x|ARIN\n",
	           "t:1: a record before any '# format:' line", "no format line");
	expect_err(HIST_AS2ORG, "# format:aut|name|when\n1|a|b\n", "t:1: unknown record format",
	           "unknown format line");
	expect_err(HIST_AS2ORG, AUTF "1|20120224|LVLT-1|LVLT-ARIN|ARIN\n",
	           "t:2: 5 fields where an AS has 6", "AS row short a field");
	expect_err(HIST_AS2ORG, ORGF "LVLT-ARIN|20120130|Level 3|US|ARIN|extra\n" AUTF "1||A|B||C\n",
	           "t:2: 6 fields where an organisation has 5", "org row with a field too many");
	expect_err(HIST_AS2ORG, AUTF "AS1|20120224|LVLT-1|LVLT-ARIN|x|ARIN\n", "t:2: bad AS number 'AS1'",
	           "AS number with a prefix");
	expect_err(HIST_AS2ORG, AUTF "4294967296|20120224|X|Y|x|ARIN\n", "t:2: bad AS number",
	           "AS number above 32 bits");
	expect_err(HIST_AS2ORG, AUTF "1|2012-02-24|X|Y|x|ARIN\n", "t:2: bad changed date '2012-02-24'",
	           "a date with dashes");
	expect_err(HIST_AS2ORG, ORGF "O|20120101|Name|usa|ARIN\n" AUTF "1||A|O||ARIN\n",
	           "t:2: bad country 'usa'", "a country of three letters");
	expect_err(HIST_AS2ORG, AUTF "1||A|O||\n", "t:2: AS without a source", "empty source");
	expect_err(HIST_AS2ORG, AUTF "1||A\tB|O||ARIN\n", "t:2: control character 0x09", "a tab in a name");
	{
		static const char nul[] = AUTF "1||A\0B|O||ARIN\n";

		hist_data_init(&d);
		ok(hist_parse(HIST_AS2ORG, nul, sizeof(nul) - 1, "t", &d) == -1 &&
		   strstr(d.err, "t:2: control character 0x00") != NULL && d.nan == 0,
		   "a NUL inside a name fails the line (got '%s')", d.err);
		hist_data_free(&d);
	}
	expect_err(HIST_AS2ORG, AUTF "1||A|O||ARIN\n\n2||B|O||ARIN\n", "t:3: empty line", "empty line inside");
	expect_err(HIST_AS2ORG, AUTF "5||A|O||ARIN\n5||B|O||ARIN\n", "t:3: AS5 listed twice (first on line 2)",
	           "an AS listed twice");
	expect_err(HIST_AS2ORG, ORGF "O||X||ARIN\nO||Y||ARIN\n" AUTF "1||A|O||ARIN\n",
	           "t:3: organisation 'O' listed twice", "an organisation listed twice");
	expect_err(HIST_AS2ORG, ORGF "O||X||ARIN\n", "t:0: no AS record in the file", "organisations only");
	expect_err(HIST_AS2ORG, "", "no AS record", "empty file");
	expect_err(HIST_AS2ORG, "<html><body>404</body></html>\n", "t:1: a record before any", "an error page");
}

static void test_exitlist(void)
{
	struct hist_data d;
	size_t len;
	char *buf = slurp("tordnsel-2017-07-17-17-02-00", &len);
	int64_t t;

	hist_data_init(&d);
	is_int(hist_parse(HIST_EXITLIST, buf, len, "exit", &d), 0, "CollecTor exit list parses");
	is_int((long long)d.records, 44, "44 exit nodes");
	is_int((long long)d.nex, 44, "44 exit addresses");
	is_str(fmt_addr(&d.ex[0].addr), "162.247.72.201", "first exit address");
	ok(hist_parse_time("2017-07-17 14:11:38", 19, &t) == 0 && d.ex[0].seen == t,
	   "first sighting 2017-07-17 14:11:38");
	is_int(t, 1500300698, "2017-07-17 14:11:38 UTC is 1500300698");
	hist_data_free(&d);
	free(buf);

	ok(hist_parse_time("2016-02-29", 10, &t) == 0 && t == 1456704000, "leap day 2016");
	ok(hist_parse_time("2017-02-29", 10, &t) == -1, "no 29 February 2017");
	ok(hist_parse_time("2017-07-17 24:00:00", 19, &t) == -1, "hour 24 refused");

	expect_err(HIST_EXITLIST, "@type tordnsel 1.0\nExitAddress 1.2.3.4 2017-07-17 00:00:00\n",
	           "t:2: 'ExitAddress 1.2.3.4 2017-07-17 00:00:00' before the first ExitNode",
	           "address before its node");
	expect_err(HIST_EXITLIST, "@type tordnsel 1.0\nExitNode ABC\n", "t:2: fingerprint of 3 characters",
	           "short fingerprint");
	expect_err(HIST_EXITLIST, "@type tordnsel 1.0\nExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
	           "ExitAddress 1.2.3 2017-07-17 00:00:00\n", "t:3: bad exit address", "bad address");
	expect_err(HIST_EXITLIST, "@type tordnsel 1.0\nExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
	           "ExitAddress 1.2.3.4 2017-13-17 00:00:00\n", "t:3: bad time", "month 13");
	expect_err(HIST_EXITLIST, "@type tordnsel 1.0\nExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
	           "Nickname x\n", "t:3: unknown line 'Nickname x'", "unknown keyword");
	expect_err(HIST_EXITLIST, "@type server-descriptor 1.0\n", "t:1: not a TorDNSEL exit list", "other type");
	expect_err(HIST_EXITLIST, "hello\n", "t:1: 'hello' before the first ExitNode", "not an exit list");
}

/* --- compression and tar, with the libraries' own encoders --- */

static char *bz(const char *in, size_t n, size_t *outlen)
{
	unsigned int cap = (unsigned)(n + n / 100 + 600);
	char *out = xmalloc(cap);

	if (BZ2_bzBuffToBuffCompress(out, &cap, (char *)(uintptr_t)in, (unsigned)n, 9, 0, 0) != BZ_OK)
		abort();
	*outlen = cap;
	return out;
}

static char *xz(const char *in, size_t n, size_t *outlen)
{
	size_t cap = lzma_stream_buffer_bound(n), pos = 0;
	char *out = xmalloc(cap);

	if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)in, n,
	                            (uint8_t *)out, &pos, cap) != LZMA_OK)
		abort();
	*outlen = pos;
	return out;
}

static void test_unpack(void)
{
	size_t len, clen, olen, i;
	char *plain = slurp("delegated-apnic-20141102.excerpt", &len), *c, *o, err[200];
	enum unpack_format f;
	int bad, st;

	c = bz(plain, len, &clen);
	ok(unpack_buffer(c, clen, 1 << 20, &o, &olen, &f, err, sizeof(err)) == UNPACK_OK &&
	   f == UNPACK_BZIP2 && olen == len && memcmp(o, plain, len) == 0, "bzip2 round trip");
	free(o);
	is_int(unpack_buffer(c, clen, len - 1, &o, &olen, NULL, err, sizeof(err)), UNPACK_ERR_TOO_BIG,
	       "bzip2 one byte over the limit refused");
	ok(unpack_buffer(c, clen, len, &o, &olen, NULL, err, sizeof(err)) == UNPACK_OK,
	   "bzip2 at exactly the limit accepted");
	free(o);
	for (bad = 0, i = 4; i < clen; i += 7) {
		st = unpack_buffer(c, i, 1 << 20, &o, &olen, NULL, err, sizeof(err));
		if (st == UNPACK_OK) {
			bad++;
			free(o);
		}
	}
	is_int(bad, 0, "every cut bzip2 stream refused");
	st = unpack_buffer(c, clen / 2, 1 << 20, &o, &olen, NULL, err, sizeof(err));
	ok(st == UNPACK_ERR_TRUNCATED && strstr(err, "truncated") != NULL, "half a bzip2 stream: truncated (%s)", err);
	c = xrealloc(c, clen + 3);
	memcpy(c + clen, "abc", 3);
	is_int(unpack_buffer(c, clen + 3, 1 << 20, &o, &olen, NULL, err, sizeof(err)), UNPACK_ERR_FORMAT,
	       "junk after bzip2 refused");
	c[clen / 2] ^= 0x55;
	is_int(unpack_buffer(c, clen, 1 << 20, &o, &olen, NULL, err, sizeof(err)) == UNPACK_OK, 0,
	       "corrupt bzip2 refused");
	free(c);

	c = xz(plain, len, &clen);
	ok(unpack_buffer(c, clen, 1 << 20, &o, &olen, &f, err, sizeof(err)) == UNPACK_OK &&
	   f == UNPACK_XZ && olen == len && memcmp(o, plain, len) == 0, "xz round trip");
	free(o);
	is_int(unpack_buffer(c, clen, len - 1, &o, &olen, NULL, err, sizeof(err)), UNPACK_ERR_TOO_BIG,
	       "xz one byte over the limit refused");
	for (bad = 0, i = 6; i < clen; i += 5) {
		st = unpack_buffer(c, i, 1 << 20, &o, &olen, NULL, err, sizeof(err));
		if (st == UNPACK_OK) {
			bad++;
			free(o);
		}
	}
	is_int(bad, 0, "every cut xz stream refused");
	c[clen / 2] ^= 0x55;
	is_int(unpack_buffer(c, clen, 1 << 20, &o, &olen, NULL, err, sizeof(err)) == UNPACK_OK, 0,
	       "corrupt xz refused");
	free(c);

	ok(unpack_buffer(plain, len, len, &o, &olen, &f, err, sizeof(err)) == UNPACK_OK &&
	   f == UNPACK_PLAIN && olen == len, "plain text passes through");
	free(o);
	is_int(unpack_buffer(plain, len, len - 1, &o, &olen, NULL, err, sizeof(err)), UNPACK_ERR_TOO_BIG,
	       "plain text over the limit refused");
	free(plain);
}

/* A ustar header for name with size bytes, checksum filled in. */
static void tar_header(char *h, const char *name, size_t size, char type)
{
	unsigned sum = 0;
	size_t i;

	memset(h, 0, 512);
	snprintf(h, 100, "%s", name);
	snprintf(h + 100, 8, "%07o", 0644);
	snprintf(h + 124, 12, "%011zo", size);
	snprintf(h + 136, 12, "%011o", 0);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

struct seen {
	int n;
	size_t bytes;
	char first[64];
};

static int count_file(void *ctx, const char *name, const char *data, size_t size)
{
	struct seen *s = ctx;

	(void)data;
	if (s->n++ == 0)
		snprintf(s->first, sizeof(s->first), "%s", name);
	s->bytes += size;
	return 0;
}

static void test_ustar(void)
{
	char tar[512 * 8], err[200];
	struct seen s;

	memset(tar, 0, sizeof(tar));
	tar_header(tar, "exit-list-2017-07", 0, '5');
	tar_header(tar + 512, "exit-list-2017-07/2017-07-17-17-02-00", 600, '0');
	memset(tar + 1024, 'x', 600);
	memset(&s, 0, sizeof(s));
	is_int(ustar_each(tar, sizeof(tar), count_file, &s, err, sizeof(err)), 0, "tar with a dir and a file");
	is_int(s.n, 1, "one regular file");
	is_int((long long)s.bytes, 600, "its 600 bytes");
	is_str(s.first, "exit-list-2017-07/2017-07-17-17-02-00", "its name");
	memset(&s, 0, sizeof(s));
	ok(ustar_each(tar, 1024 + 512, count_file, &s, err, sizeof(err)) == -1 &&
	   strstr(err, "truncated") != NULL, "member past the end refused (%s)", err);
	ok(ustar_each(tar, 1024 + 1024, count_file, &s, err, sizeof(err)) == -1 &&
	   strstr(err, "end-of-archive") != NULL, "no end block refused (%s)", err);
	tar[512 + 10] ^= 1;
	ok(ustar_each(tar, sizeof(tar), count_file, &s, err, sizeof(err)) == -1 &&
	   strstr(err, "checksum") != NULL, "checksum mismatch refused");
	tar[512 + 10] ^= 1;
	tar_header(tar + 512, "link", 0, '2');
	ok(ustar_each(tar, sizeof(tar), count_file, &s, err, sizeof(err)) == -1 &&
	   strstr(err, "not a file") != NULL, "symlink member refused");
	memcpy(tar + 257, "xxxxx", 5);
	ok(ustar_each(tar, sizeof(tar), count_file, &s, err, sizeof(err)) == -1 &&
	   strstr(err, "no ustar header") != NULL, "no magic refused");
}

/* The time of a day's prefix-to-AS file, from a month's listing. */
static void test_pfx2as_time(void)
{
	static const char listing[] =
	    "<tr><td><a href=\"routeviews-rv2-20170328-1400.pfx2as.gz\">routeviews-rv2-20170328-1400.pfx2as.gz</a>"
	    "<tr><td><a href=\"routeviews-rv2-20170329-0200.pfx2as.gz\">routeviews-rv2-20170329-0200.pfx2as.gz</a>"
	    "<tr><td><a href=\"routeviews-rv2-20170330-1200.pfx2as.gz\">x</a>\n"
	    "routeviews-rv2-20170331-2200.pfx2as.gz\nrouteviews-rv2-20170331-0200.pfx2as.gz\n"
	    "routeviews-rv2-20170301-2500.pfx2as.gz routeviews-rv2-20170302-12.pfx2as.gz "
	    "routeviews-rv2-20170303-1200.pfx2as routeviews-rv2-20170304-1260.pfx2as.gz";
	char t[5] = "";
	size_t n = sizeof(listing) - 1;

	ok(hist_pfx2as_pick_time(listing, n, 2017, 3, 29, t) == 0 && strcmp(t, "0200") == 0,
	   "listing: 2017-03-29 made at 0200 (%s)", t);
	ok(hist_pfx2as_pick_time(listing, n, 2017, 3, 28, t) == 0 && strcmp(t, "1400") == 0,
	   "listing: 2017-03-28 made at 1400");
	ok(hist_pfx2as_pick_time(listing, n, 2017, 3, 31, t) == 0 && strcmp(t, "0200") == 0,
	   "listing: of 0200 and 2200, as near noon, the earlier");
	ok(hist_pfx2as_pick_time(listing, n, 2017, 3, 27, t) == -1, "listing: a day it does not name");
	ok(hist_pfx2as_pick_time(listing, n, 2017, 3, 1, t) == -1 &&
	   hist_pfx2as_pick_time(listing, n, 2017, 3, 2, t) == -1 &&
	   hist_pfx2as_pick_time(listing, n, 2017, 3, 3, t) == -1 &&
	   hist_pfx2as_pick_time(listing, n, 2017, 3, 4, t) == -1,
	   "listing: no time from hour 25, three digits, another suffix or minute 60");
	/* The name cut by the end of the text: not read past it. */
	ok(hist_pfx2as_pick_time(listing, 50, 2017, 3, 28, t) == -1, "listing: a name cut short is no name");
	ok(hist_pfx2as_pick_time("", 0, 2017, 3, 28, t) == -1, "listing: empty text");
}

int main(void)
{
	test_delegated();
	test_pfx2as();
	test_pfx2as_real();
	test_pfx2as_time();
	test_as2org();
	test_exitlist();
	test_unpack();
	test_ustar();
	return done_testing();
}
