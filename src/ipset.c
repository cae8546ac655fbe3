/*
 * ipset.c - unique networks with counts: an open-addressing hash table of
 * record indexes over one array of compact records.
 */
#include <stdlib.h>
#include <string.h>

#include "ipset.h"
#include "util.h"

/* Records live in fixed blocks, so growing never copies them and never
 * holds more than one partly used block: a doubling array would waste up
 * to half its size, which for millions of entries is most of the memory. */
#define BLOCK_BITS 14
#define BLOCK_RECS ((size_t)1 << BLOCK_BITS)

struct ipset {
	struct ipset_rec **blocks;
	size_t nblocks, capblocks;
	size_t n;
	uint32_t *slots;        /* record index + 1; 0 = empty */
	size_t nslots;
	struct ga_addr *his;    /* last addresses of NET_RANGE records */
	size_t nhi, caphi;
	/* Notes: "role\0phase\0observed\0" each, by offset in text;
	 * notes[k] is note k + 1. */
	char *text;
	size_t ntext, captext;
	size_t *notes;
	size_t nnotes, capnotes;
	uint32_t *nslot;        /* note hash: note number, 0 = empty */
	size_t nnslots;
};

static struct ipset_rec *rec_at(const struct ipset *s, size_t i)
{
	return &s->blocks[i >> BLOCK_BITS][i & (BLOCK_RECS - 1)];
}

struct ipset *ipset_new(void)
{
	struct ipset *s = xcalloc(1, sizeof(*s));

	s->nslots = 1024;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	return s;
}

void ipset_free(struct ipset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->slots);
	free(s->his);
	free(s->text);
	free(s->notes);
	free(s->nslot);
	free(s);
}

/* splitmix64's finaliser: every input bit reaches the low bits that index
 * the table (a plain multiply leaves them to the lowest input bits only). */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t key_hash_parts(const uint8_t *lo, int family, int prefix_len,
                               int kind, const uint8_t *hi)
{
	uint64_t a, b, h;

	memcpy(&a, lo, 8);
	memcpy(&b, lo + 8, 8);
	h = mix64(a ^ ((uint64_t)family << 56 | (uint64_t)(uint16_t)prefix_len << 40 |
	               (uint64_t)kind << 32));
	h = mix64(h ^ b);
	if (kind == NET_RANGE) {
		memcpy(&a, hi, 8);
		memcpy(&b, hi + 8, 8);
		h = mix64(h ^ a);
		h = mix64(h ^ b);
	}
	return h;
}

static uint64_t key_hash(const struct ga_net *n)
{
	return key_hash_parts(n->lo.bytes, n->lo.family, n->prefix_len, n->kind,
	                      n->hi.bytes);
}

/* The same hash from a stored record, without rebuilding the network. */
static uint64_t rec_hash(const struct ipset *s, const struct ipset_rec *r)
{
	return key_hash_parts(r->bytes, r->family, r->prefix_len, r->kind,
	                      r->kind == NET_RANGE ? s->his[r->hi_idx].bytes : NULL);
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

static void rehash(struct ipset *s, size_t ns)
{
	size_t i, j;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));

	/* Record order, not slot order: the records are read sequentially. */
	for (i = 0; i < s->n; i++) {
		for (j = rec_hash(s, rec_at(s, i)) & (ns - 1); slots[j]; j = (j + 1) & (ns - 1))
			;
		slots[j] = (uint32_t)i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = ns;
}

static void grow_slots(struct ipset *s)
{
	rehash(s, s->nslots * 2);
}

void ipset_reserve(struct ipset *s, size_t n)
{
	size_t ns = s->nslots;

	while (ns * 3 < n * 4)
		ns *= 2;
	if (ns > s->nslots)
		rehash(s, ns);
}

static int add_hashed(struct ipset *s, const struct ga_net *n, uint64_t h,
                      unsigned long line, double weight, const char *cited,
                      uint32_t note);

int ipset_add(struct ipset *s, const struct ga_net *n, unsigned long line,
              double weight, const char *cited)
{
	if ((s->n + 1) * 4 > s->nslots * 3)
		grow_slots(s);
	return add_hashed(s, n, key_hash(n), line, weight, cited, 0);
}

static uint64_t note_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return mix64(h);
}

static void note_rehash(struct ipset *s)
{
	size_t ns = s->nnslots ? s->nnslots * 2 : 64, k, j, len;
	uint32_t *slot = xcalloc(ns, sizeof(*slot));

	for (k = 0; k < s->nnotes; k++) {
		const char *p = s->text + s->notes[k];

		len = (size_t)((k + 1 < s->nnotes ? s->text + s->notes[k + 1] :
		    s->text + s->ntext) - p);
		for (j = note_hash(p, len) & (ns - 1); slot[j]; j = (j + 1) & (ns - 1))
			;
		slot[j] = (uint32_t)(k + 1);
	}
	free(s->nslot);
	s->nslot = slot;
	s->nnslots = ns;
}

