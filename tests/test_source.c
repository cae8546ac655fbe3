/*
 * test_source.c - the source engine on databases compiled in the test,
 * plus MaxMind's official test databases when they are present.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "resolve.h"
#include "source.h"
#include "mmdbw.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/geoattr-test-source.XXXXXX";

static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
	return path;
}

/* compile_text() with the tree's IP version (0: compile's default). */
static char *compile_text_ipv(const char *name, const char *csv, const char *columns,
                              const char *source_name, int ipv)
{
	struct compile_opts o;
	struct compile_stats st;
	char *in = write_file("in.csv", csv);
	char *out = xasprintf("%s/%s", dir, name);
	const char *inputs[1];
	int rc;

	compile_opts_init(&o);
	o.columns = columns;
	o.quiet = 1;
	o.source_name = source_name;
	o.license = "test licence";
	o.attribution = "test attribution";
	o.data_date = "2026-01-02";
	if (ipv != 0)
		o.ip_version = ipv;
	inputs[0] = in;
	rc = compile_run(&o, inputs, 1, out, &st);
	if (rc != 0) {
		printf("# compile of %s failed: %d\n", name, rc);
		exit(1);
	}
	free(in);
	return out;
}

static char *compile_text(const char *name, const char *csv, const char *columns,
                          const char *source_name)
{
	return compile_text_ipv(name, csv, columns, source_name, 0);
}

static struct ga_addr A(const char *s)
{
	struct ga_addr a;
	const char *why;

	if (addr_parse(s, strlen(s), &a, &why) != 0) {
		printf("# bad test address %s: %s\n", s, why);
		exit(1);
	}
	return a;
}

static struct ga_net N(const char *s)
{
	struct ga_net n;
	const char *why;

	if (net_parse(s, strlen(s), 0, &n, &why) != 0) {
		printf("# bad test network %s: %s\n", s, why);
		exit(1);
	}
	return n;
}

