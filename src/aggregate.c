/*
 * aggregate.c - counting, concentration and disagreement over a list.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "util.h"

size_t agg_cc_index(const char *cc)
{
	unsigned a, b;

	if (cc == NULL || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return AGG_NODATA;
	a = (unsigned)(cc[0] - 'A');
	b = (unsigned)(cc[1] - 'A');
	return a * 26 + b;
}

void agg_cc_code(size_t idx, char out[3])
{
	if (idx >= AGG_NODATA) {
		out[0] = '\0';
		return;
	}
	out[0] = (char)('A' + idx / 26);
	out[1] = (char)('A' + idx % 26);
	out[2] = '\0';
}

void agg_init(struct aggregate *a, struct source_set *set,
              const struct classifier *cls)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->set = set;
	a->cls = cls;
	for (i = 0; i < sources_count(set) && i < RESOLVE_MAX_SOURCES; i++)
		if ((source_caps(sources_at(set, i)) & SRC_HAS_COUNTRY) &&
		    a->ncs < AGG_MAX_CSRC)
			a->csrc[a->ncs++] = i;
	a->nasn_slots = 1024;
	a->asn_slots = xcalloc(a->nasn_slots, sizeof(*a->asn_slots));
	a->ncluster_slots = 1024;
	a->cluster_slots = xcalloc(a->ncluster_slots, sizeof(*a->cluster_slots));
}

void agg_release(struct aggregate *a)
{
	free(a->asns);
	free(a->asn_slots);
	free(a->disagreements);
	free(a->mismatches);
	free(a->cluster_slots);
	free(a->big_keys);
	free(a->big_counts);
	memset(a, 0, sizeof(*a));
}

static void bin_add(struct agg_bin *b, double w)
{
	b->n += 1;
	b->w += w;
}

/* ---------------------------------------------------------------- ASNs */

/* Where AS asn's probe starts in a table of nslots (a power of two). */
static size_t asn_home(uint32_t asn, size_t nslots)
{
	return (size_t)(asn * 2654435761u) & (nslots - 1);
}

static struct agg_asn *asn_slot(struct aggregate *a, uint32_t asn,
                                const char *org, enum net_type type)
{
	size_t j, mask;

	if ((a->nasn + 1) * 2 > a->nasn_slots) {
		size_t ns = a->nasn_slots * 2, i;
		uint32_t *slots = xcalloc(ns, sizeof(*slots));

		for (i = 0; i < a->nasn; i++) {
			for (j = asn_home(a->asns[i].asn, ns); slots[j];
			     j = (j + 1) & (ns - 1))
				;
			slots[j] = (uint32_t)i + 1;
		}
		free(a->asn_slots);
		a->asn_slots = slots;
		a->nasn_slots = ns;
	}
	mask = a->nasn_slots - 1;
	for (j = asn_home(asn, a->nasn_slots); a->asn_slots[j]; j = (j + 1) & mask)
		if (a->asns[a->asn_slots[j] - 1].asn == asn)
			return &a->asns[a->asn_slots[j] - 1];
	a->asns = xgrow(a->asns, &a->capasn, a->nasn + 1, sizeof(*a->asns));
	memset(&a->asns[a->nasn], 0, sizeof(a->asns[0]));
	a->asns[a->nasn].asn = asn;
	a->asns[a->nasn].org = org;
	a->asns[a->nasn].type = type;
	a->asn_slots[j] = (uint32_t)++a->nasn;
	return &a->asns[a->nasn - 1];
}

/* ------------------------------------------------------------- clusters */

/* The key a slot holds: a /48 in 48 bits, a /24 in 24 with bit 48 set
 * (49 bits, so that key + 1 and a 15-bit count fill 64). */
static uint64_t cluster_key(int family, const uint8_t *bytes)
{
	uint64_t k = 0;
	int i;

	if (family == 4)
		return (1ULL << 48) | ((uint64_t)bytes[0] << 16) |
		       ((uint64_t)bytes[1] << 8) | bytes[2];
	for (i = 0; i < 6; i++)
		k = (k << 8) | bytes[i];
	return k;
}

/* The key of agg_cluster_text() and top_clusters: IPv4 in bit 63.  IPv6
 * keys sort before IPv4 ones in both forms. */
static uint64_t cluster_key_public(uint64_t k)
{
	return k >> 48 ? (1ULL << 63) | (k & 0xffffffu) : k;
}

