/*
 * test_bulk.c - resolve_batch() against resolve_net() on the embedded
 * databases, with one and two threads, the NDJSON writer against
 * jansson, and the CSV writer against a plain one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "jsonout.h"
#include "resolve.h"
#include "source.h"
#include "tap.h"
#include "util.h"

/* A fixed generator, so a failure can be repeated. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static struct ga_net parse_net(const char *text)
{
	struct ga_net n;
	const char *why;

	if (net_parse(text, strlen(text), ADDR_HOSTBITS_MASK, &n, &why) != 0) {
		printf("# cannot parse %s: %s\n", text, why);
		exit(1);
	}
	return n;
}

static void random_addr(struct ga_addr *a, int family)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	for (i = 0; i < (family == 4 ? 4 : 16); i++)
		a->bytes[i] = (uint8_t)rnd();
	if (family == 6)
		a->bytes[0] = (uint8_t)(0x20 | (a->bytes[0] & 0x1f));  /* 2000::/3 */
}

static const char *const fixed[] = {
	"8.8.8.8", "1.1.1.1", "10.1.2.3", "127.0.0.1", "192.168.1.1",
	"100.64.1.1", "169.254.9.9", "192.0.2.7", "198.51.100.1", "203.0.113.9",
	"224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
	"0.0.0.0", "0.1.2.3", "192.88.99.1", "::", "::1", "fe80::1", "fc00::1",
	"fd12:3456::1", "2001:db8::1", "2002:c000:204::1", "2001::1", "ff02::1",
	"64:ff9b::808:808", "3fff::1", "5f00::1", "2620:4f:8000::1",
	"2001:4860:4860::8888", "2a03:2880::1", "::ffff:8.8.8.8",
	"8.8.8.0/24", "8.8.8.0-8.8.9.255", "8.0.0.0/8", "0.0.0.0/0", "::/0",
	"10.0.0.0/7", "192.0.2.0/23", "100.64.0.0/9", "2001:db8::/31",
	"2001:4860::/32", "2a00::/12", "1.0.0.0-1.255.255.255",
	"8.8.8.8-8.8.8.8", "2001:4860::1-2001:4861::", "fe80::/9",
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

/* A mix: fixed cases, random addresses, neighbours (same blocks),
 * duplicates, random prefixes and ranges (often spanning blocks). */
static size_t make_nets(struct ga_net *nets, size_t n)
{
	size_t i, k = 0;
	char text[NET_TEXT_MAX * 2 + 2];

	for (i = 0; i < NFIXED && k < n; i++)
		nets[k++] = parse_net(fixed[i]);
	while (k < n) {
		uint32_t r = rnd() % 100;
		struct ga_net *t = &nets[k];

		if (r < 35) {
			random_addr(&t->lo, rnd() % 4 == 0 ? 6 : 4);
			t->hi = t->lo;
			t->prefix_len = addr_bits(&t->lo);
			t->kind = NET_ADDR;
		} else if (r < 55 && k > 0) {
			/* A neighbour of an earlier address. */
			*t = nets[rnd() % k];
			if (t->kind != NET_ADDR)
				continue;
			t->lo.bytes[t->lo.family == 4 ? 3 : 15] ^= (uint8_t)(rnd() % 16);
			t->hi = t->lo;
		} else if (r < 70 && k > 0) {
			*t = nets[rnd() % k];             /* a duplicate */
		} else if (r < 85) {
			struct ga_addr a;
			int fam = rnd() % 3 == 0 ? 6 : 4;

			random_addr(&a, fam);
			net_from_prefix(&a, fam == 4 ? 8 + (int)(rnd() % 25)
			                             : 16 + (int)(rnd() % 64), t);
		} else {
			struct ga_addr a, b;
			char ta[ADDR_TEXT_MAX], tb[ADDR_TEXT_MAX];
			int fam = rnd() % 3 == 0 ? 6 : 4;

			random_addr(&a, fam);
			b = a;
			b.bytes[fam == 4 ? 2 : 6] = (uint8_t)(a.bytes[fam == 4 ? 2 : 6] |
			                                      (rnd() & 0x3f));
			b.bytes[fam == 4 ? 3 : 7] = (uint8_t)rnd();
			if (addr_cmp(&b, &a) < 0)
				b = a;
			snprintf(text, sizeof(text), "%s-%s", addr_format(&a, ta),
			         addr_format(&b, tb));
			*t = parse_net(text);
		}
		k++;
	}
	return k;
}

static int same_net(const struct ga_net *a, const struct ga_net *b)
{
	return addr_cmp(&a->lo, &b->lo) == 0 && addr_cmp(&a->hi, &b->hi) == 0 &&
	    a->prefix_len == b->prefix_len && a->kind == b->kind;
}

/* What differs between two answers, or NULL. */
static const char *answer_diff(const struct answer *a, const struct answer *b)
{
	size_t i;

	if (!same_net(&a->net, &b->net))
		return "net";
	if (a->special != b->special || a->special_partial != b->special_partial)
		return "special";
	if (a->nsrc != b->nsrc)
		return "nsrc";
	if (a->asn_src != b->asn_src)
		return "asn_src";
	if (a->partial != b->partial)
		return "partial";
	if (a->disagree != b->disagree)
		return "disagree";
	for (i = 0; i < a->nsrc; i++) {
		if (a->hit[i].e != b->hit[i].e)
			return "entry";
		if (!same_net(&a->hit[i].block, &b->hit[i].block))
			return "block";
	}
	return NULL;
}

struct collect {
	struct answer *ans;
	unsigned *calls;
};

static void collect_fn(size_t i, const struct answer *ans, void *ctx)
{
	struct collect *c = ctx;

	c->ans[i] = *ans;
	c->calls[i]++;
}

/* Batch answers for nets, with `threads` threads, checked against
 * resolve_net() on the same set (so entry pointers must be equal). */
static void check_batch(struct source_set *set, const struct ga_net *nets,
                        size_t n, const char *threads)
{
	struct collect c;
	struct answer want;
	size_t i, calls_ok = 1, bad = 0;
	const char *what = NULL;
	char text[NET_TEXT_MAX];

	c.ans = xcalloc(n, sizeof(*c.ans));
	c.calls = xcalloc(n, sizeof(*c.calls));
	setenv("GEOATTR_THREADS", threads, 1);
	resolve_batch(set, nets, n, collect_fn, &c);
	for (i = 0; i < n; i++)
		if (c.calls[i] != 1)
			calls_ok = 0;
	ok(calls_ok, "%s thread(s): one call for each of %zu networks", threads, n);
	for (i = 0; i < n; i++) {
		const char *d;

		resolve_net(set, &nets[i], &want);
		if ((d = answer_diff(&c.ans[i], &want)) != NULL) {
			if (bad++ == 0) {
				what = d;
				printf("# first difference: %s (%s)\n",
				       net_format(&nets[i], text), d);
			}
		}
	}
	ok(bad == 0, "%s thread(s): every answer as resolve_net gives (%zu differ%s%s)",
	   threads, bad, what ? ", first in " : "", what ? what : "");
	free(c.ans);
	free(c.calls);
}

/* jv_dump() of v, as text. */
static char *dump(struct jv *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		exit(1);
	jv_dump(v, fp, 0);
	fclose(fp);
	return text;
}

/* The writer's line, from a writer with and without the prepared
 * country texts; NULL if the two differ. */
static char *ndjson_of(const struct source_set *set, const struct answer *a,
                       const char *input)
{
	struct bulk_writer *w = bulk_writer_new(set);
	struct buf b, cold;

	buf_init(&cold);
	bulk_ndjson_answer(&cold, w, a, input, strlen(input));
	bulk_writer_warm(w);
	buf_init(&b);
	bulk_ndjson_answer(&b, w, a, input, strlen(input));
	bulk_writer_free(w);
	if (cold.len != b.len || memcmp(cold.data, b.data, b.len) != 0) {
		buf_free(&cold);
		buf_free(&b);
		return xstrdup("(the prepared country texts differ)\n");
	}
	buf_free(&cold);
	buf_addc(&b, '\0');
	return b.data;
}

static void check_writers(struct source_set *set, const struct ga_net *nets,
                          size_t n)
{
	static const char *const odd[] = {
		"plain", "quote \" and backslash \\", "tab\tnew\nline\rcr",
		"\x01\x02\x1f\x7f", "caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80",
		"bad \xff byte", "cut \xe6\x9d", "overlong \xc0\xaf",
		"surrogate \xed\xa0\x80", "max \xf4\x8f\xbf\xbf",
		"past max \xf4\x90\x80\x80", "\xc3", "", "slash / and \b\f",
	};
	struct answer a;
	struct src_entry fake;
	size_t i, bad = 0;
	char text[NET_TEXT_MAX];
	int c;

	for (i = 0; i < n; i++) {
		char *want, *got;
		struct jv *o;

		resolve_net(set, &nets[i], &a);
		net_format(&nets[i], text);
		o = answer_to_json(set, &a, text);
		want = dump(o);
		jv_free(o);
		got = ndjson_of(set, &a, text);
		if (strcmp(want, got) != 0 && bad++ == 0)
			printf("# want %s# got  %s", want, got);
		free(want);
		free(got);
	}
	ok(bad == 0, "NDJSON of %zu answers as jansson writes it (%zu differ)", n, bad);

	/* Odd organisation names and inputs. */
	resolve_net(set, &nets[0], &a);
	bad = 0;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char *want, *got;
		struct jv *o;

		if (a.asn_src < 0)
			break;
		fake = *a.hit[a.asn_src].e;
		fake.org = odd[i];
		a.hit[a.asn_src].e = &fake;
		o = answer_to_json(set, &a, odd[i]);
		want = dump(o);
		jv_free(o);
		got = ndjson_of(set, &a, odd[i]);
		if (strcmp(want, got) != 0 && bad++ == 0)
			printf("# want %s# got  %s", want, got);
		free(want);
		free(got);
	}
	ok(a.asn_src >= 0 && bad == 0, "odd organisation names and inputs escaped as jansson does");

	/* Every byte value alone, and after a lead byte. */
	bad = 0;
	for (c = 0; c < 256; c++) {
		char s[2] = { (char)c, 'x' };
		char pair[2] = { (char)0xc3, (char)c };
		const char *cases[2] = { s, pair };
		int j;

		for (j = 0; j < 2; j++) {
			struct buf b;
			struct jv *v = jv_strn(cases[j], 2);
			char *want = dump(v);

			buf_init(&b);
			bulk_json_string(&b, cases[j], 2);
			buf_addc(&b, '\n');
			buf_addc(&b, '\0');
			if (strcmp(want, b.data) != 0 && bad++ == 0)
				printf("# byte %d: want %s# got  %s", c, want, b.data);
			free(want);
			jv_free(v);
			buf_free(&b);
		}
	}
	ok(bad == 0, "every byte value written as jv_strn and jansson do");
}

