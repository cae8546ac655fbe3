/*
 * test_aggregate.c - shares, HHI, disagreement, clustering and the caveat
 * triggers, on databases compiled in the test and hand-computed figures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "compile.h"
#include "judge.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/geoattr-test-agg.XXXXXX";

static char *compile_text(const char *name, const char *csv, const char *columns)
{
	struct compile_opts o;
	struct compile_stats st;
	char *in = xasprintf("%s/in.csv", dir), *out = xasprintf("%s/%s", dir, name);
	const char *inputs[1] = { in };
	FILE *fp = fopen(in, "w");

	fputs(csv, fp);
	fclose(fp);
	compile_opts_init(&o);
	o.columns = columns;
	o.quiet = 1;
	o.data_date = "2026-06-17";
	if (compile_run(&o, inputs, 1, out, &st) != 0)
		exit(1);
	unlink(in);
	free(in);
	return out;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static const struct caveat *find(const struct judgement *j, const char *id)
{
	size_t i;

	for (i = 0; i < j->ncaveats; i++)
		if (strcmp(j->caveats[i].id, id) == 0)
			return &j->caveats[i];
	return NULL;
}

/* Build the aggregate of a list of entries with weights. */
static void run(struct source_set *set, struct ipset *ips, const char *const *list,
                struct aggregate *a)
{
	size_t i;
	struct ga_net n;
	const char *why;

	for (i = 0; list[i]; i++) {
		if (net_parse(list[i], strlen(list[i]), 0, &n, &why) != 0)
			exit(1);
		ipset_add(ips, &n, i + 1, 1, NULL);
	}
	agg_init(a, set, NULL);
	for (i = 0; i < ipset_count(ips); i++) {
		struct answer ans;
		struct net_class nc;
		struct ipset_entry e;

		ipset_net(ips, i, &n);
		resolve_net(set, &n, &ans);
		answer_type(NULL, &ans, &nc);
		ipset_get(ips, i, &e);
		agg_add(a, (uint32_t)i, &e, &ans, &nc);
	}
	agg_finish(a);
}

/* Order of the whole ASN list, for the ranking test: n, then w, down;
 * then the ASN, up. */
static int want_order(const void *x, const void *y)
{
	const struct agg_asn *a = x, *b = y;
	int c = (a->n < b->n) - (a->n > b->n);

	if (c == 0)
		c = (a->w < b->w) - (a->w > b->w);
	if (c == 0)
		c = (a->asn > b->asn) - (a->asn < b->asn);
	return c;
}

static int by_asn(const void *x, const void *y)
{
	const struct agg_asn *a = x, *b = y;

	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

/* agg_reserve() sizes the table of /24 and /48 blocks from an estimate
 * of how many the set holds (HyperLogLog): room for all of them at the
 * table's 70% load, and not much more. */
static void test_reserve(struct source_set *set)
{
	static const size_t counts[] = { 3000, 20000, 150000 };
	size_t c, i;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		struct ipset *ips = ipset_new();
		struct aggregate a;
		struct ga_net n;
		const char *why;
		char t[64];
		size_t want = counts[c], blocks = 0;

		for (i = 0; i < want; i++) {
			/* two addresses in each /24 (or /48): one block */
			if (i % 10 == 9)
				snprintf(t, sizeof(t), "2001:%zx:%zx::1", 0xdb8 + (i >> 16),
				         i & 0xffff);
			else
				snprintf(t, sizeof(t), "%zu.%zu.%zu.1", 11 + (i >> 16),
				         i / 256 % 256, i % 256);
			if (net_parse(t, strlen(t), 0, &n, &why) != 0)
				exit(1);
			ipset_add(ips, &n, i + 1, 1, NULL);
			t[strlen(t) - 1] = '2';
			if (net_parse(t, strlen(t), 0, &n, &why) != 0)
				exit(1);
			ipset_add(ips, &n, i + 1, 1, NULL);
		}
		blocks = ipset_count(ips) / 2;
		agg_init(&a, set, NULL);
		agg_reserve(&a, ips);
		ok(a.ncluster_slots * 7 >= blocks * 10,
		   "reserve %zu blocks: %zu slots hold them at 70%% load", blocks,
		   a.ncluster_slots);
		ok(a.ncluster_slots * 7 <= blocks * 10 * 11 / 10 + 7,
		   "reserve %zu blocks: %zu slots, within 10%% of what they need",
		   blocks, a.ncluster_slots);
		agg_release(&a);
		ipset_free(ips);
	}
}

