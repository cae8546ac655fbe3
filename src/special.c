/*
 * special.c - the IANA special-purpose address registries as a table.
 *
 * Sources: IANA IPv4 Special-Purpose Address Registry (last updated
 * 2025) and IANA IPv6 Special-Purpose Address Registry (last updated
 * 2025-10), plus the blocks the registries leave to other documents:
 * IPv4 and IPv6 multicast, 240.0.0.0/4 and the deprecated site-local
 * fec0::/10.  "global" is IANA's Globally Reachable column; blocks that
 * are not in the registries, or whose entry says N/A, carry -1.
 *
 * The table is kept in address order with a containing block before the
 * blocks inside it, which is what makes special_lookup_net's "first
 * overlapping entry" the widest one.  The prefix strings are compiled
 * once, on first use, into network/mask pairs; a lookup is then a scan
 * of masked compares in most-specific-first order with no parsing.
 */
#include <stdlib.h>
#include <string.h>

#include "special.h"

static const struct special_entry table[] = {
	/* IPv4 */
	{ "0.0.0.0/8", "\"This network\"", "RFC 791",
	    SPECIAL_RESERVED, 0 },
	{ "0.0.0.0/32", "\"This host on this network\"", "RFC 1122",
	    SPECIAL_UNSPECIFIED, 0 },
	{ "10.0.0.0/8", "Private-Use", "RFC 1918", SPECIAL_PRIVATE, 0 },
	{ "100.64.0.0/10", "Shared Address Space", "RFC 6598",
	    SPECIAL_SHARED, 0 },
	{ "127.0.0.0/8", "Loopback", "RFC 1122", SPECIAL_LOOPBACK, 0 },
	{ "169.254.0.0/16", "Link Local", "RFC 3927", SPECIAL_LINK_LOCAL, 0 },
	{ "172.16.0.0/12", "Private-Use", "RFC 1918", SPECIAL_PRIVATE, 0 },
	{ "192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890",
	    SPECIAL_RESERVED, 0 },
	{ "192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335",
	    SPECIAL_TRANSITION, 0 },
	{ "192.0.0.8/32", "IPv4 dummy address", "RFC 7600",
	    SPECIAL_RESERVED, 0 },
	{ "192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "192.0.0.10/32", "Traversal Using Relays around NAT Anycast",
	    "RFC 8155", SPECIAL_ANYCAST_SERVICE, 1 },
	{ "192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880",
	    SPECIAL_TRANSITION, 0 },
	{ "192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880",
	    SPECIAL_TRANSITION, 0 },
	{ "192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737",
	    SPECIAL_DOCUMENTATION, 0 },
	{ "192.31.196.0/24", "AS112-v4", "RFC 7535",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "192.52.193.0/24", "AMT", "RFC 7450", SPECIAL_TRANSITION, 1 },
	{ "192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526",
	    SPECIAL_TRANSITION, -1 },
	{ "192.88.99.2/32", "6a44-relay anycast address", "RFC 6751",
	    SPECIAL_TRANSITION, 0 },
	{ "192.168.0.0/16", "Private-Use", "RFC 1918", SPECIAL_PRIVATE, 0 },
	{ "192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "198.18.0.0/15", "Benchmarking", "RFC 2544",
	    SPECIAL_BENCHMARKING, 0 },
	{ "198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737",
	    SPECIAL_DOCUMENTATION, 0 },
	{ "203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737",
	    SPECIAL_DOCUMENTATION, 0 },
	{ "224.0.0.0/4", "Multicast", "RFC 5771", SPECIAL_MULTICAST, -1 },
	{ "240.0.0.0/4", "Reserved", "RFC 1112", SPECIAL_RESERVED, 0 },
	{ "255.255.255.255/32", "Limited Broadcast", "RFC 919, RFC 8190",
	    SPECIAL_BROADCAST, 0 },

	/* IPv6 */
	{ "::/128", "Unspecified Address", "RFC 4291",
	    SPECIAL_UNSPECIFIED, 0 },
	{ "::1/128", "Loopback Address", "RFC 4291", SPECIAL_LOOPBACK, 0 },
	{ "::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291",
	    SPECIAL_RESERVED, 0 },
	{ "64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052",
	    SPECIAL_TRANSITION, 1 },
	{ "64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215",
	    SPECIAL_TRANSITION, 0 },
	{ "100::/64", "Discard-Only Address Block", "RFC 6666",
	    SPECIAL_DISCARD, 0 },
	{ "100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780",
	    SPECIAL_RESERVED, 0 },
	{ "2001::/23", "IETF Protocol Assignments", "RFC 2928",
	    SPECIAL_RESERVED, 0 },
	{ "2001::/32", "TEREDO", "RFC 4380", SPECIAL_TRANSITION, -1 },
	{ "2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "2001:1::2/128", "Traversal Using Relays around NAT Anycast",
	    "RFC 8155", SPECIAL_ANYCAST_SERVICE, 1 },
	{ "2001:1::3/128", "DNS-SD Service Registration Protocol Anycast",
	    "RFC 9665", SPECIAL_ANYCAST_SERVICE, 1 },
	{ "2001:2::/48", "Benchmarking", "RFC 5180",
	    SPECIAL_BENCHMARKING, 0 },
	{ "2001:3::/32", "AMT", "RFC 7450", SPECIAL_TRANSITION, 1 },
	{ "2001:4:112::/48", "AS112-v6", "RFC 7535",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843",
	    SPECIAL_RESERVED, -1 },
	{ "2001:20::/28", "ORCHIDv2", "RFC 7343", SPECIAL_RESERVED, 1 },
	{ "2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix",
	    "RFC 9374", SPECIAL_RESERVED, 1 },
	{ "2001:db8::/32", "Documentation", "RFC 3849",
	    SPECIAL_DOCUMENTATION, 0 },
	{ "2002::/16", "6to4", "RFC 3056", SPECIAL_TRANSITION, -1 },
	{ "2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534",
	    SPECIAL_ANYCAST_SERVICE, 1 },
	{ "3fff::/20", "Documentation", "RFC 9637",
	    SPECIAL_DOCUMENTATION, 0 },
	{ "5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602",
	    SPECIAL_RESERVED, 0 },
	{ "fc00::/7", "Unique-Local", "RFC 4193", SPECIAL_PRIVATE, 0 },
	{ "fe80::/10", "Link-Local Unicast", "RFC 4291",
	    SPECIAL_LINK_LOCAL, 0 },
	{ "fec0::/10", "Site-Local (deprecated)", "RFC 3879",
	    SPECIAL_RESERVED, -1 },
	{ "ff00::/8", "Multicast", "RFC 4291", SPECIAL_MULTICAST, -1 },
};

