/*
 * ipset.c - unique networks with counts: an open-addressing hash table
 * over compact records, IPv4 and IPv6 apart, and a side table for the
 * rare parts of an entry.
 */
#include <stdlib.h>
#include <string.h>

#include "ipset.h"
#include "util.h"

/*
 * The stored entry.  Most entries of a big list are single addresses seen
 * with weight 1 and no note: for them the record is all, 16 bytes for
 * IPv4 and 28 for IPv6 (the families are stored apart, so an IPv4 record
 * carries 4 address bytes, not 16).  The rest have an extra (REC_EXTRA)
 * holding what the record lacks.
 *
 * Inside the set an entry is named by its tag: bit 31 its family (set for
 * IPv6), the rest its rank among the entries of that family.  The hash
 * and the extras use tags; the entry numbers of the interface (the order
 * of first appearance) become tags through a bitmap of families with a
 * count of IPv6 entries every 64 entries (1.5 bits an entry).
 */
struct hdr {
	uint32_t line;         /* first line it was seen on */
	uint32_t seen;         /* times it appeared */
	char cited[2];         /* first cited country, or "\0\0" */
	uint16_t meta;         /* prefix_len + 1, kind, flags: REC_* */
};
struct rec4 {
	uint8_t bytes[4];
	struct hdr h;
};
struct rec6 {
	uint8_t bytes[16];
	struct hdr h;
};
_Static_assert(sizeof(struct rec4) == 16, "an IPv4 record stays 16 bytes");
_Static_assert(sizeof(struct rec6) == 28, "an IPv6 record stays 28 bytes");

#define REC_PREFIX_MASK 0xffu  /* prefix_len + 1: 0 (odd range) .. 129 */
#define REC_KIND_SHIFT 8       /* 2 bits of enum net_kind */
#define REC_CONFLICT 0x800u    /* duplicates cited different countries */
#define REC_EXTRA 0x1000u      /* has an extra */

#define TAG_V6 0x80000000u
#define TAG_RANK 0x7fffffffu

/* What an entry has beyond its record.  weight is the sum of counts (the
 * record's seen is the sum when every count was 1, and then has no extra
 * for it); note 0 is none; hi_idx is a range's last address in his. */
struct extra {
	double weight;
	uint32_t note;
	uint32_t hi_idx;
	uint8_t has_weight;
};

/* Records live in fixed blocks, so growing never copies them and never
 * holds more than one partly used block: a doubling array would waste up
 * to half its size, which for millions of entries is most of the memory. */
#define BLOCK_BITS 14
#define BLOCK_RECS ((size_t)1 << BLOCK_BITS)

struct ipset {
	void **blocks[2];       /* [0] struct rec4 blocks, [1] struct rec6 */
	size_t nblocks[2], capblocks[2];
	size_t nfam[2];         /* entries of each family */
	size_t n;
	/* Entry number -> tag: bit i of fam is set when entry i is IPv6;
	 * v6before[w] counts the IPv6 entries before entry 64 w. */
	uint64_t *fam;
	uint32_t *v6before;
	size_t capfam, capv6before;
	uint32_t *slots;        /* tag + 1; 0 = empty; NULL when sealed */
	size_t nslots;
	/* Extras, found by tag through an open-addressing hash. */
	struct extra *extras;
	size_t nextras, capextras;
	uint32_t *xkeys;        /* tag + 1; 0 = empty */
	uint32_t *xvals;        /* index in extras */
	size_t nxslots;
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

/* The record of tag t: its header, and its address bytes in *bytes
 * (4 of them for IPv4, 16 for IPv6). */
static struct hdr *rec_of(const struct ipset *s, uint32_t t, uint8_t **bytes)
{
	size_t r = t & TAG_RANK;