char *agg_cluster_text(uint64_t key, char *buf)
{
	struct ga_net n;
	struct ga_addr a;
	int i;

	memset(&a, 0, sizeof(a));
	if (key >> 63) {
		a.family = 4;
		a.bytes[0] = (uint8_t)(key >> 16);
		a.bytes[1] = (uint8_t)(key >> 8);
		a.bytes[2] = (uint8_t)key;
		net_from_prefix(&a, 24, &n);
	} else {
		a.family = 6;
		for (i = 0; i < 6; i++)
			a.bytes[i] = (uint8_t)(key >> (8 * (5 - i)));
		net_from_prefix(&a, 48, &n);
	}
	n.kind = NET_CIDR;
	return net_format(&n, buf);
}

/* The home slot of a key in a table of any size (not only a power of
 * two, so that agg_reserve() can size it to its estimate): the mixed
 * key's top bits scaled onto the table. */
static size_t cluster_slot(uint64_t key, size_t nslots)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;

	if ((uint64_t)nslots <= UINT32_MAX)
		return (size_t)(((h >> 32) * (uint64_t)nslots) >> 32);
	return (size_t)(h % (uint64_t)nslots);
}

static size_t next_slot(size_t j, size_t nslots)
{
	return j + 1 < nslots ? j + 1 : 0;
}

/* The slot of big block k1 (key + 1) in a table of ns slots, or the
 * empty one where it would go. */
static size_t big_slot(const uint64_t *keys, size_t ns, uint64_t k1)
{
	size_t j;

	for (j = cluster_slot(k1, ns); keys[j] != 0 && keys[j] != k1; j = next_slot(j, ns))
		;
	return j;
}

/* The count of big block k1 beyond AGG_CLUSTER_FULL, made (0) if absent. */
static uint64_t *big_count(struct aggregate *a, uint64_t k1)
{
	size_t j;

	if ((a->nbig + 1) * 2 > a->nbig_slots) {
		size_t ns = a->nbig_slots ? a->nbig_slots * 2 : 16, i;
		uint64_t *keys = xcalloc(ns, sizeof(*keys));
		uint64_t *counts = xcalloc(ns, sizeof(*counts));

		for (i = 0; i < a->nbig_slots; i++) {
			if (a->big_keys[i] == 0)
				continue;
			j = big_slot(keys, ns, a->big_keys[i]);
			keys[j] = a->big_keys[i];
			counts[j] = a->big_counts[i];
		}
		free(a->big_keys);
		free(a->big_counts);
		a->big_keys = keys;
		a->big_counts = counts;
		a->nbig_slots = ns;
	}
	j = big_slot(a->big_keys, a->nbig_slots, k1);
	if (a->big_keys[j] == 0) {
		a->big_keys[j] = k1;
		a->nbig++;
	}
	return &a->big_counts[j];
}

/* Entries in the block of slot value v. */
static double cluster_count(const struct aggregate *a, uint64_t v)
{
	size_t j;

	if ((v & AGG_CLUSTER_FULL) < AGG_CLUSTER_FULL)
		return (double)(v & AGG_CLUSTER_FULL);
	if (a->nbig_slots == 0)
		return (double)AGG_CLUSTER_FULL;
	j = big_slot(a->big_keys, a->nbig_slots, v >> 15);
	return (double)AGG_CLUSTER_FULL + (a->big_keys[j] != 0 ? (double)a->big_counts[j] : 0);
}

/* HyperLogLog (Flajolet et al. 2007) over the entries' block keys: 2^14
 * registers, a standard error of 0.8%, one sequential pass. */
#define HLL_BITS 14
#define HLL_M ((size_t)1 << HLL_BITS)