/* agg_finish() ranks the first AGG_ASN_RANKED ASNs as a full sort would,
 * keeps every ASN, and its concentration figures do not depend on the
 * order the ASNs came in. */
static void test_rank(void)
{
	static const size_t sizes[] = { 7, AGG_ASN_RANKED, AGG_ASN_RANKED + 1, 5000 };
	size_t t, i, n, bad, lost;
	uint32_t x = 99;

	for (t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++) {
		struct aggregate a;
		struct agg_asn *want, *got;
		double hhi;

		n = sizes[t];
		memset(&a, 0, sizeof(a));
		a.asns = xmalloc(n * sizeof(*a.asns));
		a.nasn = a.capasn = n;
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			a.asns[i].asn = (uint32_t)(i * 7 + 1);
			/* Few distinct counts and weights: ties all the way down. */
			a.asns[i].n = (double)(1 + (x >> 16) % 40);
			a.asns[i].w = (double)((x >> 8) % 3);
			a.total.n += a.asns[i].n;
			a.total.w += a.asns[i].w;
		}
		want = xmalloc(n * sizeof(*want));
		memcpy(want, a.asns, n * sizeof(*want));
		qsort(want, n, sizeof(*want), want_order);
		agg_finish(&a);
		hhi = a.hhi;
		for (i = 0, bad = 0; i < n && i < AGG_ASN_RANKED; i++)
			bad += a.asns[i].asn != want[i].asn;
		got = xmalloc(n * sizeof(*got));
		memcpy(got, a.asns, n * sizeof(*got));
		qsort(got, n, sizeof(*got), by_asn);
		qsort(want, n, sizeof(*want), by_asn);
		for (i = 0, lost = 0; i < n; i++)
			lost += got[i].asn != want[i].asn || got[i].n != want[i].n;
		ok(bad == 0 && lost == 0 && a.nasn == n,
		   "%zu ASNs: the first %zu ranked as a full sort, none lost (%zu misplaced, %zu lost)",
		   n, n < AGG_ASN_RANKED ? n : (size_t)AGG_ASN_RANKED, bad, lost);
		/* The same ASNs arriving reversed give the same figures. */
		{
			struct aggregate r;

			memset(&r, 0, sizeof(r));
			r.asns = xmalloc(n * sizeof(*r.asns));
			r.nasn = r.capasn = n;
			for (i = 0; i < n; i++)
				r.asns[i] = a.asns[n - 1 - i];
			r.total = a.total;
			agg_finish(&r);
			for (i = 0, bad = 0; i < n && i < AGG_ASN_RANKED; i++)
				bad += r.asns[i].asn != a.asns[i].asn;
			ok(bad == 0 && near(r.hhi, hhi) && r.top1 == a.top1 && near(r.top5, a.top5),
			   "%zu ASNs: the ranking and figures do not depend on arrival order", n);
			agg_release(&r);
		}
		free(want);
		free(got);
		agg_release(&a);
	}
}

