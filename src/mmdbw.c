/*
 * mmdbw.c - a writer of MaxMind DB files.
 *
 * The tree lives in one flat array of nodes, each two 32-bit records.  A
 * record is tagged:
 *
 *   0                     empty (no data); node 0 is the root, which is
 *                         never anybody's child, so 0 is free for this
 *   1 .. 0x7fffffff       index of a child node
 *   0x80000000 | h        data handle h
 *
 * Inserting never frees nodes.  A subtree that a later insert covers
 * whole is simply unlinked; at write time only reachable nodes are
 * numbered and written, so garbage costs memory but not file size.
 *
 * In an IPv6 database the first nodes are "structural": the 96 nodes of
 * the ::/96 path, the IPv4 root below them, and the 15 nodes of the
 * ::ffff:0:0/96 path whose last record points at the IPv4 root too (the
 * one place where the tree is a DAG).  Their indices are below nstruct and
 * no insert ever replaces them: an insert that covers one "paints" its
 * records instead, so IPv4 inserts always find their subtree, and the
 * mapped range stays an alias of IPv4 (an IPv6 insert over ::ffff:0:0/96
 * therefore changes the IPv4 data it aliases, the same addresses to a
 * reader).  In an IPv4 database only the root is structural.
 *
 * The data section holds each distinct record once.  While it is written,
 * strings already present are replaced by pointers to their first copy,
 * which removes the repeated map keys that would otherwise dominate it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mmdbw.h"
#include "util.h"

#define REC_EMPTY 0u
#define REC_DATA 0x80000000u
#define IS_NODE(r) ((r) != REC_EMPTY && (r) < REC_DATA)
#define UNSET 0xffffffffu

/* Handle returned by mmdbw_data_add() for a malformed value; inserting it
 * fails with MMDBW_ERR_DATA. */
#define BAD_HANDLE 0xffffffffu
#define MAX_HANDLES 0x7fffffffu

/* Largest payload size or element count the size encoding can express. */
#define MAX_SIZE 16843036u

#define STRUCT_V4ROOT 96
#define STRUCT_MAX 112

/* Data types (spec section "Output Data Section"). */
enum {
	T_EXTENDED = 0,
	T_POINTER = 1,
	T_STRING = 2,
	T_DOUBLE = 3,
	T_BYTES = 4,
	T_UINT16 = 5,
	T_UINT32 = 6,
	T_MAP = 7,
	T_INT32 = 8,
	T_UINT64 = 9,
	T_UINT128 = 10,
	T_ARRAY = 11,
	T_BOOLEAN = 14,
	T_FLOAT = 15
};

static const char metadata_marker[] = "\xab\xcd\xefMaxMind.com";
#define METADATA_MARKER_LEN 14
#define METADATA_MAX (128 * 1024)

/* An open map or array: how many items it still expects. */
struct frame {
	uint32_t left;
	int is_map;
};

struct mmdbw_enc {
	uint8_t *p;
	size_t len;
	size_t cap;
	struct frame *stack;
	size_t depth;
	size_t stack_cap;
	size_t top_values;   /* values begun at depth 0 */
	int bad;
};

struct node {
	uint32_t rec[2];
};

struct kv {
	char *key;
	char *value;
};

struct mmdbw {
	int ip_version;

	struct node *nodes;
	size_t nnodes;
	size_t nodes_cap;
	uint32_t nstruct;
	uint32_t v4root;     /* where IPv4 addresses start */

	/* Distinct values, concatenated; value h is vals[voff[h] .. voff[h+1]). */
	uint8_t *vals;
	size_t vals_len;
	size_t vals_cap;
	size_t *voff;
	uint32_t *vhash;
	size_t nvals;
	size_t voff_cap;
	size_t vhash_cap;
	uint32_t *table;     /* open addressing: handle + 1, or 0 */
	size_t table_cap;

	uint64_t overlaps;
	int hit;             /* the current insert replaced something */

	/* The finger: the nodes on the path of the last insert's start
	 * address (fpath[d] at depth d, valid for d <= fdepth) below the
	 * family root froot.  Sorted input shares most of that path with
	 * the next range, so the next insert starts where the two part. */
	uint32_t fpath[129];
	uint8_t faddr[16];
	int fdepth;          /* -1: no finger */
	uint32_t froot;

	char *type;
	char **langs;
	size_t nlangs;
	int langs_set;
	struct kv *desc;
	size_t ndesc;
	struct kv *extra;
	size_t nextra;
	uint64_t epoch;
	int epoch_set;
	int record_size_req;

	uint32_t node_count;
	int record_size;
};

const char *mmdbw_strerror(int status)
{
	switch (status) {
	case MMDBW_OK:
		return "success";
	case MMDBW_ERR_FAMILY:
		return "address family does not fit the database";
	case MMDBW_ERR_ORDER:
		return "range end is before its start";
	case MMDBW_ERR_DATA:
		return "malformed data value";
	case MMDBW_ERR_TOO_BIG:
		return "database too large for the record size";
	case MMDBW_ERR_IO:
		return "write error";
	}
	return "unknown error";
}

/* ------------------------------------------------------------ encoder */

struct mmdbw_enc *mmdbw_enc_new(void)
{
	return xcalloc(1, sizeof(struct mmdbw_enc));
}

void mmdbw_enc_free(struct mmdbw_enc *e)
{
	if (e == NULL)
		return;
	free(e->p);
	free(e->stack);
	free(e);
}

void mmdbw_enc_reset(struct mmdbw_enc *e)
{
	e->len = 0;
	e->depth = 0;
	e->top_values = 0;
	e->bad = 0;
}

const uint8_t *mmdbw_enc_data(const struct mmdbw_enc *e, size_t *len)
{
	*len = e->len;
	return e->p;
}

static void enc_put(struct mmdbw_enc *e, const void *p, size_t n)
{
	e->p = xgrow(e->p, &e->cap, e->len + n, 1);
	if (n)
		memcpy(e->p + e->len, p, n);
	e->len += n;
}

/*
 * Account for one value (or container header) about to be written, so
 * that mmdbw_data_add() can refuse a value that is not exactly one
 * complete item.  Map keys must be strings: readers reject anything else.
 */
