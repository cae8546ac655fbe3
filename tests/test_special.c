/*
 * test_special.c - the special-purpose address table and its lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "special.h"
#include "tap.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

struct hit {
	const char *addr;
	const char *prefix;      /* expected entry, NULL for none */
	enum special_class cls;
};

static const struct hit hits[] = {
	{ "10.1.2.3", "10.0.0.0/8", SPECIAL_PRIVATE },
	{ "172.16.0.1", "172.16.0.0/12", SPECIAL_PRIVATE },
	{ "172.31.255.255", "172.16.0.0/12", SPECIAL_PRIVATE },
	{ "192.168.1.1", "192.168.0.0/16", SPECIAL_PRIVATE },
	{ "192.0.2.7", "192.0.2.0/24", SPECIAL_DOCUMENTATION },
	{ "198.51.100.1", "198.51.100.0/24", SPECIAL_DOCUMENTATION },
	{ "203.0.113.200", "203.0.113.0/24", SPECIAL_DOCUMENTATION },
	{ "100.64.1.1", "100.64.0.0/10", SPECIAL_SHARED },
	{ "100.127.255.255", "100.64.0.0/10", SPECIAL_SHARED },
	{ "127.0.0.1", "127.0.0.0/8", SPECIAL_LOOPBACK },
	{ "169.254.1.1", "169.254.0.0/16", SPECIAL_LINK_LOCAL },
	{ "224.0.0.1", "224.0.0.0/4", SPECIAL_MULTICAST },
	{ "239.255.255.250", "224.0.0.0/4", SPECIAL_MULTICAST },
	{ "240.0.0.1", "240.0.0.0/4", SPECIAL_RESERVED },
	{ "255.255.255.254", "240.0.0.0/4", SPECIAL_RESERVED },
	{ "255.255.255.255", "255.255.255.255/32", SPECIAL_BROADCAST },
	{ "0.0.0.0", "0.0.0.0/32", SPECIAL_UNSPECIFIED },
	{ "0.1.2.3", "0.0.0.0/8", SPECIAL_RESERVED },
	{ "198.18.0.1", "198.18.0.0/15", SPECIAL_BENCHMARKING },
	{ "198.19.255.255", "198.18.0.0/15", SPECIAL_BENCHMARKING },
	{ "192.0.0.1", "192.0.0.0/29", SPECIAL_TRANSITION },
	{ "192.0.0.8", "192.0.0.8/32", SPECIAL_RESERVED },
	{ "192.0.0.9", "192.0.0.9/32", SPECIAL_ANYCAST_SERVICE },
	{ "192.0.0.10", "192.0.0.10/32", SPECIAL_ANYCAST_SERVICE },
	{ "192.0.0.11", "192.0.0.0/24", SPECIAL_RESERVED },
	{ "192.0.0.170", "192.0.0.170/32", SPECIAL_TRANSITION },
	{ "192.0.0.171", "192.0.0.171/32", SPECIAL_TRANSITION },
	{ "192.0.0.172", "192.0.0.0/24", SPECIAL_RESERVED },
	{ "192.31.196.1", "192.31.196.0/24", SPECIAL_ANYCAST_SERVICE },
	{ "192.52.193.1", "192.52.193.0/24", SPECIAL_TRANSITION },
	{ "192.88.99.1", "192.88.99.0/24", SPECIAL_TRANSITION },
	{ "192.88.99.2", "192.88.99.2/32", SPECIAL_TRANSITION },
	{ "192.175.48.6", "192.175.48.0/24", SPECIAL_ANYCAST_SERVICE },
	{ "::ffff:10.0.0.1", "10.0.0.0/8", SPECIAL_PRIVATE },
	/* IPv6 */
	{ "::", "::/128", SPECIAL_UNSPECIFIED },
	{ "::1", "::1/128", SPECIAL_LOOPBACK },
	{ "2001:db8::1", "2001:db8::/32", SPECIAL_DOCUMENTATION },
	{ "3fff:fff::1", "3fff::/20", SPECIAL_DOCUMENTATION },
	{ "fe80::1", "fe80::/10", SPECIAL_LINK_LOCAL },
	{ "febf::1", "fe80::/10", SPECIAL_LINK_LOCAL },
	{ "fc00::1", "fc00::/7", SPECIAL_PRIVATE },
	{ "fd12:3456::1", "fc00::/7", SPECIAL_PRIVATE },
	{ "fec0::1", "fec0::/10", SPECIAL_RESERVED },
	{ "ff02::1", "ff00::/8", SPECIAL_MULTICAST },
	{ "2002::1", "2002::/16", SPECIAL_TRANSITION },
	{ "2002:c000:204::1", "2002::/16", SPECIAL_TRANSITION },
	{ "2001::1", "2001::/32", SPECIAL_TRANSITION },
	{ "2001:0:4136:e378::1", "2001::/32", SPECIAL_TRANSITION },
	{ "2001:1::1", "2001:1::1/128", SPECIAL_ANYCAST_SERVICE },
	{ "2001:1::2", "2001:1::2/128", SPECIAL_ANYCAST_SERVICE },
	{ "2001:1::3", "2001:1::3/128", SPECIAL_ANYCAST_SERVICE },
	{ "2001:1::4", "2001::/23", SPECIAL_RESERVED },
	{ "2001:2::1", "2001:2::/48", SPECIAL_BENCHMARKING },
	{ "2001:3::1", "2001:3::/32", SPECIAL_TRANSITION },
	{ "2001:4:112::1", "2001:4:112::/48", SPECIAL_ANYCAST_SERVICE },
	{ "2001:10::1", "2001:10::/28", SPECIAL_RESERVED },
	{ "2001:20::1", "2001:20::/28", SPECIAL_RESERVED },
	{ "2001:30::1", "2001:30::/28", SPECIAL_RESERVED },
	{ "2001:1ff:ffff::1", "2001::/23", SPECIAL_RESERVED },
	{ "2620:4f:8000::42", "2620:4f:8000::/48", SPECIAL_ANYCAST_SERVICE },
	{ "64:ff9b::1", "64:ff9b::/96", SPECIAL_TRANSITION },
	{ "64:ff9b::192.0.2.1", "64:ff9b::/96", SPECIAL_TRANSITION },
	{ "64:ff9b:1::1", "64:ff9b:1::/48", SPECIAL_TRANSITION },
	{ "100::1", "100::/64", SPECIAL_DISCARD },
	{ "100::ffff:ffff:ffff:ffff", "100::/64", SPECIAL_DISCARD },
	{ "100:0:0:1::1", "100:0:0:1::/64", SPECIAL_RESERVED },
	{ "5f00::1", "5f00::/16", SPECIAL_RESERVED },
	/* public addresses */
	{ "8.8.8.8", NULL, SPECIAL_NONE },
	{ "1.1.1.1", NULL, SPECIAL_NONE },
	{ "9.255.255.255", NULL, SPECIAL_NONE },
	{ "11.0.0.0", NULL, SPECIAL_NONE },
	{ "100.63.255.255", NULL, SPECIAL_NONE },
	{ "100.128.0.0", NULL, SPECIAL_NONE },
	{ "172.15.255.255", NULL, SPECIAL_NONE },
	{ "172.32.0.0", NULL, SPECIAL_NONE },
	{ "192.0.1.255", NULL, SPECIAL_NONE },
	{ "192.0.3.0", NULL, SPECIAL_NONE },
	{ "198.17.255.255", NULL, SPECIAL_NONE },
	{ "198.20.0.0", NULL, SPECIAL_NONE },
	{ "223.255.255.255", NULL, SPECIAL_NONE },
	{ "2001:4860:4860::8888", NULL, SPECIAL_NONE },
	{ "2606:4700:4700::1111", NULL, SPECIAL_NONE },
	{ "2001:200::1", NULL, SPECIAL_NONE },
	{ "2001:db9::1", NULL, SPECIAL_NONE },
	{ "2003::1", NULL, SPECIAL_NONE },
	{ "::2", NULL, SPECIAL_NONE },
	{ "100:0:0:2::1", NULL, SPECIAL_NONE },
	{ "64:ff9b::1:0:0:1", NULL, SPECIAL_NONE },
	{ "fe00::1", NULL, SPECIAL_NONE },
	{ "4000::1", NULL, SPECIAL_NONE },
};