int main(void)
{
	char *ca, *cb, *asn;
	struct source_set *set;
	struct ipset *ips;
	struct aggregate a;
	struct judgement j;
	struct claim c;
	struct ex_stats ex;
	/* 10 entries: 6 in AS1 (PH by A; by B 5 PH + 1 US), 3 in AS2 (US),
	 * one private address. */
	static const char *const list[] = {
		"198.18.0.1", "10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5",
		"10.1.0.6", "10.2.0.1", "10.2.0.2", "10.2.0.3", "10.2.0.3", NULL
	};

	test_rank();
	if (mkdtemp(dir) == NULL)
		return 1;
	/* Addresses from 10/8 are special-use, so the test data sits in
	 * 11.x: rewrite the list through a small offset instead. */
	ca = compile_text("a.mmdb", "11.1.0.0/16,PH\n11.2.0.0/16,US\n", "network,country");
	cb = compile_text("b.mmdb", "11.1.0.0/16,PH\n11.1.0.6/32,US\n11.2.0.0/16,US\n", "network,country");
	asn = compile_text("asn.mmdb", "11.1.0.0/16,1,One\n11.2.0.0/16,2,Two\n", "network,asn,org");
	set = sources_new();
	sources_add_file(set, ca, 1);
	sources_add_file(set, asn, 1);
	sources_add_file(set, cb, 1);
	test_reserve(set);
	{
		const char *l2[16];
		char bufs[16][32];
		size_t i;

		for (i = 0; list[i]; i++) {
			snprintf(bufs[i], sizeof(bufs[i]), "%s", list[i]);
			if (strncmp(bufs[i], "10.", 3) == 0)
				bufs[i][1] = '1';      /* 10.x -> 11.x */
			l2[i] = bufs[i];
		}
		l2[i] = NULL;
		ips = ipset_new();
		run(set, ips, l2, &a);
	}

	is_int((long long)a.total.n, 10, "10 unique entries (one duplicate merged)");
	ok(near(a.total.w, 11), "total weight 11");
	is_int((long long)a.ncs, 2, "two country sources");
	ok(near(a.country[0][agg_cc_index("PH")].n, 6), "A: 6 PH");
	ok(near(a.country[1][agg_cc_index("PH")].n, 5), "B: 5 PH");
	ok(near(a.country[1][agg_cc_index("US")].n, 4), "B: 4 US");
	ok(near(a.country[0][AGG_NODATA].n, 1), "A: 1 without data (special-use)");
	ok(near(a.both_answered.n, 9), "9 placed by both");
	ok(near(a.disagree.n, 1), "1 disagreement");
	is_int((long long)a.ndisagreements, 1, "disagreement listed");
	is_int((long long)a.nasn, 2, "2 distinct ASNs");
	is_int(a.asns[0].asn, 1, "AS1 first");
	/* HHI over the 9 entries with an ASN: (6/9)^2 + (3/9)^2 = 45/81. */
	ok(near(a.hhi, 45.0 / 81.0), "HHI = 45/81 (%f)", a.hhi);
	ok(near(a.top1, 0.6), "top 1 holds 6 of 10");
	ok(near(a.top5, 0.9), "top 5 hold 9 of 10");
	ok(near(a.special_total.n, 1), "one special-use entry");
	ok(near(a.special[SPECIAL_BENCHMARKING].n, 1), "198.18.0.1 is benchmarking space");
	ok(near(a.type[NT_SPECIAL].n, 1), "special-use type counted");
	ok(near(a.type[NT_UNKNOWN].n, 9), "no type data: the rest unknown");
	is_int((long long)a.nclusters, 2, "two /24 blocks (special-use not clustered)");
	ok(near(a.max_cluster, 6), "largest block has 6");

	/* The verdict and triggers. */
	claim_init(&c);
	memcpy(c.country, "PH", 3);
	c.share = 0.75;
	c.date = xstrdup("2024-02-07");
	memset(&ex, 0, sizeof(ex));
	judge(&a, &c, &ex, 2026 * 12 + 5, &j);
	is_int(j.kind, VERDICT_OVERSTATED, "claimed 75%% vs at most 60%%: overstated");
	ok(near(j.share[0], 0.6) && near(j.share[1], 0.5), "shares 60%% (A) and 50%% (B)");
	ok(strstr(j.verdict, "60.0% of the 10 entries geolocate to PH") != NULL, "verdict states the figure");
	ok(find(&j, "C-SPECIAL") != NULL, "special-use caveat fired");
	ok(find(&j, "C-DISAGREE") != NULL && near(find(&j, "C-DISAGREE")->figure, 1.0 / 9), "disagreement caveat with its figure");
	ok(find(&j, "C-AGE") != NULL && near(find(&j, "C-AGE")->figure, 28), "age caveat: 28 months");
	ok(find(&j, "C-CONCENTRATION") != NULL, "one ASN with 60%% fires concentration");
	ok(find(&j, "C-SMALL") != NULL, "small list caveat");
	ok(find(&j, "C-NOCONTEXT") != NULL, "no timestamps/ports caveat");
	ok(find(&j, "C-HOSTING") == NULL, "no hosting caveat without hosting networks");
	ok(find(&j, "C-TOR") == NULL, "no Tor caveat without Tor exits");
	ok(find(&j, "C-LASTHOP") != NULL && find(&j, "C-LASTHOP")->always, "always-on caveat present");
	judgement_release(&j);

	c.share = 0.6;
	ex.has_time = 1;
	free(c.date);
	c.date = xstrdup("2026-05-01");
	judge(&a, &c, &ex, 2026 * 12 + 5, &j);
	is_int(j.kind, VERDICT_CONSISTENT, "claimed 60%%: consistent");
	ok(find(&j, "C-AGE") == NULL, "no age caveat one month apart");
	ok(find(&j, "C-NOCONTEXT") == NULL, "timestamps present: no context caveat");
	judgement_release(&j);

	c.share = 0.2;
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_UNDERSTATED, "claimed 20%%: understated");
	judgement_release(&j);

	c.no_list = 1;
	judge(&a, &c, NULL, -1, &j);
	is_int(j.kind, VERDICT_NO_LIST, "no list: nothing verifiable");
	ok(find(&j, "C-NOLIST") != NULL, "no-list caveat");
	judgement_release(&j);
	claim_release(&c);

	{
		double v;
		long m;

		ok(claim_parse_share("75%", &v) == 0 && near(v, 0.75), "share 75%%");
		ok(claim_parse_share("0.75", &v) == 0 && near(v, 0.75), "share 0.75");
		ok(claim_parse_share("75", &v) != 0, "bare 75 is ambiguous");
		ok(claim_parse_share("abc", &v) != 0, "junk share rejected");
		ok(claim_parse_month("2024-02-07", &m) == 0 && m == 2024 * 12 + 1, "date to months");
		ok(claim_parse_month("2024-13-01", &m) != 0, "month 13 rejected");
	}

	agg_release(&a);
	ipset_free(ips);

	/* Blocks: more of them than the first table holds, and blocks of
	 * more entries than a slot's count field (kept on beside it). */
	{
		struct aggregate b;
		struct ga_net n;
		char t[64];
		size_t i;

		ips = ipset_new();
		agg_init(&b, set, NULL);
		for (i = 0; i < 40000 + 5000 + 2000 + 2; i++) {
			struct ga_addr ad;
			struct ipset_entry e;
			struct answer ans;
			struct net_class nc;

			memset(&ad, 0, sizeof(ad));
			if (i < 45000) {
				ad.family = 6;
				ad.bytes[0] = 0x2a;
				ad.bytes[3] = i < 40000 ? 1 : 2;
				ad.bytes[14] = (uint8_t)(i >> 8);
				ad.bytes[15] = (uint8_t)i;
			} else {
				ad.family = 4;
				ad.bytes[0] = 11;
				ad.bytes[1] = (uint8_t)((i - 45000) >> 8);
				ad.bytes[2] = (uint8_t)(i - 45000);
				if (i >= 47000) {      /* two more in 11.0.0.0/24 */
					ad.bytes[1] = ad.bytes[2] = 0;
					ad.bytes[3] = (uint8_t)(i - 46990);
				}
			}
			net_from_prefix(&ad, ad.family == 4 ? 32 : 128, &n);
			n.kind = NET_ADDR;
			ipset_add(ips, &n, i + 1, 1, NULL);
			ipset_net(ips, i, &n);
			ipset_get(ips, i, &e);
			resolve_net(set, &n, &ans);
			answer_type(NULL, &ans, &nc);
			agg_add(&b, (uint32_t)i, &e, &ans, &nc);
		}
		agg_finish(&b);
		is_int((long long)b.nclusters, 2002, "2,002 blocks after the table grew");
		ok(near(b.max_cluster, 40000), "a block of 40,000 entries counted whole (%g)",
		   b.max_cluster);
		is_int((long long)b.ntop_clusters, 10, "ten largest kept");
		is_str(agg_cluster_text(b.top_clusters[0].key, t), "2a00:1::/48", "largest block");
		is_str(agg_cluster_text(b.top_clusters[1].key, t), "2a00:2::/48", "second block");
		ok(near(b.top_clusters[1].n, 5000), "of 5,000");
		is_str(agg_cluster_text(b.top_clusters[2].key, t), "11.0.0.0/24", "third, an IPv4 block");
		ok(near(b.top_clusters[2].n, 3), "of 3");
		is_str(agg_cluster_text(b.top_clusters[3].key, t), "11.0.1.0/24",
		       "ties in address order");
		agg_release(&b);
		ipset_free(ips);
	}
	sources_free(set);
	unlink(ca);
	unlink(cb);
	unlink(asn);
	free(ca);
	free(cb);
	free(asn);
	rmdir(dir);
	return done_testing();
}
