/*
 * test_classify.c - network-type classification: the curated data in
 * geo/, the order of evidence, the organisation-name rules and their
 * traps, and the loader's errors on broken files.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "addr.h"
#include "classify.h"
#include "rangelist.h"
#include "typeidx.h"
#include "resolve.h"
#include "csvread.h"
#include "util.h"
#include "tap.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

static char geo[4096];

static int has_file(const char *dir, const char *name)
{
	char path[4200];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	fclose(fp);
	return 1;
}

/* The geo/ directory of the source tree: make check exports TOP_SRCDIR;
 * by hand the test may run from the top or from tests/. */
static int find_geo(void)
{
	const char *env;
	const char *tries[] = { "../geo", "geo" };
	size_t i;

	if ((env = getenv("TOP_SRCDIR")) != NULL) {
		snprintf(geo, sizeof(geo), "%s/geo", env);
		if (has_file(geo, "asn-types.csv"))
			return 0;
	}
	if ((env = getenv("GEOATTR_SRCDIR_GEO")) != NULL) {
		snprintf(geo, sizeof(geo), "%s", env);
		if (has_file(geo, "asn-types.csv"))
			return 0;
	}
	for (i = 0; i < NITEMS(tries); i++) {
		snprintf(geo, sizeof(geo), "%s", tries[i]);
		if (has_file(geo, "asn-types.csv"))
			return 0;
	}
	return -1;
}

static void parse_addr(const char *s, struct ga_addr *a)
{
	if (addr_parse(s, strlen(s), a, NULL) != 0) {
		printf("Bail out! test address %s does not parse\n", s);
		exit(1);
	}
}

/* Classify and compare type, confidence and basis in one assertion. */
static void check(const struct classifier *c, const char *addr,
                  int special, uint32_t asn, const char *org,
                  const char *ftype, const char *fname,
                  enum net_type want, enum confidence conf,
                  const char *basis, const char *what)
{
	struct ga_addr a;
	struct net_class nc;
	int same;

	if (addr != NULL)
		parse_addr(addr, &a);
	memset(&nc, 0xa5, sizeof(nc));
	classify(c, addr != NULL ? &a : NULL, special, asn, org, ftype,
	    fname, &nc);
	same = nc.type == want && nc.conf == conf &&
	    strcmp(nc.basis, basis) == 0 && nc.detail != NULL;
	if (!ok(same, "%s", what))
		printf("# got %s/%s/\"%s\", want %s/%s/\"%s\"\n",
		    net_type_name(nc.type), confidence_name(nc.conf),
		    nc.basis, net_type_name(want), confidence_name(conf),
		    basis);
}

struct known {
	uint32_t asn;
	enum net_type type;
	const char *who;
};

static const struct known known[] = {
	{ 16509, NT_HOSTING, "AWS" },
	{ 14618, NT_HOSTING, "AWS us-east-1" },
	{ 15169, NT_HOSTING, "Google" },
	{ 396982, NT_HOSTING, "Google Cloud" },
	{ 8075, NT_HOSTING, "Microsoft Azure" },
	{ 31898, NT_HOSTING, "Oracle Cloud" },
	{ 14061, NT_HOSTING, "DigitalOcean" },
	{ 63949, NT_HOSTING, "Linode" },
	{ 20473, NT_HOSTING, "Vultr" },
	{ 16276, NT_HOSTING, "OVH" },
	{ 24940, NT_HOSTING, "Hetzner" },
	{ 45102, NT_HOSTING, "Alibaba Cloud" },
	{ 37963, NT_HOSTING, "Alibaba Cloud Hangzhou" },
	{ 132203, NT_HOSTING, "Tencent Cloud" },
	{ 45090, NT_HOSTING, "Tencent" },
	{ 136907, NT_HOSTING, "Huawei Cloud" },
	{ 55990, NT_HOSTING, "Huawei Cloud CN" },
	{ 9009, NT_HOSTING, "M247" },
	{ 60068, NT_HOSTING, "DataCamp" },
	{ 216025, NT_VPN, "Mullvad" },
	{ 13335, NT_CDN, "Cloudflare" },
	{ 209242, NT_CDN, "Cloudflare London" },
	{ 20940, NT_CDN, "Akamai" },
	{ 54113, NT_CDN, "Fastly" },
	{ 19281, NT_CDN, "Quad9" },
	{ 36692, NT_CDN, "OpenDNS" },
	{ 7922, NT_ISP, "Comcast" },
	{ 20115, NT_ISP, "Charter" },
	{ 7018, NT_ISP, "AT&T" },
	{ 3356, NT_ISP, "Lumen backbone" },
	{ 9299, NT_ISP, "PLDT" },
	{ 17639, NT_ISP, "Converge" },
	{ 4134, NT_ISP, "China Telecom" },
	{ 4837, NT_ISP, "China Unicom" },
	{ 12389, NT_ISP, "Rostelecom" },
	{ 3320, NT_ISP, "Deutsche Telekom" },
	{ 131279, NT_ISP, "Star JV" },
	{ 9808, NT_MOBILE, "China Mobile" },
	{ 56040, NT_MOBILE, "China Mobile 56040" },
	{ 21928, NT_MOBILE, "T-Mobile USA" },
	{ 22394, NT_MOBILE, "Verizon Wireless" },
	{ 10139, NT_MOBILE, "Smart" },
	{ 31133, NT_MOBILE, "MegaFon" },
	{ 4538, NT_EDU, "CERNET" },
	{ 786, NT_EDU, "Jisc" },
	{ 749, NT_GOV, "US DoD" },
	{ 203665, NT_GOV, "UK MoD" },
	{ 32934, NT_ENTERPRISE, "Meta" },
};

static void test_names(void)
{
	enum net_type t;
	size_t i;
	int round = 1;

	for (i = 0; i < NT_COUNT; i++) {
		const char *n = net_type_name((enum net_type)i);

		if (net_type_parse(n, strlen(n), &t) != 0 || t != i)
			round = 0;
	}
	ok(round, "every net_type_name parses back to its type");
	is_str(net_type_name(NT_SPECIAL), "special-use", "name of NT_SPECIAL");
	is_str(net_type_name((enum net_type)99), "unknown",
	    "out-of-range type is unknown");
	is_str(net_type_label(NT_HOSTING), "cloud/hosting", "hosting label");
	is_str(net_type_label(NT_ISP), "fixed/residential ISP", "ISP label");
	is_str(net_type_label(NT_TOR), "Tor exit", "Tor label");
	is_str(net_type_label(NT_CDN), "CDN/anycast", "CDN label");
	ok(net_type_parse("HoStInG", 7, &t) == 0 && t == NT_HOSTING,
	    "parse ignores case");
	ok(net_type_parse("anycast", 7, &t) == 0 && t == NT_CDN,
	    "\"anycast\" parses as cdn");
	ok(net_type_parse("hostingX", 7, &t) == 0 && t == NT_HOSTING,
	    "parse reads only len bytes");
	ok(net_type_parse("host", 4, &t) != 0, "a prefix is not a type");
	ok(net_type_parse("", 0, &t) != 0, "empty is not a type");
	is_str(confidence_name(CONF_MEDIUM), "medium", "confidence name");
	is_str(confidence_name(CONF_NONE), "none", "confidence none");
}