static void enc_item(struct mmdbw_enc *e, int type)
{
	struct frame *f;

	if (e->depth == 0) {
		e->top_values++;
		return;
	}
	f = &e->stack[e->depth - 1];
	if (f->is_map && f->left % 2 == 0 && type != T_STRING)
		e->bad = 1;
	f->left--;
}

/* Close every container whose last item has just been written. */
static void enc_close(struct mmdbw_enc *e)
{
	while (e->depth > 0 && e->stack[e->depth - 1].left == 0)
		e->depth--;
}

static void enc_header(struct mmdbw_enc *e, int type, size_t size)
{
	uint8_t h[6];
	size_t n = 0;
	uint8_t ctrl;

	if (size > MAX_SIZE) {
		e->bad = 1;
		size = 0;
	}
	ctrl = type <= 7 ? (uint8_t)(type << 5) : 0;
	if (size < 29) {
		h[n++] = ctrl | (uint8_t)size;
		if (type > 7)
			h[n++] = (uint8_t)(type - 7);
	} else if (size < 285) {
		h[n++] = ctrl | 29;
		if (type > 7)
			h[n++] = (uint8_t)(type - 7);
		h[n++] = (uint8_t)(size - 29);
	} else if (size < 65821) {
		size -= 285;
		h[n++] = ctrl | 30;
		if (type > 7)
			h[n++] = (uint8_t)(type - 7);
		h[n++] = (uint8_t)(size >> 8);
		h[n++] = (uint8_t)size;
	} else {
		size -= 65821;
		h[n++] = ctrl | 31;
		if (type > 7)
			h[n++] = (uint8_t)(type - 7);
		h[n++] = (uint8_t)(size >> 16);
		h[n++] = (uint8_t)(size >> 8);
		h[n++] = (uint8_t)size;
	}
	enc_put(e, h, n);
}

static void enc_container(struct mmdbw_enc *e, int type, uint32_t n)
{
	uint64_t items = type == T_MAP ? 2 * (uint64_t)n : n;

	enc_item(e, type);
	enc_header(e, type, n);
	if (items == 0) {
		enc_close(e);
		return;
	}
	e->stack = xgrow(e->stack, &e->stack_cap, e->depth + 1,
	                 sizeof(struct frame));
	e->stack[e->depth].left = (uint32_t)items;
	e->stack[e->depth].is_map = type == T_MAP;
	/* n <= MAX_SIZE was checked by enc_header; 2n then fits in 32 bits */
	e->depth++;
}

void mmdbw_enc_map(struct mmdbw_enc *e, uint32_t n)
{
	enc_container(e, T_MAP, n);
}

void mmdbw_enc_array(struct mmdbw_enc *e, uint32_t n)
{
	enc_container(e, T_ARRAY, n);
}

static void enc_blob(struct mmdbw_enc *e, int type, const void *p, size_t len)
{
	enc_item(e, type);
	enc_header(e, type, len);
	if (len <= MAX_SIZE)
		enc_put(e, p, len);
	enc_close(e);
}

void mmdbw_enc_str(struct mmdbw_enc *e, const char *s, size_t len)
{
	enc_blob(e, T_STRING, s, len);
}

void mmdbw_enc_cstr(struct mmdbw_enc *e, const char *s)
{
	enc_blob(e, T_STRING, s, strlen(s));
}

void mmdbw_enc_kv(struct mmdbw_enc *e, const char *k, const char *v)
{
	mmdbw_enc_cstr(e, k);
	mmdbw_enc_cstr(e, v);
}

void mmdbw_enc_bytes(struct mmdbw_enc *e, const void *p, size_t len)
{
	enc_blob(e, T_BYTES, p, len);
}

/* Unsigned integers use as few big-endian bytes as the value needs. */
static void enc_uint(struct mmdbw_enc *e, int type, uint64_t v)
{
	uint8_t b[8];
	size_t n = 0;
	int shift;

	for (shift = 56; shift >= 0; shift -= 8)
		if (n > 0 || (v >> shift) != 0)
			b[n++] = (uint8_t)(v >> shift);
	enc_blob(e, type, b, n);
}

void mmdbw_enc_u16(struct mmdbw_enc *e, uint16_t v)
{
	enc_uint(e, T_UINT16, v);
}

void mmdbw_enc_u32(struct mmdbw_enc *e, uint32_t v)
{
	enc_uint(e, T_UINT32, v);
}

void mmdbw_enc_u64(struct mmdbw_enc *e, uint64_t v)
{
	enc_uint(e, T_UINT64, v);
}

/* A shorter field is always positive, so negative numbers take all four
 * bytes (two's complement); positive ones are as short as unsigned. */
void mmdbw_enc_i32(struct mmdbw_enc *e, int32_t v)
{
	uint32_t u = (uint32_t)v;
	uint8_t b[4];

	if (v >= 0) {
		enc_uint(e, T_INT32, u);
		return;
	}
	b[0] = (uint8_t)(u >> 24);
	b[1] = (uint8_t)(u >> 16);
	b[2] = (uint8_t)(u >> 8);
	b[3] = (uint8_t)u;
	enc_blob(e, T_INT32, b, 4);
}

void mmdbw_enc_double(struct mmdbw_enc *e, double v)
{
	uint64_t u;
	uint8_t b[8];
	int i;

	memcpy(&u, &v, sizeof u);
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (56 - 8 * i));
	enc_blob(e, T_DOUBLE, b, 8);
}

/* The value lives in the size field; there is no payload. */
void mmdbw_enc_bool(struct mmdbw_enc *e, int v)
{
	enc_item(e, T_BOOLEAN);
	enc_header(e, T_BOOLEAN, v ? 1 : 0);
	enc_close(e);
}

static int enc_complete(const struct mmdbw_enc *e)
{
	return !e->bad && e->depth == 0 && e->top_values == 1;
}

/* ----------------------------------------------------------- database */