	if (t & TAG_V6) {
		struct rec6 *x = (struct rec6 *)s->blocks[1][r >> BLOCK_BITS] + (r & (BLOCK_RECS - 1));

		*bytes = x->bytes;
		return &x->h;
	} else {
		struct rec4 *x = (struct rec4 *)s->blocks[0][r >> BLOCK_BITS] + (r & (BLOCK_RECS - 1));

		*bytes = x->bytes;
		return &x->h;
	}
}

static const void *rec_addr(const struct ipset *s, uint32_t t)
{
	uint8_t *bytes;

	return rec_of(s, t, &bytes);
}

/* The tag of entry number i (i < n). */
static uint32_t tag_of(const struct ipset *s, size_t i)
{
	uint64_t w = s->fam[i >> 6], below = w & (((uint64_t)1 << (i & 63)) - 1);
	size_t v6 = s->v6before[i >> 6] + (size_t)__builtin_popcountll(below);

	if (w >> (i & 63) & 1)
		return TAG_V6 | (uint32_t)v6;
	return (uint32_t)(i - v6);
}

static size_t xslot(uint32_t key, size_t nslots)
{
	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ULL) >> 32) & (nslots - 1);
}

/* The slot of key in keys[0..ns), or the empty one where it would go. */
static size_t xfind(const uint32_t *keys, size_t ns, uint32_t key)
{
	size_t j;

	for (j = xslot(key, ns); keys[j] != 0 && keys[j] != key; j = (j + 1) & (ns - 1))
		;
	return j;
}

/* The extra of tag t, which must have one. */
static struct extra *extra_of(const struct ipset *s, uint32_t t)
{
	return &s->extras[s->xvals[xfind(s->xkeys, s->nxslots, t + 1)]];
}

/* The extra of tag t (record header h), made if it has none (zero: no
 * weight, note or range end). */
static struct extra *extra_make(struct ipset *s, uint32_t t, struct hdr *h)
{
	uint32_t key = t + 1;
	size_t j;

	if (h->meta & REC_EXTRA)
		return extra_of(s, t);
	if ((s->nextras + 1) * 2 > s->nxslots) {
		size_t ns = s->nxslots ? s->nxslots * 2 : 64, k;
		uint32_t *keys = xcalloc(ns, sizeof(*keys));
		uint32_t *vals = xmalloc(ns * sizeof(*vals));

		for (k = 0; k < s->nxslots; k++) {
			if (s->xkeys[k] == 0)
				continue;
			j = xfind(keys, ns, s->xkeys[k]);
			keys[j] = s->xkeys[k];
			vals[j] = s->xvals[k];
		}
		free(s->xkeys);
		free(s->xvals);
		s->xkeys = keys;
		s->xvals = vals;
		s->nxslots = ns;
	}
	j = xfind(s->xkeys, s->nxslots, key);
	s->xkeys[j] = key;
	s->xvals[j] = (uint32_t)s->nextras;
	s->extras = xgrow(s->extras, &s->capextras, s->nextras + 1, sizeof(*s->extras));
	memset(&s->extras[s->nextras], 0, sizeof(s->extras[0]));
	h->meta |= REC_EXTRA;
	return &s->extras[s->nextras++];
}

static int rec_kind(const struct hdr *h)
{
	return (h->meta >> REC_KIND_SHIFT) & 3;
}

static int rec_prefix(const struct hdr *h)
{
	return (int)(h->meta & REC_PREFIX_MASK) - 1;
}

/* The first address of a record, as 16 bytes (IPv4 zero-padded). */
static void rec_bytes16(uint32_t t, const uint8_t *bytes, uint8_t out[16])
{
	if (t & TAG_V6) {
		memcpy(out, bytes, 16);
	} else {
		memcpy(out, bytes, 4);
		memset(out + 4, 0, 12);
	}
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
	int f;

	if (s == NULL)
		return;
	for (f = 0; f < 2; f++) {
		for (i = 0; i < s->nblocks[f]; i++)
			free(s->blocks[f][i]);
		free(s->blocks[f]);
	}
	free(s->fam);
	free(s->v6before);
	free(s->slots);
	free(s->extras);
	free(s->xkeys);
	free(s->xvals);
	free(s->his);
	free(s->text);
	free(s->notes);
	free(s->nslot);
	free(s);
}