/* The real data file: big enough, sorted, every row with a basis. */
static void test_data_file(void)
{
	char path[4200], *buf;
	size_t len, nf, rows = 0, types[NT_COUNT] = { 0 };
	const struct csv_field *f;
	struct csv_reader *r;
	unsigned long line;
	uint64_t prev = 0, v;
	int st, sorted = 1, based = 1, typed = 1, i, all;

	snprintf(path, sizeof(path), "%s/asn-types.csv", geo);
	if (file_read_all(path, &buf, &len) != 0) {
		ok(0, "read %s", path);
		return;
	}
	r = csv_new(buf, len, ',', 0, 0);
	while ((st = csv_next(r, &f, &nf, &line)) == CSV_RECORD) {
		enum net_type t;

		if (line == 1)
			continue;
		rows++;
		if (nf != 4 ||
		    parse_u64(f[0].p, f[0].len, 1, UINT32_MAX, &v) != 0 ||
		    v <= prev) {
			sorted = 0;
			continue;
		}
		prev = v;
		if (f[3].len < 10 || memcmp(f[3].p, "operator: ", 10) != 0)
			based = 0;
		if (net_type_parse(f[1].p, f[1].len, &t) != 0)
			typed = 0;
		else
			types[t]++;
	}
	ok(st == CSV_EOF, "asn-types.csv reads to the end");
	ok(rows >= 400, "asn-types.csv has %zu rows (>= 400)", rows);
	ok(sorted, "asn-types.csv is sorted by ASN without duplicates");
	ok(based, "every row names its basis");
	ok(typed, "every row has a known type");
	all = 1;
	for (i = NT_HOSTING; i <= NT_ENTERPRISE; i++)
		if (i != NT_TOR && types[i] == 0)
			all = 0;
	ok(all, "every curated type has rows");
	csv_free(r);
	free(buf);
}

static void test_curated(const struct classifier *c)
{
	size_t i;

	ok(classify_asn_count(c) >= 400, "%zu curated ASNs loaded",
	    classify_asn_count(c));
	for (i = 0; i < NITEMS(known); i++) {
		char what[128];

		snprintf(what, sizeof(what), "AS%lu %s is %s",
		    (unsigned long)known[i].asn, known[i].who,
		    net_type_name(known[i].type));
		check(c, NULL, 0, known[i].asn, NULL, NULL, NULL,
		    known[i].type, CONF_HIGH, "curated ASN", what);
	}
}

static void test_anycast(const struct classifier *c)
{
	struct ga_addr a;
	struct net_class nc;
	char path[4200], *buf;
	size_t len, nf, rows = 0, hits = 0;
	const struct csv_field *f;
	struct csv_reader *r;
	unsigned long line;

	check(c, "8.8.8.8", 0, 15169, "Google LLC", NULL, NULL, NT_CDN,
	    CONF_HIGH, "anycast prefix",
	    "8.8.8.8 is anycast although AS15169 is curated as hosting");
	check(c, "8.8.4.4", 0, 15169, NULL, NULL, NULL, NT_CDN, CONF_HIGH,
	    "anycast prefix", "8.8.4.4 is anycast");
	check(c, "8.8.9.9", 0, 15169, NULL, NULL, NULL, NT_HOSTING,
	    CONF_HIGH, "curated ASN", "8.8.9.9 outside the /24 is Google");
	check(c, "1.1.1.1", 0, 13335, NULL, NULL, NULL, NT_CDN, CONF_HIGH,
	    "anycast prefix", "1.1.1.1 is anycast");
	check(c, "1.0.0.1", 0, 0, NULL, NULL, NULL, NT_CDN, CONF_HIGH,
	    "anycast prefix", "1.0.0.1 is anycast without an ASN");
	check(c, "9.9.9.9", 0, 19281, NULL, NULL, NULL, NT_CDN, CONF_HIGH,
	    "anycast prefix", "9.9.9.9 Quad9");
	check(c, "198.41.0.4", 0, 0, NULL, NULL, NULL, NT_CDN, CONF_HIGH,
	    "anycast prefix", "a.root-servers.net");
	check(c, "2001:4860:4860::8888", 0, 15169, NULL, NULL, NULL, NT_CDN,
	    CONF_HIGH, "anycast prefix", "Google Public DNS over IPv6");
	check(c, "2001:4860:4861::1", 0, 15169, NULL, NULL, NULL,
	    NT_HOSTING, CONF_HIGH, "curated ASN",
	    "next IPv6 /48 is not anycast");
	check(c, "2606:4700:4700::1111", 0, 13335, NULL, NULL, NULL, NT_CDN,
	    CONF_HIGH, "anycast prefix", "Cloudflare DNS over IPv6");
	check(c, "::ffff:8.8.8.8", 0, 0, NULL, NULL, NULL, NT_CDN,
	    CONF_HIGH, "anycast prefix", "IPv4-mapped 8.8.8.8");

	parse_addr("8.8.8.8", &a);
	classify(c, &a, 0, 15169, NULL, NULL, NULL, &nc);
	ok(strstr(nc.detail, "Google") != NULL &&
	    strstr(nc.detail, "8.8.8.0/24") != NULL,
	    "anycast detail names operator and network: %s", nc.detail);

	/* Every prefix in the file is found by its own first address. */
	snprintf(path, sizeof(path), "%s/anycast-prefixes.csv", geo);
	if (file_read_all(path, &buf, &len) != 0) {
		ok(0, "read %s", path);
		return;
	}
	r = csv_new(buf, len, ',', 0, 0);
	while (csv_next(r, &f, &nf, &line) == CSV_RECORD) {
		struct ga_net n;

		if (line == 1)
			continue;
		rows++;
		if (net_parse(f[0].p, f[0].len, 0, &n, NULL) != 0)
			continue;
		classify(c, &n.lo, 0, 0, NULL, NULL, NULL, &nc);
		if (nc.type == NT_CDN &&
		    strcmp(nc.basis, "anycast prefix") == 0)
			hits++;
	}
	ok(rows >= 40 && hits == rows, "all %zu anycast rows match (%zu)",
	    rows, hits);
	csv_free(r);
	free(buf);
}

struct name_case {
	const char *org;
	enum net_type type;
	enum confidence conf;
	const char *what;
};