static void test_compiled(void)
{
	char *cdb = compile_text("c.mmdb",
	    "10.0.0.0/8,US\n11.0.0.0/8,FR\n2001:db8::/32,JP\n", "network,country", "alpha");
	char *cdb2 = compile_text("c2.mmdb",
	    "10.0.0.0/9,US\n10.128.0.0/9,CA\n2001:db8::/33,JP\n", "network,country", "beta");
	char *adb = compile_text("a.mmdb",
	    "10.0.0.0,10.0.255.255,64500,\"Example, \"\"Quoted\"\" Org\"\n11.0.0.0,11.255.255.255,64501,\n",
	    "start,end,asn,org", "asn-test");
	struct source_set *set = sources_new();
	struct source *s;
	struct src_hit h;
	struct source_info si;
	struct ga_addr a;
	struct answer ans;
	struct ga_net n;
	char buf[NET_TEXT_MAX];
	const struct src_entry *first;

	ok(sources_add_file(set, cdb, 1) == 0, "country database opens");
	ok(sources_add_file(set, adb, 1) == 0, "ASN database opens");
	ok(sources_add_file(set, cdb2, 1) == 0, "second country database opens");
	is_int((long long)sources_count(set), 3, "three sources");

	s = sources_at_mut(set, 0);
	source_info(s, &si);
	is_str(si.name, "alpha", "name from geoattr_source metadata");
	is_str(si.license, "test licence", "licence from metadata");
	is_str(si.attribution, "test attribution", "attribution from metadata");
	is_str(si.data_date, "2026-01-02", "data date from metadata");
	is_int(si.label, 'A', "first country source is A");
	ok(si.caps == SRC_HAS_COUNTRY, "country database provides country only");
	source_info(sources_at(set, 1), &si);
	ok(si.caps == SRC_HAS_ASN, "ASN database provides ASN only");
	is_int(si.label, 0, "ASN source has no country label");
	source_info(sources_at(set, 2), &si);
	is_int(si.label, 'B', "second country source is B");

	a = A("10.1.2.3");
	is_int(source_lookup(s, &a, &h), 1, "IPv4 address found");
	is_str(h.e->country, "US", "country of 10.1.2.3");
	is_str(net_format(&h.block, buf), "10.0.0.0/8", "block of an IPv4 address in an IPv6 tree is an IPv4 prefix");
	first = h.e;
	a = A("10.200.0.1");
	source_lookup(s, &a, &h);
	ok(h.e == first, "same record decoded once (cache)");
	a = A("::ffff:11.1.1.1");
	source_lookup(s, &a, &h);
	is_str(h.e ? h.e->country : "", "FR", "mapped address answered as IPv4");
	a = A("2001:db8:1::1");
	source_lookup(s, &a, &h);
	is_str(h.e ? h.e->country : "", "JP", "IPv6 address found");
	is_str(net_format(&h.block, buf), "2001:db8::/32", "IPv6 block");
	a = A("12.0.0.1");
	is_int(source_lookup(s, &a, &h), 0, "address outside all ranges not found");
	ok(h.e == NULL, "no entry when not found");

	s = sources_at_mut(set, 1);
	a = A("10.0.3.4");
	source_lookup(s, &a, &h);
	is_int(h.e ? h.e->asn : 0, 64500, "ASN decoded");
	is_str(h.e ? h.e->org : NULL, "Example, \"Quoted\" Org", "org decoded with comma and quotes");
	a = A("11.0.0.1");
	source_lookup(s, &a, &h);
	ok(h.e != NULL && h.e->org == NULL, "empty org is absent, not empty");
	is_int((long long)source_count_networks(s), 2, "network count: IPv4 aliases not counted twice");

	/* resolve: disagreement, ASN, splits. */
	n = N("10.200.0.1");
	resolve_net(set, &n, &ans);
	is_int(ans.disagree, 1, "US vs CA: sources disagree");
	is_int(answer_asn(&ans), 0, "no ASN data for 10.200.0.1");
	n = N("10.0.0.1");
	resolve_net(set, &n, &ans);
	is_int(ans.disagree, 0, "US vs US: sources agree");
	is_int(answer_asn(&ans), 64500, "ASN through resolve");
	is_str(answer_country(&ans, 2), "US", "country of source B");
	n = N("10.0.0.0/8");
	resolve_net(set, &n, &ans);
	is_int(ans.partial, 1, "a /8 split by the second source's /9 is partial");
	n = N("11.0.0.0/16");
	resolve_net(set, &n, &ans);
	is_int(ans.partial, 0, "a /16 inside every block is not partial");
	n = N("192.168.1.1");
	resolve_net(set, &n, &ans);
	ok(ans.special != NULL && strcmp(ans.special->rfc, "RFC 1918") == 0, "special-use through resolve");

	sources_free(set);
	sources_free(NULL);
	unlink(cdb);
	unlink(cdb2);
	unlink(adb);
	free(cdb);
	free(cdb2);
	free(adb);
}

static void test_bad_files(void)
{
	struct source_set *set = sources_new();
	char *p = write_file("junk.mmdb", "this is not a database\n");
	char *empty = write_file("empty.mmdb", "");

	is_int(sources_add_file(set, p, 1), -1, "text file refused");
	is_int(sources_add_file(set, empty, 1), -1, "empty file refused");
	is_int(sources_add_file(set, "/nonexistent/x.mmdb", 1), -1, "missing file refused");
	is_int((long long)sources_count(set), 0, "refused files are not added");
	unlink(p);
	unlink(empty);
	free(p);
	free(empty);
	sources_free(set);
}