void agg_reserve(struct aggregate *a, const struct ipset *set)
{
	uint8_t *reg = xcalloc(HLL_M, 1);
	size_t i, zeros, ns = a->ncluster_slots, nrank[66] = { 0 };
	double sum = 0, m = (double)HLL_M, est;

	for (i = 0; i < ipset_count(set); i++) {
		uint8_t family;
		const uint8_t *bytes = ipset_first(set, i, &family);
		uint64_t h = hash_mix64(cluster_key(family, bytes));
		uint64_t rest = h << HLL_BITS | (uint64_t)1 << (HLL_BITS - 1);
		uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);

		if (rank > reg[h >> (64 - HLL_BITS)])
			reg[h >> (64 - HLL_BITS)] = rank;
	}
	/* The registers by rank: 2^-rank summed per rank rather than per
	 * register (16,384 ldexp() calls were 5% of a one-line check). */
	for (i = 0; i < HLL_M; i++)
		nrank[reg[i]]++;
	for (i = 0; i < sizeof(nrank) / sizeof(nrank[0]); i++)
		sum += ldexp((double)nrank[i], -(int)i);
	zeros = nrank[0];
	free(reg);
	est = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (est <= 2.5 * m && zeros > 0)
		est = m * log(m / (double)zeros);      /* few blocks: linear counting */
	/* Three standard errors over: an estimate short of the truth only
	 * means the table grows once after all. */
	est *= 1.025;
	if (est * 10 > (double)ns * 7)
		ns = (size_t)(est * 10 / 7) + 1;
	if (ns > a->ncluster_slots && a->nclusters == 0) {
		free(a->cluster_slots);
		a->cluster_slots = xcalloc(ns, sizeof(*a->cluster_slots));
		a->ncluster_slots = ns;
	}
}

static void cluster_add(struct aggregate *a, uint64_t key)
{
	size_t j, ns;
	uint64_t k1 = key + 1;

	/* Grow at 70% load. */
	if ((a->nclusters + 1) * 10 > a->ncluster_slots * 7) {
		size_t grown = a->ncluster_slots * 2, i;
		uint64_t *slots = xcalloc(grown, sizeof(*slots));

		for (i = 0; i < a->ncluster_slots; i++) {
			uint64_t v = a->cluster_slots[i];

			if (v == 0)
				continue;
			for (j = cluster_slot(v >> 15, grown); slots[j] != 0; j = next_slot(j, grown))
				;
			slots[j] = v;
		}
		free(a->cluster_slots);
		a->cluster_slots = slots;
		a->ncluster_slots = grown;
	}
	ns = a->ncluster_slots;
	for (j = cluster_slot(k1, ns); a->cluster_slots[j] != 0; j = next_slot(j, ns))
		if (a->cluster_slots[j] >> 15 == k1) {
			if ((a->cluster_slots[j] & AGG_CLUSTER_FULL) < AGG_CLUSTER_FULL)
				a->cluster_slots[j]++;
			else
				++*big_count(a, k1);
			return;
		}
	a->cluster_slots[j] = k1 << 15 | 1;
	a->nclusters++;
}

/* Entries arrive in address order, their records and cluster slots at
 * random places in memory: most of agg_add()'s time went in waiting for
 * those two loads.  The caller names an entry a few ahead so that both
 * are on their way. */
void agg_prefetch(const struct aggregate *a, const struct ipset *set, size_t i,
                  int stage, uint32_t asn)
{
	const uint8_t *bytes;
	uint8_t family;
	size_t j = 0;

	if (i >= ipset_count(set))
		return;
	/* The holders' table is as scattered: its slot first, then the
	 * counts the slot points at (a first probe that misses only costs
	 * the wait it would have anyway). */
	if (asn != 0 && a->nasn_slots > 0)
		j = asn_home(asn, a->nasn_slots);
	if (stage == 0) {
		ipset_prefetch(set, i);
		if (asn != 0 && a->nasn_slots > 0)
			__builtin_prefetch(&a->asn_slots[j]);
		return;
	}
	if (asn != 0 && a->nasn_slots > 0 && a->asn_slots[j] != 0)
		__builtin_prefetch(&a->asns[a->asn_slots[j] - 1]);
	bytes = ipset_first(set, i, &family);
	if (a->ncluster_slots > 0)
		__builtin_prefetch(&a->cluster_slots[cluster_slot(cluster_key(family, bytes) + 1,
		                                                  a->ncluster_slots)]);
}

/* ------------------------------------------------------------------ add */

/*
 * Examples: the first AGG_KEEP by address (IPv4 first, then by bytes,
 * then by record index), whatever order the entries arrive in, so that
 * the lists are the same however many threads resolved the entries.
 * While filling, the array is a max-heap on that order; agg_finish()
 * sorts it.
 */
static int example_cmp(const struct agg_example *x, const struct agg_example *y)
{
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = memcmp(x->bytes, y->bytes, 16)) != 0)
		return c;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static void heap_up(struct agg_example *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct agg_example t;

		if (example_cmp(&h[p], &h[i]) >= 0)
			break;
		t = h[p], h[p] = h[i], h[i] = t;
		i = p;
	}
}