static const struct name_case hits[] = {
	{ "Example Hosting Ltd", NT_HOSTING, CONF_MEDIUM, "hosting" },
	{ "EXAMPLE HOSTING CORP", NT_HOSTING, CONF_MEDIUM, "case ignored" },
	{ "ACME Datacenter GmbH", NT_HOSTING, CONF_MEDIUM, "datacenter" },
	{ "Foo Data-Center LLC", NT_HOSTING, CONF_MEDIUM, "data center" },
	{ "Bar VPS s.r.o.", NT_HOSTING, CONF_MEDIUM, "vps" },
	{ "Baz Colocation Inc", NT_HOSTING, CONF_MEDIUM, "colocation" },
	{ "Co-Location Partners", NT_HOSTING, CONF_MEDIUM, "co-location" },
	{ "Example Cloud Hosting", NT_HOSTING, CONF_MEDIUM,
	    "strong word beats weak word" },
	{ "Qux Cloud Inc", NT_HOSTING, CONF_LOW, "cloud is weak" },
	{ "Big Servers Ltd", NT_HOSTING, CONF_LOW, "servers is weak" },
	{ "Caf\xc3\xa9 Hosting", NT_HOSTING, CONF_MEDIUM,
	    "UTF-8 word before hosting" },
	{ "Acme VPN Ltd", NT_VPN, CONF_MEDIUM, "vpn" },
	{ "NordVPN S.A.", NT_VPN, CONF_MEDIUM, "glued VPN brand" },
	{ "Acme Mobile", NT_MOBILE, CONF_LOW, "mobile" },
	{ "T-Mobile Example", NT_MOBILE, CONF_LOW, "T-Mobile splits" },
	{ "Foo Wireless LLC", NT_MOBILE, CONF_LOW, "wireless" },
	{ "China Mobile Communications Corporation", NT_MOBILE, CONF_LOW,
	    "mobile outranks communications" },
	{ "State University of Somewhere", NT_EDU, CONF_MEDIUM,
	    "university" },
	{ "Some Community College", NT_EDU, CONF_MEDIUM, "college" },
	{ "Example Institute of Technology", NT_EDU, CONF_MEDIUM,
	    "institute of technology" },
	{ "University Data Center", NT_EDU, CONF_MEDIUM,
	    "education outranks hosting at equal confidence" },
	{ "Ministry of Interior", NT_GOV, CONF_LOW, "ministry" },
	{ "City of Mobile", NT_GOV, CONF_LOW, "city of, not a carrier" },
	{ "Acme Telecom", NT_ISP, CONF_LOW, "telecom" },
	{ "Foo Broadband", NT_ISP, CONF_LOW, "broadband" },
	{ "Cable & Wireless Panama", NT_ISP, CONF_LOW,
	    "Cable & Wireless is not mobile" },
	{ "Fixed Wireless Networks", NT_ISP, CONF_LOW, "fixed wireless" },
	{ "IDC, China Telecommunications Corporation", NT_HOSTING, CONF_LOW,
	    "IDC outranks telecommunications" },
	/* Rules of the second training round (real holder names). */
	{ "SteamVPS SRL", NT_HOSTING, CONF_MEDIUM, "vps glued at the end" },
	{ "VpsQuan L.L.C.", NT_HOSTING, CONF_MEDIUM, "vps glued at the start" },
	{ "vServer.site LTD", NT_HOSTING, CONF_MEDIUM, "vserver" },
	{ "Olfe Veri Merkezi Anonim Sirketi", NT_HOSTING, CONF_MEDIUM,
	    "veri merkezi (Turkish: data centre)" },
	{ "HostSlim B.V.", NT_HOSTING, CONF_LOW, "host glued at the start" },
	{ "HOSTSHIELD LTD", NT_HOSTING, CONF_LOW, "host glued, upper case" },
	{ "CIZGI TELEKOMUNIKASYON ANONIM SIRKETI", NT_ISP, CONF_LOW,
	    "telekomunikasyon (Turkish)" },
	{ "Dedicated Telekomunikasyon Teknoloji", NT_HOSTING, CONF_LOW,
	    "hosting word outranks telekomunikasyon" },
	/* Rules of the third training round (real holder names). */
	{ "AZERTELECOM LLC", NT_ISP, CONF_LOW, "telecom glued at the end" },
	{ "Limited Liability Company VolgoGazTelecom", NT_ISP, CONF_LOW,
	    "telecom glued, mixed case" },
	{ "Revtelecom-Hosting Revtelecom Group SAS", NT_HOSTING, CONF_MEDIUM,
	    "hosting outranks glued telecom" },
	{ "Town of Georgina", NT_GOV, CONF_LOW, "town of" },
	{ "Mountain Village Town Of", NT_GOV, CONF_LOW,
	    "town of at the end of the name" },
	{ "GENESYSNET PROVEDOR DE INTERNET LTDA ME", NT_ISP, CONF_LOW,
	    "provedor (Portuguese: provider)" },
	{ "OMEGA TELECOMUNICACAO LTDA", NT_ISP, CONF_LOW,
	    "telecomunicacao (Portuguese, singular)" },
	{ "Zachodniopomorski Uniwersytet Technologiczny w Szczecinie",
	    NT_EDU, CONF_MEDIUM, "uniwersytet (Polish)" },
	{ "Fachhochschule Technikum Wien", NT_EDU, CONF_MEDIUM,
	    "fachhochschule (German)" },
	{ "Telekomunikacja Podlasie Sp. z o.o.", NT_ISP, CONF_LOW,
	    "telekomunikacja (Polish)" },
	{ "Bit On Internet Provider Ltda.", NT_ISP, CONF_LOW,
	    "internet provider" },
	/* How rules are found: by each word's hash, and glued rules against
	 * every word, the best chosen once all are in. */
	{ "Datacenter of the University", NT_EDU, CONF_MEDIUM,
	    "the rule listed first wins wherever it stands in the name" },
	{ "NordVPN University", NT_EDU, CONF_MEDIUM,
	    "a word rule listed first beats a glued rule found first" },
	{ "Abcdefghijklmnopqrstuvwxyzabcdefghtelecom Ltd", NT_ISP, CONF_LOW,
	    "telecom glued to a word too long for the index" },
	{ "Hostabcdefghijklmnopqrstuvwxyzabcdefghijk Ltd", NT_HOSTING, CONF_LOW,
	    "host glued to a word too long for the index" },
};

/* Each trap must not come out as hosting (nor as what the word seems to
 * say); most come out unknown. */
static const struct name_case traps[] = {
	{ "Grand Hotel Hospitality Hosting Events", NT_UNKNOWN, CONF_NONE,
	    "a hotel hosting events" },
	{ "Host Hotels & Resorts", NT_UNKNOWN, CONF_NONE, "hotel REIT" },
	{ "Seaside Inn Hosting", NT_UNKNOWN, CONF_NONE, "an inn" },
	{ "Cloudy Bay Telecom", NT_ISP, CONF_LOW, "cloudy is not cloud" },
	{ "Hostelworld Group", NT_UNKNOWN, CONF_NONE, "hostelworld" },
	{ "Ghost Inc", NT_UNKNOWN, CONF_NONE, "ghost" },
	{ "Ghosting Productions", NT_UNKNOWN, CONF_NONE, "ghosting" },
	{ "Hostess Brands", NT_UNKNOWN, CONF_NONE, "hostess" },
	{ "Serverless Inc", NT_UNKNOWN, CONF_NONE, "serverless" },
	{ "Soundcloud Ltd", NT_UNKNOWN, CONF_NONE, "soundcloud" },
	{ "Exxon Mobil Corporation", NT_UNKNOWN, CONF_NONE,
	    "Mobil is not mobile" },
	{ "Mobile Home Park Ltd", NT_UNKNOWN, CONF_NONE, "mobile home" },
	{ "Federal Express Corporation", NT_UNKNOWN, CONF_NONE,
	    "FedEx is not government" },
	{ "Navy Federal Credit Union", NT_UNKNOWN, CONF_NONE,
	    "credit union is not government" },
	{ "University Federal Credit Union", NT_UNKNOWN, CONF_NONE,
	    "credit union is not a university" },
	{ "Privatevpnx", NT_UNKNOWN, CONF_NONE, "vpn only as a suffix" },
	{ "Hostelworld.com Ltd", NT_UNKNOWN, CONF_NONE,
	    "hostel- is not host-" },
	{ "Hostessen Catering", NT_UNKNOWN, CONF_NONE, "hostess- is not host-" },
	{ "Hostile Takeover Games", NT_UNKNOWN, CONF_NONE, "hostile" },
	{ "Hostage Rescue Ltd", NT_UNKNOWN, CONF_NONE, "hostage" },
	{ "Baker & Hostetler, LLP", NT_UNKNOWN, CONF_NONE,
	    "a law firm's surname" },
	{ "Ghostly Inc", NT_UNKNOWN, CONF_NONE, "host only as a prefix" },
	{ "Localhost Example", NT_UNKNOWN, CONF_NONE,
	    "host is not a suffix rule" },
	{ "The Observer Group", NT_UNKNOWN, CONF_NONE, "observer" },
	{ "Avpsx Trading", NT_UNKNOWN, CONF_NONE, "vps only at either end" },
	{ "Vserverless Labs", NT_UNKNOWN, CONF_NONE, "vserver whole word" },
	{ "Veri Teknoloji", NT_UNKNOWN, CONF_NONE, "veri alone" },
	{ "Telecomputing Ltd", NT_UNKNOWN, CONF_NONE,
	    "telecom only as a suffix" },
	{ "Downtown Offices", NT_UNKNOWN, CONF_NONE, "town of whole words" },
	{ "Hosting at the Hotel Example", NT_UNKNOWN, CONF_NONE,
	    "a veto after the rule it blocks" },
	{ "MyVPSHost Ltd", NT_UNKNOWN, CONF_NONE,
	    "vps inside a word, host at its end: neither rule" },
	{ "Vp Vn Vs Networks", NT_UNKNOWN, CONF_NONE,
	    "words shorter than the glued rules" },
};