static struct ga_addr A(const char *s)
{
	struct ga_addr a;
	const char *why = NULL;

	memset(&a, 0, sizeof a);
	if (addr_parse(s, strlen(s), &a, &why) != 0) {
		printf("# test setup: cannot parse %s: %s\n", s, why);
		abort();
	}
	return a;
}

/* An entry's block as a network.  The parser reads ::ffff:0:0/96 as
 * 0.0.0.0/0; the entry means the IPv6 block, so map it back. */
static int entry_net(const struct special_entry *e, struct ga_net *n,
    const char **why)
{
	if (net_parse(e->prefix, strlen(e->prefix), ADDR_NO_RANGE, n, why) != 0)
		return -1;
	if (n->lo.family == 4 && strchr(e->prefix, ':') != NULL) {
		addr_v4_to_mapped(&n->lo, &n->lo);
		addr_v4_to_mapped(&n->hi, &n->hi);
		n->prefix_len += 96;
	}
	return 0;
}

static void test_table(void)
{
	const struct special_entry *e, *f;
	struct ga_net n, m;
	size_t i, j;
	int bad_parse = 0, bad_fields = 0, dup = 0, bad_order = 0;
	const char *why;

	for (i = 0; (e = special_entry_at(i)) != NULL; i++) {
		if (entry_net(e, &n, &why) != 0 || n.kind != NET_CIDR) {
			printf("# %s: %s\n", e->prefix, why);
			bad_parse++;
			continue;
		}
		if (e->name == NULL || e->name[0] == '\0' || e->rfc == NULL ||
		    strncmp(e->rfc, "RFC ", 4) != 0 || e->cls == SPECIAL_NONE ||
		    e->global < -1 || e->global > 1 ||
		    special_class_name(e->cls)[0] == '\0')
			bad_fields++;
		for (j = 0; j < i; j++) {
			f = special_entry_at(j);
			if (strcmp(e->prefix, f->prefix) == 0)
				dup++;
			if (entry_net(f, &m, NULL) == 0 &&
			    m.lo.family == n.lo.family &&
			    addr_cmp(&m.lo, &n.lo) > 0)
				bad_order++;
		}
	}
	ok(i >= 50, "table has %zu entries", i);
	is_int(bad_parse, 0, "every prefix is a canonical CIDR block");
	is_int(bad_fields, 0, "every entry has name, RFC, class and flag");
	is_int(dup, 0, "no prefix listed twice");
	is_int(bad_order, 0, "table is in address order");
	ok(special_entry_at(i) == NULL && special_entry_at(i + 100) == NULL,
	    "special_entry_at past the end is NULL");

	/* Each entry finds itself at its first and last address. */
	bad_fields = 0;
	for (i = 0; (e = special_entry_at(i)) != NULL; i++) {
		if (entry_net(e, &n, NULL) != 0)
			continue;
		f = special_lookup(&n.lo);
		if (f == NULL || entry_net(f, &m, NULL) != 0 ||
		    m.prefix_len < n.prefix_len) {
			printf("# %s: first address found %s\n", e->prefix,
			    f ? f->prefix : "nothing");
			bad_fields++;
		}
		f = special_lookup_net(&n, NULL);
		if (f != e) {
			printf("# %s: as a network found %s\n", e->prefix,
			    f ? f->prefix : "nothing");
			bad_fields++;
		}
	}
	is_int(bad_fields, 0, "every entry is found by its own prefix");
}