/* A CSV field written plainly, one byte at a time: the reference. */
static void ref_field(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == n) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}

/* The CSV row of `geoattr lookup` for an answer, field by field through
 * the formatting functions of addr.c and classify.c. */
static void ref_csv_row(struct buf *b, const struct source_set *set,
                        const struct answer *a, const char *input,
                        const char *more)
{
	char text[NET_TEXT_MAX];
	size_t i;
	int f = answer_feed(a);

	ref_field(b, input, strlen(input));
	buf_printf(b, ",%s,%d,", net_format(&a->net, text), a->net.lo.family);
	if (a->special != NULL)
		buf_printf(b, "%s,%s", special_class_name(a->special->cls), a->special->rfc);
	else
		buf_addc(b, ',');
	buf_addc(b, ',');
	if (a->asn_src >= 0) {
		const char *org = answer_org(a);

		buf_printf(b, "%s,%lu,", net_format(&a->hit[a->asn_src].block, text),
		           (unsigned long)answer_asn(a));
		if (org != NULL)
			ref_field(b, org, strlen(org));
	} else {
		buf_adds(b, ",,");
	}
	for (i = 0; i < a->nsrc; i++)
		if (source_caps(sources_at(set, i)) & SRC_HAS_COUNTRY) {
			buf_addc(b, ',');
			if (a->hit[i].e != NULL)
				buf_adds(b, a->hit[i].e->country);
		}
	buf_adds(b, a->disagree ? ",no," : ",yes,");
	if (a->typed) {
		buf_printf(b, "%s,", net_type_name(a->type.type));
		ref_field(b, a->type.basis, strlen(a->type.basis));
		buf_printf(b, ",%s,%s", confidence_name(a->type.conf),
		           type_tier_name(a->type.tier));
	} else {
		buf_adds(b, ",,,");
	}
	buf_addc(b, ',');
	if (f >= 0 && a->hit[f].e->region != NULL)
		ref_field(b, a->hit[f].e->region, strlen(a->hit[f].e->region));
	buf_adds(b, more);
	buf_adds(b, ",\n");
}

