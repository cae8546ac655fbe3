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
		struct ipset_entry e;

		is_int(ipset_get(s, 0, &e), 0, "entry 0 is there");
		is_int(e.seen, 3, "seen three times");
		ok(e.weight == 5, "weights summed (1+3+1)");
		is_int(e.line, 1, "first line kept");
		ok(memcmp(e.cited, "PH", 2) == 0, "first cited country kept");
		is_int(e.cited_conflict, 1, "conflicting citation flagged");
		is_int(e.family, 4, "mapped address kept as IPv4");
		is_int(e.kind, NET_ADDR, "an address");
		is_int(e.prefix_len, 32, "its prefix length");
		is_int(e.note, 0, "no note");
		ipset_get(s, 3, &e);
		ok(e.weight == 4, "range weight summed");
		is_int(e.prefix_len, -1, "odd range has no prefix length");
		is_int(e.kind, NET_RANGE, "a range");
		ipset_get(s, 5, &e);
		is_int(e.family, 6, "IPv6 entry");
		ok(e.weight == 1 && e.seen == 1, "seen once, weight 1");
		is_int(ipset_get(s, 99, &e), -1, "out of range index is refused");
	}
	ipset_net(s, 3, &back);
	is_str(net_format(&back, t), "192.0.2.0-192.0.2.9", "range comes back intact");
	ipset_net(s, 4, &back);
	is_str(net_format(&back, t), "192.0.2.0-192.0.2.10", "second range keeps its own end");
	ipset_net(s, 1, &back);
	is_str(net_format(&back, t), "192.0.2.0/24", "prefix comes back intact");
	ipset_net(s, 2, &back);
	is_str(net_format(&back, t), "192.0.2.0/24", "aligned range written as its prefix");
	is_int(back.kind, NET_RANGE, "... and kept a range");
	ipset_net(s, 5, &back);
	is_str(net_format(&back, t), "2001:db8::1", "IPv6 address comes back intact");

	/* Weights other than one: a count first, a count after ones, counts
	 * that are not whole; the sum is the one a plain double sum gives. */
	{
		static const double w[] = { 1, 1, 2.5, 1, 0.1, 0.2 };
		struct ipset_entry e;
		double sum = 0;
		size_t k;

		n = N("198.51.100.7");
		for (k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
			ipset_add(s, &n, 20 + k, w[k], NULL);
			sum += w[k];
		}
		ipset_get(s, 6, &e);
		ok(e.weight == sum, "weight after ones, then other counts (%g)", e.weight);
		is_int(e.seen, 6, "seen six times");
		is_int(e.line, 20, "first line kept");
		n = N("198.51.100.8");
		ipset_add(s, &n, 30, 7, NULL);
		ipset_add(s, &n, 31, 1, NULL);
		ipset_get(s, 7, &e);
		ok(e.weight == 8, "a count on the first appearance, then one (%g)", e.weight);
		n = N("198.51.100.9");
		ipset_add(s, &n, 32, 0, NULL);
		ipset_get(s, 8, &e);
		ok(e.weight == 0 && e.seen == 1, "a count of zero is kept");
	}

	/* Notes: given on the first appearance, or only on a later one. */
	{
		struct ipset_item it[3];
		struct ipset_entry e;
		const char *role, *phase, *obs;
		uint32_t c2 = ipset_note_add(s, "C2", 2, "", 0, "2024-01-02", 10);
		uint32_t scan = ipset_note_add(s, "scanner", 7, NULL, 0, NULL, 0);

		ok(c2 != 0 && scan != 0 && c2 != scan, "two notes");
		is_int(ipset_note_add(s, "C2", 2, "", 0, "2024-01-02", 10), c2, "a note is kept once");
		memset(it, 0, sizeof(it));
		it[0].net = N("203.0.113.5");
		it[0].line = 40;
		it[0].weight = 1;
		it[0].note = c2;
		it[1].net = N("203.0.113.6");
		it[1].line = 41;
		it[1].weight = 1;
		it[2] = it[1];
		it[2].line = 42;
		it[2].note = scan;
		it[2].weight = 3;
		is_int((long long)ipset_add_many(s, it, 3), 2, "two new of three");
		is_int(ipset_add_many(s, it, 1), 0, "the first again is a duplicate");
		ipset_get(s, 9, &e);
		is_int(e.note, c2, "note of the first appearance");
		ok(e.weight == 2 && e.seen == 2, "noted entry still weighs its appearances");
		ipset_note_get(s, e.note, &role, &phase, &obs);
		ok(strcmp(role, "C2") == 0 && phase[0] == '\0' && strcmp(obs, "2024-01-02") == 0,
		   "the note's parts");
		ipset_get(s, 10, &e);
		is_int(e.note, scan, "note given on a later appearance");
		ok(e.weight == 4, "and its count summed (1 + 3)");
		is_int(e.line, 41, "first line kept");
	}

	/* Growth: many addresses, every one found again, with a range, a
	 * weighted and a noted entry every so often, and the hash freed and
	 * rebuilt between the two rounds. */
	{
		size_t base = ipset_count(s);
		uint32_t note = ipset_note_add(s, "r", 1, "p", 1, "o", 1);
		int bad = 0;

		for (int round = 0; round < 2; round++) {
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
				if (i % 1000 == 7) {
					n.lo.family = n.hi.family = 6;
					n.lo.bytes[15] = 1;
					n.hi = n.lo;
					n.hi.bytes[14] = 0xff;
					n.kind = NET_RANGE;
					n.prefix_len = -1;
				}
				ipset_add(s, &n, i, i % 100 == 3 ? 2.5 : 1, NULL);
				if (i % 500 == 11) {
					struct ipset_item it;

					memset(&it, 0, sizeof(it));
					it.net = n;
					it.line = i;
					it.weight = 1;
					it.note = note;
					ipset_add_many(s, &it, 1);
				}
			}
			if (round == 0)
				ipset_seal(s);
		}
		is_int((long long)(ipset_count(s) - base), 100000,
		       "100,000 more unique entries after growth, sealed and reopened");
		for (i = 0; i < 100000 && !bad; i++) {
			struct ipset_entry e;
			double w = i % 100 == 3 ? 5 : 2;

			if (i % 500 == 11)
				w += 2;
			ipset_get(s, base + i, &e);
			ipset_net(s, base + i, &back);
			if (e.weight != w || e.seen != (i % 500 == 11 ? 4u : 2u) ||
			    e.note != (i % 500 == 11 ? note : 0) || e.line != i ||
			    (i % 1000 == 7) != (back.kind == NET_RANGE) ||
			    (back.kind == NET_RANGE && (back.hi.bytes[14] != 0xff ||
			                                back.hi.bytes[2] != (uint8_t)(i >> 8)))) {
				bad = 1;
				printf("# entry %zu: weight %g seen %u note %u line %u\n", i,
				       e.weight, (unsigned)e.seen, (unsigned)e.note, (unsigned)e.line);
			}
		}
		ok(!bad, "every entry's weight, count, note, line and range end");
	}
	/* The families are stored apart: entries of both, interleaved
	 * unevenly over many blocks, keep their numbers (order of first
	 * appearance), addresses and families. */
	{
		size_t base = ipset_count(s);
		int bad = 0;

		for (i = 0; i < 40000; i++) {
			struct ga_addr a;

			memset(&a, 0, sizeof(a));
			a.family = i % 3 == 0 || i % 7 == 0 ? 6 : 4;
			a.bytes[0] = a.family == 6 ? 0x2a : 172;
			a.bytes[1] = 0x10 | (uint8_t)(i >> 16);
			a.bytes[2] = (uint8_t)(i >> 8);
			a.bytes[a.family == 6 ? 15 : 3] = (uint8_t)i;
			net_from_prefix(&a, a.family == 6 ? 128 : 32, &n);
			n.kind = NET_ADDR;
			ipset_add(s, &n, 1000000 + i, 1, NULL);
		}
		is_int((long long)(ipset_count(s) - base), 40000, "40,000 of both families");
		for (i = 0; i < 40000 && !bad; i++) {
			struct ipset_entry e;
			const uint8_t *first;
			uint8_t fam;
			int want = i % 3 == 0 || i % 7 == 0 ? 6 : 4;

			ipset_get(s, base + i, &e);
			first = ipset_first(s, base + i, &fam);
			if (e.family != want || fam != want || e.line != 1000000 + i ||
			    e.bytes[2] != (uint8_t)(i >> 8) || first[2] != (uint8_t)(i >> 8) ||
			    e.bytes[want == 6 ? 15 : 3] != (uint8_t)i ||
			    (want == 4 && e.bytes[15] != 0)) {
				bad = 1;
				printf("# entry %zu: family %d line %u\n", i, e.family, (unsigned)e.line);
			}
		}
		ok(!bad, "every entry's number, family and address");
		n = N("2a10:9c00::3f");       /* entry 39,999 */
		is_int(ipset_add(s, &n, 1, 1, NULL), 0, "an IPv6 entry of a later block is found");
		n = N("172.16.156.61");      /* entry 39,997 */
		is_int(ipset_add(s, &n, 1, 1, NULL), 0, "an IPv4 one too");
	}
	ok(ipset_memory(s) / ipset_count(s) < 36, "under 36 bytes per unique entry (%zu)",
	   ipset_memory(s) / ipset_count(s));
	ipset_seal(s);
	ok(ipset_memory(s) / ipset_count(s) < 26, "under 26 sealed (%zu)",
	   ipset_memory(s) / ipset_count(s));
	ipset_free(s);
	ipset_free(NULL);
	return done_testing();
}