static uint64_t key_hash_parts(const uint8_t *lo, int family, int prefix_len,
                               int kind, const uint8_t *hi)
{
	uint64_t a, b, h;

	memcpy(&a, lo, 8);
	memcpy(&b, lo + 8, 8);
	h = hash_mix64(a ^ ((uint64_t)family << 56 | (uint64_t)(uint16_t)prefix_len << 40 |
	               (uint64_t)kind << 32));
	h = hash_mix64(h ^ b);
	if (kind == NET_RANGE) {
		memcpy(&a, hi, 8);
		memcpy(&b, hi + 8, 8);
		h = hash_mix64(h ^ a);
		h = hash_mix64(h ^ b);
	}
	return h;
}

/* An IPv4 entry is its first 4 bytes: the rest is not stored, so it is
 * neither hashed nor compared (the parsers leave it zero). */
static uint64_t key_hash(const struct ga_net *n)
{
	uint8_t lo[16];

	memcpy(lo, n->lo.bytes, 16);
	if (n->lo.family != 6)
		memset(lo + 4, 0, 12);
	return key_hash_parts(lo, n->lo.family, n->prefix_len, n->kind, n->hi.bytes);
}

/* The same hash from stored tag t, without rebuilding the network. */
static uint64_t rec_hash(const struct ipset *s, uint32_t t)
{
	uint8_t *bytes, lo[16];
	const struct hdr *h = rec_of(s, t, &bytes);

	rec_bytes16(t, bytes, lo);
	return key_hash_parts(lo, t & TAG_V6 ? 6 : 4, rec_prefix(h), rec_kind(h),
	                      rec_kind(h) == NET_RANGE ?
	                      s->his[extra_of(s, t)->hi_idx].bytes : NULL);
}

static int rec_equal(const struct ipset *s, uint32_t t, const struct hdr *h,
                     const uint8_t *bytes, const struct ga_net *n)
{
	if ((t & TAG_V6 ? 6 : 4) != n->lo.family || rec_kind(h) != (int)n->kind)
		return 0;
	/* Fixed lengths, so the compiler compares in place without a call. */
	if (t & TAG_V6 ? memcmp(bytes, n->lo.bytes, 16) != 0 :
	    memcmp(bytes, n->lo.bytes, 4) != 0)
		return 0;
	if (n->kind == NET_RANGE)
		return memcmp(s->his[extra_of(s, t)->hi_idx].bytes, n->hi.bytes, 16) == 0;
	return rec_prefix(h) == n->prefix_len;
}

static void rehash(struct ipset *s, size_t ns)
{
	size_t i, j;
	uint32_t *slots, f;

	/* Freed first: a sealed set rebuilding its hash never holds two. */
	free(s->slots);
	s->slots = NULL;
	slots = xcalloc(ns, sizeof(*slots));
	/* Record order, not slot order: the records are read sequentially. */
	for (f = 0; f < 2; f++) {
		for (i = 0; i < s->nfam[f]; i++) {
			uint32_t t = (f ? TAG_V6 : 0) | (uint32_t)i;

			for (j = rec_hash(s, t) & (ns - 1); slots[j]; j = (j + 1) & (ns - 1))
				;
			slots[j] = t + 1;
		}
	}
	s->slots = slots;
	s->nslots = ns;
}

/* A hash with room for n records at most 3/4 full. */
static void ensure_slots(struct ipset *s, size_t n)
{
	size_t ns = s->slots != NULL ? s->nslots : 1024;

	while (ns * 3 < n * 4)
		ns *= 2;
	if (s->slots == NULL || ns > s->nslots)
		rehash(s, ns);
}

void ipset_reserve(struct ipset *s, size_t n)
{
	ensure_slots(s, n);
}

void ipset_seal(struct ipset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->nslots = 0;
}

static int add_hashed(struct ipset *s, const struct ga_net *n, uint64_t h,
                      unsigned long line, double weight, const char *cited,
                      uint32_t note);