/* The writer's row against the reference; 0 if they differ. */
static int csv_row_same(const struct source_set *set,
                        const struct bulk_writer *w, const struct answer *a,
                        const char *input, const char *more)
{
	struct buf want, got;
	int same;

	buf_init(&want);
	buf_init(&got);
	ref_csv_row(&want, set, a, input, more);
	buf_adds(&got, "row before\n");     /* appended to, not overwritten */
	bulk_csv_answer_more(&got, w, a, input, strlen(input), more, strlen(more));
	same = got.len == want.len + 11 && memcmp(got.data + 11, want.data, want.len) == 0;
	if (!same) {
		buf_addc(&got, '\0');
		printf("# want %s# got  %s", want.data, got.data + 11);
	}
	buf_free(&want);
	buf_free(&got);
	return same;
}

static void check_csv(struct source_set *set, const struct ga_net *nets, size_t n)
{
	static const char *const odd[] = {
		"", "a", "1234567", "12345678", "123456789", "exactly sixteen!",
		"comma, at 7", "Zhejiang Taobao Network Co.,Ltd", "quote \" inside",
		"\"", ",", "\r", "\n", "tail quote after eight bytes\"",
		"a long organisation name with no special byte at all in it",
		"a long organisation name with a comma at its very end,",
		"caf\xc3\xa9 \xe6\x9d\xb1", "tab\tand\x01", ",\"\r\n,\"\r\n",
	};
	struct bulk_writer *w = bulk_writer_new(set);
	struct answer a;
	struct src_entry fake;
	char text[NET_TEXT_MAX];
	size_t i, bad = 0, j;

	for (i = 0; i < n; i++) {
		resolve_net(set, &nets[i], &a);
		net_format(&nets[i], text);
		if (!csv_row_same(set, w, &a, text, "") && bad++ > 0)
			break;
	}
	ok(bad == 0, "CSV rows of %zu answers as the reference writes them", n);

	/* Typed answers, odd names, names out of range and extra columns. */
	bad = 0;
	for (i = 0; i < n && bad == 0; i++) {
		resolve_net(set, &nets[i], &a);
		j = i % (sizeof(odd) / sizeof(odd[0]));
		if (a.asn_src >= 0 && a.hit[a.asn_src].e != NULL) {
			fake = *a.hit[a.asn_src].e;
			fake.org = odd[j];
			a.hit[a.asn_src].e = &fake;
		}
		a.typed = i % 5 != 0;
		a.type.type = (enum net_type)(i % (NT_COUNT + 2));
		a.type.conf = (enum confidence)(i % 6);
		a.type.tier = (enum type_tier)(i % (TIER_COUNT + 1));
		a.type.basis = odd[(j + 3) % (sizeof(odd) / sizeof(odd[0]))];
		a.disagree = (int)(i & 1);
		if (!csv_row_same(set, w, &a, odd[(j + 7) % (sizeof(odd) / sizeof(odd[0]))],
		                  i % 3 == 0 ? ",then,\"x,y\"" : ""))
			bad++;
	}
	ok(bad == 0, "CSV rows with odd fields, typed and not, as the reference writes them");
	bulk_writer_free(w);

	/* csv_put() against the reference: each special byte at each place
	 * of fields up to three words long, and every byte value. */
	bad = 0;
	for (i = 0; i <= 24; i++) {
		int c;

		for (c = 0; c < 256; c++) {
			for (j = 0; j <= i; j++) {
				char in[32], out[2 * 32 + 2], *end;
				struct buf want;

				memset(in, 'x', sizeof(in));
				if (j < i)
					in[j] = (char)c;
				else if (c != 0)
					continue;       /* the plain field once */
				buf_init(&want);
				ref_field(&want, in, i);
				memset(out, '@', sizeof(out));
				end = csv_put(out, in, i);
				if (((size_t)(end - out) != want.len ||
				     (want.len > 0 && memcmp(out, want.data, want.len) != 0)) &&
				    bad++ == 0)
					printf("# csv_put differs: length %zu, byte %d at %zu\n",
					       i, c, j);
				buf_free(&want);
			}
		}
	}
	ok(bad == 0, "csv_put() quotes exactly the fields with , \" CR or LF (%zu differ)", bad);
}