static void test_maxmind(void)
{
	const char *base = getenv("MMDB_TESTDATA");
	struct source_set *set;
	struct src_hit h;
	struct ga_addr a;
	char *p;
	static const char *const corrupt[] = {
		"bad-data/libmaxminddb/libmaxminddb-corrupt-search-tree.mmdb",
		"bad-data/maxminddb-golang/cyclic-data-structure.mmdb",
		"bad-data/maxminddb-golang/invalid-data-record-offset.mmdb",
		"test-data/GeoIP2-City-Test-Invalid-Node-Count.mmdb",
		"test-data/MaxMind-DB-test-broken-search-tree-24.mmdb",
	};
	size_t i;

	if (base == NULL || access(base, R_OK) != 0) {
		printf("# MaxMind test data absent: vendor schema tests skipped\n");
		return;
	}
	set = sources_new();
	p = xasprintf("%s/test-data/GeoIP2-City-Test.mmdb", base);
	if (access(p, R_OK) != 0) {
		printf("# %s absent: skipped\n", p);
		free(p);
		sources_free(set);
		return;
	}
	ok(sources_add_file(set, p, 1) == 0, "GeoIP2 City test database opens");
	free(p);
	p = xasprintf("%s/test-data/GeoLite2-ASN-Test.mmdb", base);
	ok(sources_add_file(set, p, 1) == 0, "GeoLite2 ASN test database opens");
	free(p);
	p = xasprintf("%s/test-data/GeoIP2-ISP-Test.mmdb", base);
	ok(sources_add_file(set, p, 1) == 0, "GeoIP2 ISP test database opens");
	free(p);
	ok(source_caps(sources_at(set, 0)) & SRC_HAS_CITY, "City schema detected");
	a = A("81.2.69.142");
	source_lookup(sources_at_mut(set, 0), &a, &h);
	is_str(h.e ? h.e->country : "", "GB", "GeoIP2 City: country");
	is_str(h.e ? h.e->city : "", "London", "GeoIP2 City: city");
	ok(h.e && h.e->has_location, "GeoIP2 City: coordinates");
	a = A("1.128.0.0");
	source_lookup(sources_at_mut(set, 1), &a, &h);
	is_int(h.e ? h.e->asn : 0, 1221, "GeoLite2 ASN: number");
	is_str(h.e ? h.e->org : "", "Telstra Pty Ltd", "GeoLite2 ASN: organisation");
	sources_free(set);

	set = sources_new();
	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		p = xasprintf("%s/%s", base, corrupt[i]);
		if (access(p, R_OK) == 0)
			ok(sources_add_file(set, p, 1) == -1, "corrupt %s refused", corrupt[i]);
		free(p);
	}
	sources_free(set);
}

/* source_lookup_walk() answers as source_lookup() does, for addresses in
 * ascending order (where it resumes each walk) and in any other. */
static int cmp_addr_v(const void *x, const void *y)
{
	return addr_cmp(x, y);
}

enum { WALK_N4 = 1500, WALK_N6 = 1500, WALK_MAX = WALK_N4 + WALK_N6 + 160 };

/* The walk tests' addresses: dense where test databases hold data,
 * sparse elsewhere.  Returns how many were written to v[WALK_MAX]. */
static size_t walk_addrs(struct ga_addr *v)
{
	size_t n = 0, i;
	uint32_t x = 12345;

	for (i = 0; i < 80; i++) {
		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = 4;
		v[n].bytes[0] = 1; v[n].bytes[1] = 1; v[n].bytes[2] = 1; v[n].bytes[3] = (uint8_t)i;
		n++;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = 6;
		v[n].bytes[11] = i < 40 ? 1 : 2;
		v[n].bytes[12] = i < 40 ? 0xff : 0;
		v[n].bytes[13] = i < 40 ? 0xff : 0;
		v[n].bytes[14] = i < 40 ? 0xff : 0;
		v[n].bytes[15] = (uint8_t)(i < 40 ? 0xd8 + i : i * 3);
		n++;
	}
	for (i = 0; i < WALK_N4 + WALK_N6; i++) {
		int k;

		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = i < WALK_N4 ? 4 : 6;
		for (k = 0; k < (i < WALK_N4 ? 4 : 16); k++) {
			x = x * 1103515245u + 12345u;
			v[n].bytes[k] = (uint8_t)(x >> 16);
		}
		if (i >= WALK_N4 && i % 3 == 0) {     /* 2001:db8::/32, where the compiled test data is */
			v[n].bytes[0] = 0x20; v[n].bytes[1] = 0x01; v[n].bytes[2] = 0x0d; v[n].bytes[3] = 0xb8;
		}
		if (i < WALK_N4 && i % 4 == 0)
			v[n].bytes[0] = (uint8_t)(10 + (i / 4) % 2);
		n++;
	}
	return n;
}