static uint32_t new_node(struct mmdbw *w, uint32_t left, uint32_t right)
{
	uint32_t i = (uint32_t)w->nnodes;

	w->nodes = xgrow(w->nodes, &w->nodes_cap, w->nnodes + 1,
	                 sizeof(struct node));
	w->nodes[i].rec[0] = left;
	w->nodes[i].rec[1] = right;
	w->nnodes++;
	return i;
}

struct mmdbw *mmdbw_new(int ip_version)
{
	struct mmdbw *w;
	int i;

	if (ip_version != 4 && ip_version != 6)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->ip_version = ip_version;
	w->fdepth = -1;
	w->type = xstrdup("geoattr");
	w->langs = xmalloc(sizeof(char *));
	w->langs[0] = xstrdup("en");
	w->nlangs = 1;
	new_node(w, REC_EMPTY, REC_EMPTY);
	if (ip_version == 4) {
		w->nstruct = 1;
		w->v4root = 0;
		return w;
	}
	/* Nodes 0..95 walk ::/96 bit by bit; node 96 is the IPv4 root. */
	for (i = 1; i <= STRUCT_V4ROOT; i++) {
		new_node(w, REC_EMPTY, REC_EMPTY);
		w->nodes[i - 1].rec[0] = (uint32_t)i;
	}
	/* ::ffff:0:0/96 shares the first 80 zero bits, then takes 16 one
	 * bits: nodes 97..111 are depths 81..95. */
	w->nodes[80].rec[1] = 97;
	for (i = 97; i < STRUCT_MAX; i++) {
		new_node(w, REC_EMPTY, REC_EMPTY);
		w->nodes[i].rec[1] = i + 1 < STRUCT_MAX ? (uint32_t)i + 1
		                                        : STRUCT_V4ROOT;
	}
	w->nstruct = STRUCT_MAX;
	w->v4root = STRUCT_V4ROOT;
	return w;
}