static void heap_down(struct agg_example *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct agg_example t;

		if (l < n && example_cmp(&h[l], &h[m]) > 0)
			m = l;
		if (l + 1 < n && example_cmp(&h[l + 1], &h[m]) > 0)
			m = l + 1;
		if (m == i)
			return;
		t = h[m], h[m] = h[i], h[i] = t;
		i = m;
	}
}

/* The slot for a new example of entry idx, or NULL when AGG_KEEP earlier
 * ones by address are kept already.  The caller fills the countries and
 * then calls example_placed(). */
static struct agg_example *example_slot(struct agg_example *h, size_t *n,
                                        const struct ipset_entry *r, uint32_t idx)
{
	struct agg_example key;

	memset(&key, 0, sizeof(key));
	key.rec = idx;
	key.family = r->family;
	memcpy(key.bytes, r->bytes, 16);
	if (*n < AGG_KEEP) {
		h[*n] = key;
		return &h[(*n)++];
	}
	if (example_cmp(&key, &h[0]) >= 0)
		return NULL;
	h[0] = key;
	return &h[0];
}

static void example_placed(struct agg_example *h, size_t n, struct agg_example *ex)
{
	size_t i = (size_t)(ex - h);

	if (i == 0 && n == AGG_KEEP)
		heap_down(h, n, 0);
	else
		heap_up(h, i);
}

static int example_qcmp(const void *x, const void *y)
{
	return example_cmp(x, y);
}

void agg_add(struct aggregate *a, uint32_t idx, const struct ipset_entry *r,
             const struct answer *ans, const struct net_class *nc)
{
	double w = r->weight;
	const char *first = NULL;
	size_t i, answered = 0;
	int differ = 0;
	uint32_t asn;

	bin_add(&a->total, w);
	if (r->kind != NET_ADDR)
		a->n_networks++;
	if (r->family == 4)
		a->n_v4++;
	else
		a->n_v6++;

	for (i = 0; i < a->ncs; i++) {
		const char *cc = answer_country(ans, a->csrc[i]);

		bin_add(&a->country[i][agg_cc_index(cc)], w);
		if (cc[0]) {
			answered++;
			if (first == NULL)
				first = cc;
			else if (strcmp(first, cc) != 0)
				differ = 1;
		}
	}
	if (answered >= 2 && answered == a->ncs) {
		bin_add(&a->both_answered, w);
		if (differ) {
			bin_add(&a->disagree, w);
			/* Each country any source names, once per entry: the map
			 * of where the sources disagree. */
			for (i = 0; i < a->ncs; i++) {
				const char *cc = answer_country(ans, a->csrc[i]);
				size_t k;

				for (k = 0; k < i && strcmp(answer_country(ans, a->csrc[k]), cc) != 0; k++)
					;
				if (k == i)
					bin_add(&a->disagree_cc[agg_cc_index(cc)], w);
			}
			{
				struct agg_example *ex;

				if (a->disagreements == NULL)
					a->disagreements = xcalloc(AGG_KEEP, sizeof(*ex));
				ex = example_slot(a->disagreements, &a->ndisagreements, r, idx);
				for (i = 0; ex != NULL && i < a->ncs; i++)
					snprintf(ex->cc[i], sizeof(ex->cc[i]), "%s", answer_country(ans, a->csrc[i]));
				if (ex != NULL)
					example_placed(a->disagreements, a->ndisagreements, ex);
			}
		}
	}

	if (r->cited[0]) {
		char cited[3] = { r->cited[0], r->cited[1], '\0' };
		int any_mismatch = 0;

		bin_add(&a->cited, w);
		for (i = 0; i < a->ncs; i++) {
			const char *cc = answer_country(ans, a->csrc[i]);

			if (strcmp(cc, cited) == 0)
				bin_add(&a->cited_match[i], w);
			else if (cc[0] == '\0')
				bin_add(&a->cited_nodata[i], w);
			else
				any_mismatch = 1;
		}
		if (any_mismatch) {
			struct agg_example *ex;

			if (a->mismatches == NULL)
				a->mismatches = xcalloc(AGG_KEEP, sizeof(*ex));
			ex = example_slot(a->mismatches, &a->nmismatches, r, idx);
			if (ex != NULL) {
				memcpy(ex->cited, cited, 3);
				for (i = 0; i < a->ncs; i++)
					snprintf(ex->cc[i], sizeof(ex->cc[i]), "%s", answer_country(ans, a->csrc[i]));
				example_placed(a->mismatches, a->nmismatches, ex);
			}
		}
	}

	if (nc->type < AGG_NTYPES) {
		bin_add(&a->type[nc->type], w);
		bin_add(&a->type_basis[nc->type][nc->conf & 3], w);
		if ((unsigned)nc->tier < TIER_COUNT)
			bin_add(&a->type_tier[nc->type][nc->tier], w);
	}
	if (ans->special != NULL && !ans->special_partial &&
	    (size_t)ans->special->cls < AGG_NSPECIAL) {
		bin_add(&a->special[ans->special->cls], w);
		bin_add(&a->special_total, w);
	}

	if (r->kind == NET_ADDR && ans->special == NULL &&
	    agg_placeholder_like(&ans->net.lo))
		bin_add(&a->placeholder, w);

	asn = answer_asn(ans);
	if (asn != 0) {
		struct agg_asn *s = asn_slot(a, asn, answer_org(ans), nc->type);

		s->n += 1;
		s->w += w;
	} else {
		bin_add(&a->no_asn, w);
	}
	if (ans->special == NULL)
		cluster_add(a, cluster_key(r->family, r->bytes));
}