static void check_order(const struct ga_net *nets, size_t n)
{
	uint32_t *order = xmalloc(n * sizeof(*order));
	unsigned char *seen = xcalloc(n, 1), *skip = xcalloc(n, 1);
	size_t i, m, kept = 0, perm_ok = 1, sorted_ok = 1;

	for (i = 0; i < n; i += 3)
		skip[i] = 1;
	for (i = 0; i < n; i++)
		kept += !skip[i];
	m = bulk_order(NULL, &nets[0].lo, sizeof(nets[0]), skip, n, order);
	for (i = 0; i < m; i++) {
		if (order[i] >= n || skip[order[i]] || seen[order[i]])
			perm_ok = 0;
		else
			seen[order[i]] = 1;
	}
	/* IPv4 keys are exact, so IPv4 must come out sorted. */
	for (i = 1; i < m && perm_ok; i++) {
		const struct ga_addr *x = &nets[order[i - 1]].lo, *y = &nets[order[i]].lo;

		if ((x->family == 4 && y->family == 4 && addr_cmp(x, y) > 0) ||
		    (x->family == 6 && y->family == 4))
			sorted_ok = 0;
	}
	ok(m == kept && perm_ok, "bulk_order places every kept index once");
	ok(sorted_ok, "bulk_order sorts by address");
	free(order);
	free(seen);
	free(skip);
}