int ipset_add(struct ipset *s, const struct ga_net *n, unsigned long line,
              double weight, const char *cited)
{
	ensure_slots(s, s->n + 1);
	return add_hashed(s, n, key_hash(n), line, weight, cited, 0);
}

static uint64_t note_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return hash_mix64(h);
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
	ensure_slots(s, s->n + n);
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
				__builtin_prefetch(rec_addr(s, v - 1));
		}
		added += (size_t)add_hashed(s, &it[i].net, h[i], it[i].line,
		                            it[i].weight, it[i].cited, it[i].note);
	}
	return added;
}

/* Room for one more record of family f (0 IPv4, 1 IPv6): its header and
 * address bytes. */
static struct hdr *rec_new(struct ipset *s, int f, uint32_t *tag, uint8_t **bytes)
{
	size_t r = s->nfam[f], i = s->n;

	if (r >= TAG_RANK)
		xoom(r);        /* 2^31 entries of one family: past any memory */
	if (r == s->nblocks[f] * BLOCK_RECS) {
		s->blocks[f] = xgrow(s->blocks[f], &s->capblocks[f], s->nblocks[f] + 1,
		                     sizeof(*s->blocks[f]));
		s->blocks[f][s->nblocks[f]++] =
		    xmalloc(BLOCK_RECS * (f ? sizeof(struct rec6) : sizeof(struct rec4)));
	}
	if ((i & 63) == 0) {
		s->fam = xgrow(s->fam, &s->capfam, (i >> 6) + 1, sizeof(*s->fam));
		s->v6before = xgrow(s->v6before, &s->capv6before, (i >> 6) + 1,
		                    sizeof(*s->v6before));
		s->fam[i >> 6] = 0;
		s->v6before[i >> 6] = (uint32_t)s->nfam[1];
	}
	if (f)
		s->fam[i >> 6] |= (uint64_t)1 << (i & 63);
	*tag = (f ? TAG_V6 : 0) | (uint32_t)r;
	s->nfam[f]++;
	s->n++;
	return rec_of(s, *tag, bytes);
}

static int add_hashed(struct ipset *s, const struct ga_net *n, uint64_t h,
                      unsigned long line, double weight, const char *cited,
                      uint32_t note)
{
	size_t j;
	uint32_t t;
	uint8_t *bytes;
	struct hdr *r;
	struct extra *x;

	for (j = h & (s->nslots - 1); s->slots[j];
	     j = (j + 1) & (s->nslots - 1)) {
		t = s->slots[j] - 1;
		r = rec_of(s, t, &bytes);
		if (rec_equal(s, t, r, bytes, n)) {
			/* Until a count other than 1 comes, the weight is seen
			 * (a sum of ones is exact in a double, so the weight
			 * made from it then is the one summed all along). */
			x = r->meta & REC_EXTRA ? extra_of(s, t) : NULL;
			if (x != NULL && x->has_weight) {
				x->weight += weight;
			} else if (weight != 1) {
				x = extra_make(s, t, r);
				x->weight = (double)r->seen + weight;
				x->has_weight = 1;
			}
			r->seen++;
			if (note != 0 && (x == NULL || x->note == 0)) {
				if (x == NULL)
					x = extra_make(s, t, r);
				x->note = note;
			}
			if (cited != NULL && cited[0]) {
				if (r->cited[0] == '\0')
					memcpy(r->cited, cited, 2);
				else if (memcmp(r->cited, cited, 2) != 0)
					r->meta |= REC_CONFLICT;
			}
			return 0;
		}
	}
	r = rec_new(s, n->lo.family == 6, &t, &bytes);
	memcpy(bytes, n->lo.bytes, t & TAG_V6 ? 16 : 4);
	memset(r, 0, sizeof(*r));
	r->meta = (uint16_t)(((unsigned)(n->prefix_len + 1) & REC_PREFIX_MASK) |
	                     (unsigned)n->kind << REC_KIND_SHIFT);
	if (cited != NULL && cited[0])
		memcpy(r->cited, cited, 2);
	r->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	r->seen = 1;
	if (weight != 1 || note != 0 || n->kind == NET_RANGE) {
		x = extra_make(s, t, r);
		if (weight != 1) {
			x->weight = weight;
			x->has_weight = 1;
		}
		x->note = note;
		if (n->kind == NET_RANGE) {
			s->his = xgrow(s->his, &s->caphi, s->nhi + 1, sizeof(*s->his));
			s->his[s->nhi] = n->hi;
			x->hi_idx = (uint32_t)s->nhi++;
		}
	}
	s->slots[j] = t + 1;
	return 1;
}