static void free_kvs(struct kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void mmdbw_free(struct mmdbw *w)
{
	size_t i;

	if (w == NULL)
		return;
	free(w->nodes);
	free(w->vals);
	free(w->voff);
	free(w->vhash);
	free(w->table);
	free(w->type);
	for (i = 0; i < w->nlangs; i++)
		free(w->langs[i]);
	free(w->langs);
	free_kvs(w->desc, w->ndesc);
	free_kvs(w->extra, w->nextra);
	free(w);
}

/* --------------------------------------------------------- data values */

/*
 * Every range of a compile hashes its whole encoded record, so this takes
 * eight bytes per step rather than util's byte-wise FNV-1a (which made up
 * a third of mmdbw_data_add()).  Quality needs only to be good enough for
 * linear probing; equality is always confirmed with memcmp.
 */
static uint32_t hash32(const void *p, size_t n)
{
	const uint8_t *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static void table_place(uint32_t *table, size_t cap, uint32_t hash,
                        uint32_t handle)
{
	size_t i = hash & (cap - 1);

	while (table[i] != 0)
		i = (i + 1) & (cap - 1);
	table[i] = handle + 1;
}

static void table_grow(struct mmdbw *w)
{
	size_t cap = w->table_cap ? w->table_cap * 2 : 1024;
	uint32_t *t = xcalloc(cap, sizeof *t);
	size_t h;

	for (h = 0; h < w->nvals; h++)
		table_place(t, cap, w->vhash[h], (uint32_t)h);
	free(w->table);
	w->table = t;
	w->table_cap = cap;
}

static uint32_t data_add_bytes(struct mmdbw *w, const uint8_t *p, size_t len)
{
	uint32_t hash, h;
	size_t i;

	hash = hash32(p, len);
	/* Keep the load at most one half so that probe runs stay short. */
	if (2 * (w->nvals + 1) > w->table_cap)
		table_grow(w);
	for (i = hash & (w->table_cap - 1); w->table[i] != 0;
	     i = (i + 1) & (w->table_cap - 1)) {
		h = w->table[i] - 1;
		if (w->vhash[h] == hash &&
		    w->voff[h + 1] - w->voff[h] == len &&
		    memcmp(w->vals + w->voff[h], p, len) == 0)
			return h;
	}
	h = (uint32_t)w->nvals;
	w->table[i] = h + 1;
	w->vals = xgrow(w->vals, &w->vals_cap, w->vals_len + len, 1);
	memcpy(w->vals + w->vals_len, p, len);
	w->vals_len += len;
	/* voff has one more entry than there are values: the end offset */
	w->voff = xgrow(w->voff, &w->voff_cap, w->nvals + 2, sizeof(size_t));
	w->vhash = xgrow(w->vhash, &w->vhash_cap, w->nvals + 1,
	                 sizeof(uint32_t));
	if (w->nvals == 0)
		w->voff[0] = 0;
	w->voff[h + 1] = w->vals_len;
	w->vhash[h] = hash;
	w->nvals++;
	return h;
}

uint32_t mmdbw_data_add(struct mmdbw *w, struct mmdbw_enc *e)
{
	uint32_t h = BAD_HANDLE;

	if (enc_complete(e) && w->nvals < MAX_HANDLES)
		h = data_add_bytes(w, e->p, e->len);
	mmdbw_enc_reset(e);
	return h;
}

uint32_t mmdbw_data_add_encoded(struct mmdbw *w, const uint8_t *p, size_t len)
{
	if (len == 0 || w->nvals >= MAX_HANDLES)
		return BAD_HANDLE;
	return data_add_bytes(w, p, len);
}

size_t mmdbw_data_count(const struct mmdbw *w)
{
	return w->nvals;
}

uint64_t mmdbw_overlaps(const struct mmdbw *w)
{
	return w->overlaps;
}

/* ------------------------------------------------------------- inserts */

/* A range being inserted, as seen from its start node. */
struct span {
	const uint8_t *lo;
	const uint8_t *hi;
	int lo_z;            /* from this depth on, lo's bits are all 0 */
	int hi_o;            /* from this depth on, hi's bits are all 1 */
	uint32_t rec;        /* the data record to store */
};

static int bit_at(const uint8_t *b, int i)
{
	return (b[i >> 3] >> (7 - (i & 7))) & 1;
}

static int is_struct(const struct mmdbw *w, uint32_t r)
{
	return IS_NODE(r) && r < w->nstruct;
}

/* Give every record under structural node n the value rec, keeping the
 * structural links themselves (see the top of the file). */
static void paint(struct mmdbw *w, uint32_t n, uint32_t rec)
{
	int b;

	for (b = 0; b < 2; b++) {
		uint32_t c = w->nodes[n].rec[b];

		if (is_struct(w, c)) {
			paint(w, c, rec);
			continue;
		}
		if (c != REC_EMPTY)
			w->hit = 1;
		w->nodes[n].rec[b] = rec;
	}
}

static void set_record(struct mmdbw *w, uint32_t n, int b, uint32_t rec)
{
	uint32_t c = w->nodes[n].rec[b];

	if (is_struct(w, c)) {
		paint(w, c, rec);
		return;
	}
	if (c != REC_EMPTY)
		w->hit = 1;
	w->nodes[n].rec[b] = rec;
}

/*
 * Node n sits at depth d (its records cover prefixes of length d + 1).
 * lo_t / hi_t say whether n lies on the path of lo / hi; off those paths
 * every address below n is inside the range.  A record whose block the
 * range covers whole is set; any other is turned into a node (a data
 * leaf is split into two copies of itself, which is what lets the rest
 * of an earlier range keep its data) and visited.  So the work is one
 * walk down each of the two boundary paths.
 */
static int fill(struct mmdbw *w, uint32_t n, int d, int lo_t, int hi_t,
                const struct span *s)
{
	int lb = lo_t ? bit_at(s->lo, d) : 0;
	int hb = hi_t ? bit_at(s->hi, d) : 1;
	int b;

	for (b = lb; b <= hb; b++) {
		int nlo = lo_t && b == lb;
		int nhi = hi_t && b == hb;
		uint32_t c;

		if ((!nlo || d + 1 >= s->lo_z) && (!nhi || d + 1 >= s->hi_o)) {
			set_record(w, n, b, s->rec);
			if (nlo)
				w->fdepth = d;
			continue;
		}
		c = w->nodes[n].rec[b];
		if (c == s->rec) {
			/* already this data throughout */
			w->hit = 1;
			if (nlo)
				w->fdepth = d;
			continue;
		}
		if (!IS_NODE(c)) {
			uint32_t k;

			if (w->nnodes >= REC_DATA - 1)
				return MMDBW_ERR_TOO_BIG;
			if (c != REC_EMPTY)
				w->hit = 1;
			k = new_node(w, c, c);
			w->nodes[n].rec[b] = k;
			c = k;
		}
		if (nlo) {
			w->fpath[d + 1] = c;
			w->fdepth = d + 1;
		}
		if (fill(w, c, d + 1, nlo, nhi, s) != MMDBW_OK)
			return MMDBW_ERR_TOO_BIG;
	}
	return MMDBW_OK;
}

/* The depth from which every bit of a (bits long, a whole number of
 * bytes) equals the bits of fill (0x00 or 0xff): whole bytes first. */
static int run_start(const uint8_t *a, int bits, uint8_t fill)
{
	int i = bits;

	while (i > 0 && a[(i >> 3) - 1] == fill)
		i -= 8;
	while (i > 0 && bit_at(a, i - 1) == (fill & 1))
		i--;
	return i;
}

/* The deepest node the finger can start an insert of s from: one on the
 * start address's path whose block holds the whole range but is not
 * covered by it whole (that record must be set from its parent). */
static int finger_depth(const struct mmdbw *w, const struct span *s,
                        int bits, uint32_t start)
{
	int c, m, k;

	if (w->fdepth <= 0 || w->froot != start)
		return 0;
	c = addr_common_bits(s->lo, s->hi, bits);
	m = s->lo_z > s->hi_o ? s->lo_z : s->hi_o;
	k = m <= c ? m - 1 : c;
	if (k > w->fdepth)
		k = w->fdepth;
	if (k > 0) {
		int p = addr_common_bits(s->lo, w->faddr, k);

		if (p < k)
			k = p;
	}
	return k > 0 ? k : 0;
}

static int insert(struct mmdbw *w, const uint8_t *lo, const uint8_t *hi,
                  int bits, uint32_t start, uint32_t d)
{
	struct span s;
	int status = MMDBW_OK, k;

	if (d >= w->nvals)
		return MMDBW_ERR_DATA;
	s.lo = lo;
	s.hi = hi;
	s.rec = REC_DATA | d;
	s.lo_z = run_start(lo, bits, 0x00);
	s.hi_o = run_start(hi, bits, 0xff);
	w->hit = 0;
	if (s.lo_z == 0 && s.hi_o == 0) {
		paint(w, start, s.rec);
		w->fdepth = -1;
	} else {
		k = finger_depth(w, &s, bits, start);
		if (k == 0) {
			w->froot = start;
			w->fpath[0] = start;
		}
		w->fdepth = k;
		memcpy(w->faddr, lo, (size_t)bits / 8);
		status = fill(w, w->fpath[k], k, 1, 1, &s);
		if (status != MMDBW_OK)
			w->fdepth = -1;
	}
	if (w->hit)
		w->overlaps++;
	return status;
}

/* Where addresses of this family start in the tree, and how many bits
 * they have; -1 if the database cannot hold them. */
static int family_start(const struct mmdbw *w, int family, uint32_t *start)
{
	if (family == 4) {
		*start = w->v4root;
		return 32;
	}
	if (family == 6 && w->ip_version == 6) {
		*start = 0;
		return 128;
	}
	return -1;
}

int mmdbw_insert_range(struct mmdbw *w, const struct ga_addr *lo,
                       const struct ga_addr *hi, uint32_t d)
{
	uint32_t start;
	int bits;

	if (lo->family != hi->family)
		return MMDBW_ERR_FAMILY;
	if ((bits = family_start(w, lo->family, &start)) < 0)
		return MMDBW_ERR_FAMILY;
	if (memcmp(lo->bytes, hi->bytes, (size_t)bits / 8) > 0)
		return MMDBW_ERR_ORDER;
	return insert(w, lo->bytes, hi->bytes, bits, start, d);
}

/* Host bits of start are ignored.  A prefix length that does not fit the
 * family is a family error. */
int mmdbw_insert_prefix(struct mmdbw *w, const struct ga_addr *start,
                        int prefix_len, uint32_t d)
{
	uint8_t lo[16], hi[16];
	uint32_t node;
	int bits, i;

	if ((bits = family_start(w, start->family, &node)) < 0 ||
	    prefix_len < 0 || prefix_len > bits)
		return MMDBW_ERR_FAMILY;
	memcpy(lo, start->bytes, 16);
	memcpy(hi, start->bytes, 16);
	for (i = prefix_len; i < bits; i++) {
		lo[i >> 3] &= (uint8_t)~(0x80u >> (i & 7));
		hi[i >> 3] |= (uint8_t)(0x80u >> (i & 7));
	}
	return insert(w, lo, hi, bits, node, d);
}

/* ------------------------------------------------------------ metadata */

void mmdbw_meta_type(struct mmdbw *w, const char *database_type)
{
	free(w->type);
	w->type = xstrdup(database_type);
}

/* Set key to value in a list, replacing an earlier value for the key. */
static void kv_set(struct kv **kv, size_t *n, const char *key,
                   const char *value)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*kv)[i].key, key) == 0) {
			free((*kv)[i].value);
			(*kv)[i].value = xstrdup(value);
			return;
		}
	*kv = xrealloc(*kv, (*n + 1) * sizeof **kv);
	(*kv)[*n].key = xstrdup(key);
	(*kv)[*n].value = xstrdup(value);
	(*n)++;
}