/* What bulk_order() sorts by (bulk.c's sort_key() without the bits the
 * index takes): an IPv4 address, then an IPv6 address's first 63 bits,
 * the lowest idxbits of these dropped.  Items with one key may come in
 * any order: only locality depends on it. */
static uint64_t order_key(const struct ga_addr *a, int idxbits)
{
	uint64_t k = 0;
	int i;

	if (a->family == 4)
		k = ((uint64_t)a->bytes[0] << 24 | (uint64_t)a->bytes[1] << 16 |
		     (uint64_t)a->bytes[2] << 8 | a->bytes[3]) << 31;
	else {
		for (i = 0; i < 8; i++)
			k = k << 8 | a->bytes[i];
		k = (uint64_t)1 << 63 | k >> 1;
	}
	return k & ~(((uint64_t)1 << idxbits) - 1);
}

/* The same order on a team of three: n copies of the networks, so that
 * the team is used (SORT_SHARE_MIN in bulk.c), with and without lines to
 * skip.  Items with one key may come in another order (the team's pass
 * keeps them in input order, the one-thread pass need not): the keys in
 * sorted order are what must agree, and every kept index must come once. */
static void check_order_team(const struct ga_net *nets, size_t nnets)
{
	/* 200,000 items: the index takes 18 bits. */
	size_t n = 200000, i, differ, m1, m2, twice;
	struct ga_net *big = xmalloc(n * sizeof(*big));
	uint32_t *o1 = xmalloc(n * sizeof(*o1)), *o2 = xmalloc(n * sizeof(*o2));
	unsigned char *skip = xcalloc(n, 1), *seen = xmalloc(n);
	struct bulk_team *team = bulk_team_new(3);
	int pass;

	for (i = 0; i < n; i++)
		big[i] = nets[(i * 7919) % nnets];
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++)
			skip[i] = pass == 1 && i % 5 == 0;
		m1 = bulk_order(NULL, &big[0].lo, sizeof(big[0]), pass ? skip : NULL, n, o1);
		m2 = bulk_order(team, &big[0].lo, sizeof(big[0]), pass ? skip : NULL, n, o2);
		memset(seen, 0, n);
		for (i = 0, differ = 0, twice = 0; i < m1 && i < m2; i++) {
			differ += order_key(&big[o1[i]].lo, 18) != order_key(&big[o2[i]].lo, 18);
			twice += seen[o2[i]]++ != 0 || skip[o2[i]];
		}
		ok(m1 == m2 && differ == 0 && twice == 0 && bulk_team_size(team) == 3,
		   "bulk_order gives the same order on a team of 3, %s (%zu of %zu differ, %zu twice or skipped)",
		   pass ? "a fifth skipped" : "none skipped", differ, m1, twice);
	}
	bulk_team_free(team);
	free(big);
	free(o1);
	free(o2);
	free(skip);
	free(seen);
}

int main(void)
{
	static const char *const dbs[] = {
		"ip-location-db-asn.mmdb", "ip-location-db-country.mmdb",
		"ipfire-country.mmdb"
	};
	const char *geo = getenv("GEOATTR_GEO");
	struct source_set *set;
	struct ga_net *nets;
	size_t i, n = 6000;

	if (geo == NULL || geo[0] == '\0')
		skip_all("GEOATTR_GEO not set (run through make check)");
	set = sources_new();
	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		char *path = xasprintf("%s/%s", geo, dbs[i]);

		if (sources_add_file(set, path, 1) != 0) {
			free(path);
			sources_free(set);
			skip_all("embedded databases not built");
		}
		free(path);
	}
	nets = xmalloc(n * sizeof(*nets));
	n = make_nets(nets, n);

	/* Two threads first, on a cold cache, so both insert entries. */
	check_batch(set, nets, n, "2");
	check_batch(set, nets, n, "1");
	check_batch(set, nets, 100, "2");       /* too few for a second thread */
	check_batch(set, nets, 1, "1");
	check_order(nets, n);
	check_order_team(nets, n);
	check_writers(set, nets, 500);
	check_csv(set, nets, n);

	free(nets);
	sources_free(set);
	return done_testing();
}
