/*
 * bulk.c - many networks through every source: cursors that reuse each
 * database block, address-ordered work split over threads, and the
 * lookup record writers.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulk.h"
#include "country.h"
#include "jsonout.h"

/* ------------------------------------------------------------ threads */

unsigned bulk_threads(void)
{
	return ga_threads(BULK_MAX_THREADS);
}

/* A job of bulk_team_run(): the caller's, on its stack while it runs. */
struct team_job {
	void (*fn)(size_t lo, size_t hi, unsigned k, void *ctx);
	void *ctx;
	size_t count, piece;
	atomic_size_t next;             /* start of the next piece to take */
	unsigned active;                /* helpers inside it (under the lock) */
};

struct team_helper {
	struct bulk_team *t;
	unsigned k;
};

struct bulk_team {
	unsigned n;                     /* threads, the caller's included */
	pthread_t tid[BULK_MAX_THREADS];
	struct team_helper arg[BULK_MAX_THREADS];
	pthread_mutex_t lock;
	pthread_cond_t go, idle;
	struct team_job *job;           /* the job open to helpers, or NULL */
	unsigned long gen;              /* jobs posted so far */
	int quit;
};

static void team_work(struct team_job *j, unsigned k)
{
	size_t lo;

	while ((lo = atomic_fetch_add_explicit(&j->next, j->piece,
	                                       memory_order_relaxed)) < j->count)
		j->fn(lo, j->count - lo < j->piece ? j->count : lo + j->piece, k, j->ctx);
}

static void *team_main(void *p)
{
	struct team_helper *h = p;
	struct bulk_team *t = h->t;
	unsigned long seen = 0;
	struct team_job *j;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (!t->quit && (t->job == NULL || t->gen == seen))
			pthread_cond_wait(&t->go, &t->lock);
		if (t->quit)
			break;
		seen = t->gen;
		j = t->job;
		j->active++;
		pthread_mutex_unlock(&t->lock);
		team_work(j, h->k);
		pthread_mutex_lock(&t->lock);
		/* The caller keeps j until no helper is inside it. */
		if (--j->active == 0)
			pthread_cond_signal(&t->idle);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct bulk_team *bulk_team_new(unsigned n)
{
	struct bulk_team *t = xcalloc(1, sizeof(*t));
	unsigned k;

	if (n > BULK_MAX_THREADS)
		n = BULK_MAX_THREADS;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->go, NULL);
	pthread_cond_init(&t->idle, NULL);
	t->n = 1;
	for (k = 1; k < n; k++) {
		t->arg[k].t = t;
		t->arg[k].k = k;
		if (pthread_create(&t->tid[k], NULL, team_main, &t->arg[k]) != 0)
			break;
		t->n++;
	}
	return t;
}

unsigned bulk_team_size(const struct bulk_team *t)
{
	return t != NULL ? t->n : 1;
}

void bulk_team_run(struct bulk_team *t, size_t count, size_t piece,
                   void (*fn)(size_t lo, size_t hi, unsigned k, void *ctx),
                   void *ctx)
{
	bulk_team_run_own(t, count, piece, fn, NULL, ctx);
}

void bulk_team_run_own(struct bulk_team *t, size_t count, size_t piece,
                       void (*fn)(size_t lo, size_t hi, unsigned k, void *ctx),
                       void (*own)(void *ctx), void *ctx)
{
	struct team_job j;

	j.fn = fn;
	j.ctx = ctx;
	j.count = count;
	j.piece = piece > 0 ? piece : 1;
	atomic_init(&j.next, 0);
	j.active = 0;
	if (t == NULL || t->n <= 1 || count <= j.piece) {
		if (own != NULL)
			own(ctx);
		team_work(&j, 0);
		return;
	}
	pthread_mutex_lock(&t->lock);
	t->job = &j;
	t->gen++;
	pthread_cond_broadcast(&t->go);
	pthread_mutex_unlock(&t->lock);
	if (own != NULL)
		own(ctx);
	team_work(&j, 0);
	/* Wait only for pieces helpers have taken; a helper that wakes
	 * later finds the job gone. */
	pthread_mutex_lock(&t->lock);
	while (j.active > 0)
		pthread_cond_wait(&t->idle, &t->lock);
	t->job = NULL;
	pthread_mutex_unlock(&t->lock);
}