static void test_names_rules(const struct classifier *c)
{
	struct net_class nc;
	size_t i;

	for (i = 0; i < NITEMS(hits); i++) {
		char what[160];

		snprintf(what, sizeof(what), "name \"%s\": %s", hits[i].org,
		    hits[i].what);
		check(c, NULL, 0, 0, hits[i].org, NULL, NULL, hits[i].type,
		    hits[i].conf, "name rule", what);
	}
	for (i = 0; i < NITEMS(traps); i++) {
		char what[160];

		snprintf(what, sizeof(what), "trap \"%s\": %s", traps[i].org,
		    traps[i].what);
		classify(c, NULL, 0, 0, traps[i].org, NULL, NULL, &nc);
		ok(nc.type != NT_HOSTING && nc.type == traps[i].type &&
		    nc.conf == traps[i].conf, "%s (got %s)", what,
		    net_type_name(nc.type));
	}
	classify(c, NULL, 0, 0, "Example Hosting Ltd", NULL, NULL, &nc);
	is_str(nc.detail, "hosting", "name-rule detail is the matched words");
	classify(c, NULL, 0, 0, "Foo Data Center", NULL, NULL, &nc);
	is_str(nc.detail, "data center", "phrase detail");
}

static void test_order(const struct classifier *c)
{
	struct net_class a, b;
	struct ga_addr ad;

	check(c, NULL, 0, 64512, "Acme Widgets Ltd", NULL, NULL,
	    NT_UNKNOWN, CONF_NONE, "no rule matched",
	    "unmatched name and ASN stay unknown");
	check(c, NULL, 0, 0, NULL, NULL, NULL, NT_UNKNOWN, CONF_NONE,
	    "no rule matched", "nothing known is unknown");
	check(c, NULL, 0, 0, "", NULL, NULL, NT_UNKNOWN, CONF_NONE,
	    "no rule matched", "empty name is unknown");
	check(c, NULL, 0, 0, " -- ,, ", NULL, NULL, NT_UNKNOWN, CONF_NONE,
	    "no rule matched", "punctuation-only name is unknown");
	classify(c, NULL, 0, 64512, "Acme Widgets", NULL, NULL, &a);
	is_str(a.detail, "", "unknown has an empty detail");

	check(c, NULL, 0, 16509, "Some Telecom", NULL, NULL, NT_HOSTING,
	    CONF_HIGH, "curated ASN", "curated ASN beats the name rules");
	check(c, NULL, 0, 7922, "Example Hosting", "tor", "tor-exits",
	    NT_TOR, CONF_HIGH, "feed tor-exits",
	    "feed type beats curated ASN and name");
	check(c, NULL, 0, 0, "Acme Mobile", "vpn", "vpn-list", NT_VPN,
	    CONF_HIGH, "feed vpn-list", "feed type beats a name rule");
	check(c, "8.8.8.8", 0, 15169, NULL, "hosting", "google-cloud",
	    NT_HOSTING, CONF_HIGH, "feed google-cloud",
	    "feed type beats anycast prefix");
	check(c, NULL, 0, 7922, NULL, "HOSTING", "x", NT_HOSTING, CONF_HIGH,
	    "feed x", "feed type ignores case");
	check(c, NULL, 0, 7922, NULL, "bogus", "x", NT_ISP, CONF_HIGH,
	    "curated ASN", "an unknown feed type is no evidence");
	check(c, NULL, 0, 7922, NULL, "unknown", "x", NT_ISP, CONF_HIGH,
	    "curated ASN", "a feed saying unknown is no evidence");
	check(c, NULL, 0, 7922, NULL, "tor", NULL, NT_TOR, CONF_HIGH,
	    "feed", "feed without a name");
	check(c, "10.1.2.3", 1, 7922, "Example Hosting", "tor", "t",
	    NT_SPECIAL, CONF_HIGH, "special-use registry",
	    "special-use beats everything");

	parse_addr("192.0.2.1", &ad);
	classify(c, &ad, 0, 0, NULL, "cdn", "cdn-feed", &a);
	classify(c, &ad, 0, 0, NULL, "hosting", "cdn-feed", &b);
	ok(a.basis == b.basis, "a feed's basis string is kept, not rebuilt");
	is_str(b.basis, "feed cdn-feed", "feed basis text");
}

static void test_null_classifier(void)
{
	struct ga_addr a;

	parse_addr("8.8.8.8", &a);
	is_int((long long)classify_asn_count(NULL), 0, "no ASNs without data");
	check(NULL, "8.8.8.8", 0, 15169, "Example Hosting", NULL, NULL,
	    NT_HOSTING, CONF_MEDIUM, "name rule",
	    "without data only the name rules apply");
	check(NULL, NULL, 0, 0, NULL, "tor", "t", NT_TOR, CONF_HIGH, "feed",
	    "feed without data");
	check(NULL, NULL, 1, 0, NULL, NULL, NULL, NT_SPECIAL, CONF_HIGH,
	    "special-use registry", "special-use without data");
	classify_free(NULL);
	ok(1, "classify_free(NULL) is a no-op");
}

/* ------------------------------------------------------------------ */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
}

static const char good_any[] =
    "network,type,operator,service,basis\n"
    "192.0.2.0/24,cdn,Example,resolver,test\n";

/* Load an ASN file (and the good anycast file, or `any`) and expect
 * failure with `want` in the message. */
static void bad(const char *asn_text, const char *any_text,
                const char *want, const char *what)
{
	char a[256], y[256], err[512];
	struct classifier *c;

	write_file("a.csv", asn_text);
	write_file("y.csv", any_text != NULL ? any_text : good_any);
	snprintf(a, sizeof(a), "%s/a.csv", tmpdir);
	snprintf(y, sizeof(y), "%s/y.csv", tmpdir);
	err[0] = '\0';
	c = classify_load_files(a, y, err, sizeof(err));
	if (!ok(c == NULL && strstr(err, want) != NULL, "%s", what))
		printf("# error \"%s\", want \"%s\"\n", err, want);
	classify_free(c);
}