void mmdbw_meta_description(struct mmdbw *w, const char *lang,
                            const char *text)
{
	kv_set(&w->desc, &w->ndesc, lang, text);
}

/* The first call replaces the default ["en"]; later calls add. */
void mmdbw_meta_language(struct mmdbw *w, const char *lang)
{
	size_t i;

	if (!w->langs_set) {
		for (i = 0; i < w->nlangs; i++)
			free(w->langs[i]);
		w->nlangs = 0;
		w->langs_set = 1;
	}
	for (i = 0; i < w->nlangs; i++)
		if (strcmp(w->langs[i], lang) == 0)
			return;
	w->langs = xrealloc(w->langs, (w->nlangs + 1) * sizeof(char *));
	w->langs[w->nlangs++] = xstrdup(lang);
}

void mmdbw_meta_build_epoch(struct mmdbw *w, uint64_t epoch)
{
	w->epoch = epoch;
	w->epoch_set = 1;
}

/* 24, 28 or 32; anything else means automatic. */
void mmdbw_meta_record_size(struct mmdbw *w, int bits)
{
	w->record_size_req = bits == 24 || bits == 28 || bits == 32 ? bits : 0;
}

static const char *const std_keys[] = {
	"binary_format_major_version", "binary_format_minor_version",
	"build_epoch", "database_type", "description", "ip_version",
	"languages", "node_count", "record_size"
};

/* A key that would duplicate a standard one is ignored: a map with two
 * equal keys means different things to different readers. */
void mmdbw_meta_extra(struct mmdbw *w, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < sizeof std_keys / sizeof std_keys[0]; i++)
		if (strcmp(key, std_keys[i]) == 0)
			return;
	kv_set(&w->extra, &w->nextra, key, value);
}

static uint64_t build_epoch(const struct mmdbw *w)
{
	const char *s;
	uint64_t v;

	if (w->epoch_set)
		return w->epoch;
	/* reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/ */
	s = getenv("SOURCE_DATE_EPOCH");
	if (s != NULL && parse_u64(s, strlen(s), 0, UINT64_MAX, &v) == 0)
		return v;
	return (uint64_t)time(NULL);
}

static void encode_metadata(const struct mmdbw *w, struct mmdbw_enc *e)
{
	size_t i;

	mmdbw_enc_map(e, (uint32_t)(9 + w->nextra));
	mmdbw_enc_cstr(e, "binary_format_major_version");
	mmdbw_enc_u16(e, 2);
	mmdbw_enc_cstr(e, "binary_format_minor_version");
	mmdbw_enc_u16(e, 0);
	mmdbw_enc_cstr(e, "build_epoch");
	mmdbw_enc_u64(e, build_epoch(w));
	mmdbw_enc_cstr(e, "database_type");
	mmdbw_enc_cstr(e, w->type);
	mmdbw_enc_cstr(e, "description");
	mmdbw_enc_map(e, (uint32_t)w->ndesc);
	for (i = 0; i < w->ndesc; i++) {
		mmdbw_enc_cstr(e, w->desc[i].key);
		mmdbw_enc_cstr(e, w->desc[i].value);
	}
	mmdbw_enc_cstr(e, "ip_version");
	mmdbw_enc_u16(e, (uint16_t)w->ip_version);
	mmdbw_enc_cstr(e, "languages");
	mmdbw_enc_array(e, (uint32_t)w->nlangs);
	for (i = 0; i < w->nlangs; i++)
		mmdbw_enc_cstr(e, w->langs[i]);
	mmdbw_enc_cstr(e, "node_count");
	mmdbw_enc_u32(e, w->node_count);
	mmdbw_enc_cstr(e, "record_size");
	mmdbw_enc_u16(e, (uint16_t)w->record_size);
	for (i = 0; i < w->nextra; i++) {
		mmdbw_enc_cstr(e, w->extra[i].key);
		mmdbw_enc_cstr(e, w->extra[i].value);
	}
}

/* --------------------------------------------------------- data section */

/* A string already in the data section, for pointers to reuse. */
struct str_ent {
	uint32_t field;      /* offset of its control byte */
	uint32_t payload;    /* offset of its bytes */
	uint32_t len;
	uint32_t hash;
};

struct dsec {
	uint8_t *p;
	size_t len;
	size_t cap;
	struct str_ent *ents;
	size_t nents;
	size_t ents_cap;
	uint32_t *table;     /* entry index + 1, or 0 */
	size_t table_cap;
};