static void walk_check(struct source *s, const char *what)
{
	static struct ga_addr v[WALK_MAX];
	struct src_walk w, w2;
	struct src_hit h1, h2;
	struct ga_net rb;
	src_ref ref;
	size_t n = walk_addrs(v), i, bad = 0, rbad = 0;
	int pass, r1, r2;
	char t1[NET_TEXT_MAX], t2[NET_TEXT_MAX];

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			qsort(v, n, sizeof(v[0]), cmp_addr_v);
		memset(&w, 0, sizeof(w));
		memset(&w2, 0, sizeof(w2));
		for (i = 0; i < n; i++) {
			r1 = source_lookup(s, &v[i], &h1);
			/* The ref of a record is that record: decoded, the same entry. */
			if (source_lookup_ref(s, &v[i], &ref, &rb, &w2) != r1 || (r1 == 1) != (ref != 0) ||
			    source_entry_of(s, ref) != h1.e || rb.prefix_len != h1.block.prefix_len ||
			    addr_cmp(&rb.lo, &h1.block.lo) != 0)
				rbad++;
			r2 = source_lookup_walk(s, &v[i], &h2, &w);
			if (r1 != r2 || h1.e != h2.e || h1.block.prefix_len != h2.block.prefix_len ||
			    addr_cmp(&h1.block.lo, &h2.block.lo) != 0 ||
			    addr_cmp(&h1.block.hi, &h2.block.hi) != 0) {
				if (bad++ < 3)
					printf("# %s: %s: lookup %d %s, walk %d %s\n", what,
					       addr_format(&v[i], t1), r1, net_format(&h1.block, t1), r2,
					       net_format(&h2.block, t2));
			}
		}
		ok(bad == 0, "%s: the walk answers as the lookup, %s (%zu addresses)", what,
		   pass ? "in ascending order" : "in random order", n);
		ok(rbad == 0, "%s: the ref walk gives the lookup's record and block, %s", what,
		   pass ? "in ascending order" : "in random order");
		rbad = 0;
	}
}

static void test_walk(void)
{
	const char *base = getenv("MMDB_TESTDATA");
	static const char *const dbs[] = {
		"test-data/MaxMind-DB-test-ipv4-24.mmdb", "test-data/MaxMind-DB-test-ipv4-28.mmdb",
		"test-data/MaxMind-DB-test-ipv4-32.mmdb", "test-data/MaxMind-DB-test-ipv6-24.mmdb",
		"test-data/MaxMind-DB-test-mixed-24.mmdb", "test-data/MaxMind-DB-test-mixed-32.mmdb",
		"test-data/MaxMind-DB-no-ipv4-search-tree.mmdb", "test-data/GeoIP2-City-Test.mmdb",
	};
	/* Compiled trees: both families; and no IPv4 data, where the ::/96
	 * path ends before the IPv4 root and the walk leaves IPv4 addresses
	 * to libmaxminddb, every time. */
	static const struct {
		const char *file, *csv, *name, *label;
	} compiled[] = {
		{ "w.mmdb", "1.1.1.0/26,AU\n10.0.0.0/8,US\n11.0.0.0/9,FR\n"
		  "11.128.0.0/10,DE\n2001:db8::/32,JP\n2001:db8:8000::/33,KR\n",
		  "walk", "compiled w.mmdb" },
		{ "w6.mmdb", "2001:db8::/32,JP\n2001:db8:8000::/33,KR\n2a00::/12,DE\n",
		  "walk v6", "compiled w6.mmdb, no IPv4 data" },
	};
	struct source_set *set;
	size_t i;

	for (i = 0; i < sizeof(compiled) / sizeof(compiled[0]); i++) {
		char *cdb = compile_text(compiled[i].file, compiled[i].csv, "network,country",
		                         compiled[i].name);

		set = sources_new();
		if (sources_add_file(set, cdb, 1) == 0)
			walk_check(sources_at_mut(set, 0), compiled[i].label);
		else
			ok(0, "%s opens for the walk", compiled[i].label);
		sources_free(set);
		unlink(cdb);
		free(cdb);
	}
	if (base == NULL || access(base, R_OK) != 0) {
		printf("# MaxMind test data absent: walk tests on its trees skipped\n");
		return;
	}
	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		char *p = xasprintf("%s/%s", base, dbs[i]);

		set = sources_new();
		if (access(p, R_OK) == 0 && sources_add_file(set, p, 1) == 0)
			walk_check(sources_at_mut(set, 0), dbs[i] + 10);
		else
			printf("# %s absent, or refused by the source engine (no country, ASN or type data): skipped\n", p);
		sources_free(set);
		free(p);
	}
}