static void test_lookup(void)
{
	size_t i;

	for (i = 0; i < NITEMS(hits); i++) {
		struct ga_addr a = A(hits[i].addr);
		const struct special_entry *e = special_lookup(&a);

		if (hits[i].prefix == NULL) {
			ok(e == NULL, "%s is not special", hits[i].addr);
			if (e != NULL)
				printf("# got %s\n", e->prefix);
			continue;
		}
		is_str(e ? e->prefix : NULL, hits[i].prefix, hits[i].addr);
		is_int(e ? (long long)e->cls : -1, hits[i].cls, "  class");
	}
}

static void test_fields(void)
{
	struct ga_addr a;
	const struct special_entry *e;

	a = A("10.1.2.3");
	e = special_lookup(&a);
	is_str(e ? e->name : NULL, "Private-Use", "10.1.2.3 name");
	is_str(e ? e->rfc : NULL, "RFC 1918", "10.1.2.3 RFC");
	is_int(e ? e->global : 9, 0, "10.1.2.3 not globally reachable");
	is_str(special_class_name(e ? e->cls : SPECIAL_NONE), "private",
	    "  class name");

	a = A("192.0.0.9");
	e = special_lookup(&a);
	is_str(e ? e->rfc : NULL, "RFC 7723", "192.0.0.9 RFC");
	is_int(e ? e->global : 9, 1, "192.0.0.9 globally reachable");
	a = A("192.0.0.5");
	e = special_lookup(&a);
	is_str(e ? e->prefix : NULL, "192.0.0.0/29", "192.0.0.5 in /29");
	a = A("192.0.0.100");
	e = special_lookup(&a);
	is_str(e ? e->prefix : NULL, "192.0.0.0/24", "192.0.0.100 in /24");
	a = A("2001:db8::1");
	e = special_lookup(&a);
	is_str(e ? e->rfc : NULL, "RFC 3849", "2001:db8::1 RFC");
	a = A("3fff::1");
	e = special_lookup(&a);
	is_str(e ? e->rfc : NULL, "RFC 9637", "3fff::1 RFC");
	a = A("5f00::1");
	e = special_lookup(&a);
	is_str(e ? e->rfc : NULL, "RFC 9602", "5f00::1 RFC");
	a = A("2002::1");
	e = special_lookup(&a);
	is_int(e ? e->global : 9, -1, "6to4 globally reachable is N/A");
	a = A("64:ff9b::1");
	e = special_lookup(&a);
	is_int(e ? e->global : 9, 1, "64:ff9b::/96 globally reachable");

	/* Parsing never yields a mapped address, but one built by hand
	 * still finds the registry's own entry. */
	a = A("10.0.0.1");
	addr_v4_to_mapped(&a, &a);
	e = special_lookup(&a);
	is_str(e ? e->prefix : NULL, "::ffff:0:0/96",
	    "hand-built ::ffff:10.0.0.1 is IPv4-mapped");

	is_str(special_class_name(SPECIAL_NONE), "", "class name: none");
	is_str(special_class_name(SPECIAL_PRIVATE), "private", "private");
	is_str(special_class_name(SPECIAL_LOOPBACK), "loopback", "loopback");
	is_str(special_class_name(SPECIAL_LINK_LOCAL), "link-local",
	    "link-local");
	is_str(special_class_name(SPECIAL_SHARED), "shared", "shared");
	is_str(special_class_name(SPECIAL_DOCUMENTATION), "documentation",
	    "documentation");
	is_str(special_class_name(SPECIAL_BENCHMARKING), "benchmarking",
	    "benchmarking");
	is_str(special_class_name(SPECIAL_MULTICAST), "multicast", "multicast");
	is_str(special_class_name(SPECIAL_RESERVED), "reserved", "reserved");
	is_str(special_class_name(SPECIAL_BROADCAST), "broadcast", "broadcast");
	is_str(special_class_name(SPECIAL_TRANSITION), "transition",
	    "transition");
	is_str(special_class_name(SPECIAL_DISCARD), "discard", "discard");
	is_str(special_class_name(SPECIAL_UNSPECIFIED), "unspecified",
	    "unspecified");
	is_str(special_class_name(SPECIAL_ANYCAST_SERVICE), "anycast-service",
	    "anycast-service");
}