uint32_t ipset_note_add(struct ipset *s, const char *role, size_t rlen,
                        const char *phase, size_t plen,
                        const char *observed, size_t olen)
{
	size_t len = rlen + plen + olen + 3, j, k, off;
	char stackbuf[256], *key;
	uint64_t h;

	if (rlen + plen + olen == 0)
		return 0;
	key = len <= sizeof(stackbuf) ? stackbuf : xmalloc(len);
	off = 0;
	/* memcpy() may not be given NULL, even for no bytes. */
	if (rlen > 0)
		memcpy(key + off, role, rlen);
	off += rlen;
	key[off++] = '\0';
	if (plen > 0)
		memcpy(key + off, phase, plen);
	off += plen;
	key[off++] = '\0';
	if (olen > 0)
		memcpy(key + off, observed, olen);
	off += olen;
	key[off++] = '\0';
	if ((s->nnotes + 1) * 4 > s->nnslots * 3)
		note_rehash(s);
	h = note_hash(key, len);
	for (j = h & (s->nnslots - 1); s->nslot[j]; j = (j + 1) & (s->nnslots - 1)) {
		k = s->nslot[j] - 1;
		if (k + 1 < s->nnotes ? s->notes[k + 1] - s->notes[k] == len :
		    s->ntext - s->notes[k] == len) {
			if (memcmp(s->text + s->notes[k], key, len) == 0) {
				if (key != stackbuf)
					free(key);
				return (uint32_t)(k + 1);
			}
		}
	}
	s->notes = xgrow(s->notes, &s->capnotes, s->nnotes + 1, sizeof(*s->notes));
	s->notes[s->nnotes++] = s->ntext;
	s->text = xgrow(s->text, &s->captext, s->ntext + len, 1);
	memcpy(s->text + s->ntext, key, len);
	s->ntext += len;
	s->nslot[j] = (uint32_t)s->nnotes;
	if (key != stackbuf)
		free(key);
	return (uint32_t)s->nnotes;
}

void ipset_note_get(const struct ipset *s, uint32_t id, const char **role,
                    const char **phase, const char **observed)
{
	const char *p;

	if (id == 0 || id > s->nnotes) {
		*role = *phase = *observed = "";
		return;
	}
	p = s->text + s->notes[id - 1];
	*role = p;
	p += strlen(p) + 1;
	*phase = p;
	p += strlen(p) + 1;
	*observed = p;
}

/*
 * Adding millions of entries is bound by memory latency: each add reads a
 * random slot, then a random record.  Over a batch, the slot of entry
 * i + 2D and the record behind the slot of entry i + D are prefetched
 * while entry i is added, so the misses overlap instead of queueing.
 */
#define AHEAD 8

size_t ipset_add_many(struct ipset *s, const struct ipset_item *it, size_t n)
{
	uint64_t h[IPSET_BATCH];
	size_t i, added = 0, mask;

	if (n > IPSET_BATCH)
		n = IPSET_BATCH;
	while ((s->n + n) * 4 > s->nslots * 3)
		grow_slots(s);
	mask = s->nslots - 1;
	for (i = 0; i < n; i++) {
		h[i] = key_hash(&it[i].net);
		if (i < 2 * AHEAD)
			__builtin_prefetch(&s->slots[h[i] & mask]);
	}
	for (i = 0; i < n; i++) {
		if (i + 2 * AHEAD < n)
			__builtin_prefetch(&s->slots[h[i + 2 * AHEAD] & mask]);
		if (i + AHEAD < n) {
			uint32_t v = s->slots[h[i + AHEAD] & mask];

			if (v != 0)
				__builtin_prefetch(rec_at(s, v - 1));
		}
		added += (size_t)add_hashed(s, &it[i].net, h[i], it[i].line,
		                            it[i].weight, it[i].cited, it[i].note);
	}
	return added;
}

static int add_hashed(struct ipset *s, const struct ga_net *n, uint64_t h,
                      unsigned long line, double weight, const char *cited,
                      uint32_t note)
{
	size_t j;
	struct ipset_rec *r;

	for (j = h & (s->nslots - 1); s->slots[j];
	     j = (j + 1) & (s->nslots - 1)) {
		r = rec_at(s, s->slots[j] - 1);
		if (rec_equal(s, r, n)) {
			r->seen++;
			r->weight += weight;
			if (r->note == 0)
				r->note = note;
			if (cited != NULL && cited[0]) {
				if (r->cited[0] == '\0')
					memcpy(r->cited, cited, 2);
				else if (memcmp(r->cited, cited, 2) != 0)
					r->cited_conflict = 1;
			}
			return 0;
		}
	}
	if (s->n == s->nblocks * BLOCK_RECS) {
		s->blocks = xgrow(s->blocks, &s->capblocks, s->nblocks + 1,
		                  sizeof(*s->blocks));
		s->blocks[s->nblocks++] = xmalloc(BLOCK_RECS * sizeof(struct ipset_rec));
	}
	r = rec_at(s, s->n);
	memset(r, 0, sizeof(*r));
	memcpy(r->bytes, n->lo.bytes, 16);
	r->family = n->lo.family;
	r->kind = (uint8_t)n->kind;
	r->prefix_len = (int16_t)n->prefix_len;
	if (cited != NULL && cited[0])
		memcpy(r->cited, cited, 2);
	r->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	r->seen = 1;
	r->note = note;
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
	return i < s->n ? rec_at(s, i) : NULL;
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
	if (r->kind == NET_ADDR) {
		/* The common case, without the masking of net_from_prefix. */
		out->lo = a;
		out->hi = a;
		out->prefix_len = r->prefix_len;
		out->kind = NET_ADDR;
		return;
	}
	net_from_prefix(&a, r->prefix_len, out);
	out->kind = (enum net_kind)r->kind;
}

size_t ipset_memory(const struct ipset *s)
{
	return s->nblocks * BLOCK_RECS * sizeof(struct ipset_rec) +
	       s->capblocks * sizeof(*s->blocks) + s->nslots * sizeof(*s->slots) +
	       s->caphi * sizeof(*s->his) + s->captext + s->capnotes * sizeof(*s->notes) +
	       s->nnslots * sizeof(*s->nslot) + sizeof(*s);
}