/* sources_lookup_walk_many() answers for each source it is asked about as
 * source_lookup() does, whichever sources are asked about each time, in
 * ascending order and in any other, over trees of every shape the test
 * data has (IPv4-only, IPv6 with and without an IPv4 subtree). */
static void walk_many_check(struct source_set *set, const char *what)
{
	static struct ga_addr v[WALK_MAX];
	struct src_walk w[SRC_WALK_MANY];
	struct src_hit hit[SRC_WALK_MANY], h1;
	unsigned char want[SRC_WALK_MANY];
	int ret[SRC_WALK_MANY], r1, pass, done = 0;
	size_t n = walk_addrs(v), ns = sources_count(set), i, j, bad = 0, asked = 0;
	char t1[NET_TEXT_MAX], t2[NET_TEXT_MAX];

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			qsort(v, n, sizeof(v[0]), cmp_addr_v);
		memset(w, 0, sizeof(w));
		for (i = 0; i < n; i++) {
			for (j = 0; j < ns; j++)
				want[j] = (i + j) % 4 != 0;
			if (sources_lookup_walk_many(set, ns, want, &v[i], hit, w, ret) != 0) {
				bad++;
				continue;
			}
			for (j = 0; j < ns; j++) {
				if (!want[j])
					continue;
				asked++;
				r1 = source_lookup(sources_at_mut(set, j), &v[i], &h1);
				if (r1 != ret[j] || h1.e != hit[j].e ||
				    h1.block.prefix_len != hit[j].block.prefix_len ||
				    addr_cmp(&h1.block.lo, &hit[j].block.lo) != 0 ||
				    addr_cmp(&h1.block.hi, &hit[j].block.hi) != 0) {
					if (bad++ < 3)
						printf("# %s: source %zu: %s: lookup %d %s, walk %d %s\n", what, j,
						       addr_format(&v[i], t1), r1, net_format(&h1.block, t1),
						       ret[j], net_format(&hit[j].block, t2));
				}
			}
		}
		done++;
	}
	ok(done == 2 && bad == 0, "%s: the walk in step answers as the lookup in each of %zu sources "
	   "(%zu answers, %zu differ)", what, ns, asked, bad);
	ok(sources_lookup_walk_many(set, SRC_WALK_MANY + 1, want, &v[0], hit, w, ret) == -1 &&
	   sources_lookup_walk_many(set, ns + 1, want, &v[0], hit, w, ret) == -1,
	   "%s: more sources than the walk takes or the set has are refused", what);
}