/* --------------------------------------------------------------- finish */

static int cmp_asn(const void *x, const void *y)
{
	const struct agg_asn *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

static int cmp_cluster(const void *x, const void *y)
{
	const struct agg_cluster *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* Heap of indexes into asns, the worst-ranked at the top (in cmp_asn
 * order the greatest): the top is the last of the best kept so far. */
static void heap_sift(const struct agg_asn *asns, uint32_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		uint32_t t;

		if (l < n && cmp_asn(&asns[h[l]], &asns[h[m]]) > 0)
			m = l;
		if (r < n && cmp_asn(&asns[h[r]], &asns[h[m]]) > 0)
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/*
 * Put the best AGG_ASN_RANKED ASNs first, in order, the rest after them
 * in the order they came.  Sorting all of them was most of a million-line
 * check's serial tail, and no report shows more than that many.
 */
static void rank_asns(struct aggregate *a)
{
	size_t n = a->nasn, k = AGG_ASN_RANKED, i, j;
	uint32_t *h;
	unsigned char *in;
	struct agg_asn *out;

	if (n <= AGG_ASN_RANKED) {
		qsort(a->asns, n, sizeof(*a->asns), cmp_asn);
		return;
	}
	h = xmalloc(k * sizeof(*h));
	for (i = 0; i < k; i++)
		h[i] = (uint32_t)i;
	for (i = k / 2; i-- > 0;)
		heap_sift(a->asns, h, k, i);
	for (i = k; i < n; i++)
		if (cmp_asn(&a->asns[i], &a->asns[h[0]]) < 0) {
			h[0] = (uint32_t)i;
			heap_sift(a->asns, h, k, 0);
		}
	in = xcalloc(n, 1);
	out = xmalloc(n * sizeof(*out));
	for (i = 0; i < k; i++) {
		out[i] = a->asns[h[i]];
		in[h[i]] = 1;
	}
	qsort(out, k, sizeof(*out), cmp_asn);
	for (i = 0, j = k; i < n; i++)
		if (!in[i])
			out[j++] = a->asns[i];
	free(a->asns);
	a->asns = out;
	a->capasn = n;
	free(in);
	free(h);
}

void agg_finish(struct aggregate *a)
{
	double with_n = a->total.n - a->no_asn.n, with_w = a->total.w - a->no_asn.w;
	size_t i, j;

	if (a->nasn > 0)
		rank_asns(a);
	if (a->ndisagreements > 0)
		qsort(a->disagreements, a->ndisagreements, sizeof(*a->disagreements), example_qcmp);
	if (a->nmismatches > 0)
		qsort(a->mismatches, a->nmismatches, sizeof(*a->mismatches), example_qcmp);
	/* The slots point at the old order: drop them, lookups are over. */
	free(a->asn_slots);
	a->asn_slots = NULL;
	a->nasn_slots = 0;
	a->hhi = a->hhi_w = 0;
	for (i = 0; i < a->nasn; i++) {
		if (with_n > 0)
			a->hhi += (a->asns[i].n / with_n) * (a->asns[i].n / with_n);
		if (with_w > 0)
			a->hhi_w += (a->asns[i].w / with_w) * (a->asns[i].w / with_w);
	}
	a->top1 = a->top5 = a->top1_w = a->top5_w = 0;
	for (i = 0; i < a->nasn && i < 5; i++) {
		if (a->total.n > 0)
			a->top5 += a->asns[i].n / a->total.n;
		if (a->total.w > 0)
			a->top5_w += a->asns[i].w / a->total.w;
	}
	if (a->nasn > 0) {
		a->top1 = a->total.n > 0 ? a->asns[0].n / a->total.n : 0;
		a->top1_w = a->total.w > 0 ? a->asns[0].w / a->total.w : 0;
	}

	/* The ten largest clusters, by a partial selection. */
	a->ntop_clusters = 0;
	a->max_cluster = 0;
	for (i = 0; i < a->ncluster_slots; i++) {
		struct agg_cluster c;

		if (a->cluster_slots[i] == 0)
			continue;
		c.key = cluster_key_public((a->cluster_slots[i] >> 15) - 1);
		c.n = cluster_count(a, a->cluster_slots[i]);
		if (c.n > a->max_cluster)
			a->max_cluster = c.n;
		if (a->ntop_clusters < 10) {
			a->top_clusters[a->ntop_clusters++] = c;
			qsort(a->top_clusters, a->ntop_clusters, sizeof(c), cmp_cluster);
		} else if (cmp_cluster(&c, &a->top_clusters[9]) < 0) {
			a->top_clusters[9] = c;
			qsort(a->top_clusters, 10, sizeof(c), cmp_cluster);
		}
	}
	(void)j;
}

size_t agg_top_countries(const struct aggregate *a, size_t *rows, size_t max)
{
	size_t n = 0, i, k, best;
	double bv, v;
	char used[AGG_NCC];

	memset(used, 0, sizeof(used));
	while (n < max) {
		best = AGG_NCC;
		bv = 0;
		for (k = 0; k < AGG_NCC; k++) {
			if (used[k])
				continue;
			for (v = 0, i = 0; i < a->ncs; i++)
				if (a->country[i][k].n > v)
					v = a->country[i][k].n;
			if (v > bv) {
				bv = v;
				best = k;
			}
		}
		if (best == AGG_NCC)
			break;
		used[best] = 1;
		rows[n++] = best;
	}
	return n;
}

int agg_placeholder_like(const struct ga_addr *a)
{
	const uint8_t *o = a->bytes;
	int step, i, seq = 1;

	if (a->family != 4)
		return 0;
	if (o[3] == 0 || o[3] == 255)
		return 1;
	if (o[0] == o[1] && o[1] == o[2] && o[2] == o[3])
		return o[0] >= 10;
	/* 1.2.3.4, 4.3.2.1, 11.22.33.44, 10.20.30.40 ... */
	step = o[1] - o[0];
	if (step == 1 || step == -1 || step == 11 || step == -11 || step == 10) {
		for (i = 2; i < 4; i++)
			if (o[i] - o[i - 1] != step)
				seq = 0;
		if (seq)
			return 1;
	}
	return (o[0] == 12 && o[1] == 34 && o[2] == 56 && o[3] == 78) ||
	       (o[0] == 123 && o[1] == 45 && o[2] == 67 && o[3] == 89);
}

const char *agg_tier_text(const struct aggregate *a, enum net_type t,
                          char *buf, size_t len)
{
	double T = a->total.n;
	size_t k, used = 0, ntiers = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if ((unsigned)t >= AGG_NTYPES || a->type[t].n == 0 || T == 0)
		return buf;
	for (k = 0; k < TIER_COUNT; k++)
		if (a->type_tier[t][k].n > 0)
			ntiers++;
	for (k = 0; k < TIER_COUNT && used < len; k++) {
		int n;

		if (a->type_tier[t][k].n == 0)
			continue;
		if (ntiers == 1)
			n = snprintf(buf, len, "%s", type_tier_label((enum type_tier)k));
		else
			n = snprintf(buf + used, len - used, "%s%.1f%% %s", used ? ", " : "",
			             100 * a->type_tier[t][k].n / T, type_tier_label((enum type_tier)k));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}