size_t ipset_count(const struct ipset *s)
{
	return s->n;
}

int ipset_get(const struct ipset *s, size_t i, struct ipset_entry *e)
{
	uint32_t t;
	uint8_t *bytes;
	const struct hdr *r;
	const struct extra *x;

	if (i >= s->n)
		return -1;
	t = tag_of(s, i);
	r = rec_of(s, t, &bytes);
	x = r->meta & REC_EXTRA ? extra_of(s, t) : NULL;
	rec_bytes16(t, bytes, e->bytes);
	e->family = t & TAG_V6 ? 6 : 4;
	e->kind = (uint8_t)rec_kind(r);
	e->prefix_len = (int16_t)rec_prefix(r);
	memcpy(e->cited, r->cited, 2);
	e->cited_conflict = (r->meta & REC_CONFLICT) != 0;
	e->line = r->line;
	e->seen = r->seen;
	e->note = x != NULL ? x->note : 0;
	e->weight = x != NULL && x->has_weight ? x->weight : (double)r->seen;
	return 0;
}

const uint8_t *ipset_first(const struct ipset *s, size_t i, uint8_t *family)
{
	uint32_t t = tag_of(s, i);
	uint8_t *bytes;

	rec_of(s, t, &bytes);
	*family = t & TAG_V6 ? 6 : 4;
	return bytes;
}

void ipset_prefetch(const struct ipset *s, size_t i)
{
	__builtin_prefetch(rec_addr(s, tag_of(s, i)));
}

void ipset_net(const struct ipset *s, size_t i, struct ga_net *out)
{
	uint32_t t = tag_of(s, i);
	uint8_t *bytes;
	const struct hdr *r = rec_of(s, t, &bytes);
	struct ga_addr a;

	memset(&a, 0, sizeof(a));
	a.family = t & TAG_V6 ? 6 : 4;
	rec_bytes16(t, bytes, a.bytes);
	if (rec_kind(r) == NET_RANGE) {
		out->lo = a;
		out->hi = s->his[extra_of(s, t)->hi_idx];
		out->prefix_len = rec_prefix(r);
		out->kind = NET_RANGE;
		return;
	}
	if (rec_kind(r) == NET_ADDR) {
		/* The common case, without the masking of net_from_prefix. */
		out->lo = a;
		out->hi = a;
		out->prefix_len = rec_prefix(r);
		out->kind = NET_ADDR;
		return;
	}
	net_from_prefix(&a, rec_prefix(r), out);
	out->kind = (enum net_kind)rec_kind(r);
}

size_t ipset_memory(const struct ipset *s)
{
	return s->nblocks[0] * BLOCK_RECS * sizeof(struct rec4) +
	       s->nblocks[1] * BLOCK_RECS * sizeof(struct rec6) +
	       (s->capblocks[0] + s->capblocks[1]) * sizeof(void *) +
	       s->capfam * sizeof(*s->fam) + s->capv6before * sizeof(*s->v6before) +
	       s->nslots * sizeof(*s->slots) +
	       s->capextras * sizeof(*s->extras) +
	       s->nxslots * (sizeof(*s->xkeys) + sizeof(*s->xvals)) +
	       s->caphi * sizeof(*s->his) + s->captext + s->capnotes * sizeof(*s->notes) +
	       s->nnslots * sizeof(*s->nslot) + sizeof(*s);
}