static void test_walk_many(void)
{
	const char *base = getenv("MMDB_TESTDATA");
	static const char *const dbs[] = {
		"test-data/MaxMind-DB-test-ipv4-24.mmdb", "test-data/MaxMind-DB-test-mixed-32.mmdb",
		"test-data/MaxMind-DB-no-ipv4-search-tree.mmdb", "test-data/GeoIP2-City-Test.mmdb",
		"test-data/MaxMind-DB-test-ipv6-24.mmdb",
	};
	char *a = compile_text("wa.mmdb", "1.1.1.0/26,AU\n10.0.0.0/8,US\n11.0.0.0/9,FR\n"
	                       "11.128.0.0/10,DE\n2001:db8::/32,JP\n2001:db8:8000::/33,KR\n",
	                       "network,country", "walk a");
	char *b = compile_text("wb.mmdb", "1.1.0.0/16,NZ\n10.1.0.0/16,CA\n11.64.0.0/10,IT\n"
	                       "2001:db8:4000::/34,CN\n2001:db8:c000::/35,IN\n",
	                       "network,country", "walk b");
	/* An IPv4 tree: IPv6 addresses go to libmaxminddb's own lookup. */
	char *c = compile_text_ipv("wc.mmdb", "1.1.1.128/25,GB\n10.0.0.0/9,MX\n11.0.0.0/8,BR\n",
	                           "network,country", "walk c", 4);
	struct source_set *set = sources_new();
	size_t i;

	if (sources_add_file(set, a, 1) != 0 || sources_add_file(set, b, 1) != 0 ||
	    sources_add_file(set, c, 1) != 0)
		ok(0, "compiled wa.mmdb, wb.mmdb and wc.mmdb open for the walk in step");
	if (base != NULL && access(base, R_OK) == 0) {
		for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
			char *p = xasprintf("%s/%s", base, dbs[i]);

			if (access(p, R_OK) != 0 || sources_add_file(set, p, 1) != 0)
				printf("# %s absent or refused: not in the walk in step\n", p);
			free(p);
		}
	} else {
		printf("# MaxMind test data absent: the walk in step covers the compiled trees only\n");
	}
	walk_many_check(set, "compiled and test trees");
	sources_free(set);
	unlink(a);
	unlink(b);
	unlink(c);
	free(a);
	free(b);
	free(c);
}

/* A historical set as update --as-of writes it (registry or routing
 * records, keyed as histupdate.c keys them), from rows of
 * "prefix|key=value|...". */
static char *hist_db(const char *name, const char *type, const char *const *rows, size_t n)
{
	struct mmdbw *w = mmdbw_new(6);
	struct mmdbw_enc *e = mmdbw_enc_new();
	char *out = xasprintf("%s/%s", dir, name);
	size_t i;

	for (i = 0; i < n; i++) {
		char *row = xstrdup(rows[i]), *save = NULL, *f, *net = strtok_r(row, "|", &save);
		struct ga_net g;
		const char *why;
		char *kv[8];
		uint32_t nk = 0, k;

		while ((f = strtok_r(NULL, "|", &save)) != NULL && nk < 8)
			kv[nk++] = f;
		mmdbw_enc_reset(e);
		mmdbw_enc_map(e, nk);
		for (k = 0; k < nk; k++) {
			char *eq = strchr(kv[k], '=');

			*eq = '\0';
			if (strcmp(kv[k], "autonomous_system_number") == 0) {
				mmdbw_enc_cstr(e, kv[k]);
				mmdbw_enc_u32(e, (uint32_t)strtoul(eq + 1, NULL, 10));
			} else {
				mmdbw_enc_kv(e, kv[k], eq + 1);
			}
		}
		if (net_parse(net, strlen(net), 0, &g, &why) != 0 ||
		    mmdbw_insert_range(w, &g.lo, &g.hi, mmdbw_data_add(w, e)) != MMDBW_OK) {
			printf("# %s: row %zu refused\n", name, i);
			exit(1);
		}
		free(row);
	}
	mmdbw_meta_type(w, type);
	mmdbw_meta_description(w, "en", "test set as of 2017-07-17: test");
	if (mmdbw_write_file(w, out) != MMDBW_OK) {
		printf("# %s: not written\n", name);
		exit(1);
	}
	mmdbw_free(w);
	mmdbw_enc_free(e);
	return out;
}