#define NENTRIES (sizeof table / sizeof table[0])

/* One table entry compiled to a network and a mask, as 2 x 64 bits. */
struct compiled {
	uint64_t net[2];
	uint64_t mask[2];
	int family;
	int len;
};

static struct compiled compiled[NENTRIES];
/* Table indexes, per family, longest prefix first. */
static size_t order4[NENTRIES], order6[NENTRIES];
static size_t n4, n6;
static int ready;

static void split(const struct ga_addr *a, uint64_t v[2])
{
	int i;

	v[0] = v[1] = 0;
	if (a->family == 4) {
		v[0] = (uint64_t)a->bytes[0] << 56 |
		    (uint64_t)a->bytes[1] << 48 |
		    (uint64_t)a->bytes[2] << 40 |
		    (uint64_t)a->bytes[3] << 32;
		return;
	}
	for (i = 0; i < 8; i++) {
		v[0] = v[0] << 8 | a->bytes[i];
		v[1] = v[1] << 8 | a->bytes[i + 8];
	}
}

static void make_mask(int len, uint64_t m[2])
{
	m[0] = len <= 0 ? 0 : len >= 64 ? ~(uint64_t)0
	    : ~(uint64_t)0 << (64 - len);
	m[1] = len <= 64 ? 0 : len >= 128 ? ~(uint64_t)0
	    : ~(uint64_t)0 << (128 - len);
}

/* Insert table index i into a list kept in descending prefix length;
 * equal lengths keep table order. */
static void insert(size_t *list, size_t *n, size_t i)
{
	size_t j = *n;

	while (j > 0 && compiled[list[j - 1]].len < compiled[i].len) {
		list[j] = list[j - 1];
		j--;
	}
	list[j] = i;
	(*n)++;
}

