/*
 * ipset.c - unique networks with counts: an open-addressing hash table of
 * record indexes over one array of compact records.
 */
#include <stdlib.h>
#include <string.h>

#include "ipset.h"
#include "util.h"

struct ipset {
	struct ipset_rec *recs;
	size_t n, cap;
	uint32_t *slots;        /* record index + 1; 0 = empty */
	size_t nslots;
	struct ga_addr *his;    /* last addresses of NET_RANGE records */
	size_t nhi, caphi;
};

struct ipset *ipset_new(void)
{
	struct ipset *s = xcalloc(1, sizeof(*s));

	s->nslots = 1024;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	return s;
}

void ipset_free(struct ipset *s)
{
	if (s == NULL)
		return;
	free(s->recs);
	free(s->slots);
	free(s->his);
	free(s);
}

static uint64_t key_hash(const struct ga_net *n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL, w;
	int i;

	for (i = 0; i < 16; i += 8) {
		memcpy(&w, n->lo.bytes + i, 8);
		h ^= w;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
	}
	h ^= (uint64_t)n->lo.family << 8 ^ (uint64_t)(uint8_t)n->prefix_len << 16 ^
	     (uint64_t)n->kind << 24;
	if (n->kind == NET_RANGE) {
		for (i = 0; i < 16; i += 8) {
			memcpy(&w, n->hi.bytes + i, 8);
			h ^= w;
			h *= 0xc4ceb9fe1a85ec53ULL;
		}
	}
	h ^= h >> 29;
	return h;
}

static int rec_equal(const struct ipset *s, const struct ipset_rec *r,
                     const struct ga_net *n)
{
	if (r->family != n->lo.family || r->kind != n->kind ||
	    memcmp(r->bytes, n->lo.bytes, 16) != 0)
		return 0;
	if (n->kind == NET_RANGE)
		return memcmp(s->his[r->hi_idx].bytes, n->hi.bytes, 16) == 0;
	return r->prefix_len == n->prefix_len;
}

static void grow_slots(struct ipset *s)
{
	size_t ns = s->nslots * 2, i, j;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));

	for (i = 0; i < s->nslots; i++) {
		uint32_t v = s->slots[i];
		struct ga_net n;

		if (v == 0)
			continue;
		ipset_net(s, &s->recs[v - 1], &n);
		for (j = key_hash(&n) & (ns - 1); slots[j]; j = (j + 1) & (ns - 1))
			;
		slots[j] = v;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = ns;
}

int ipset_add(struct ipset *s, const struct ga_net *n, unsigned long line,
              double weight, const char *cited)
{
	size_t j;
	struct ipset_rec *r;

	if ((s->n + 1) * 4 > s->nslots * 3)
		grow_slots(s);
	for (j = key_hash(n) & (s->nslots - 1); s->slots[j];
	     j = (j + 1) & (s->nslots - 1)) {
		r = &s->recs[s->slots[j] - 1];
		if (rec_equal(s, r, n)) {
			r->seen++;
			r->weight += weight;
			if (cited != NULL && cited[0]) {
				if (r->cited[0] == '\0')
					memcpy(r->cited, cited, 2);
				else if (memcmp(r->cited, cited, 2) != 0)
					r->cited_conflict = 1;
			}
			return 0;
		}
	}
	s->recs = xgrow(s->recs, &s->cap, s->n + 1, sizeof(*s->recs));
	r = &s->recs[s->n];
	memset(r, 0, sizeof(*r));
	memcpy(r->bytes, n->lo.bytes, 16);
	r->family = n->lo.family;
	r->kind = (uint8_t)n->kind;
	r->prefix_len = (int8_t)n->prefix_len;
	if (cited != NULL && cited[0])
		memcpy(r->cited, cited, 2);
	r->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	r->seen = 1;
	r->weight = weight;
	if (n->kind == NET_RANGE) {
		s->his = xgrow(s->his, &s->caphi, s->nhi + 1, sizeof(*s->his));
		s->his[s->nhi] = n->hi;
		r->hi_idx = (uint32_t)s->nhi++;
	}
	s->slots[j] = (uint32_t)++s->n;
	return 1;
}

size_t ipset_count(const struct ipset *s)
{
	return s->n;
}

const struct ipset_rec *ipset_at(const struct ipset *s, size_t i)
{
	return i < s->n ? &s->recs[i] : NULL;
}

void ipset_net(const struct ipset *s, const struct ipset_rec *r,
               struct ga_net *out)
{
	struct ga_addr a;

	memset(&a, 0, sizeof(a));
	a.family = r->family;
	memcpy(a.bytes, r->bytes, 16);
	if (r->kind == NET_RANGE) {
		out->lo = a;
		out->hi = s->his[r->hi_idx];
		out->prefix_len = r->prefix_len;
		out->kind = NET_RANGE;
		return;
	}
	net_from_prefix(&a, r->prefix_len, out);
	out->kind = (enum net_kind)r->kind;
}

size_t ipset_memory(const struct ipset *s)
{
	return s->cap * sizeof(*s->recs) + s->nslots * sizeof(*s->slots) +
	       s->caphi * sizeof(*s->his) + sizeof(*s);
}