void bulk_team_free(struct bulk_team *t)
{
	unsigned k;

	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->quit = 1;
	pthread_cond_broadcast(&t->go);
	pthread_mutex_unlock(&t->lock);
	for (k = 1; k < t->n; k++)
		pthread_join(t->tid[k], NULL);
	pthread_cond_destroy(&t->idle);
	pthread_cond_destroy(&t->go);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* ------------------------------------------------------------ special-use */

/*
 * special_lookup_net() tries every registry entry, and nearly every
 * address in bulk input is in none.  Each family's entries as merged,
 * sorted ranges answer "in none" with a binary search; only a network
 * that touches some range is asked of special_lookup_net().
 */
struct u128k {
	uint64_t hi, lo;
};

struct krange {
	struct u128k lo, hi;
};

#define MAX_KRANGES 128
static struct krange kr4[MAX_KRANGES], kr6[MAX_KRANGES];
static size_t nkr4, nkr6;
static int kr_broken;                /* a prefix we could not read: no shortcut */
static pthread_once_t prepare_once = PTHREAD_ONCE_INIT;

static struct u128k key_of(const struct ga_addr *a)
{
	struct u128k k = { 0, 0 };
	int i;

	if (a->family == 4) {
		k.lo = (uint64_t)a->bytes[0] << 24 | (uint64_t)a->bytes[1] << 16 |
		    (uint64_t)a->bytes[2] << 8 | a->bytes[3];
		return k;
	}
	for (i = 0; i < 8; i++) {
		k.hi = k.hi << 8 | a->bytes[i];
		k.lo = k.lo << 8 | a->bytes[i + 8];
	}
	return k;
}

static int key_le(struct u128k a, struct u128k b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

static int krange_cmp(const void *a, const void *b)
{
	const struct krange *x = a, *y = b;

	if (x->lo.hi != y->lo.hi)
		return x->lo.hi < y->lo.hi ? -1 : 1;
	if (x->lo.lo != y->lo.lo)
		return x->lo.lo < y->lo.lo ? -1 : 1;
	return 0;
}

/* Sort and merge overlapping ranges in place; returns the new count. */
static size_t krange_merge(struct krange *r, size_t n)
{
	size_t i, m = 0;

	qsort(r, n, sizeof(*r), krange_cmp);
	for (i = 0; i < n; i++) {
		if (m > 0 && key_le(r[i].lo, r[m - 1].hi)) {
			if (!key_le(r[i].hi, r[m - 1].hi))
				r[m - 1].hi = r[i].hi;
		} else {
			r[m++] = r[i];
		}
	}
	return m;
}

static void prepare(void)
{
	const struct special_entry *se;
	struct ga_net net;
	struct ga_addr a;
	const char *why;
	size_t i;

	/* The registry compiles itself on first use: do it on this thread. */
	memset(&a, 0, sizeof(a));
	a.family = 4;
	(void)special_lookup(&a);
	for (i = 0; (se = special_entry_at(i)) != NULL; i++) {
		size_t len = strlen(se->prefix);
		struct krange *r;

		if (net_parse(se->prefix, len, ADDR_NO_RANGE, &net, &why) != 0 ||
		    nkr4 == MAX_KRANGES || nkr6 == MAX_KRANGES) {
			kr_broken = 1;
			return;
		}
		/* ::ffff:0:0/96 parses as IPv4; the entry is the IPv6 block. */
		if (net.lo.family == 4 && memchr(se->prefix, ':', len) != NULL) {
			addr_v4_to_mapped(&net.lo, &net.lo);
			addr_v4_to_mapped(&net.hi, &net.hi);
		}
		r = net.lo.family == 4 ? &kr4[nkr4++] : &kr6[nkr6++];
		r->lo = key_of(&net.lo);
		r->hi = key_of(&net.hi);
	}
	nkr4 = krange_merge(kr4, nkr4);
	nkr6 = krange_merge(kr6, nkr6);
}

void bulk_prepare(void)
{
	pthread_once(&prepare_once, prepare);
}

static const struct special_entry *special_fast(const struct ga_net *net,
                                                int *partial)
{
	const struct krange *r = net->lo.family == 4 ? kr4 : kr6;
	size_t lo = 0, hi = net->lo.family == 4 ? nkr4 : nkr6, mid;
	struct u128k a = key_of(&net->lo), b;

	if (kr_broken)
		return special_lookup_net(net, partial);
	/* The first range ending at or after the network's start. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_le(a, r[mid].hi))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < (net->lo.family == 4 ? nkr4 : nkr6)) {
		b = key_of(&net->hi);
		if (key_le(r[lo].lo, b))
			return special_lookup_net(net, partial);
	}
	*partial = 0;
	return NULL;
}

/* ------------------------------------------------------------ cursors */

void bulk_cursor_init(struct bulk_cursor *c, const struct source_set *set)
{
	size_t n = sources_count(set);

	memset(c, 0, sizeof(*c));
	c->nsrc = n < RESOLVE_MAX_SOURCES ? n : RESOLVE_MAX_SOURCES;
}

/* Does source i's last block (the cursor keeps it) hold a (key k)? */
static int last_holds(const struct bulk_cursor *c, size_t i, const struct ga_addr *a,
                      struct u128k k)
{
	struct u128k lo, hi;

	lo.hi = c->last[i].lo[0];
	lo.lo = c->last[i].lo[1];
	hi.hi = c->last[i].hi[0];
	hi.lo = c->last[i].hi[1];
	return c->last[i].family == a->family && key_le(lo, k) && key_le(k, hi);
}

/* Keep source i's block for a: found or not, the whole block answers
 * alike. */
static void last_keep(struct bulk_cursor *c, size_t i, const struct ga_addr *a,
                      const struct ga_net *block)
{
	struct u128k lo = key_of(&block->lo), hi = key_of(&block->hi);

	c->last[i].lo[0] = lo.hi;
	c->last[i].lo[1] = lo.lo;
	c->last[i].hi[0] = hi.hi;
	c->last[i].hi[1] = hi.lo;
	c->last[i].family = a->family;
	c->last[i].bits = block->prefix_len;
}

void bulk_lookup(struct bulk_cursor *c, struct source_set *set,
                 const struct ga_addr *a, const struct src_entry **e,
                 unsigned char *bits)
{
	struct u128k k = key_of(a);
	struct src_hit h[RESOLVE_MAX_SOURCES];
	unsigned char want[RESOLVE_MAX_SOURCES];
	int r[RESOLVE_MAX_SOURCES];
	size_t i, nwant = 0;

	for (i = 0; i < c->nsrc; i++) {
		want[i] = !last_holds(c, i, a, k);
		nwant += want[i];
		if (!want[i]) {
			e[i] = c->last[i].e;
			bits[i] = (unsigned char)c->last[i].bits;
		}
	}
	if (nwant == 0)
		return;
	/* Several trees to walk: in step, their waits overlapping. */
	if (c->walk == NULL || nwant == 1 ||
	    sources_lookup_walk_many(set, c->nsrc, want, a, h, c->walk, r) != 0)
		for (i = 0; i < c->nsrc; i++)
			if (want[i])
				r[i] = c->walk != NULL
				    ? source_lookup_walk(sources_at_mut(set, i), a, &h[i], &c->walk[i])
				    : source_lookup(sources_at_mut(set, i), a, &h[i]);
	for (i = 0; i < c->nsrc; i++) {
		if (!want[i])
			continue;
		if (r[i] < 0) {
			e[i] = NULL;
			bits[i] = BULK_FAILED;
			c->last[i].family = 0;
			continue;
		}
		e[i] = h[i].e;
		bits[i] = (unsigned char)h[i].block.prefix_len;
		last_keep(c, i, a, &h[i].block);
		c->last[i].e = h[i].e;
	}
}

void bulk_lookup_refs(struct bulk_cursor *c, struct source_set *set,
                      const struct ga_addr *a, src_ref *refs)
{
	struct u128k k = key_of(a);
	struct ga_net block;
	size_t i;

	for (i = 0; i < c->nsrc; i++) {
		if (last_holds(c, i, a, k)) {
			refs[i] = c->last[i].ref;
			continue;
		}
		if (source_lookup_ref(sources_at_mut(set, i), a, &refs[i], &block, &c->walk[i]) < 0) {
			refs[i] = 0;
			c->last[i].family = 0;
			continue;
		}
		last_keep(c, i, a, &block);
		c->last[i].ref = refs[i];
	}
}

void bulk_answer(const struct source_set *set, const struct ga_net *net,
                 const struct src_entry *const *e, const unsigned char *bits,
                 struct answer *ans)
{
	size_t i;
	const char *first_cc = NULL;

	answer_begin(ans, net, sources_count(set));
	ans->special_partial = 0;
	ans->special = special_fast(net, &ans->special_partial);
	for (i = 0; i < ans->nsrc; i++) {
		ans->hit[i].e = e[i];
		net_from_prefix(&net->lo, bits[i] == BULK_FAILED ? 0 : bits[i], &ans->hit[i].block);
		answer_take_hit(set, ans, i, &first_cc);
	}
}

/* ------------------------------------------------------------ order */

/* 64 bits that sort like the address: IPv4 first (top bit 0, the address
 * below it), then IPv6 by its first 63 bits. */
static uint64_t sort_key(const struct ga_addr *a)
{
	uint64_t k = 0;
	int i;

	if (a->family == 4)
		return ((uint64_t)a->bytes[0] << 24 | (uint64_t)a->bytes[1] << 16 |
		        (uint64_t)a->bytes[2] << 8 | a->bytes[3]) << 31;
	for (i = 0; i < 8; i++)
		k = k << 8 | a->bytes[i];
	return (uint64_t)1 << 63 | k >> 1;
}

/* Item i's word (see order_words()): its address's key above the index
 * bits, i in them.  The address is the first member of each item. */
static uint64_t word_of(const char *at, size_t stride, uint64_t idxmask, size_t i)
{
	return (sort_key((const struct ga_addr *)(const void *)(at + i * stride)) & ~idxmask) | i;
}

/* Sort v[0..m) by bytes lowbyte..6 (LSD radix, through tmp, which holds
 * m words); bytes every word shares are skipped. */
static void lsd_sort(uint64_t *v, uint64_t *tmp, size_t m, int lowbyte)
{
	uint64_t *src = v, *dst = tmp, *swap;
	size_t i, count[256], sum, c;
	int byte, b;

	for (byte = lowbyte; byte < 7; byte++) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < m; i++)
			count[(src[i] >> (byte * 8)) & 0xff]++;
		for (b = 0; b < 256; b++)
			if (count[b] == m)
				break;
		if (b < 256)
			continue;
		for (sum = 0, b = 0; b < 256; b++) {
			c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (i = 0; i < m; i++)
			dst[count[(src[i] >> (byte * 8)) & 0xff]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, m * sizeof(*v));
}

/* Buckets [lo, hi) of the words sorted by top byte, each sorted by the
 * lower bytes: through tmp (the largest bucket's size; one thread), or
 * each through its own stretch of space (as many words as v: bucket b's
 * at start[b]; any number of threads). */
struct bucket_job {
	uint64_t *v;
	const size_t *start;            /* 257 bucket starts */
	uint64_t *tmp, *space;
	int lowbyte;
};

static void bucket_piece(size_t lo, size_t hi, unsigned k, void *ctx)
{
	struct bucket_job *bj = ctx;
	size_t b;

	(void)k;
	for (b = lo; b < hi; b++)
		if (bj->start[b + 1] - bj->start[b] > 1)
			lsd_sort(bj->v + bj->start[b],
			         bj->space != NULL ? bj->space + bj->start[b] : bj->tmp,
			         bj->start[b + 1] - bj->start[b], bj->lowbyte);
}

/* Below this many words they are sorted on the caller's thread alone:
 * waking the team costs more. */
#define SORT_SHARE_MIN ((size_t)1 << 16)

/*
 * Sort words in place, on one thread.  The top byte is sorted by permuting
 * in place (American flag sort); each of its buckets, a small share of the
 * whole, is then sorted by the lower bytes through one buffer of the
 * largest bucket's size.
 */
static void sort_words(uint64_t *v, size_t m, int lowbyte)
{
	size_t start[257], next[256], count[256], i, big = 0;
	struct bucket_job bj;
	int b;

	memset(count, 0, sizeof(count));
	for (i = 0; i < m; i++)
		count[v[i] >> 56]++;
	start[0] = 0;
	for (b = 0; b < 256; b++) {
		start[b + 1] = start[b] + count[b];
		next[b] = start[b];
		if (count[b] > big)
			big = count[b];
	}
	for (b = 0; b < 256; b++) {
		while (next[b] < start[b + 1]) {
			uint64_t w = v[next[b]];
			unsigned to = (unsigned)(w >> 56);

			/* Move w to its bucket until one belongs here. */
			while (to != (unsigned)b) {
				uint64_t t = v[next[to]];

				v[next[to]++] = w;
				w = t;
				to = (unsigned)(w >> 56);
			}
			v[next[b]++] = w;
		}
	}
	if (lowbyte > 6 || big < 2)
		return;
	bj.v = v;
	bj.start = start;
	bj.tmp = xmalloc(big * sizeof(*bj.tmp));
	bj.space = NULL;
	bj.lowbyte = lowbyte;
	bucket_piece(0, 256, 0, &bj);
	free(bj.tmp);
}

/*
 * order_words() on a team: each thread makes the words of its share of the
 * items, in a second array, counting them by top byte; then each moves
 * its words to their buckets in the first (their places worked out from
 * every share's counts); then the buckets are sorted, each through its
 * own stretch of the second array.  Twice the words' memory instead of
 * sort_words()'s in-place pass, but no step on one thread; and a block of
 * `lookup -` is at most about a million lines, a chunk of check's 2^18.
 */
struct words_job {
	const char *at;
	size_t stride;
	const unsigned char *skip;
	uint64_t idxmask;
	uint64_t *v, *tmp;
	size_t lo[BULK_MAX_THREADS + 1];        /* share t is [lo[t], lo[t + 1]) */
	size_t got[BULK_MAX_THREADS];           /* its words, at tmp + lo[t] */
	size_t count[BULK_MAX_THREADS][256];    /* then where each top byte goes */
};

static void words_piece(size_t lo, size_t hi, unsigned k, void *ctx)
{
	struct words_job *wj = ctx;
	size_t t, i, m;

	(void)k;
	for (t = lo; t < hi; t++) {
		uint64_t *out = wj->tmp + wj->lo[t];
		size_t *count = wj->count[t];

		memset(count, 0, sizeof(wj->count[t]));
		for (i = wj->lo[t], m = 0; i < wj->lo[t + 1]; i++) {
			uint64_t w;

			if (wj->skip != NULL && wj->skip[i])
				continue;
			w = word_of(wj->at, wj->stride, wj->idxmask, i);
			out[m++] = w;
			count[w >> 56]++;
		}
		wj->got[t] = m;
	}
}

static void scatter_piece(size_t lo, size_t hi, unsigned k, void *ctx)
{
	struct words_job *wj = ctx;
	size_t t, i;

	(void)k;
	for (t = lo; t < hi; t++) {
		const uint64_t *in = wj->tmp + wj->lo[t];
		size_t *next = wj->count[t];

		for (i = 0; i < wj->got[t]; i++)
			wj->v[next[in[i] >> 56]++] = in[i];
	}
}

static size_t order_words_team(struct bulk_team *team, const void *base, size_t stride,
                               const unsigned char *skip, size_t n, uint64_t *v,
                               uint64_t idxmask, int lowbyte)
{
	struct words_job *wj = xcalloc(1, sizeof(*wj));
	struct bucket_job bj;
	size_t start[257], t, m = 0, big = 0, sum;
	unsigned parts = bulk_team_size(team);
	int b;

	wj->at = base;
	wj->stride = stride;
	wj->skip = skip;
	wj->idxmask = idxmask;
	wj->v = v;
	wj->tmp = xmalloc(n * sizeof(*wj->tmp));
	for (t = 0; t <= parts; t++)
		wj->lo[t] = n / parts * t + (t == parts ? n % parts : 0);
	bulk_team_run(team, parts, 1, words_piece, wj);
	/* Bucket b starts after every smaller byte's words; within it, share
	 * t's words after those of the shares before. */
	for (b = 0, sum = 0; b < 256; b++) {
		size_t in_b = 0;

		start[b] = sum;
		for (t = 0; t < parts; t++) {
			size_t c = wj->count[t][b];

			wj->count[t][b] = sum + in_b;
			in_b += c;
		}
		sum += in_b;
		if (in_b > big)
			big = in_b;
	}
	start[256] = m = sum;
	bulk_team_run(team, parts, 1, scatter_piece, wj);
	if (lowbyte <= 6 && big >= 2) {
		memset(&bj, 0, sizeof(bj));
		bj.v = v;
		bj.start = start;
		bj.space = wj->tmp;
		bj.lowbyte = lowbyte;
		bulk_team_run(team, 256, 1, bucket_piece, &bj);
	}
	free(wj->tmp);
	free(wj);
	return m;
}

/* The words to sort: key bits above the index bits, the index below, so
 * sorting words sorts by key.  Returns the count and the index mask. */
static size_t order_words(struct bulk_team *team, const void *base, size_t stride,
                          const unsigned char *skip, size_t n, uint64_t **out,
                          uint64_t *idxmask)
{
	const char *at = base;
	uint64_t *v;
	size_t i, m = 0;
	int idxbits = 1;

	while (idxbits < 63 && ((size_t)1 << idxbits) < n)
		idxbits++;
	*idxmask = ((uint64_t)1 << idxbits) - 1;
	v = xmalloc((n ? n : 1) * sizeof(*v));
	if (n >= SORT_SHARE_MIN && bulk_team_size(team) > 1) {
		*out = v;
		return order_words_team(team, base, stride, skip, n, v, *idxmask, idxbits / 8);
	}
	for (i = 0; i < n; i++)
		if (skip == NULL || !skip[i])
			v[m++] = word_of(at, stride, *idxmask, i);
	/* The lowest byte holding key bits is the first to sort by. */
	sort_words(v, m, idxbits / 8);
	*out = v;
	return m;
}

size_t bulk_order(struct bulk_team *team, const void *base, size_t stride,
                  const unsigned char *skip, size_t n, uint32_t *order)
{
	uint64_t *v, idxmask;
	size_t i, m = order_words(team, base, stride, skip, n, &v, &idxmask);

	for (i = 0; i < m; i++)
		order[i] = (uint32_t)(v[i] & idxmask);
	free(v);
	return m;
}

/* ------------------------------------------------------------ batches */

/* Below this many networks per thread, waking helpers costs more than
 * they save. */
#define BULK_MIN_PER_THREAD 2048
/* Answers made per round before the caller reads them (two sets of
 * them, each answer ANSWER_SIZE() bytes). */
#define BATCH_ROUND 2048
/* Networks per piece of a round: small enough that the threads finish
 * close together, large enough that a cursor keeps meeting its blocks. */
#define BATCH_PIECE 256

/*
 * resolve_batch() calls back on the caller's thread only, so the callers'
 * state needs no locks.  With a team, rounds overlap: while the helpers
 * take pieces of one round, filling one set of answers, the caller reads
 * the other set, and then takes what pieces are left.
 */
struct batch {
	struct source_set *set;
	const struct ga_net *nets;
	const uint64_t *words;              /* sorted, see order_words() */
	uint64_t idxmask;
	int fill;                           /* set the pieces fill */
	/* Per set: the round's start in the order and its networks. */
	size_t first[2], got[2];
	/* BATCH_ROUND per set, each cut to the sources there are (a whole
	 * struct answer is 1 KiB, and two sets of fresh pages were a quarter
	 * of a small check's page faults): see answer_at(). */
	unsigned char *ans[2];
	size_t stride;
	uint32_t *idx[2];
	struct bulk_cursor cur[BULK_MAX_THREADS];   /* per team thread */
	/* The second set (resolve_batch_also), or NULL: its cursors and
	 * BULK_ALSO_MAX entries per answer. */
	struct source_set *also;
	size_t nalso;
	struct bulk_cursor acur[BULK_MAX_THREADS];
	src_ref *ae[2];
	unsigned char *scratch[2];          /* BULK_ALSO_SCRATCH per answer */
	void (*prep)(const src_ref *refs, void *scratch, const src_ref *last_refs,
	             const void *last_scratch, const void *ctx);
	void *ctx;                          /* the caller's */
	void (*ahead)(size_t i, int stage, const struct answer *ans, void *ctx);  /* see resolve_batch_ahead */
	/* The caller's function: fn, or fn_also with the second set. */
	void (*fn)(size_t i, const struct answer *ans, void *ctx);
	void (*fn_also)(size_t i, const struct answer *ans,
	                const src_ref *refs, const void *scratch, void *ctx);
};

/* Answer j of a set. */
static struct answer *answer_at(const struct batch *b, int set, size_t j)
{
	return (struct answer *)(void *)(b->ans[set] + j * b->stride);
}

/* A network's answer is made this many networks after its lookup: the
 * entries the lookup found (their pointers come from the record cache;
 * the entries themselves are cold) arrive while the next ones are walked. */
#define BATCH_PIPE 4

/* Networks [lo, hi) of the round filling b->fill, on team thread k. */
static void batch_piece(size_t lo, size_t hi, unsigned k, void *ctx)
{
	struct batch *b = ctx;
	const struct src_entry *pe[BATCH_PIPE][RESOLVE_MAX_SOURCES];
	unsigned char pbits[BATCH_PIPE][RESOLVE_MAX_SOURCES];
	/* On this thread's stack: the threads' cursors share cache lines. */
	struct bulk_cursor cur = b->cur[k], acur = b->acur[k];
	int fill = b->fill;
	const uint64_t *words = b->words + b->first[fill];
	uint32_t *idx = b->idx[fill];
	src_ref last_refs[BULK_ALSO_MAX];
	unsigned char last_scr[BULK_ALSO_SCRATCH];
	int have_last = 0;
	size_t j, s;

	for (j = lo; j < hi; j++) {
		const struct src_entry **e = pe[(j - lo) % BATCH_PIPE];
		unsigned char *bits = pbits[(j - lo) % BATCH_PIPE];
		uint32_t i;

		/* The network whose lookup left this slot gets its answer. */
		if (j - lo >= BATCH_PIPE)
			bulk_answer(b->set, &b->nets[idx[j - BATCH_PIPE]], e, bits,
			            answer_at(b, fill, j - BATCH_PIPE));
		if (j + BULK_AHEAD < hi)
			BULK_PREFETCH(&b->nets[words[j + BULK_AHEAD] & b->idxmask]);
		i = (uint32_t)(words[j] & b->idxmask);
		bulk_lookup(&cur, b->set, &b->nets[i].lo, e, bits);
		for (s = 0; s < cur.nsrc; s++)
			src_entry_prefetch(e[s]);
		/* A failed lookup leaves NULL, as no record does. */
		if (b->also != NULL) {
			src_ref *refs = b->ae[fill] + j * BULK_ALSO_MAX;
			unsigned char *scr = b->scratch[fill] + j * BULK_ALSO_SCRATCH;

			bulk_lookup_refs(&acur, b->also, &b->nets[i].lo, refs);
			/* Neighbours in address order often share every record:
			 * prep depends on the refs alone, so its result is kept;
			 * when they share some, prep may take those parts from
			 * the last result. */
			if (b->prep != NULL) {
				if (have_last && memcmp(refs, last_refs, b->nalso * sizeof(*refs)) == 0) {
					memcpy(scr, last_scr, BULK_ALSO_SCRATCH);
				} else {
					b->prep(refs, scr, have_last ? last_refs : NULL,
					        have_last ? last_scr : NULL, b->ctx);
					memcpy(last_refs, refs, b->nalso * sizeof(*refs));
					memcpy(last_scr, scr, BULK_ALSO_SCRATCH);
					have_last = 1;
				}
			}
		}
		idx[j] = i;
	}
	for (j = hi - lo > BATCH_PIPE ? hi - BATCH_PIPE : lo; j < hi; j++)
		bulk_answer(b->set, &b->nets[idx[j]], pe[(j - lo) % BATCH_PIPE],
		            pbits[(j - lo) % BATCH_PIPE], answer_at(b, fill, j));
	b->cur[k] = cur;
	b->acur[k] = acur;
}

/* How far ahead of the answer being handed on the caller's hint goes. */
#define AHEAD_FAR 16
#define AHEAD_NEAR 6

/* Hand the answers of the set the pieces are not filling to the caller's
 * function (bulk_team_run_own(): the caller's own part). */
static void batch_deliver(void *ctx)
{
	struct batch *b = ctx;
	int bs = b->fill ^ 1;
	size_t j, k, got = b->got[bs];
	const uint32_t *idx = b->idx[bs];

	for (j = 0; j < got; j++) {
		if (j + AHEAD_NEAR < got) {
			const struct answer *na = answer_at(b, bs, j + AHEAD_NEAR);

			for (k = 0; k < na->nsrc; k++)
				src_entry_prefetch(na->hit[k].e);
		}
		if (b->ahead != NULL) {
			if (j + AHEAD_FAR < got)
				b->ahead(idx[j + AHEAD_FAR], 0, answer_at(b, bs, j + AHEAD_FAR), b->ctx);
			if (j + AHEAD_NEAR < got)
				b->ahead(idx[j + AHEAD_NEAR], 1, answer_at(b, bs, j + AHEAD_NEAR), b->ctx);
		}
		if (b->fn_also != NULL)
			b->fn_also(idx[j], answer_at(b, bs, j),
			           b->ae[bs] + j * BULK_ALSO_MAX,
			           b->scratch[bs] + j * BULK_ALSO_SCRATCH, b->ctx);
		else
			b->fn(idx[j], answer_at(b, bs, j), b->ctx);
	}
	b->got[bs] = 0;
}

void resolve_batch(struct source_set *set, const struct ga_net *nets,
                   size_t n,
                   void (*fn)(size_t i, const struct answer *ans, void *ctx),
                   void *ctx)
{
	resolve_batch_ahead(NULL, set, nets, n, fn, NULL, ctx);
}

/* The walk of resolve_batch_ahead() and resolve_batch_also(): b->fn or
 * b->fn_also, b->ahead, b->also and b->ctx are set; team as they got it. */
static void batch_run(struct batch *b, struct bulk_team *team, struct source_set *set,
                      const struct ga_net *nets, size_t n)
{
	struct bulk_team *own = NULL;
	uint64_t *words;
	unsigned k, nthreads;
	size_t pos;
	int bs;

	if (n == 0)
		return;
	bulk_prepare();
	/* A few networks are the caller's alone. */
	if (n / BULK_MIN_PER_THREAD < 2)
		team = NULL;
	else if (team == NULL && bulk_threads() > 1)
		team = own = bulk_team_new(bulk_threads());
	order_words(team, &nets[0].lo, sizeof(nets[0]), NULL, n, &words, &b->idxmask);
	b->stride = ANSWER_SIZE(sources_count(set) < RESOLVE_MAX_SOURCES
	                        ? sources_count(set) : RESOLVE_MAX_SOURCES);
	b->set = set;
	b->nets = nets;
	b->words = words;
	if (b->also != NULL) {
		b->nalso = sources_count(b->also);
		if (b->nalso > BULK_ALSO_MAX)
			b->nalso = BULK_ALSO_MAX;
	}
	nthreads = bulk_team_size(team);
	for (k = 0; k < nthreads; k++) {
		bulk_cursor_init(&b->cur[k], set);
		b->cur[k].walk = xcalloc(b->cur[k].nsrc ? b->cur[k].nsrc : 1, sizeof(*b->cur[k].walk));
		if (b->also != NULL) {
			bulk_cursor_init(&b->acur[k], b->also);
			b->acur[k].nsrc = b->nalso;
			/* In address order, each tree walk resumes from the last. */
			b->acur[k].walk = xcalloc(b->nalso ? b->nalso : 1, sizeof(*b->acur[k].walk));
		}
	}
	for (bs = 0; bs < 2; bs++) {
		/* A whole struct answer past the last: whatever reads one
		 * stays inside the block. */
		b->ans[bs] = xmalloc(BATCH_ROUND * b->stride + sizeof(struct answer));
		b->idx[bs] = xmalloc(BATCH_ROUND * sizeof(*b->idx[bs]));
		b->ae[bs] = b->also == NULL ? NULL
		    : xcalloc(BATCH_ROUND * BULK_ALSO_MAX, sizeof(*b->ae[bs]));
		b->scratch[bs] = b->also == NULL ? NULL
		    : xcalloc(BATCH_ROUND, BULK_ALSO_SCRATCH);
	}
	/* Each round fills one set while the caller reads the last. */
	b->fill = 1;
	for (pos = 0; pos < n; pos += b->got[b->fill]) {
		b->fill ^= 1;
		b->first[b->fill] = pos;
		b->got[b->fill] = n - pos < BATCH_ROUND ? n - pos : BATCH_ROUND;
		bulk_team_run_own(team, b->got[b->fill], BATCH_PIECE, batch_piece,
		                  batch_deliver, b);
	}
	b->fill ^= 1;
	batch_deliver(b);
	bulk_team_free(own);
	for (bs = 0; bs < 2; bs++) {
		free(b->ans[bs]);
		free(b->idx[bs]);
		free(b->ae[bs]);
		free(b->scratch[bs]);
	}
	for (k = 0; k < nthreads; k++) {
		free(b->cur[k].walk);
		free(b->acur[k].walk);
	}
	free(words);
}

void resolve_batch_ahead(struct bulk_team *team, struct source_set *set,
                         const struct ga_net *nets, size_t n,
                         void (*fn)(size_t i, const struct answer *ans, void *ctx),
                         void (*ahead)(size_t i, int stage, const struct answer *ans, void *ctx),
                         void *ctx)
{
	struct batch b;

	memset(&b, 0, sizeof(b));
	b.fn = fn;
	b.ahead = ahead;
	b.ctx = ctx;
	batch_run(&b, team, set, nets, n);
}

void resolve_batch_also(struct bulk_team *team, struct source_set *set,
                        struct source_set *also, const struct ga_net *nets, size_t n,
                        void (*prep)(const src_ref *refs, void *scratch,
                                     const src_ref *last_refs, const void *last_scratch,
                                     const void *ctx),
                        void (*fn)(size_t i, const struct answer *ans,
                                   const src_ref *refs, const void *scratch, void *ctx),
                        void (*ahead)(size_t i, int stage, const struct answer *ans, void *ctx),
                        void *ctx)
{
	struct batch b;

	memset(&b, 0, sizeof(b));
	b.fn_also = fn;
	b.prep = prep;
	b.ctx = ctx;
	b.ahead = ahead;
	b.also = also;
	batch_run(&b, team, set, nets, n);
}

/* ------------------------------------------------------------ writers */

/* Make room for n more bytes; returns where they go. */
static char *reserve(struct buf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap - b->len < n)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	return b->data + b->len;
}

static void put(struct buf *b, const char *s, size_t n)
{
	memcpy(reserve(b, n), s, n);
	b->len += n;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putc_(struct buf *b, char c)
{
	*reserve(b, 1) = c;
	b->len++;
}

/* The writers below that take a cursor write at o, which the caller has
 * made room for, and return the new end: a row reserves its upper bound
 * once instead of testing for room at every field. */

static char *put_u64_at(char *o, uint64_t v)
{
	char t[24];
	size_t i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	/* A few digits: cheaper copied here than by a call. */
	while (i < sizeof(t))
		*o++ = t[i++];
	return o;
}

static void put_u64(struct buf *b, uint64_t v)
{
	b->len = (size_t)(put_u64_at(reserve(b, 20), v) - b->data);
}

/* Each byte's decimal text and a dot, padded to four bytes, with its
 * length: an IPv4 address is four fixed-size copies, each advancing by
 * its length (the padding is written over next, or is past the end).
 * Filled by bulk_writer_new(), which every writer that prints addresses
 * is made by. */
static struct octet {
	char s[4];
	unsigned char n;
} octets[256];
static pthread_once_t octets_once = PTHREAD_ONCE_INIT;

static void octets_init(void)
{
	unsigned v;

	/* by hand: 256 snprintf() calls were 5% of a one-address lookup */
	for (v = 0; v < 256; v++) {
		char *t = octets[v].s;
		unsigned char n = 0;

		memset(t, 0, sizeof(octets[v].s));
		if (v >= 100)
			t[n++] = (char)('0' + v / 100);
		if (v >= 10)
			t[n++] = (char)('0' + v / 10 % 10);
		t[n++] = (char)('0' + v % 10);
		t[n++] = '.';
		octets[v].n = n;
	}
}

/* A number below 256, from the same table. */
static char *put_u8_at(char *o, unsigned v)
{
	memcpy(o, octets[v].s, 4);
	return o + octets[v].n - 1;
}

/* addr_format()'s text; IPv4, the common case, written here directly.
 * o needs room for ADDR_TEXT_MAX - 1 bytes. */
static char *put_addr_at(char *o, const struct ga_addr *a)
{
	int i;

	if (a->family != 4)
		return addr_put(o, a);
	for (i = 0; i < 4; i++) {
		memcpy(o, octets[a->bytes[i]].s, 4);
		o += octets[a->bytes[i]].n;
	}
	return o - 1;   /* the last dot */
}

/* net_format()'s text (at most NET_TEXT_MAX - 1 bytes). */
static char *put_net_at(char *o, const struct ga_net *n)
{
	o = put_addr_at(o, &n->lo);
	if (n->kind == NET_ADDR)
		return o;
	if (n->prefix_len >= 0) {
		*o++ = '/';
		return put_u8_at(o, (unsigned)n->prefix_len);
	}
	*o++ = '-';
	return put_addr_at(o, &n->hi);
}

static void put_addr(struct buf *b, const struct ga_addr *a)
{
	b->len = (size_t)(put_addr_at(reserve(b, ADDR_TEXT_MAX), a) - b->data);
}

static void put_net(struct buf *b, const struct ga_net *n)
{
	b->len = (size_t)(put_net_at(reserve(b, NET_TEXT_MAX), n) - b->data);
}

/* The input as the record shows it: up to a NUL byte, like a C string. */
static size_t input_len(const char *input, size_t len)
{
	const char *z = memchr(input, '\0', len);

	return z ? (size_t)(z - input) : len;
}

/* Country codes that index the prepared JSON: two capital letters. */
#define CC_SLOTS (26 * 26)

#define NCONF (CONF_HIGH + 1)
#define NAME_PAD 16

/* A fixed name every record may write, with its length: padded, so that
 * it is copied in one fixed-size move (the padding is written over next,
 * or is past the end). */
struct name {
	char s[NAME_PAD];
	size_t n;
};

struct bulk_writer {
	const struct source_set *set;
	size_t nsrc;
	size_t ncountry;                         /* country columns */
	unsigned char is_country[RESOLVE_MAX_SOURCES];
	struct buf head[RESOLVE_MAX_SOURCES];    /* {"source":..,"label":.. */
	struct buf cc[CC_SLOTS];                 /* ,"country":..,"country_name":.. */
	int warm;
	/* net_type_name(), type_tier_name(), confidence_name() of each value */
	struct name type[NT_COUNT], tier[TIER_COUNT], conf[NCONF];
};

/* Names out of range are the first, as the name functions give them. */
static const struct name *name_at(const struct name *tab, size_t count,
                                  unsigned v)
{
	return &tab[v < count ? v : 0];
}

/* Writes NAME_PAD bytes. */
static char *put_name(char *o, const struct name *nm)
{
	memcpy(o, nm->s, NAME_PAD);
	return o + nm->n;
}

/* Fill tab[0..count) with name(v) for each v. */
static void names_init(struct name *tab, size_t count,
                       const char *(*name)(unsigned))
{
	size_t v;

	for (v = 0; v < count; v++) {
		const char *s = name((unsigned)v);

		tab[v].n = strlen(s);
		/* The names are short words from classify.c. */
		if (tab[v].n >= NAME_PAD)
			abort();
		memset(tab[v].s, 0, NAME_PAD);
		memcpy(tab[v].s, s, tab[v].n);
	}
}

/* The name functions, for names_init(). */
static const char *type_name_of(unsigned v) { return net_type_name((enum net_type)v); }
static const char *tier_name_of(unsigned v) { return type_tier_name((enum type_tier)v); }
static const char *conf_name_of(unsigned v) { return confidence_name((enum confidence)v); }

static int cc_slot(const char *cc)
{
	if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2])
		return -1;
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static void json_str(struct buf *b, const char *s);

static void country_json(struct buf *b, const char *cc)
{
	put(b, ",\"country\":", 11);
	json_str(b, cc);
	put(b, ",\"country_name\":", 16);
	json_str(b, country_name(cc));
}

struct bulk_writer *bulk_writer_new(const struct source_set *set)
{
	struct bulk_writer *w = xcalloc(1, sizeof(*w));
	size_t i, n = sources_count(set);

	pthread_once(&octets_once, octets_init);
	w->set = set;
	w->nsrc = n < RESOLVE_MAX_SOURCES ? n : RESOLVE_MAX_SOURCES;
	names_init(w->type, NT_COUNT, type_name_of);
	names_init(w->tier, TIER_COUNT, tier_name_of);
	names_init(w->conf, NCONF, conf_name_of);
	/* CSV has a column per country source, whatever their number. */
	for (i = 0; i < n; i++)
		if (source_caps(sources_at(set, i)) & SRC_HAS_COUNTRY)
			w->ncountry++;
	for (i = 0; i < w->nsrc; i++) {
		const struct source *s = sources_at(set, i);
		struct source_info si;

		if (!(source_caps(s) & SRC_HAS_COUNTRY))
			continue;
		w->is_country[i] = 1;
		source_info(s, &si);
		buf_init(&w->head[i]);
		put(&w->head[i], "{\"source\":", 10);
		json_str(&w->head[i], si.name);
		put(&w->head[i], ",\"label\":", 9);
		bulk_json_string(&w->head[i], &si.label, 1);
	}
	return w;
}

void bulk_writer_warm(struct bulk_writer *w)
{
	char cc[3];
	int k;

	if (w->warm)
		return;
	for (k = 0; k < CC_SLOTS; k++) {
		cc[0] = (char)('A' + k / 26);
		cc[1] = (char)('A' + k % 26);
		cc[2] = '\0';
		buf_init(&w->cc[k]);
		country_json(&w->cc[k], cc);
	}
	w->warm = 1;
}

void bulk_writer_free(struct bulk_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < RESOLVE_MAX_SOURCES; i++)
		buf_free(&w->head[i]);
	for (i = 0; i < CC_SLOTS; i++)
		buf_free(&w->cc[i]);
	free(w);
}

void bulk_csv_answer(struct buf *b, const struct bulk_writer *w,
                     const struct answer *a, const char *input, size_t len)
{
	bulk_csv_answer_more(b, w, a, input, len, NULL, 0);
}

/* Bytes of a CSV row beyond its variable fields: two networks, the ASN,
 * the IP version, the three names, separators, the sources_agree word
 * and the newline. */
#define CSV_ROW_FIXED (2 * NET_TEXT_MAX + 20 + 4 + 3 * NAME_PAD + 32)

void bulk_csv_answer_more(struct buf *b, const struct bulk_writer *w,
                          const struct answer *a, const char *input, size_t len,
                          const char *more, size_t morelen)
{
	const char *org = a->asn_src >= 0 ? answer_org(a) : NULL;
	const char *cls = NULL, *region = NULL;
	size_t i, orglen = 0, clslen = 0, rfclen = 0, basislen = 0, regionlen = 0;
	int f = answer_feed(a);
	char *o;

	/* Every variable length first, for the row's bound: quoted fields
	 * may double. */
	len = input_len(input, len);
	if (org != NULL)
		orglen = strlen(org);
	if (a->special != NULL) {
		cls = special_class_name(a->special->cls);
		clslen = strlen(cls);
		rfclen = strlen(a->special->rfc);
	}
	if (a->typed)
		basislen = strlen(a->type.basis);
	if (f >= 0 && a->hit[f].e->region != NULL) {
		region = a->hit[f].e->region;
		regionlen = strlen(region);
	}
	o = reserve(b, CSV_ROW_FIXED + 3 * a->nsrc + morelen +
	               clslen + rfclen + 2 * (len + orglen + basislen + regionlen) + 8);

	o = csv_put(o, input, len);
	*o++ = ',';
	o = put_net_at(o, &a->net);
	*o++ = ',';
	o = put_u8_at(o, a->net.lo.family);
	*o++ = ',';
	if (cls != NULL) {
		memcpy(o, cls, clslen);
		o += clslen;
		*o++ = ',';
		memcpy(o, a->special->rfc, rfclen);
		o += rfclen;
	} else {
		*o++ = ',';
	}
	*o++ = ',';
	if (a->asn_src >= 0) {
		o = put_net_at(o, &a->hit[a->asn_src].block);
		*o++ = ',';
		o = put_u64_at(o, answer_asn(a));
		*o++ = ',';
		if (org != NULL)
			o = csv_put(o, org, orglen);
	} else {
		*o++ = ',';
		*o++ = ',';
	}
	for (i = 0; i < a->nsrc; i++)
		if (w->is_country[i]) {
			const struct src_entry *e = a->hit[i].e;

			*o++ = ',';
			if (e != NULL && e->country[0] != '\0') {
				*o++ = e->country[0];
				if (e->country[1] != '\0')
					*o++ = e->country[1];
			}
		}
	if (a->disagree) {
		memcpy(o, ",no,", 4);
		o += 4;
	} else {
		memcpy(o, ",yes,", 5);
		o += 5;
	}
	/* The type, then on what it rests: the same columns as check's CSV. */
	if (a->typed) {
		o = put_name(o, name_at(w->type, NT_COUNT, a->type.type));
		*o++ = ',';
		o = csv_put(o, a->type.basis, basislen);
		*o++ = ',';
		o = put_name(o, name_at(w->conf, NCONF, a->type.conf));
		*o++ = ',';
		o = put_name(o, name_at(w->tier, TIER_COUNT, a->type.tier));
	} else {
		memcpy(o, ",,,", 3);
		o += 3;
	}
	*o++ = ',';
	if (region != NULL)
		o = csv_put(o, region, regionlen);
	if (morelen > 0) {
		memcpy(o, more, morelen);
		o += morelen;
	}
	*o++ = ',';
	*o++ = '\n';
	b->len = (size_t)(o - b->data);
}

void bulk_csv_error(struct buf *b, const struct bulk_writer *w,
                    const char *input, size_t len, const char *why)
{
	bulk_csv_error_more(b, w, input, len, why, 0);
}

void bulk_csv_error_more(struct buf *b, const struct bulk_writer *w,
                         const char *input, size_t len, const char *why,
                         size_t nmore)
{
	size_t i;

	buf_csv_field(b, input, input_len(input, len));
	put(b, ",,,,,,,,", 8);      /* address .. org, up to the first country */
	for (i = 0; i < w->ncountry; i++)
		putc_(b, ',');
	/* sources_agree, network_type, type_basis, type_confidence, type_tier,
	 * provider_region */
	put(b, ",,,,,,", 6);
	for (i = 0; i < nmore; i++)
		putc_(b, ',');
	buf_csv_field(b, why, strlen(why));
	putc_(b, '\n');
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0 for an
 * invalid one or NUL: the rule jv_strn() applies. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return p[0] != 0;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void bulk_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	/* Worst case: every byte a \u00XX escape. */
	char *o = reserve(b, 6 * n + 2), *start = o;
	size_t i = 0, k;

	*o++ = '"';
	while (i < n) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*o++ = (char)c;
			i++;
			continue;
		}
		k = utf8_len(p + i, n - i);
		if (k == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (c >= 0x80) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		/* The escapes jansson writes. */
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
			break;
		}
		i++;
	}
	*o++ = '"';
	b->len += (size_t)(o - start);
}

