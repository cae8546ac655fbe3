/* FUZZ_SOURCES: src/addr.c src/util.c */
/*
 * fuzz_addr.c - libFuzzer target for the address parsers.
 *
 * The input bytes go to addr_parse() and to net_parse() under every flag
 * combination.  Whatever is accepted must satisfy the invariants below;
 * a violation calls abort() so the fuzzer records the input.  libFuzzer
 * hands us a buffer of exactly `size` bytes, so any read past the length
 * is caught by AddressSanitizer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static int same(const struct ga_addr *a, const struct ga_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* a + 1 within its family; a must not be the last address. */
static void next_addr(struct ga_addr *a)
{
	int i = a->family == 4 ? 3 : 15;

	for (; i >= 0; i--)
		if (++a->bytes[i] != 0)
			return;
}

static int is_mapped(const struct ga_addr *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return a->family == 6 && memcmp(a->bytes, pfx, sizeof pfx) == 0;
}

/*
 * A parsed address is never IPv4-mapped (that is normalised to IPv4).  A
 * network bound may be (::/80 ends at ::ffff:ffff:ffff), and its text
 * would then read back as IPv4, so only unmapped ones are re-parsed.
 */
static void check_addr(const struct ga_addr *a, int parsed)
{
	char buf[ADDR_TEXT_MAX];
	struct ga_addr b;
	size_t i;

	check(a->family == 4 || a->family == 6);
	if (a->family == 4)
		for (i = 4; i < sizeof a->bytes; i++)
			check(a->bytes[i] == 0);
	if (parsed)
		check(!is_mapped(a));
	addr_format(a, buf);
	check(strlen(buf) < ADDR_TEXT_MAX);
	if (is_mapped(a))
		return;
	check(addr_parse(buf, strlen(buf), &b, NULL) == 0);
	check(same(a, &b));
	check(addr_cmp(a, &b) == 0);
}

struct walk {
	struct ga_addr next;    /* where the next block must start */
	const struct ga_addr *hi;
	int blocks;
	int done;
	int last_len;
};

static int walk_block(const struct ga_addr *start, int len, void *ctx)
{
	struct walk *w = ctx;
	struct ga_net b;

	check(!w->done);
	check(start->family == w->hi->family);
	check(len >= 0 && len <= addr_bits(start));
	check(same(start, &w->next));
	net_from_prefix(start, len, &b);
	check(same(&b.lo, start));              /* aligned */
	check(addr_cmp(&b.hi, w->hi) <= 0);     /* inside the range */
	check(++w->blocks <= 2 * addr_bits(start));
	w->last_len = len;
	if (same(&b.hi, w->hi)) {
		w->done = 1;
	} else {
		w->next = b.hi;
		next_addr(&w->next);
	}
	return 0;
}

static void check_net(const struct ga_net *n, unsigned flags)
{
	char buf[NET_TEXT_MAX];
	struct ga_net m;
	struct walk w;

	check_addr(&n->lo, n->kind != NET_CIDR);
	check_addr(&n->hi, n->kind != NET_CIDR);
	check(n->lo.family == n->hi.family);
	check(addr_cmp(&n->lo, &n->hi) <= 0);
	if (flags & ADDR_NO_PREFIX)
		check(n->kind == NET_ADDR);
	if (flags & ADDR_NO_RANGE)
		check(n->kind != NET_RANGE);
	if (n->kind == NET_ADDR)
		check(same(&n->lo, &n->hi) &&
		    n->prefix_len == addr_bits(&n->lo));
	if (n->kind == NET_CIDR)
		check(n->prefix_len >= 0);

	net_format(n, buf);
	check(strlen(buf) < NET_TEXT_MAX);
	check(net_parse(buf, strlen(buf), 0, &m, NULL) == 0);
	check(same(&n->lo, &m.lo) && same(&n->hi, &m.hi));

	memset(&w, 0, sizeof w);
	w.next = n->lo;
	w.hi = &n->hi;
	check(addr_range_to_cidrs(&n->lo, &n->hi, walk_block, &w) == 0);
	check(w.done);
	if (n->prefix_len >= 0)
		check(w.blocks == 1 && w.last_len == n->prefix_len);
	else
		check(w.blocks > 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *why;
	struct ga_addr a;
	struct ga_net n;
	unsigned flags;

	why = NULL;
	if (addr_parse(s, size, &a, &why) == 0)
		check_addr(&a, 1);
	else
		check(why != NULL && why[0] != '\0');

	for (flags = 0; flags < 8; flags++) {
		why = NULL;
		if (net_parse(s, size, flags, &n, &why) == 0)
			check_net(&n, flags);
		else
			check(why != NULL && why[0] != '\0');
	}
	return 0;
}