struct netcase {
	const char *net;
	const char *prefix;      /* expected entry, NULL for none */
	int partial;
};

static const struct netcase nets[] = {
	{ "10.0.0.0/8", "10.0.0.0/8", 0 },
	{ "10.1.0.0/16", "10.0.0.0/8", 0 },
	{ "10.1.2.3", "10.0.0.0/8", 0 },
	{ "10.0.0.0-10.0.0.99", "10.0.0.0/8", 0 },
	{ "10.0.0.0/7", "10.0.0.0/8", 1 },
	{ "9.0.0.0/8", NULL, 0 },
	{ "9.255.255.0-10.0.0.1", "10.0.0.0/8", 1 },
	{ "172.0.0.0/8", "172.16.0.0/12", 1 },
	{ "192.0.0.0/16", "192.0.0.0/24", 1 },
	{ "192.0.0.0/23", "192.0.0.0/24", 1 },
	{ "192.0.0.8/31", "192.0.0.0/24", 0 },
	{ "192.0.0.8/32", "192.0.0.8/32", 0 },
	{ "192.0.0.0/30", "192.0.0.0/29", 0 },
	{ "192.0.2.0/25", "192.0.2.0/24", 0 },
	{ "8.8.8.0/24", NULL, 0 },
	{ "0.0.0.0/0", "0.0.0.0/8", 1 },
	{ "224.0.0.0/3", "224.0.0.0/4", 1 },
	{ "240.0.0.0/4", "240.0.0.0/4", 0 },
	{ "255.255.255.0/24", "240.0.0.0/4", 0 },
	{ "2001:db8::/32", "2001:db8::/32", 0 },
	{ "2001:db8:1::/48", "2001:db8::/32", 0 },
	{ "2001:db8::/31", "2001:db8::/32", 1 },
	{ "2001::/16", "2001::/23", 1 },
	{ "2001:1::/120", "2001::/23", 0 },
	{ "2001:4860::/32", NULL, 0 },
	{ "::/0", "::/128", 1 },
	{ "fe80::/64", "fe80::/10", 0 },
	{ "fe00::/8", "fe80::/10", 1 },
	{ "2620:4f:8000::/47", "2620:4f:8000::/48", 1 },
	{ "2620:4f::/32", "2620:4f:8000::/48", 1 },
	{ "2620::/32", NULL, 0 },
};

static void test_lookup_net(void)
{
	size_t i;
	struct ga_net n;
	const struct special_entry *e;
	int partial;

	for (i = 0; i < NITEMS(nets); i++) {
		if (net_parse(nets[i].net, strlen(nets[i].net), 0, &n,
		    NULL) != 0) {
			ok(0, "parse %s", nets[i].net);
			continue;
		}
		partial = -7;
		e = special_lookup_net(&n, &partial);
		is_str(e ? e->prefix : NULL, nets[i].prefix, nets[i].net);
		is_int(partial, nets[i].partial, "  partial");
	}
	n.kind = NET_ADDR;
	(void)net_parse("127.0.0.1", 9, 0, &n, NULL);
	ok(special_lookup_net(&n, NULL) != NULL, "partial may be NULL");
}

int main(void)
{
	test_table();
	test_lookup();
	test_fields();
	test_lookup_net();
	return done_testing();
}