static void dsec_put(struct dsec *ds, const uint8_t *p, size_t n)
{
	ds->p = xgrow(ds->p, &ds->cap, ds->len + n, 1);
	memcpy(ds->p + ds->len, p, n);
	ds->len += n;
}

static size_t pointer_size(size_t off)
{
	if (off < 2048)
		return 2;
	if (off < 526336)
		return 3;
	if (off < 134744064)
		return 4;
	return 5;
}

static void put_pointer(struct dsec *ds, uint32_t off)
{
	uint8_t b[5];
	size_t n;
	uint32_t v;

	if (off < 2048) {
		b[0] = (uint8_t)(0x20 | (off >> 8));
		b[1] = (uint8_t)off;
		n = 2;
	} else if (off < 526336) {
		v = off - 2048;
		b[0] = (uint8_t)(0x20 | 0x08 | (v >> 16));
		b[1] = (uint8_t)(v >> 8);
		b[2] = (uint8_t)v;
		n = 3;
	} else if (off < 134744064) {
		v = off - 526336;
		b[0] = (uint8_t)(0x20 | 0x10 | (v >> 24));
		b[1] = (uint8_t)(v >> 16);
		b[2] = (uint8_t)(v >> 8);
		b[3] = (uint8_t)v;
		n = 4;
	} else {
		b[0] = 0x20 | 0x18;
		b[1] = (uint8_t)(off >> 24);
		b[2] = (uint8_t)(off >> 16);
		b[3] = (uint8_t)(off >> 8);
		b[4] = (uint8_t)off;
		n = 5;
	}
	dsec_put(ds, b, n);
}

static void str_table_grow(struct dsec *ds)
{
	size_t cap = ds->table_cap ? ds->table_cap * 2 : 4096;
	uint32_t *t = xcalloc(cap, sizeof *t);
	size_t i, j;

	for (i = 0; i < ds->nents; i++) {
		for (j = ds->ents[i].hash & (cap - 1); t[j] != 0;
		     j = (j + 1) & (cap - 1))
			;
		t[j] = (uint32_t)i + 1;
	}
	free(ds->table);
	ds->table = t;
	ds->table_cap = cap;
}

/* Append a string field (header hdr, payload s): as a pointer to an
 * earlier copy when that is shorter, else as itself. */
static void put_string(struct dsec *ds, const uint8_t *hdr, size_t hlen,
                       const uint8_t *s, size_t len)
{
	uint32_t hash;
	size_t i;
	struct str_ent *en;

	/* A pointer takes at least two bytes; shorter fields never gain. */
	if (hlen + len <= 2) {
		dsec_put(ds, hdr, hlen);
		dsec_put(ds, s, len);
		return;
	}
	if (2 * (ds->nents + 1) > ds->table_cap)
		str_table_grow(ds);
	hash = hash32(s, len);
	for (i = hash & (ds->table_cap - 1); ds->table[i] != 0;
	     i = (i + 1) & (ds->table_cap - 1)) {
		en = &ds->ents[ds->table[i] - 1];
		if (en->hash == hash && en->len == len &&
		    memcmp(ds->p + en->payload, s, len) == 0) {
			if (pointer_size(en->field) < hlen + len)
				put_pointer(ds, en->field);
			else {
				dsec_put(ds, hdr, hlen);
				dsec_put(ds, s, len);
			}
			return;
		}
	}
	ds->ents = xgrow(ds->ents, &ds->ents_cap, ds->nents + 1,
	                 sizeof(struct str_ent));
	en = &ds->ents[ds->nents];
	en->field = (uint32_t)ds->len;
	en->payload = (uint32_t)(ds->len + hlen);
	en->len = (uint32_t)len;
	en->hash = hash;
	ds->table[i] = (uint32_t)++ds->nents;
	dsec_put(ds, hdr, hlen);
	dsec_put(ds, s, len);
}

/*
 * Copy one value that our encoder produced (so well formed and without
 * pointers) from src[*pos] into the data section, turning repeated
 * strings into pointers.
 */
static void copy_value(struct dsec *ds, const uint8_t *src, size_t *pos)
{
	size_t start = *pos, p = *pos, size, i;
	int type = src[p] >> 5;

	size = src[p] & 31;
	p++;
	if (type == T_EXTENDED)
		type = 7 + src[p++];
	if (size == 29)
		size = 29 + (size_t)src[p++];
	else if (size == 30) {
		size = 285 + ((size_t)src[p] << 8 | src[p + 1]);
		p += 2;
	} else if (size == 31) {
		size = 65821 + ((size_t)src[p] << 16 | (size_t)src[p + 1] << 8 |
		                src[p + 2]);
		p += 3;
	}
	switch (type) {
	case T_MAP:
	case T_ARRAY:
		dsec_put(ds, src + start, p - start);
		if (type == T_MAP)
			size *= 2;
		for (i = 0; i < size; i++)
			copy_value(ds, src, &p);
		break;
	case T_STRING:
		put_string(ds, src + start, p - start, src + p, size);
		p += size;
		break;
	case T_BOOLEAN:
		dsec_put(ds, src + start, p - start);
		break;
	default:
		p += size;
		dsec_put(ds, src + start, p - start);
		break;
	}
	*pos = p;
}

static void dsec_free(struct dsec *ds)
{
	free(ds->p);
	free(ds->ents);
	free(ds->table);
}

/* --------------------------------------------------------------- write */

/*
 * The nodes that stay nodes, one list per depth, each in address order.
 * Breadth first from the root, which is the order of the output, is
 * these lists one depth after another; building them during the
 * depth-first merge (which walks the array nearly in allocation order)
 * spares the output a breadth-first walk that fetched every node from a
 * random place.  An entry holds the node's two records as output needs
 * them: data or empty as they are, a child node as 1 + its index in the
 * list of the next depth.
 */
struct level {
	uint32_t *rec;       /* two per node */
	size_t n;            /* nodes */
	size_t cap;          /* records allocated */
};

/* Structural nodes are shared, so their collapsed values (and list
 * places) are memoised; every other node has one parent and is resolved
 * once. */
struct resolve_ctx {
	struct mmdbw *w;
	uint32_t memo[STRUCT_MAX];
	uint32_t memo_idx[STRUCT_MAX];
	struct level lv[128]; /* a /128 is a record at depth 127: no node is deeper */
};