static void json_str(struct buf *b, const char *s)
{
	if (s == NULL)
		put(b, "null", 4);
	else
		bulk_json_string(b, s, strlen(s));
}

static void json_bool(struct buf *b, int v)
{
	if (v)
		put(b, "true", 4);
	else
		put(b, "false", 5);
}

/* Real numbers: jansson's own formatting, not worth redoing for the
 * City databases that carry them. */
static int needs_jansson(const struct answer *a)
{
	size_t i;

	for (i = 0; i < a->nsrc; i++)
		if (a->hit[i].e != NULL && a->hit[i].e->has_location)
			return 1;
	return 0;
}

static void ndjson_by_jansson(struct buf *b, const struct source_set *set,
                              const struct answer *a, const char *input)
{
	struct jv *o = answer_to_json(set, a, input);
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL) {
		msg_error("memory", "out of memory");
		exit(70);
	}
	jv_dump(o, fp, 0);
	fclose(fp);
	put(b, text, len);
	free(text);
	jv_free(o);
}

void bulk_ndjson_answer(struct buf *b, const struct bulk_writer *w,
                        const struct answer *a, const char *input,
                        size_t len)
{
	bulk_ndjson_answer_more(b, w, a, input, len, NULL, 0);
}

void bulk_ndjson_answer_more(struct buf *b, const struct bulk_writer *w,
                             const struct answer *a, const char *input,
                             size_t len, const char *more, size_t morelen)
{
	const struct special_entry *sp = a->special;
	size_t i, ncountries = 0;

	len = input_len(input, len);
	if (needs_jansson(a)) {
		char *copy = xstrndup(input, len);

		ndjson_by_jansson(b, w->set, a, copy);
		free(copy);
		return;
	}
	put(b, "{\"input\":", 9);
	bulk_json_string(b, input, len);
	if (a->net.kind == NET_ADDR) {
		put(b, ",\"address\":\"", 12);
		put_addr(b, &a->net.lo);
		putc_(b, '"');
	} else {
		put(b, ",\"address\":null,\"query_network\":\"", 33);
		put_net(b, &a->net);
		putc_(b, '"');
	}
	put(b, ",\"ip_version\":", 14);
	put_u64(b, a->net.lo.family);
	put(b, ",\"special_use\":", 15);
	if (sp == NULL) {
		put(b, "null", 4);
	} else {
		put(b, "{\"class\":", 9);
		json_str(b, special_class_name(sp->cls));
		put(b, ",\"name\":", 8);
		json_str(b, sp->name);
		put(b, ",\"prefix\":", 10);
		json_str(b, sp->prefix);
		put(b, ",\"rfc\":", 7);
		json_str(b, sp->rfc);
		put(b, ",\"globally_reachable\":", 22);
		if (sp->global < 0)
			put(b, "null", 4);
		else
			json_bool(b, sp->global);
		put(b, ",\"partial\":", 11);
		json_bool(b, a->special_partial);
		putc_(b, '}');
	}
	if (a->asn_src >= 0) {
		put(b, ",\"network\":\"", 12);
		put_net(b, &a->hit[a->asn_src].block);
		put(b, "\",\"asn\":", 8);
		put_u64(b, answer_asn(a));
		put(b, ",\"org\":", 7);
		json_str(b, answer_org(a));
	} else {
		put(b, ",\"network\":null,\"asn\":null,\"org\":null", 37);
	}
	put(b, ",\"countries\":[", 14);
	for (i = 0; i < a->nsrc; i++) {
		const struct src_entry *e = a->hit[i].e;
		int slot;

		if (!w->is_country[i])
			continue;
		if (ncountries++ > 0)
			putc_(b, ',');
		put(b, w->head[i].data, w->head[i].len);
		if (e != NULL && e->country[0]) {
			slot = w->warm ? cc_slot(e->country) : -1;
			if (slot >= 0)
				put(b, w->cc[slot].data, w->cc[slot].len);
			else
				country_json(b, e->country);
			put(b, ",\"network\":\"", 12);
			put_net(b, &a->hit[i].block);
			putc_(b, '"');
		} else {
			put(b, ",\"country\":null", 15);
		}
		if (e != NULL && e->registered[0] &&
		    strcmp(e->registered, e->country) != 0) {
			put(b, ",\"registered_country\":", 23);
			json_str(b, e->registered);
		}
		if (e != NULL && e->city != NULL) {
			put(b, ",\"city\":", 8);
			json_str(b, e->city);
		}
		putc_(b, '}');
	}
	put(b, "],\"sources_agree\":", 18);
	json_bool(b, !a->disagree);
	if (a->net.kind != NET_ADDR) {
		put(b, ",\"network_split\":", 17);
		json_bool(b, a->partial);
	}
	if (a->typed) {
		puts_(b, ",\"network_type\":{\"type\":");
		json_str(b, net_type_name(a->type.type));
		puts_(b, ",\"basis\":");
		json_str(b, a->type.basis);
		puts_(b, ",\"tier\":");
		json_str(b, type_tier_name(a->type.tier));
		puts_(b, ",\"confidence\":");
		json_str(b, confidence_name(a->type.conf));
		puts_(b, ",\"detail\":");
		json_str(b, a->type.detail ? a->type.detail : "");
		putc_(b, '}');
	}
	if ((i = (size_t)answer_feed(a)) < a->nsrc && answer_feed(a) >= 0) {
		const struct src_entry *e = a->hit[i].e;

		puts_(b, ",\"provider_says\":{\"source\":");
		json_str(b, source_name(sources_at(w->set, i)));
		puts_(b, ",\"provider\":");
		if (e->provider) json_str(b, e->provider); else put(b, "null", 4);
		puts_(b, ",\"region\":");
		if (e->region) json_str(b, e->region); else put(b, "null", 4);
		put(b, ",\"network\":\"", 12);
		put_net(b, &a->hit[i].block);
		put(b, "\"}", 2);
	}
	if (morelen > 0)
		put(b, more, morelen);
	put(b, "}\n", 2);
}

void bulk_ndjson_error(struct buf *b, const char *input, size_t len,
                       const char *why)
{
	put(b, "{\"input\":", 9);
	bulk_json_string(b, input, input_len(input, len));
	put(b, ",\"error\":", 9);
	json_str(b, why);
	put(b, "}\n", 2);
}
