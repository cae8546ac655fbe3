/*
 * test_ipset.c - deduplication with counts; networks kept as networks.
 */
#include <string.h>

#include "ipset.h"
#include "tap.h"
#include "util.h"

static struct ga_net N(const char *s)
{
	struct ga_net n;
	const char *why;

	if (net_parse(s, strlen(s), 0, &n, &why) != 0) {
		printf("# bad %s: %s\n", s, why);
		exit(1);
	}
	return n;
}

int main(void)
{
	struct ipset *s = ipset_new();
	struct ga_net n, back;
	char t[NET_TEXT_MAX];
	size_t i;

	n = N("192.0.2.1");
	is_int(ipset_add(s, &n, 1, 1, "PH"), 1, "first address is new");
	is_int(ipset_add(s, &n, 5, 3, "PH"), 0, "same address merged");
	n = N("::ffff:192.0.2.1");
	is_int(ipset_add(s, &n, 6, 1, "CN"), 0, "mapped form is the same address");
	n = N("192.0.2.0/24");
	is_int(ipset_add(s, &n, 7, 1, NULL), 1, "a prefix is distinct from its first address");
	n = N("192.0.2.0-192.0.2.255");
	is_int(ipset_add(s, &n, 8, 1, NULL), 1, "an aligned range is a distinct entry kind");
	n = N("192.0.2.0-192.0.2.9");
	is_int(ipset_add(s, &n, 9, 2, NULL), 1, "odd range is new");
	is_int(ipset_add(s, &n, 10, 2, NULL), 0, "odd range merged");
	n = N("192.0.2.0-192.0.2.10");
	is_int(ipset_add(s, &n, 11, 1, NULL), 1, "range with another end is new");
	n = N("2001:db8::1");
	is_int(ipset_add(s, &n, 12, 1, NULL), 1, "IPv6 is new");
	is_int((long long)ipset_count(s), 6, "six unique entries");

	{
		const struct ipset_rec *r = ipset_at(s, 0);

		is_int(r->seen, 3, "seen three times");
		ok(r->weight == 5, "weights summed (1+3+1)");
		is_int(r->line, 1, "first line kept");
		ok(memcmp(r->cited, "PH", 2) == 0, "first cited country kept");
		is_int(r->cited_conflict, 1, "conflicting citation flagged");
	}
	ipset_net(s, ipset_at(s, 3), &back);
	is_str(net_format(&back, t), "192.0.2.0-192.0.2.9", "range comes back intact");
	ok(ipset_at(s, 3)->weight == 4, "range weight summed");
	ipset_net(s, ipset_at(s, 1), &back);
	is_str(net_format(&back, t), "192.0.2.0/24", "prefix comes back intact");
	ok(ipset_at(s, 99) == NULL, "out of range index gives NULL");

	/* Growth: many addresses, every one found again. */
	for (i = 0; i < 100000; i++) {
		struct ga_addr a;

		memset(&a, 0, sizeof(a));
		a.family = 4;
		a.bytes[0] = 10;
		a.bytes[1] = (uint8_t)(i >> 16);
		a.bytes[2] = (uint8_t)(i >> 8);
		a.bytes[3] = (uint8_t)i;
		net_from_prefix(&a, 32, &n);
		n.kind = NET_ADDR;
		ipset_add(s, &n, i, 1, NULL);
		ipset_add(s, &n, i, 1, NULL);
	}
	is_int((long long)ipset_count(s), 100006, "100,000 more unique addresses after growth");
	ok(ipset_memory(s) / ipset_count(s) < 100, "under 100 bytes per unique entry (%zu)",
	   ipset_memory(s) / ipset_count(s));
	ipset_free(s);
	ipset_free(NULL);
	return done_testing();
}