static void compile_table(void)
{
	struct ga_net net;
	const char *why;
	size_t i;

	for (i = 0; i < NENTRIES; i++) {
		struct compiled *c = &compiled[i];
		const char *p = table[i].prefix;
		size_t len = strlen(p);

		/* The table is ours: a bad line is a bug the tests catch. */
		if (net_parse(p, len, ADDR_NO_RANGE, &net, &why) != 0)
			abort();
		/* The parser turns ::ffff:0:0/96 into 0.0.0.0/0; the entry
		 * itself is the IPv6 block, so put it back. */
		if (net.lo.family == 4 && memchr(p, ':', len) != NULL) {
			addr_v4_to_mapped(&net.lo, &net.lo);
			net.prefix_len += 96;
		}
		c->family = net.lo.family;
		c->len = net.prefix_len;
		split(&net.lo, c->net);
		/* Kept in 128-bit positions even for IPv4 (IPv4 sits in the
		 * top 32 bits of net[0]), so one mask routine serves both. */
		make_mask(c->len, c->mask);
		if (c->family == 4)
			insert(order4, &n4, i);
		else
			insert(order6, &n6, i);
	}
	ready = 1;
}

static int matches(const struct compiled *c, const uint64_t v[2])
{
	return (v[0] & c->mask[0]) == c->net[0] &&
	    (v[1] & c->mask[1]) == c->net[1];
}

static void family_list(int family, const size_t **list, size_t *n)
{
	if (!ready)
		compile_table();
	if (family == 4) {
		*list = order4;
		*n = n4;
	} else {
		*list = order6;
		*n = n6;
	}
}

const struct special_entry *special_lookup(const struct ga_addr *a)
{
	const size_t *list;
	size_t n, i;
	uint64_t v[2];

	family_list(a->family, &list, &n);
	split(a, v);
	for (i = 0; i < n; i++)
		if (matches(&compiled[list[i]], v))
			return &table[list[i]];
	return NULL;
}

/* a <= b for 128-bit values held as two halves. */
static int le(const uint64_t a[2], const uint64_t b[2])
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]);
}

const struct special_entry *special_lookup_net(const struct ga_net *net,
    int *partial)
{
	const size_t *list;
	size_t n, i;
	uint64_t lo[2], hi[2], elo[2], ehi[2];

	if (partial != NULL)
		*partial = 0;
	family_list(net->lo.family, &list, &n);
	split(&net->lo, lo);
	split(&net->hi, hi);
	for (i = 0; i < n; i++) {
		const struct compiled *c = &compiled[list[i]];

		if (matches(c, lo) && matches(c, hi))
			return &table[list[i]];
	}
	for (i = 0; i < NENTRIES; i++) {
		const struct compiled *c = &compiled[i];

		if (c->family != net->lo.family)
			continue;
		elo[0] = c->net[0];
		elo[1] = c->net[1];
		ehi[0] = c->net[0] | ~c->mask[0];
		ehi[1] = c->net[1] | ~c->mask[1];
		if (c->family == 4) {
			/* Only the top 32 bits are address bits. */
			ehi[0] &= ~(uint64_t)0 << 32;
			ehi[1] = 0;
		}
		if (le(elo, hi) && le(lo, ehi)) {
			if (partial != NULL)
				*partial = 1;
			return &table[i];
		}
	}
	return NULL;
}

const char *special_class_name(enum special_class c)
{
	switch (c) {
	case SPECIAL_NONE:
		return "";
	case SPECIAL_PRIVATE:
		return "private";
	case SPECIAL_LOOPBACK:
		return "loopback";
	case SPECIAL_LINK_LOCAL:
		return "link-local";
	case SPECIAL_SHARED:
		return "shared";
	case SPECIAL_DOCUMENTATION:
		return "documentation";
	case SPECIAL_BENCHMARKING:
		return "benchmarking";
	case SPECIAL_MULTICAST:
		return "multicast";
	case SPECIAL_RESERVED:
		return "reserved";
	case SPECIAL_BROADCAST:
		return "broadcast";
	case SPECIAL_TRANSITION:
		return "transition";
	case SPECIAL_DISCARD:
		return "discard";
	case SPECIAL_UNSPECIFIED:
		return "unspecified";
	case SPECIAL_ANYCAST_SERVICE:
		return "anycast-service";
	}
	return "";
}

const struct special_entry *special_entry_at(size_t i)
{
	return i < NENTRIES ? &table[i] : NULL;
}