/* source_hist_brief() reads what decode_hist() reads, and works out
 * hist_given, hist_day and hist_multi alike, for every kind of value. */
static void test_hist_brief(void)
{
	static const char *const reg[] = {
		"10.0.0.0/16|country=PH|hist_registry=apnic|hist_status=allocated|hist_date=2016-05-04",
		"10.1.0.0/16|country=US|hist_registry=arin|hist_status=assigned|hist_date=1999-12-31",
		"10.2.0.0/16|hist_registry=ripencc|hist_status=available",
		"10.3.0.0/16|country=ZZ|hist_registry=afrinic|hist_status=reserved|hist_date=2020-01-01",
		"10.4.0.0/16|country=DE|hist_registry=ripencc|hist_status=allocated|hist_date=20160504",
		"10.5.0.0/16|country=FR|hist_registry=x-test|hist_status=allocated-odd|hist_date=2016-5-4",
		"2001:db8::/32|country=JP|hist_registry=apnic|hist_status=allocated|hist_date=2011-01-12",
	};
	static const char *const rt[] = {
		"10.0.0.0/16|autonomous_system_number=64500|hist_origins=64500",
		"10.1.0.0/16|autonomous_system_number=64501|hist_origins=64501_64502",
		"10.2.0.0/16|autonomous_system_number=64503|hist_origins=64503,64504",
		"10.3.0.0/16|autonomous_system_number=64505|hist_origins=64505|autonomous_system_organization=Example",
		"10.4.0.0/16|autonomous_system_number=64506",
	};
	static const char *const addrs[] = {
		"10.0.1.1", "10.1.2.2", "10.2.3.3", "10.3.4.4", "10.4.5.5", "10.5.6.6", "10.9.9.9",
		"2001:db8::1", "2001:db9::1",
	};
	char *rp = hist_db("reg.mmdb", "geoattr-HistRegistry", reg, sizeof(reg) / sizeof(reg[0]));
	char *tp = hist_db("rt.mmdb", "geoattr-HistRouting", rt, sizeof(rt) / sizeof(rt[0]));
	struct source_set *set = sources_new();
	size_t i, bad = 0, found = 0, given = 0, multi = 0;

	if (sources_add_file(set, rp, 0) != 0 || sources_add_file(set, tp, 0) != 0) {
		ok(0, "the historical test sets open");
		goto out;
	}
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		struct ga_addr a = A(addrs[i]);
		size_t k;

		for (k = 0; k < 2; k++) {
			struct source *s = sources_at_mut(set, k);
			struct src_walk w;
			struct src_hist_brief b;
			struct ga_net blk;
			struct src_hit h;
			src_ref ref;
			int r;

			memset(&w, 0, sizeof(w));
			r = source_lookup_ref(s, &a, &ref, &blk, &w);
			if (r != source_lookup(s, &a, &h)) {
				bad++;
				continue;
			}
			if (r != 1) {
				bad += source_hist_brief(s, ref, &b) != -1;
				continue;
			}
			found++;
			if (source_hist_brief(s, ref, &b) != 0 || source_entry_of(s, ref) != h.e) {
				bad++;
				continue;
			}
			if (k == 0) {
				given += b.given;
				if (strcmp(b.country, h.e->country) != 0 || b.given != h.e->hist_given ||
				    b.day != h.e->hist_day || (b.date == NULL) != (h.e->hist_date == NULL) ||
				    (b.date != NULL && (b.date_len != strlen(h.e->hist_date) ||
				                        memcmp(b.date, h.e->hist_date, b.date_len) != 0))) {
					printf("# registry brief differs for %s\n", addrs[i]);
					bad++;
				}
			} else {
				multi += b.multi;
				if (b.asn != h.e->asn ||
				    b.multi != (h.e->hist_origins != NULL && h.e->hist_multi)) {
					printf("# routing brief differs for %s\n", addrs[i]);
					bad++;
				}
			}
		}
	}
	ok(bad == 0 && found == 12, "the brief of historical records reads as the decoded entry (%zu found)", found);
	ok(given == 4, "allocated and assigned blocks are given, other statuses not (%zu)", given);
	ok(multi == 2, "multi-origin and AS-set routes are multi (%zu)", multi);
	{
		struct src_hist_brief b;

		ok(source_hist_brief(sources_at_mut(set, 0), 0, &b) == -1, "no brief for ref 0");
	}