static void test_load_errors(void)
{
	static const char hdr[] = "asn,type,name,basis\n";
	char a[256], y[256], err[512], text[512];
	struct classifier *c;
	struct ga_addr ad;
	struct net_class nc;

	snprintf(tmpdir, sizeof(tmpdir), "%s/geoattr-classify.XXXXXX",
	    getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 30 ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}

	/* A good pair first: columns in another order, an extra column. */
	write_file("a.csv", "type,extra,asn,basis,name\n"
	    "hosting,x,65001,\"operator: test, quoted\",Example\n"
	    "isp,y,65000,operator: test,\"Other \"\"ISP\"\"\"\n");
	write_file("y.csv", good_any);
	snprintf(a, sizeof(a), "%s/a.csv", tmpdir);
	snprintf(y, sizeof(y), "%s/y.csv", tmpdir);
	c = classify_load_files(a, y, err, sizeof(err));
	ok(c != NULL, "columns are found by name");
	is_int((long long)classify_asn_count(c), 2, "two ASNs read");
	parse_addr("192.0.2.9", &ad);
	classify(c, &ad, 0, 65000, NULL, NULL, NULL, &nc);
	is_int(nc.type, NT_CDN, "test anycast prefix applies");
	classify(c, NULL, 0, 65000, NULL, NULL, NULL, &nc);
	is_str(nc.detail, "Other \"ISP\"; operator: test",
	    "curated detail is name and basis, unquoted");
	classify(c, NULL, 0, 65001, NULL, NULL, NULL, &nc);
	is_int(nc.type, NT_HOSTING, "rows out of order are sorted");
	classify_free(c);

	/* Prefixes shorter than the 16 bits the quick test of an address
	 * looks at cover many of its values: every address of them is
	 * found, and the addresses just outside are not. */
	write_file("y.csv", "network,type,operator,service,basis\n"
	    "100.64.0.0/10,cdn,Short,v4,test\n"
	    "6.0.0.0/7,cdn,Shorter,v4,test\n"
	    "2001::/20,cdn,Short,v6,test\n"
	    "2c00::/6,cdn,Shorter,v6,test\n");
	c = classify_load_files(a, y, err, sizeof(err));
	if (!ok(c != NULL, "short anycast prefixes load"))
		printf("# %s\n", err);
	if (c != NULL) {
		static const struct { const char *addr; int any; } shorts[] = {
			{ "100.64.0.0", 1 }, { "100.100.7.1", 1 }, { "100.127.255.255", 1 },
			{ "100.63.255.255", 0 }, { "100.128.0.0", 0 },
			{ "6.0.0.0", 1 }, { "7.200.1.1", 1 }, { "5.255.255.255", 0 }, { "8.0.0.0", 0 },
			{ "2001::1", 1 }, { "2001:db8::1", 1 }, { "2001:fff:ffff::1", 1 },
			{ "2001:1000::", 0 }, { "2000:ffff:ffff::1", 0 },
			{ "2c00::", 1 }, { "2fff:ffff::1", 1 }, { "2bff:ffff::1", 0 }, { "3000::", 0 },
		};
		size_t k;

		for (k = 0; k < sizeof(shorts) / sizeof(shorts[0]); k++) {
			parse_addr(shorts[k].addr, &ad);
			classify(c, &ad, 0, 0, NULL, NULL, NULL, &nc);
			ok((strcmp(nc.basis, "anycast prefix") == 0) == shorts[k].any,
			    "%s is %sin a short anycast prefix", shorts[k].addr,
			    shorts[k].any ? "" : "not ");
		}
		classify_free(c);
	}

	snprintf(text, sizeof(text), "%s65000,isp,A,b\n65x,isp,B,b\n", hdr);
	bad(text, NULL, "a.csv:3: ASN \"65x\"", "bad ASN names FILE:LINE");
	snprintf(text, sizeof(text), "%s0,isp,A,b\n", hdr);
	bad(text, NULL, "a.csv:2: ASN", "ASN 0 is rejected");
	snprintf(text, sizeof(text), "%s4294967296,isp,A,b\n", hdr);
	bad(text, NULL, "a.csv:2: ASN", "ASN over 32 bits is rejected");
	snprintf(text, sizeof(text), "%s65000,residential,A,b\n", hdr);
	bad(text, NULL, "a.csv:2: type \"residential\"", "unknown type");
	snprintf(text, sizeof(text), "%s65000,unknown,A,b\n", hdr);
	bad(text, NULL, "a.csv:2: type", "type unknown is not data");
	snprintf(text, sizeof(text), "%s65000,special-use,A,b\n", hdr);
	bad(text, NULL, "a.csv:2: type", "special-use is not an ASN type");
	snprintf(text, sizeof(text), "%s65000,isp,A,\n", hdr);
	bad(text, NULL, "a.csv:2: empty basis", "empty basis");
	snprintf(text, sizeof(text), "%s65000,isp,,b\n", hdr);
	bad(text, NULL, "a.csv:2: empty name", "empty name");
	snprintf(text, sizeof(text), "%s65000,isp,A\n", hdr);
	bad(text, NULL, "a.csv:2: 3 fields", "short row");
	snprintf(text, sizeof(text), "%s65000,isp,A,b\n\n65001,isp,\"A,b\n",
	    hdr);
	bad(text, NULL, "a.csv:4: ", "unclosed quote names its line");
	snprintf(text, sizeof(text),
	    "%s65000,isp,A,b\n65001,isp,B,b\n65000,mobile,C,b\n", hdr);
	bad(text, NULL, "a.csv:4: AS65000 is listed twice (first on line 2)",
	    "duplicate ASN names both lines");
	bad("asn,type,name\n65000,isp,A\n", NULL,
	    "a.csv:1: header has no column \"basis\"", "missing column");
	bad("", NULL, "a.csv: empty file", "empty file");
	snprintf(text, sizeof(text), "%s65000,isp,A,b\n", hdr);
	bad(text, "network,type,operator,service,basis\n"
	    "192.0.2.0/24,cdn,E,s,b\n198.51.100.1/24,cdn,E,s,b\n",
	    "y.csv:3: network \"198.51.100.1/24\"",
	    "anycast network with host bits");
	bad(text, "network,type,operator,service,basis\n"
	    "192.0.2.0-192.0.2.255,cdn,E,s,b\n", "y.csv:2: network",
	    "anycast range is rejected");
	bad(text, "network,type,operator,service,basis\n"
	    "192.0.2.0/24,anycastish,E,s,b\n", "y.csv:2: type",
	    "anycast bad type");
	bad(text, "network,type,operator,service,basis\n"
	    "192.0.2.0/24,cdn,E,s,b\n2001:db8::/32,cdn,E,s,b\n"
	    "192.0.2.0/24,cdn,F,s,b\n",
	    "y.csv:4: network is listed twice (first on line 2)",
	    "duplicate anycast network");
	bad(text, "network,type,operator,basis\n192.0.2.0/24,cdn,E,b\n",
	    "y.csv:1: header has no column \"service\"",
	    "anycast missing column");

	snprintf(a, sizeof(a), "%s/none.csv", tmpdir);
	c = classify_load_files(a, y, err, sizeof(err));
	ok(c == NULL && strstr(err, "none.csv: ") != NULL,
	    "missing file is named: %s", err);
	c = classify_load_files(a, y, NULL, 0);
	ok(c == NULL, "err may be NULL");

	/* classify_load names the file it could not read. */
	write_file("asn-types.csv", "asn,type,name,basis\n65000,isp,A,b\n");
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c == NULL && strstr(err, "anycast-prefixes.csv") != NULL,
	    "classify_load names the missing anycast file");
	write_file("anycast-prefixes.csv", good_any);
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c == NULL && strstr(err, "x4bnet-datacenter-ASN.txt") != NULL,
	    "classify_load names the missing list: %s", err);
	write_file("x4bnet-datacenter-ASN.txt", "AS64500 # Example DC\n");
	write_file("x4bnet-vpn-ASN.txt", "AS64501 # Example VPN\n");
	write_file("bad-asn-list.csv", "ASN,Entity\n64500,\"Example DC, ZZ\"\nx64502,Bad\n");
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c == NULL && strstr(err, "bad-asn-list.csv:3: the ASN is not a number") != NULL,
	    "a malformed list row fails the load with FILE:LINE: %s", err);
	write_file("bad-asn-list.csv", "ASN,Entity\n64500,\"Example DC, ZZ\"\n");
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c == NULL && strstr(err, "ipcat-datacenters.csv: ") != NULL,
	    "classify_load names the missing range list: %s", err);
	write_file("ipcat-datacenters.csv", "203.0.113.0,203.0.113.255,Example DC,http://dc.example/\n"
	           "198.51.100.0,198.51.99.255,Backwards,\n");
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c == NULL && strstr(err, "ipcat-datacenters.csv:2: start \"198.51.100.0\" is after end") != NULL,
	    "a malformed range row fails the load with FILE:LINE: %s", err);
	write_file("ipcat-datacenters.csv", "203.0.113.0,203.0.113.255,Example DC,http://dc.example/\n");
	c = classify_load(tmpdir, err, sizeof(err));
	ok(c != NULL && classify_asn_count(c) == 1,
	    "classify_load reads a directory");
	if (c != NULL) {
		struct net_class lc;

		classify_owner(c, 64500, NULL, &lc);
		ok(lc.type == NT_HOSTING && lc.tier == TIER_LIST &&
		    strcmp(lc.basis, "x4bnet datacenter list, bad-asn-list") == 0 &&
		    strcmp(lc.detail, "Example DC") == 0,
		    "a row of two lists names both (%s: %s)", lc.basis, lc.detail);
		classify_owner(c, 64501, NULL, &lc);
		ok(lc.type == NT_VPN && lc.tier == TIER_LIST, "the vpn list types vpn");
		classify_owner(c, 65000, NULL, &lc);
		ok(lc.tier == TIER_CURATED, "the curated row stays curated");
		ok(classify_list(c, 2) != NULL && classify_list(c, 2)->rows == 1 &&
		    classify_list(c, 3) != NULL && classify_list(c, 3)->rows == 1 &&
		    strcmp(classify_list(c, 3)->unit, "ranges") == 0 &&
		    strcmp(classify_list(c, 3)->name, "ipcat datacenter ranges") == 0 &&
		    classify_list(c, 4) == NULL, "three ASN lists and the range list are reported");
		{
			struct ga_addr in, out;

			addr_parse("203.0.113.77", 12, &in, NULL);
			addr_parse("203.0.114.0", 11, &out, NULL);
			classify(c, &in, 0, 0, NULL, NULL, NULL, &lc);
			ok(lc.type == NT_HOSTING && lc.tier == TIER_LIST && lc.conf == CONF_LOW &&
			    strcmp(lc.basis, "ipcat datacenter ranges of 2019-02-20") == 0 &&
			    strcmp(lc.detail, "Example DC") == 0,
			    "an address in a range without holder is hosting from the range list (%s: %s)",
			    lc.basis, lc.detail);
			classify(c, &out, 0, 0, NULL, NULL, NULL, &lc);
			ok(lc.type == NT_UNKNOWN, "the next address is not");
			classify(c, &in, 0, 65000, NULL, NULL, NULL, &lc);
			ok(lc.tier == TIER_CURATED && lc.type == NT_ISP, "a curated holder beats the range");
			classify(c, &in, 0, 64501, NULL, NULL, NULL, &lc);
			ok(lc.tier == TIER_LIST && lc.type == NT_VPN, "an ASN list beats the range");
			classify(c, &in, 0, 64999, "Example Hosting Ltd", NULL, NULL, &lc);
			ok(lc.tier == TIER_LIST && lc.type == NT_HOSTING && strcmp(lc.detail, "Example DC") == 0,
			    "the range beats a name rule saying hosting");
			classify(c, &in, 0, 64999, "Example Telecom", NULL, NULL, &lc);
			ok(lc.tier == TIER_NAME && lc.type == NT_ISP,
			    "a name rule saying carrier beats the range (a block sold since)");
			classify(c, &in, 0, 64999, "Example Communications", NULL, NULL, &lc);
			ok(lc.tier == TIER_NAME && lc.type == NT_ISP,
			    "even a weak one (%s)", type_tier_name(lc.tier));
		}
	}
	classify_free(c);
	snprintf(text, sizeof(text), "%s/x4bnet-datacenter-ASN.txt", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/x4bnet-vpn-ASN.txt", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/bad-asn-list.csv", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/ipcat-datacenters.csv", tmpdir);
	unlink(text);

	snprintf(text, sizeof(text), "%s/a.csv", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/y.csv", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/asn-types.csv", tmpdir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/anycast-prefixes.csv", tmpdir);
	unlink(text);
	rmdir(tmpdir);
}

/* The third-party lists against the curated table and name rules, on
 * real rows of the embedded lists (see geo/README.md). */
static void test_lists(const struct classifier *c)
{
	static const struct {
		uint32_t asn;
		const char *org;        /* the org in the embedded ASN data */
		enum net_type type;
		enum type_tier tier;
		const char *why;
	} cases[] = {
		{ 60404, "The Infrastructure Group B.V.", NT_HOSTING, TIER_LIST,
		  "a hoster only the lists know is hosting, from the lists" },
		{ 6939, "Hurricane Electric LLC", NT_ISP, TIER_CURATED,
		  "Hurricane Electric, a transit network in both lists: curated isp wins" },
		{ 29465, "MTN NIGERIA Communication limited", NT_MOBILE, TIER_CURATED,
		  "MTN Nigeria in bad-asn-list: curated mobile wins" },
		{ 3561, "CenturyLink Communications, LLC", NT_ISP, TIER_CURATED,
		  "CenturyLink/Savvis, the lists' known error: curated isp wins" },
		{ 37170, "University of Lagos", NT_EDU, TIER_NAME,
		  "a university in both lists: the name rule wins" },
		{ 132225, "China Telecom", NT_ISP, TIER_NAME,
		  "China Telecom in both lists: the carrier name wins" },
		{ 36666, "GloboTech Communications", NT_HOSTING, TIER_LIST,
		  "a hoster called Communications: a weak word does not overrule" },
		{ 209854, "Surfshark Ltd", NT_VPN, TIER_LIST,
		  "Surfshark, in the x4bnet vpn list" },
	};
	size_t i;

	for (i = 0; i < NITEMS(cases); i++) {
		struct net_class nc;

		classify_owner(c, cases[i].asn, cases[i].org, &nc);
		ok(nc.type == cases[i].type && nc.tier == cases[i].tier,
		    "AS%lu: %s (%s, %s)", (unsigned long)cases[i].asn, cases[i].why,
		    net_type_name(nc.type), nc.basis);
	}
	ok(classify_list(c, 0) != NULL && classify_list(c, 0)->rows > 800,
	    "x4bnet datacenter list loaded (%zu ASNs)",
	    classify_list(c, 0) ? classify_list(c, 0)->rows : 0);
	ok(classify_list(c, 2) != NULL && classify_list(c, 2)->rows > 600,
	    "bad-asn-list loaded (%zu ASNs)",
	    classify_list(c, 2) ? classify_list(c, 2)->rows : 0);
}

/* ------------------------------------------------------------------ */
/* The type index: a classifier read from it answers exactly as one read
 * from the CSV files, and a stale, damaged or cut index is passed over
 * for the files. */

static const char *const type_files[] = {
	"asn-types.csv", "anycast-prefixes.csv", "x4bnet-datacenter-ASN.txt",
	"x4bnet-vpn-ASN.txt", "bad-asn-list.csv", "ipcat-datacenters.csv"
};

static int copy_file(const char *from, const char *to)
{
	char *buf;
	size_t len;
	FILE *fp;
	int rc = -1;

	if (file_read_all(from, &buf, &len) != 0)
		return -1;
	if ((fp = fopen(to, "wb")) != NULL) {
		rc = fwrite(buf, 1, len, fp) == len ? 0 : -1;
		if (fclose(fp) != 0)
			rc = -1;
	}
	free(buf);
	return rc;
}

static int same_class(const struct net_class *x, const struct net_class *y)
{
	return x->type == y->type && x->tier == y->tier && x->conf == y->conf &&
	    strcmp(x->basis, y->basis) == 0 && strcmp(x->detail, y->detail) == 0;
}

/* How many of the questions a and b answer differently; *asked counts
 * them.  Every curated and listed ASN (a sweep past the largest), both
 * ends of every datacenter range and the address after each, and a
 * spread of addresses of both families for the anycast prefixes. */
static size_t compare_classifiers(const struct classifier *a, const struct classifier *b,
                                  const struct rangelist *ranges, size_t *asked)
{
	struct ga_addr addr;
	struct net_class x, y;
	size_t differ = 0, i;
	uint32_t asn;
	uint64_t seed = 88172645463325252ULL;

	*asked = 0;
	addr_parse("192.0.2.1", 9, &addr, NULL);
	for (asn = 1; asn < 420000; asn += (asn < 70000 ? 1 : 7)) {
		classify(a, &addr, 0, asn, NULL, NULL, NULL, &x);
		classify(b, &addr, 0, asn, NULL, NULL, NULL, &y);
		differ += !same_class(&x, &y);
		++*asked;
	}
	for (i = 0; i < ranges->n; i++) {
		struct ga_addr probe[3];
		int k, last;

		probe[0] = ranges->v[i].lo;
		probe[1] = ranges->v[i].hi;
		probe[2] = ranges->v[i].hi;
		for (last = probe[2].family == 4 ? 3 : 15; last >= 0 && probe[2].bytes[last] == 0xff; last--)
			probe[2].bytes[last] = 0;
		if (last >= 0)
			probe[2].bytes[last]++;
		for (k = 0; k < 3; k++) {
			classify(a, &probe[k], 0, 0, NULL, NULL, NULL, &x);
			classify(b, &probe[k], 0, 0, NULL, NULL, NULL, &y);
			differ += !same_class(&x, &y);
			++*asked;
		}
	}
	for (i = 0; i < 20000; i++) {
		int k;

		memset(&addr, 0, sizeof(addr));
		addr.family = i % 4 == 3 ? 6 : 4;
		for (k = 0; k < (addr.family == 4 ? 4 : 16); k++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			addr.bytes[k] = (uint8_t)seed;
		}
		/* Most anycast prefixes are in a few first bytes: aim there too. */
		if (i % 2 == 0 && addr.family == 4)
			addr.bytes[0] = (uint8_t)"\x08\x01\x09\x68\xac\xa2\xc6\x17"[i / 2 % 8];
		if (i % 2 == 0 && addr.family == 6)
			addr.bytes[0] = 0x26, addr.bytes[1] = (uint8_t)(i % 3 == 0 ? 0x06 : 0x00);
		classify(a, &addr, 0, 0, NULL, NULL, NULL, &x);
		classify(b, &addr, 0, 0, NULL, NULL, NULL, &y);
		differ += !same_class(&x, &y);
		++*asked;
	}
	return differ;
}

/* Load tmp's tables; 1 when they came from the index and answer as csv. */
static int loads_indexed(const char *tmp, const struct classifier *csv,
                         const struct rangelist *ranges, int lazy, size_t *differ)
{
	char err[512];
	struct classifier *c = lazy ? classify_load_lazy(tmp, err, sizeof(err))
	                            : classify_load(tmp, err, sizeof(err));
	size_t asked;
	int indexed;

	if (c == NULL) {
		printf("# %s\n", err);
		*differ = (size_t)-1;
		return 0;
	}
	indexed = classify_indexed(c);
	*differ = compare_classifiers(csv, c, ranges, &asked);
	classify_free(c);
	return indexed;
}

/* Overwrite `n` bytes of the index at the place table `id`'s row `row`
 * field `off` is. */
static int poke_index(const char *path, uint32_t id, size_t row, size_t off,
                      const void *bytes, size_t n)
{
	char *buf;
	size_t len;
	struct tix t;
	const struct tix_table *tb;
	int rc = -1;

	if (file_read_all(path, &buf, &len) != 0)
		return -1;
	if (tix_parse((const uint8_t *)buf, len, &t, NULL, 0) == 0 &&
	    (tb = tix_table(&t, id, 0)) != NULL && row < tb->nrows) {
		FILE *fp;

		memcpy((char *)tix_bytes(tb, row, off), bytes, n);
		if ((fp = fopen(path, "wb")) != NULL) {
			rc = fwrite(buf, 1, len, fp) == len ? 0 : -1;
			fclose(fp);
		}
	}
	free(buf);
	return rc;
}

static void test_index(void)
{
	char tmp[] = "/tmp/test_classify_idx.XXXXXX", err[512], *from, *to, *idx, *cmd;
	struct classifier *csv;
	struct rangelist ranges;
	size_t i, differ;
	int copied = 0;

	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	for (i = 0; i < NITEMS(type_files); i++) {
		from = xasprintf("%s/%s", geo, type_files[i]);
		to = xasprintf("%s/%s", tmp, type_files[i]);
		copied += copy_file(from, to) == 0;
		free(from);
		free(to);
	}
	is_int(copied, (long long)NITEMS(type_files), "index: the type files copied");
	memset(&ranges, 0, sizeof(ranges));
	{
		char *p = xasprintf("%s/ipcat-datacenters.csv", tmp), *buf;
		size_t len;

		if (file_read_all(p, &buf, &len) == 0) {
			rangelist_parse(buf, len, p, &ranges, NULL, 0);
			free(buf);
		}
		free(p);
	}
	idx = xasprintf("%s/types.idx", tmp);
	csv = classify_load_csv(tmp, err, sizeof(err));
	if (!ok(csv != NULL && !classify_indexed(csv), "index: the CSV files read as such")) {
		printf("# %s\n", err);
		goto out;
	}
	is_int(classify_write_index(csv, tmp, idx, err, sizeof(err)), 0, "index written");
	ok(loads_indexed(tmp, csv, &ranges, 0, &differ), "index: read from the index");
	is_int((long long)differ, 0, "index: answers every question as the CSV files do");
	ok(loads_indexed(tmp, csv, &ranges, 1, &differ), "index: the lazy loader reads it too");
	is_int((long long)differ, 0, "index: the lazy loader answers as the CSV files do");
	{
		struct classifier *lazy = classify_load_lazy(tmp, err, sizeof(err));

		ok(lazy != NULL && classify_write_index(lazy, tmp, idx, err, sizeof(err)) != 0,
		   "index: not written from a classifier that has not read every table");
		classify_free(lazy);
	}

	/* Stale: a file touched since the index was made. */
	{
		char *p = xasprintf("%s/bad-asn-list.csv", tmp);
		struct timespec ts[2];

		ts[0].tv_sec = ts[1].tv_sec = 1600000000;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		utimensat(AT_FDCWD, p, ts, 0);
		free(p);
	}
	ok(!loads_indexed(tmp, csv, &ranges, 0, &differ), "index: stale, so not used");
	is_int((long long)differ, 0, "index: stale, the CSV files answer");

	/* Damaged tables: a type out of range, lists out of order. */
	is_int(classify_write_index(csv, tmp, idx, err, sizeof(err)), 0, "index made again");
	{
		uint8_t bad_type[4] = { 99, 0, 0, 0 }, big_asn[4] = { 0xff, 0xff, 0xff, 0xff };

		ok(poke_index(idx, 1, 0, 12, bad_type, 4) == 0, "index: an ASN row given type 99");
		ok(!loads_indexed(tmp, csv, &ranges, 0, &differ), "index: a bad type, not used");
		is_int((long long)differ, 0, "index: a bad type, the CSV files answer");
		classify_write_index(csv, tmp, idx, err, sizeof(err));
		ok(poke_index(idx, 3, 0, 0, big_asn, 4) == 0, "index: a list's first ASN made the largest");
		ok(!loads_indexed(tmp, csv, &ranges, 0, &differ), "index: a list out of order, not used");
		is_int((long long)differ, 0, "index: a list out of order, the CSV files answer");
		ok(loads_indexed(tmp, csv, &ranges, 1, &differ),
		   "index: a list out of order, the lazy loader still takes the index's other tables");
		is_int((long long)differ, 0, "index: ... and reads the lists from their files when needed");
		classify_write_index(csv, tmp, idx, err, sizeof(err));
		ok(poke_index(idx, 3 + 3, 1, 8, "\x01\x02\x03\x04", 4) == 0, "index: a range moved");
		ok(!loads_indexed(tmp, csv, &ranges, 0, &differ), "index: ranges out of order, not used");
		is_int((long long)differ, 0, "index: ranges out of order, the CSV files answer");
	}
	/* The comparison has teeth: a valid type changed in the index is
	 * used, and answers differently. */
	classify_write_index(csv, tmp, idx, err, sizeof(err));
	{
		uint8_t vpn[4] = { NT_VPN, 0, 0, 0 }, hosting[4] = { NT_HOSTING, 0, 0, 0 };
		char *buf;
		size_t len;
		struct tix t;
		const struct tix_table *tb;
		int was_vpn = 0, used;

		if (file_read_all(idx, &buf, &len) == 0) {
			if (tix_parse((const uint8_t *)buf, len, &t, NULL, 0) == 0 &&
			    (tb = tix_table(&t, 1, 16)) != NULL && tb->nrows > 0)
				was_vpn = tix_u32(tb, 0, 12) == NT_VPN;
			free(buf);
		}
		poke_index(idx, 1, 0, 12, was_vpn ? hosting : vpn, 4);
		used = loads_indexed(tmp, csv, &ranges, 0, &differ);
		ok(used && differ > 0,
		   "index: a first ASN retyped in the index is used and seen (%zu answers differ)",
		   differ);
	}
	/* Cut short. */
	classify_write_index(csv, tmp, idx, err, sizeof(err));
	if (truncate(idx, 4000) == 0) {
		ok(!loads_indexed(tmp, csv, &ranges, 0, &differ), "index: cut short, not used");
		is_int((long long)differ, 0, "index: cut short, the CSV files answer");
	}
out:
	classify_free(csv);
	rangelist_free(&ranges);
	free(idx);
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	free(cmd);
}

/* The lazy loader (text search of the sorted file) answers exactly as
 * the full one, for every ASN from 1 to beyond the largest listed. */
static void test_lazy(const struct classifier *full)
{
	char err[512];
	struct classifier *lazy = classify_load_lazy(geo, err, sizeof(err));
	struct ga_addr a;
	uint32_t asn;
	size_t differ = 0, met = 0;

	if (!ok(lazy != NULL, "lazy load of %s", geo)) {
		printf("# %s\n", err);
		return;
	}
	addr_parse("192.0.2.1", 9, &a, NULL);
	for (asn = 1; asn < 400000; asn += (asn < 70000 ? 1 : 7)) {
		struct net_class x, y;

		classify(full, &a, 0, asn, NULL, NULL, NULL, &x);
		classify(lazy, &a, 0, asn, NULL, NULL, NULL, &y);
		met += x.type != NT_UNKNOWN;
		if (x.type != y.type || strcmp(x.basis, y.basis) != 0 ||
		    strcmp(x.detail, y.detail) != 0)
			differ++;
	}
	ok(met >= 400, "curated ASNs met in the sweep (%zu)", met);
	is_int((long long)differ, 0, "lazy and full classifiers agree on every ASN");
	classify_free(lazy);
}


/* ------------------------------------------------------------------ */
/* answer_type() keeps the holder's type with the database entry: worked
 * out once, then read back, also when several threads type answers of
 * one entry at once. */

struct memo_job {
	const struct classifier *c;
	const struct answer *a;
	struct net_class want;
	int bad;
};

static void *memo_thread(void *p)
{
	struct memo_job *j = p;
	struct net_class got;
	int i;

	for (i = 0; i < 2000; i++) {
		answer_type(j->c, j->a, &got);
		if (got.type != j->want.type || got.conf != j->want.conf ||
		    got.tier != j->want.tier || got.basis != j->want.basis ||
		    got.detail != j->want.detail)
			j->bad++;
	}
	return NULL;
}

static struct answer *memo_answer(struct src_entry *e, const char *addr)
{
	struct answer *a = xcalloc(1, sizeof(*a));
	struct ga_net net;

	memset(&net, 0, sizeof(net));
	parse_addr(addr, &net.lo);
	net.hi = net.lo;
	net.prefix_len = 32;
	net.kind = NET_ADDR;
	answer_begin(a, &net, 1);
	a->hit[0].e = e;
	a->asn_src = 0;
	return a;
}

static void test_owner_memo(const struct classifier *c)
{
	struct src_entry e, e2;
	struct answer *a, *a2;
	struct net_class direct, first, again, other;
	struct memo_job job[4];
	pthread_t th[4];
	int i, started = 0, bad = 0;

	memset(&e, 0, sizeof(e));
	e.asn = 4200000001u;
	e.org = "Example Hosting";
	a = memo_answer(&e, "198.51.100.7");
	classify_owner(c, e.asn, e.org, &direct);
	ok(atomic_load(&e.memo_state) == 0, "a fresh entry has no memo");
	answer_type(c, a, &first);
	ok(atomic_load(&e.memo_state) == 2, "typing an answer fills its holder's memo");
	ok(first.type == direct.type && first.tier == direct.tier &&
	   first.basis == direct.basis && first.detail == direct.detail,
	   "the first answer is the holder's type (%s, %s)", net_type_name(first.type),
	   first.basis);
	/* The memo, not the name, answers from now on: change the name to
	 * one with another type and the answer stays. */
	e.org = "Example State University";
	classify_owner(c, e.asn, e.org, &other);
	answer_type(c, a, &again);
	ok(other.type != direct.type && again.type == first.type &&
	   again.basis == first.basis && again.detail == first.detail,
	   "the second answer comes from the memo (%s), not the name (%s)",
	   net_type_name(again.type), net_type_name(other.type));

	/* Four threads typing one fresh entry at once all get its type. */
	memset(&e2, 0, sizeof(e2));
	e2.asn = 4200000002u;
	e2.org = "Example Hosting";
	a2 = memo_answer(&e2, "198.51.100.8");
	for (i = 0; i < 4; i++) {
		job[i].c = c;
		job[i].a = a2;
		job[i].want = direct;
		job[i].bad = 0;
		if (pthread_create(&th[i], NULL, memo_thread, &job[i]) == 0)
			started++;
		else
			break;
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		bad += job[i].bad;
	}
	ok(started == 4 && bad == 0 && atomic_load(&e2.memo_state) == 2,
	   "four threads typing one entry agree (%d threads, %d differ)", started, bad);
	free(a);
	free(a2);
}

/* ------------------------------------------------------------------ */
/* The name memo is read without a lock: four threads typing the same
 * thousands of names at once (the memo filling and growing under them)
 * get what the rules give each name with no memo at all. */

#define NAME_MEMO_NAMES 12000

struct names_job {
	const struct classifier *c;
	char (*names)[48];
	const struct net_class *want;
	unsigned start;
	int bad;
};

static void *names_thread(void *p)
{
	struct names_job *j = p;
	struct net_class got;
	unsigned i, k;

	for (k = 0; k < 3; k++)
		for (i = 0; i < NAME_MEMO_NAMES; i++) {
			unsigned x = (i * 7 + j->start) % NAME_MEMO_NAMES;

			classify_owner(j->c, 0, j->names[x], &got);
			if (got.type != j->want[x].type || got.conf != j->want[x].conf ||
			    got.tier != j->want[x].tier || strcmp(got.basis, j->want[x].basis) != 0 ||
			    strcmp(got.detail, j->want[x].detail) != 0)
				j->bad++;
		}
	return NULL;
}

static void test_name_memo_threads(const char *dir)
{
	static const char *const words[] = {
		"Hosting", "Telecom", "University", "Cloud", "Mobile", "Networks",
		"Data Center", "Broadband", "VPN", "Ministry", "Cable", "Internet",
	};
	static char names[NAME_MEMO_NAMES][48];
	static struct net_class want[NAME_MEMO_NAMES];
	struct names_job job[4];
	pthread_t th[4];
	struct classifier *c;
	char err[512];
	unsigned i;
	int started = 0, bad = 0, k;

	/* A classifier of its own: its memo starts empty. */
	if ((c = classify_load(dir, err, sizeof(err))) == NULL) {
		ok(0, "load %s for the memo test: %s", dir, err);
		return;
	}
	for (i = 0; i < NAME_MEMO_NAMES; i++) {
		snprintf(names[i], sizeof(names[i]), "Example %u %s Ltd", i,
		         words[i % (sizeof(words) / sizeof(words[0]))]);
		classify_owner(NULL, 0, names[i], &want[i]);
	}
	for (k = 0; k < 4; k++) {
		job[k].c = c;
		job[k].names = names;
		job[k].want = want;
		job[k].start = (unsigned)k * 3001u;
		job[k].bad = 0;
		if (pthread_create(&th[k], NULL, names_thread, &job[k]) != 0)
			break;
		started++;
	}
	for (k = 0; k < started; k++) {
		pthread_join(th[k], NULL);
		bad += job[k].bad;
	}
	ok(started == 4 && bad == 0,
	   "four threads typing %d names through one memo get the rules' answers (%d differ)",
	   NAME_MEMO_NAMES, bad);
	classify_free(c);
}

int main(void)
{
	struct classifier *c;
	char err[512];

	test_names();
	test_null_classifier();
	test_load_errors();
	if (find_geo() != 0) {
		ok(0, "find geo/asn-types.csv (set TOP_SRCDIR)");
		return done_testing();
	}
	test_data_file();
	c = classify_load(geo, err, sizeof(err));
	if (!ok(c != NULL, "load %s", geo)) {
		printf("# %s\n", err);
		return done_testing();
	}
	test_curated(c);
	test_anycast(c);
	test_names_rules(c);
	test_order(c);
	test_lists(c);
	test_lazy(c);
	test_index();
	test_owner_memo(c);
	classify_free(c);
	test_name_memo_threads(geo);
	return done_testing();
}