/*
 * Merge bottom-up: a node whose two records end up equal data (or both
 * empty) is that data.  Ordinary records are rewritten in place, which
 * changes no lookup and keeps later inserts valid; records pointing at
 * structural nodes are kept, so the memo gives their value for output.
 * Node n is at depth d; a node that stays is added to lv[d], its place
 * there in *idx.  Within one depth no node is below another, so adding
 * children before their parent still lists each depth in address order.
 */
static uint32_t resolve(struct resolve_ctx *rc, uint32_t n, int d,
                        uint32_t *idx)
{
	struct mmdbw *w = rc->w;
	struct level *lv = &rc->lv[d];
	uint32_t r[2], e[2], res, ci;
	int b;

	if (n < w->nstruct && rc->memo[n] != UNSET) {
		*idx = rc->memo_idx[n];
		return rc->memo[n];
	}
	for (b = 0; b < 2; b++) {
		uint32_t c = w->nodes[n].rec[b];

		r[b] = e[b] = c;
		if (IS_NODE(c)) {
			r[b] = resolve(rc, c, d + 1, &ci);
			if (c >= w->nstruct)
				w->nodes[n].rec[b] = r[b];
			e[b] = IS_NODE(r[b]) ? ci + 1 : r[b];
		}
	}
	res = r[0] == r[1] && !IS_NODE(r[0]) && n != 0 ? r[0] : n;
	if (res == n) {
		lv->rec = xgrow(lv->rec, &lv->cap, 2 * lv->n + 2, sizeof(uint32_t));
		lv->rec[2 * lv->n] = e[0];
		lv->rec[2 * lv->n + 1] = e[1];
		*idx = (uint32_t)lv->n++;
	}
	if (n < w->nstruct) {
		rc->memo[n] = res;
		rc->memo_idx[n] = *idx;
	}
	return res;
}

struct out {
	int fd;
	int err;             /* errno of the first failed write */
	size_t n;
	uint8_t buf[65536];
};

static void out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->n && !o->err) {
		ssize_t k = write(o->fd, o->buf + done, o->n - done);

		if (k < 0) {
			if (errno != EINTR)
				o->err = errno;
			continue;
		}
		done += (size_t)k;
	}
	o->n = 0;
}

static void out_put(struct out *o, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n > 0) {
		size_t k = sizeof o->buf - o->n;

		if (k > n)
			k = n;
		memcpy(o->buf + o->n, s, k);
		o->n += k;
		s += k;
		n -= k;
		if (o->n == sizeof o->buf)
			out_flush(o);
	}
}

static void put_node(struct out *o, int rs, uint32_t l, uint32_t r)
{
	uint8_t *b;

	/* written in place: a copy through out_put() per node cost more
	 * than the node */
	if (sizeof o->buf - o->n < 8)
		out_flush(o);
	b = o->buf + o->n;

	switch (rs) {
	case 24:
		b[0] = (uint8_t)(l >> 16);
		b[1] = (uint8_t)(l >> 8);
		b[2] = (uint8_t)l;
		b[3] = (uint8_t)(r >> 16);
		b[4] = (uint8_t)(r >> 8);
		b[5] = (uint8_t)r;
		o->n += 6;
		break;
	case 28:
		/* the top nibbles of both records share the middle byte */
		b[0] = (uint8_t)(l >> 16);
		b[1] = (uint8_t)(l >> 8);
		b[2] = (uint8_t)l;
		b[3] = (uint8_t)(((l >> 24) & 0x0f) << 4 | ((r >> 24) & 0x0f));
		b[4] = (uint8_t)(r >> 16);
		b[5] = (uint8_t)(r >> 8);
		b[6] = (uint8_t)r;
		o->n += 7;
		break;
	default:
		b[0] = (uint8_t)(l >> 24);
		b[1] = (uint8_t)(l >> 16);
		b[2] = (uint8_t)(l >> 8);
		b[3] = (uint8_t)l;
		b[4] = (uint8_t)(r >> 24);
		b[5] = (uint8_t)(r >> 16);
		b[6] = (uint8_t)(r >> 8);
		b[7] = (uint8_t)r;
		o->n += 8;
		break;
	}
}

/*
 * Everything write needs besides the tree itself.
 *
 * Nodes are numbered breadth first, except for a "lead": in an IPv6 tree
 * the nodes of the ::/96 path and the IPv4 root come first, numbered by
 * depth.  libmaxminddb walks that path on every MMDB_open() to find where
 * IPv4 starts; breadth first, each of its nodes lies at the start of its
 * depth, so the walk touched a page per depth (26-42 page faults per file
 * in our databases, at every start of every process).  Led, it reads one
 * page, and an IPv4 lookup starts in that page too.  The path node at
 * depth d is always the first of its depth in address order (index 0),
 * being the all-zero prefix.
 */
struct layout {
	uint32_t start[129]; /* output position of the first node of a depth,
	                      * not counting the lead */
	uint32_t lead;       /* depths 0 .. lead-1 have their index 0 led */
	uint32_t *doff;      /* handle -> data section offset, or UNSET */
	uint32_t count;
	struct dsec ds;
};

/* Output number of the node at depth d, index i of its depth's list. */
static uint32_t node_number(const struct layout *lay, int d, uint32_t i)
{
	uint32_t led = (uint32_t)d < lay->lead;

	if (led && i == 0)
		return (uint32_t)d;
	return lay->lead + lay->start[d] + i - led;
}

static void layout_free(struct layout *lay)
{
	free(lay->doff);
	dsec_free(&lay->ds);
}

/* Output value of list entry e of a node at depth d. */
static uint32_t record_value(const struct layout *lay, int d, uint32_t e)
{
	if (e == REC_EMPTY)
		return lay->count;
	if (e & REC_DATA)
		return lay->count + 16 + lay->doff[e & ~REC_DATA];
	return node_number(lay, d + 1, e - 1);
}

/* How many depths the lead spans: the ::/96 path and the IPv4 root, as
 * far as they are nodes after the merge. */