out:
	sources_free(set);
	unlink(rp);
	unlink(tp);
	free(rp);
	free(tp);
}

/* The record cache's entries come from an arena shared by threads: many
 * records (some with strings longer than a quarter of a chunk), looked
 * up by two threads at once, each decoded right, 16-byte aligned (what
 * src_entry_prefetch() counts on) and the same entry every time. */
#define ARENA_NETS 3000
struct arena_job {
	struct source *s;
	size_t step;            /* the order the records are asked in */
	const struct src_entry *got[ARENA_NETS];
	int bad;
};

static void *arena_thread(void *p)
{
	struct arena_job *j = p;
	size_t i;

	for (i = 0; i < ARENA_NETS; i++) {
		size_t k = (i * j->step) % ARENA_NETS;
		char t[32];
		struct ga_addr a;
		struct src_hit h;

		snprintf(t, sizeof(t), "10.%zu.%zu.1", k / 256, k % 256);
		a = A(t);
		if (source_lookup(j->s, &a, &h) != 1 || h.e == NULL ||
		    h.e->asn != 64512 + k || ((uintptr_t)h.e & 15) != 0 || h.e->org == NULL ||
		    strlen(h.e->org) != (k % 500 == 0 ? 20000 : 8 + k % 40)) {
			j->bad++;
			continue;
		}
		j->got[k] = h.e;
	}
	return NULL;
}

static void test_arena(void)
{
	struct buf csv;
	struct source_set *set = sources_new();
	struct arena_job j[2];
	pthread_t th;
	char *db, *org = xmalloc(20001);
	size_t i, same = 0;

	buf_init(&csv);
	for (i = 0; i < ARENA_NETS; i++) {
		size_t n = i % 500 == 0 ? 20000 : 8 + i % 40;
		char line[64];

		memset(org, 'a' + (int)(i % 26), n);
		org[n] = '\0';
		snprintf(line, sizeof(line), "10.%zu.%zu.0/24,%zu,", i / 256, i % 256, 64512 + i);
		buf_adds(&csv, line);
		buf_adds(&csv, org);
		buf_addc(&csv, '\n');
	}
	buf_addc(&csv, '\0');
	db = compile_text("arena.mmdb", csv.data, "network,asn,org", "arena");
	if (!ok(db != NULL && sources_add_file(set, db, 1) == 0, "arena: a database of %d records",
	        ARENA_NETS)) {
		buf_free(&csv);
		free(org);
		sources_free(set);
		return;
	}
	memset(j, 0, sizeof(j));
	j[0].s = j[1].s = sources_at_mut(set, 0);
	j[0].step = 1;
	j[1].step = 7;          /* prime to ARENA_NETS: every record, another order */
	if (pthread_create(&th, NULL, arena_thread, &j[1]) != 0) {
		ok(0, "arena: thread");
	} else {
		arena_thread(&j[0]);
		pthread_join(th, NULL);
	}
	is_int(j[0].bad + j[1].bad, 0, "arena: two threads' lookups decode every record right, aligned");
	for (i = 0; i < ARENA_NETS; i++)
		same += j[0].got[i] != NULL && j[0].got[i] == j[1].got[i];
	is_int((long long)same, ARENA_NETS, "arena: one entry per record, whichever thread made it");
	buf_free(&csv);
	free(org);
	free(db);
	sources_free(set);
}

int main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_compiled();
	test_bad_files();
	test_maxmind();
	test_walk();
	test_walk_many();
	test_hist_brief();
	test_arena();
	{
		char *in = xasprintf("%s/in.csv", dir);

		unlink(in);
		free(in);
	}
	rmdir(dir);
	return done_testing();
}