static uint32_t lead_depths(const struct mmdbw *w, const struct resolve_ctx *rc)
{
	uint32_t d = 0;

	if (w->ip_version != 6 || rc->lv[0].n == 0)
		return 0;
	/* The path's node at depth d is index 0 there; its left record is
	 * 1 when it leads on to index 0 of the next depth (the list entry of
	 * a child is 1 + its index), and empty or data where the path ends. */
	while (d < STRUCT_V4ROOT && rc->lv[d].rec[0] == 1)
		d++;
	return d + 1;   /* the node the path stops on is led too */
}

/*
 * Number the nodes breadth first from the root (so the root is 0), after
 * the lead (see struct layout), and lay out the data section in the order
 * records are met breadth first.
 */
static int plan(struct mmdbw *w, const struct resolve_ctx *rc,
                struct layout *lay)
{
	size_t i, k;
	int d;

	lay->doff = xmalloc((w->nvals ? w->nvals : 1) * sizeof(uint32_t));
	memset(lay->doff, 0xff, (w->nvals ? w->nvals : 1) * sizeof(uint32_t));
	lay->count = 0;
	for (d = 0; d < 128; d++) {
		const struct level *lv = &rc->lv[d];

		lay->start[d] = lay->count;
		lay->count += (uint32_t)lv->n;
		for (k = 0; k < 2 * lv->n; k++) {
			uint32_t e = lv->rec[k], h;

			if (!(e & REC_DATA))
				continue;
			h = e & ~REC_DATA;
			if (lay->doff[h] != UNSET)
				continue;
			if (lay->ds.len >= UINT32_MAX - 16)
				return MMDBW_ERR_TOO_BIG;
			lay->doff[h] = (uint32_t)lay->ds.len;
			i = w->voff[h];
			copy_value(&lay->ds, w->vals, &i);
		}
	}
	lay->start[128] = lay->count;
	lay->lead = lead_depths(w, rc);
	for (d = 0; d <= 128; d++)
		lay->start[d] -= (uint32_t)d < lay->lead ? (uint32_t)d : lay->lead;
	return MMDBW_OK;
}

static int choose_record_size(const struct mmdbw *w, const struct layout *lay)
{
	uint64_t max = lay->count;
	static const int sizes[] = { 24, 28, 32 };
	size_t i;

	if (lay->ds.len > 0)
		max = (uint64_t)lay->count + 16 + lay->ds.len - 1;
	for (i = 0; i < 3; i++) {
		if (w->record_size_req != 0 && sizes[i] != w->record_size_req)
			continue;
		if (max < (uint64_t)1 << sizes[i])
			return sizes[i];
	}
	return 0;
}

int mmdbw_write_fd(struct mmdbw *w, int fd)
{
	struct resolve_ctx *rc;
	struct layout lay;
	struct mmdbw_enc *meta;
	struct out *o;
	static const uint8_t zeros[16];
	const uint8_t *mp;
	size_t mlen, k;
	uint32_t idx;
	int status, d;

	rc = xcalloc(1, sizeof *rc);
	rc->w = w;
	memset(rc->memo, 0xff, sizeof rc->memo);
	resolve(rc, 0, 0, &idx);
	memset(&lay, 0, sizeof lay);
	if ((status = plan(w, rc, &lay)) != MMDBW_OK)
		goto done;
	if ((w->record_size = choose_record_size(w, &lay)) == 0) {
		status = MMDBW_ERR_TOO_BIG;
		goto done;
	}
	w->node_count = lay.count;

	meta = mmdbw_enc_new();
	encode_metadata(w, meta);
	mp = mmdbw_enc_data(meta, &mlen);
	if (mlen + METADATA_MARKER_LEN > METADATA_MAX) {
		mmdbw_enc_free(meta);
		status = MMDBW_ERR_TOO_BIG;
		goto done;
	}

	o = xmalloc(sizeof *o);
	o->fd = fd;
	o->err = 0;
	o->n = 0;
	for (d = 0; (uint32_t)d < lay.lead; d++)
		put_node(o, w->record_size, record_value(&lay, d, rc->lv[d].rec[0]),
		         record_value(&lay, d, rc->lv[d].rec[1]));
	for (d = 0; d < 128; d++) {
		const struct level *lv = &rc->lv[d];

		for (k = (uint32_t)d < lay.lead ? 2 : 0; k < 2 * lv->n; k += 2)
			put_node(o, w->record_size,
			         record_value(&lay, d, lv->rec[k]),
			         record_value(&lay, d, lv->rec[k + 1]));
	}
	out_put(o, zeros, sizeof zeros);
	if (lay.ds.len > 0)
		out_put(o, lay.ds.p, lay.ds.len);
	out_put(o, metadata_marker, METADATA_MARKER_LEN);
	out_put(o, mp, mlen);
	out_flush(o);
	status = MMDBW_OK;
	if (o->err) {
		errno = o->err;
		status = MMDBW_ERR_IO;
	}
	free(o);
	mmdbw_enc_free(meta);
done:
	for (d = 0; d < 128; d++)
		free(rc->lv[d].rec);
	free(rc);
	layout_free(&lay);
	return status;
}

int mmdbw_write_file(struct mmdbw *w, const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd, status, saved;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		saved = errno;
		free(tmp);
		errno = saved;
		return MMDBW_ERR_IO;
	}
	status = mmdbw_write_fd(w, fd);
	saved = errno;
	/* The data must be on disk before the name points at it. */
	if (status == MMDBW_OK && fsync(fd) != 0) {
		status = MMDBW_ERR_IO;
		saved = errno;
	}
	if (close(fd) != 0 && status == MMDBW_OK) {
		status = MMDBW_ERR_IO;
		saved = errno;
	}
	if (status == MMDBW_OK && rename(tmp, path) != 0) {
		status = MMDBW_ERR_IO;
		saved = errno;
	}
	if (status != MMDBW_OK)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return status;
}

uint32_t mmdbw_node_count(const struct mmdbw *w)
{
	return w->node_count;
}

int mmdbw_record_size(const struct mmdbw *w)
{
	return w->record_size;
}
