/*
 * test_addr.c - address, prefix and range parsing and formatting.
 *
 * Every table input is parsed from a malloc'd copy of exactly its length
 * with no terminator, so an over-read shows up under AddressSanitizer.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "tap.h"
#include "util.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------- helpers */

static int parse_exact(const char *s, size_t n, struct ga_addr *a,
    const char **why)
{
	char *copy = xmalloc(n);
	int r;

	memcpy(copy, s, n);
	r = addr_parse(copy, n, a, why);
	free(copy);
	return r;
}

static int net_exact(const char *s, size_t n, unsigned flags,
    struct ga_net *net, const char **why)
{
	char *copy = xmalloc(n);
	int r;

	memcpy(copy, s, n);
	r = net_parse(copy, n, flags, net, why);
	free(copy);
	return r;
}

/* The input as printable text for a TAP description (which must stay on
 * one line).  Returns a static buffer. */
static const char *shown(const char *s)
{
	static char out[256];
	size_t o = 0;

	for (; *s != '\0' && o + 5 < sizeof out; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			snprintf(out + o, sizeof out - o, "\\x%02x", c);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}

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

static int same_addr(const struct ga_addr *a, const struct ga_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* ------------------------------------------------------- valid addresses */

struct good {
	const char *in;
	const char *out;     /* canonical text */
	int family;
};

static const struct good good[] = {
	/* IPv4 */
	{ "0.0.0.0", "0.0.0.0", 4 },
	{ "255.255.255.255", "255.255.255.255", 4 },
	{ "1.2.3.4", "1.2.3.4", 4 },
	{ "192.0.2.1", "192.0.2.1", 4 },
	{ "10.0.0.1", "10.0.0.1", 4 },
	{ "127.0.0.1", "127.0.0.1", 4 },
	{ "100.64.0.1", "100.64.0.1", 4 },
	{ "8.8.8.8", "8.8.8.8", 4 },
	{ "0.0.0.1", "0.0.0.1", 4 },
	{ "9.99.199.249", "9.99.199.249", 4 },
	{ "250.251.252.253", "250.251.252.253", 4 },
	{ "172.16.254.1", "172.16.254.1", 4 },
	{ "203.0.113.255", "203.0.113.255", 4 },
	{ "224.0.0.1", "224.0.0.1", 4 },
	{ "10.0.0.0", "10.0.0.0", 4 },
	{ "1.0.0.0", "1.0.0.0", 4 },
	{ " 1.2.3.4", "1.2.3.4", 4 },
	{ "1.2.3.4 ", "1.2.3.4", 4 },
	{ "\t1.2.3.4\r\n", "1.2.3.4", 4 },
	/* RFC 4291 2.2 form 1: full */
	{ "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789",
	    "abcd:ef01:2345:6789:abcd:ef01:2345:6789", 6 },
	{ "2001:DB8:0:0:8:800:200C:417A", "2001:db8::8:800:200c:417a", 6 },
	{ "2001:db8:85a3:8d3:1319:8a2e:370:7348",
	    "2001:db8:85a3:8d3:1319:8a2e:370:7348", 6 },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", 6 },
	{ "0000:0000:0000:0000:0000:0000:0000:0001", "::1", 6 },
	{ "0:0:0:0:0:0:0:1", "::1", 6 },
	{ "0:0:0:0:0:0:0:0", "::", 6 },
	{ "FF01:0:0:0:0:0:0:101", "ff01::101", 6 },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6 },
	{ "a:b:c:d:e:f:a:b", "a:b:c:d:e:f:a:b", 6 },
	/* form 2: "::" at start, middle, end */
	{ "::", "::", 6 },
	{ "::1", "::1", 6 },
	{ "1::", "1::", 6 },
	{ "2001:DB8::8:800:200C:417A", "2001:db8::8:800:200c:417a", 6 },
	{ "FF01::101", "ff01::101", 6 },
	{ "1::8", "1::8", 6 },
	{ "1:2::8", "1:2::8", 6 },
	{ "1:2:3::8", "1:2:3::8", 6 },
	{ "1:2:3:4::8", "1:2:3:4::8", 6 },
	{ "1:2:3:4:5::8", "1:2:3:4:5::8", 6 },
	{ "1:2:3:4:5:6::8", "1:2:3:4:5:6:0:8", 6 },
	{ "1::3:4:5:6:7:8", "1:0:3:4:5:6:7:8", 6 },
	{ "::3:4:5:6:7:8", "::3:4:5:6:7:8", 6 },
	{ "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", 6 },
	{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", 6 },
	{ "1:2:3:4:5::", "1:2:3:4:5::", 6 },
	{ "fFfF::", "ffff::", 6 },
	{ "000:00:0::1", "::1", 6 },
	{ "0001:0002::", "1:2::", 6 },
	{ "::ffff", "::ffff", 6 },
	{ "1:ffff::", "1:ffff::", 6 },
	{ "fe80::1", "fe80::1", 6 },
	{ "FE80::0202:B3FF:FE1E:8329", "fe80::202:b3ff:fe1e:8329", 6 },
	{ "5f00::1", "5f00::1", 6 },
	{ "3fff::1", "3fff::1", 6 },
	{ "100::1", "100::1", 6 },
	{ "2002:c000:204::1", "2002:c000:204::1", 6 },
	{ " ::1 ", "::1", 6 },
	{ "\t2001:db8::1\n", "2001:db8::1", 6 },
	/* form 3: embedded IPv4 */
	{ "0:0:0:0:0:0:13.1.68.3", "::d01:4403", 6 },
	{ "::13.1.68.3", "::d01:4403", 6 },
	{ "::1.2.3.4", "::102:304", 6 },
	{ "::0.0.0.0", "::", 6 },
	{ "::0.0.0.1", "::1", 6 },
	{ "1::1.2.3.4", "1::102:304", 6 },
	{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", 6 },
	{ "64:ff9b::192.0.2.33", "64:ff9b::c000:221", 6 },
	{ "::ffff:0:1.2.3.4", "::ffff:0:102:304", 6 },
	{ "::fffe:1.2.3.4", "::fffe:102:304", 6 },
	/* IPv4-mapped becomes IPv4 */
	{ "0:0:0:0:0:FFFF:129.144.52.38", "129.144.52.38", 4 },
	{ "::FFFF:129.144.52.38", "129.144.52.38", 4 },
	{ "::ffff:1.2.3.4", "1.2.3.4", 4 },
	{ "::ffff:0102:0304", "1.2.3.4", 4 },
	{ "::ffff:102:304", "1.2.3.4", 4 },
	{ "0::ffff:0.0.0.0", "0.0.0.0", 4 },
	{ "::ffff:0:0", "0.0.0.0", 4 },
	{ "::ffff:255.255.255.255", "255.255.255.255", 4 },
	{ "0:0:0:0:0:ffff:c000:0201", "192.0.2.1", 4 },
	/* RFC 5952 section 4 */
	{ "2001:db8:0:0:0:0:2:1", "2001:db8::2:1", 6 },
	{ "2001:db8::0:1", "2001:db8::1", 6 },
	{ "2001:0db8::0001", "2001:db8::1", 6 },
	{ "2001:db8:0:0:0:0:0:1", "2001:db8::1", 6 },
	{ "2001:db8::1", "2001:db8::1", 6 },
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 6 },
	{ "2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 6 },
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1", 6 },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", 6 },
	{ "2001:DB8::1", "2001:db8::1", 6 },
	{ "2001:Db8::AbCd", "2001:db8::abcd", 6 },
	{ "2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1", 6 },
	{ "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001",
	    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", 6 },
	{ "2001:db8::aaaa:0:0:1", "2001:db8::aaaa:0:0:1", 6 },
	{ "2001:db8:0:0:aaaa::1", "2001:db8::aaaa:0:0:1", 6 },
	{ "2001:db8:1:2:3:4:5:0", "2001:db8:1:2:3:4:5:0", 6 },
	/* longest run wins, leftmost on a tie, never a single group */
	{ "1:0:0:2:0:0:0:3", "1:0:0:2::3", 6 },
	{ "1:0:0:0:2:0:0:3", "1::2:0:0:3", 6 },
	{ "1:0:0:2:0:0:3:4", "1::2:0:0:3:4", 6 },
	{ "0:0:1:0:0:1:0:0", "::1:0:0:1:0:0", 6 },
	{ "1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0", 6 },
	{ "0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1", 6 },
	{ "1:2:0:0:0:0:0:0", "1:2::", 6 },
	{ "0:0:0:0:0:0:1:2", "::1:2", 6 },
	{ "0:0:0:0:0:0:0:ffff", "::ffff", 6 },
	{ "0:0:0:0:1:0:0:0", "::1:0:0:0", 6 },
	{ "1:0:0:0:0:0:0:1", "1::1", 6 },
};

/* ----------------------------------------------------- invalid addresses */

struct bad {
	const char *in;
	const char *why;
};

static const char LZ[] =
    "leading zero in IPv4 octet is ambiguous (octal or decimal)";
static const char OVER[] = "IPv4 octet over 255";
static const char FOUR[] = "IPv4 address needs four octets";
static const char MANY4[] = "too many IPv4 octets";
static const char BAD4[] = "invalid character in IPv4 address";
static const char EMPTY4[] = "empty IPv4 octet";
static const char HEX4[] = "hex IPv4 octets are not accepted";
static const char NOTIP[] = "not an IP address";
static const char ZONE[] =
    "IPv6 zone ids are not accepted (a zone names a local interface)";
static const char BAD6[] = "invalid character in IPv6 address";
static const char TWOGAP[] = "more than one '::' in IPv6 address";
static const char COLONS[] = "too many colons in IPv6 address";
static const char MANY6[] = "too many IPv6 groups";
static const char EIGHT[] = "IPv6 address needs eight groups (or '::')";
static const char GAP0[] = "'::' must stand for at least one zero group";
static const char DIG5[] = "IPv6 group has more than 4 hex digits";
static const char START1[] = "IPv6 address starts with a single ':'";
static const char END1[] = "IPv6 address ends with a single ':'";
static const char EMPTY[] = "empty address";

static const struct bad bads[] = {
	{ "", EMPTY },
	{ "   ", EMPTY },
	{ "\t\r\n", EMPTY },
	/* IPv4 */
	{ "1.2.3", FOUR },
	{ "1.2", FOUR },
	{ "10.1", FOUR },
	{ "1.2.3.4.5", MANY4 },
	{ "1.2.3.4.5.6", MANY4 },
	{ "256.1.1.1", OVER },
	{ "1.2.3.256", OVER },
	{ "999.1.1.1", OVER },
	{ "1000.1.1.1", OVER },
	{ "4294967296.1.1.1", OVER },
	{ "99999999999999999999.1.1.1", OVER },
	{ "1.2.3.04", LZ },
	{ "010.1.1.1", LZ },
	{ "00.1.1.1", LZ },
	{ "01.02.03.04", LZ },
	{ "127.0.0.01", LZ },
	{ "1.2.3.000", LZ },
	{ "0x7f.1", HEX4 },
	{ "0x7f.0.0.1", HEX4 },
	{ "0X7F.0.0.1", HEX4 },
	{ "1.2.3.0x4", HEX4 },
	{ "0177.0.0.1", LZ },
	{ "1..2.3", EMPTY4 },
	{ ".1.2.3", EMPTY4 },
	{ "1.2.3.", EMPTY4 },
	{ "1.2.3.4.", EMPTY4 },
	{ "...", EMPTY4 },
	{ "1.2.3.-4", BAD4 },
	{ "+1.2.3.4", BAD4 },
	{ "1.2.3.+4", BAD4 },
	{ "1.2.3.4a", BAD4 },
	{ "a.b.c.d", BAD4 },
	{ "1.2.3.4 5", BAD4 },
	{ "1 .2.3.4", BAD4 },
	{ "1.2. 3.4", BAD4 },
	{ "1.2.3.4/24", BAD4 },
	{ "1,2,3,4", NOTIP },
	{ "12345", NOTIP },
	{ "4294967295", NOTIP },
	{ "0x7f000001", NOTIP },
	{ "abc", NOTIP },
	{ "localhost", NOTIP },
	{ "-", NOTIP },
	{ "1.2.3.4%eth0", ZONE },
	{ "1.2.3.4-1.2.3.5", BAD4 },
	{ "1.2.3.\xc4\xb0", BAD4 },
	/* IPv6 */
	{ ":::", COLONS },
	{ "::::", COLONS },
	{ "1:::2", COLONS },
	{ "1::2:::3", TWOGAP },
	{ "1::2::3", TWOGAP },
	{ "::1::", TWOGAP },
	{ "::1::2", TWOGAP },
	{ "1::2::", TWOGAP },
	{ "1:2:3:4:5:6:7:8:9", MANY6 },
	{ "1:2:3:4:5:6:7:8:9:10", MANY6 },
	{ "1:2:3:4:5:6:7:8:9::", MANY6 },
	{ "1:2:3:4:5:6:7", EIGHT },
	{ "1:2", EIGHT },
	{ "1:2:3:4:5:6:1.2.3.4:1", BAD4 },
	{ "1:2:3:4:5:1.2.3.4", EIGHT },
	{ "1:2:3:4:5:6:7:8::", GAP0 },
	{ "::1:2:3:4:5:6:7:8", GAP0 },
	{ "1::2:3:4:5:6:7:8", GAP0 },
	{ "1:2:3:4::5:6:7:8", GAP0 },
	{ "::1:2:3:4:5:6:1.2.3.4", GAP0 },
	{ "12345::", DIG5 },
	{ "1:23456::", DIG5 },
	{ "00000::1", DIG5 },
	{ "::fffff", DIG5 },
	{ "1:2:3:4:5:6:7:00008", DIG5 },
	{ "g::1", BAD6 },
	{ "1:2:3:4:5:6:7:g", BAD6 },
	{ "::1g", BAD6 },
	{ "[::1]", BAD6 },
	{ "::1]", BAD6 },
	{ "-::1", BAD6 },
	{ "::-1", BAD6 },
	{ "::1 ::2", BAD6 },
	{ "1:2:3:4:5:6:7:8 9", BAD6 },
	{ "2001:db8::1/64", BAD6 },
	{ "1 ::", BAD6 },
	{ "x::", BAD6 },
	{ ":1::", START1 },
	{ ":1:2:3:4:5:6:7:8", START1 },
	{ ":", START1 },
	{ "1::2:", END1 },
	{ "1:2:3:4:5:6:7:8:", END1 },
	{ "1:", END1 },
	{ "fe80::1%eth0", ZONE },
	{ "fe80::%1", ZONE },
	{ "fe80::1%25eth0", ZONE },
	{ "fe80::1%", ZONE },
	{ "::ffff:1.2.3.4%eth0", ZONE },
	{ "::ffff:1.2.3", FOUR },
	{ "::ffff:1.2.3.4.5", MANY4 },
	{ "::ffff:256.1.1.1", OVER },
	{ "::ffff:01.2.3.4", LZ },
	{ "::1.2.3.04", LZ },
	{ "1:2:3:4:5:6:7:1.2.3.4", MANY6 },
	{ "1.2.3.4::", BAD4 },
	{ "::1.2.3.4:5", BAD4 },
	{ "::1.2.3.4.5", MANY4 },
	{ "::a.2.3.4", BAD4 },
	{ "::1.2.3", FOUR },
	{ "::1.2.3.4::", BAD4 },
	{ "::.1.2.3", EMPTY4 },
};

/* ------------------------------------------------------------ networks */

struct netcase {
	const char *in;
	unsigned flags;
	const char *out;     /* net_format text, or NULL if rejected */
	int kind;
	int plen;
	const char *why;     /* reason when rejected */
};

#define MASK ADDR_HOSTBITS_MASK
#define HOSTBITS "host bits set (did you mean the network address?)"

static const struct netcase nets[] = {
	/* single addresses */
	{ "1.2.3.4", 0, "1.2.3.4", NET_ADDR, 32, NULL },
	{ "::1", 0, "::1", NET_ADDR, 128, NULL },
	{ "::ffff:1.2.3.4", 0, "1.2.3.4", NET_ADDR, 32, NULL },
	{ " 2001:db8::1 ", 0, "2001:db8::1", NET_ADDR, 128, NULL },
	{ "1.2.3.4", ADDR_NO_PREFIX, "1.2.3.4", NET_ADDR, 32, NULL },
	{ "", 0, NULL, 0, 0, "empty address" },
	{ " \t ", 0, NULL, 0, 0, "empty address" },
	{ "010.1.1.1", 0, NULL, 0, 0, LZ },
	/* CIDR */
	{ "10.0.0.0/8", 0, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "10.0.0.0/8", ADDR_NO_RANGE, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "10.0.0.0/8 ", 0, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "0.0.0.0/0", 0, "0.0.0.0/0", NET_CIDR, 0, NULL },
	{ "1.2.3.4/32", 0, "1.2.3.4/32", NET_CIDR, 32, NULL },
	{ "1.2.3.0/24", 0, "1.2.3.0/24", NET_CIDR, 24, NULL },
	{ "192.168.0.0/16", 0, "192.168.0.0/16", NET_CIDR, 16, NULL },
	{ "10.1.2.3/8", 0, NULL, 0, 0, HOSTBITS },
	{ "10.1.2.3/8", MASK, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "1.2.3.4/0", 0, NULL, 0, 0, HOSTBITS },
	{ "1.2.3.4/0", MASK, "0.0.0.0/0", NET_CIDR, 0, NULL },
	{ "1.2.3.5/31", 0, NULL, 0, 0, HOSTBITS },
	{ "1.2.3.5/31", MASK, "1.2.3.4/31", NET_CIDR, 31, NULL },
	{ "1.2.3.4/33", 0, NULL, 0, 0, "IPv4 prefix length over 32" },
	{ "1.2.3.4/33", MASK, NULL, 0, 0, "IPv4 prefix length over 32" },
	{ "10.0.0.0/4294967304", 0, NULL, 0, 0, "IPv4 prefix length over 32" },
	{ "10.0.0.0/08", 0, NULL, 0, 0, "leading zero in prefix length" },
	{ "10.0.0.0/008", 0, NULL, 0, 0, "leading zero in prefix length" },
	{ "10.0.0.0/00", 0, NULL, 0, 0, "leading zero in prefix length" },
	{ "10.0.0.0/", 0, NULL, 0, 0, "missing prefix length after '/'" },
	{ "/8", 0, NULL, 0, 0, "missing address before '/'" },
	{ "10.0.0.0/8/8", 0, NULL, 0, 0,
	    "prefix length is not a decimal number" },
	{ "10.0.0.0/+8", 0, NULL, 0, 0, "prefix length is not a decimal number" },
	{ "10.0.0.0/ 8", 0, NULL, 0, 0, "prefix length is not a decimal number" },
	{ "10.0.0.0/a", 0, NULL, 0, 0, "prefix length is not a decimal number" },
	{ "10.0.0.0/8.0", 0, NULL, 0, 0,
	    "prefix length is not a decimal number" },
	{ "10.0.0.0 /8", 0, NULL, 0, 0, BAD4 },
	{ "10.0.0/8", 0, NULL, 0, 0, FOUR },
	{ "10.0.0.0/-8", 0, NULL, 0, 0,
	    "a range end cannot have a prefix length" },
	{ "10.0.0.0/8", ADDR_NO_PREFIX, NULL, 0, 0,
	    "prefix lengths are not accepted here" },
	{ "::/0", 0, "::/0", NET_CIDR, 0, NULL },
	{ "::/128", 0, "::/128", NET_CIDR, 128, NULL },
	{ "::1/128", 0, "::1/128", NET_CIDR, 128, NULL },
	{ "2001:db8::/32", 0, "2001:db8::/32", NET_CIDR, 32, NULL },
	{ "2001:DB8::/32", 0, "2001:db8::/32", NET_CIDR, 32, NULL },
	{ "2001:db8::/129", 0, NULL, 0, 0, "IPv6 prefix length over 128" },
	{ "2001:db8::/1280", 0, NULL, 0, 0, "IPv6 prefix length over 128" },
	{ "2001:db8::1/32", 0, NULL, 0, 0, HOSTBITS },
	{ "2001:db8::1/32", MASK, "2001:db8::/32", NET_CIDR, 32, NULL },
	{ "2001:db8::/032", 0, NULL, 0, 0, "leading zero in prefix length" },
	{ "fe80::/10", 0, "fe80::/10", NET_CIDR, 10, NULL },
	{ "fe80::1%eth0/64", 0, NULL, 0, 0, ZONE },
	{ "2001:db8::/33", 0, "2001:db8::/33", NET_CIDR, 33, NULL },
	{ "2001:db8:8000::/33", 0, "2001:db8:8000::/33", NET_CIDR, 33, NULL },
	{ "2001:db8::1:0:0:0/64", 0, NULL, 0, 0, HOSTBITS },
	{ "2001:db8::1:0:0:0/80", 0, "2001:db8:0:0:1::/80", NET_CIDR, 80,
	    NULL },
	{ "::ffff:ffff:ffff:ffff/64", 0, NULL, 0, 0, HOSTBITS },
	/* IPv4-mapped prefixes */
	{ "::ffff:0:0/96", 0, "0.0.0.0/0", NET_CIDR, 0, NULL },
	{ "0:0:0:0:0:ffff::/96", 0, "0.0.0.0/0", NET_CIDR, 0, NULL },
	{ "::ffff:10.0.0.0/104", 0, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "::ffff:192.0.2.1/128", 0, "192.0.2.1/32", NET_CIDR, 32, NULL },
	{ "::ffff:10.0.0.1/104", 0, NULL, 0, 0, HOSTBITS },
	{ "::ffff:10.0.0.1/104", MASK, "10.0.0.0/8", NET_CIDR, 8, NULL },
	{ "::ffff:0:0/95", 0, NULL, 0, 0, HOSTBITS },
	{ "::ffff:0:0/95", MASK, "::fffe:0:0/95", NET_CIDR, 95, NULL },
	{ "::/96", 0, "::/96", NET_CIDR, 96, NULL },
	{ "::ffff:0:0/80", 0, NULL, 0, 0, HOSTBITS },
	/* ranges */
	{ "1.2.3.4-1.2.3.4", 0, "1.2.3.4/32", NET_RANGE, 32, NULL },
	{ "1.2.3.0-1.2.3.255", 0, "1.2.3.0/24", NET_RANGE, 24, NULL },
	{ "1.2.3.0 - 1.2.3.255", 0, "1.2.3.0/24", NET_RANGE, 24, NULL },
	{ "1.2.3.4 -1.2.3.9", 0, "1.2.3.4-1.2.3.9", NET_RANGE, -1, NULL },
	{ "1.2.3.4-\t1.2.3.9", 0, "1.2.3.4-1.2.3.9", NET_RANGE, -1, NULL },
	{ "1.2.3.1-1.2.3.255", 0, "1.2.3.1-1.2.3.255", NET_RANGE, -1, NULL },
	{ "1.2.3.0-1.2.3.254", 0, "1.2.3.0-1.2.3.254", NET_RANGE, -1, NULL },
	{ "1.2.2.0-1.2.3.255", 0, "1.2.2.0/23", NET_RANGE, 23, NULL },
	{ "1.2.3.0-1.2.4.255", 0, "1.2.3.0-1.2.4.255", NET_RANGE, -1, NULL },
	{ "0.0.0.0-255.255.255.255", 0, "0.0.0.0/0", NET_RANGE, 0, NULL },
	{ "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, "::/0", NET_RANGE, 0,
	    NULL },
	{ "2001:db8::-2001:db8::ff", 0, "2001:db8::/120", NET_RANGE, 120, NULL },
	{ "2001:db8::1-2001:db8::ff", 0, "2001:db8::1-2001:db8::ff", NET_RANGE,
	    -1, NULL },
	{ "::ffff:1.2.3.4-::ffff:1.2.3.10", 0, "1.2.3.4-1.2.3.10", NET_RANGE, -1,
	    NULL },
	{ "::ffff:1.2.3.0-1.2.3.255", 0, "1.2.3.0/24", NET_RANGE, 24, NULL },
	{ "1.2.3.5-1.2.3.4", 0, NULL, 0, 0, "range start is after range end" },
	{ "::2-::1", 0, NULL, 0, 0, "range start is after range end" },
	{ "1.2.3.4-::1", 0, NULL, 0, 0,
	    "range ends are different address families" },
	{ "::1-1.2.3.4", 0, NULL, 0, 0,
	    "range ends are different address families" },
	{ "::ffff:1.2.3.4-::1:0:0:0", 0, NULL, 0, 0,
	    "range ends are different address families" },
	{ "1.2.3.4-", 0, NULL, 0, 0, "range is missing its end" },
	{ "-1.2.3.4", 0, NULL, 0, 0, "range is missing its start" },
	{ " - ", 0, NULL, 0, 0, "range is missing its start" },
	{ "1.2.3.4-1.2.3.5-1.2.3.6", 0, NULL, 0, 0, "more than one '-' in range" },
	{ "1.2.3.4--1.2.3.5", 0, NULL, 0, 0, "more than one '-' in range" },
	{ "1.2.3.0/24-1.2.4.0", 0, NULL, 0, 0,
	    "a range end cannot have a prefix length" },
	{ "1.2.3.4-1.2.3", 0, NULL, 0, 0, FOUR },
	{ "01.2.3.4-1.2.3.5", 0, NULL, 0, 0, LZ },
	{ "fe80::1%eth0-fe80::2", 0, NULL, 0, 0, ZONE },
	{ "1.2.3.4-1.2.3.5", ADDR_NO_RANGE, NULL, 0, 0,
	    "ranges are not accepted here" },
	{ "1.2.3.4-1.2.3.5", ADDR_NO_PREFIX, NULL, 0, 0,
	    "ranges are not accepted here" },
};

/* ------------------------------------------------------------- tests */

static void test_good(void)
{
	size_t i;
	struct ga_addr a, b;
	char buf[ADDR_TEXT_MAX];
	const char *why;

	for (i = 0; i < NITEMS(good); i++) {
		const struct good *g = &good[i];

		why = NULL;
		memset(&a, 0, sizeof a);
		if (!ok(parse_exact(g->in, strlen(g->in), &a, &why) == 0,
		    "accept \"%s\"", shown(g->in))) {
			printf("# why: %s\n", why ? why : "(null)");
			continue;
		}
		is_int(a.family, g->family, "  family");
		is_str(addr_format(&a, buf), g->out, "  canonical text");
		ok(parse_exact(buf, strlen(buf), &b, &why) == 0 &&
		    same_addr(&a, &b), "  \"%s\" reads back the same", buf);
	}
}

static void test_bad(void)
{
	size_t i;
	struct ga_addr a;
	const char *why;

	for (i = 0; i < NITEMS(bads); i++) {
		why = NULL;
		ok(parse_exact(bads[i].in, strlen(bads[i].in), &a, &why) != 0,
		    "reject \"%s\"", shown(bads[i].in));
		is_str(why, bads[i].why, "  reason");
	}
}

static void test_nets(void)
{
	size_t i;
	struct ga_net n, m;
	char buf[NET_TEXT_MAX];
	const char *why;

	for (i = 0; i < NITEMS(nets); i++) {
		const struct netcase *c = &nets[i];
		int r;

		why = NULL;
		r = net_exact(c->in, strlen(c->in), c->flags, &n, &why);
		if (c->out == NULL) {
			ok(r != 0, "net reject \"%s\" (flags %u)", shown(c->in),
			    c->flags);
			is_str(why, c->why, "  reason");
			continue;
		}
		if (!ok(r == 0, "net accept \"%s\" (flags %u)", shown(c->in),
		    c->flags)) {
			printf("# why: %s\n", why ? why : "(null)");
			continue;
		}
		is_str(net_format(&n, buf), c->out, "  text");
		is_int(n.kind, c->kind, "  kind");
		is_int(n.prefix_len, c->plen, "  prefix_len");
		ok(addr_cmp(&n.lo, &n.hi) <= 0, "  lo <= hi");
		ok(net_parse(buf, strlen(buf), 0, &m, &why) == 0 &&
		    same_addr(&n.lo, &m.lo) && same_addr(&n.hi, &m.hi),
		    "  \"%s\" reads back the same network", buf);
	}
}

static void test_bounds(void)
{
	struct ga_net n;
	char buf[NET_TEXT_MAX];

	ok(net_parse("10.0.0.0/8", 10, 0, &n, NULL) == 0 &&
	    strcmp(addr_format(&n.hi, buf), "10.255.255.255") == 0,
	    "10.0.0.0/8 ends at 10.255.255.255");
	ok(net_parse("2001:db8::/32", 13, 0, &n, NULL) == 0 &&
	    strcmp(addr_format(&n.hi, buf),
	    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff") == 0,
	    "2001:db8::/32 ends at 2001:db8:ffff:...");
	ok(net_parse("::ffff:10.0.0.0/104", 19, 0, &n, NULL) == 0 &&
	    n.hi.family == 4 &&
	    strcmp(addr_format(&n.hi, buf), "10.255.255.255") == 0,
	    "mapped /104 ends at 10.255.255.255 (IPv4)");
	ok(net_parse("1.2.3.4", 7, 0, &n, NULL) == 0 &&
	    same_addr(&n.lo, &n.hi), "single address: lo == hi");
	ok(net_parse("::/0", 4, 0, &n, NULL) == 0 &&
	    strcmp(addr_format(&n.hi, buf),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") == 0, "::/0 ends at all-ones");
	/* Found by fuzzing: a network may end inside ::ffff:0:0/96 and its
	 * bound must stay IPv6 (only whole mapped prefixes become IPv4). */
	ok(net_parse("::/80", 5, 0, &n, NULL) == 0 && n.hi.family == 6 &&
	    strcmp(addr_format(&n.hi, buf), "::ffff:ffff:ffff") == 0,
	    "::/80 ends at ::ffff:ffff:ffff, still IPv6");
	ok(net_parse("::/0", 4, 0, &n, NULL) == 0, "::/0 again");
	n.kind = NET_RANGE;
	n.prefix_len = -1;
	is_str(net_format(&n, buf), "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "longest range text fits");
	ok(strlen(buf) < NET_TEXT_MAX, "  under NET_TEXT_MAX");
}

/* Embedded NUL and buffers that are not NUL-terminated. */
static void test_lengths(void)
{
	static const char with_nul[] = "1.2\0.3.4";
	static const char trail_nul[] = "1.2.3.4\0";
	static const char lead_nul[] = "\0::1";
	static const char six_nul[] = "::1\0:2";
	static const char longer[] = "1.2.3.4.5";
	static const char cidr_more[] = "10.0.0.0/8xyz";
	static const char v6_more[] = "2001:db8::1234567";
	struct ga_addr a;
	struct ga_net n;
	const char *why;
	char buf[NET_TEXT_MAX];
	char *exact;

	why = NULL;
	ok(addr_parse(with_nul, 8, &a, &why) != 0, "NUL inside IPv4 rejected");
	is_str(why, "embedded NUL byte", "  reason");
	why = NULL;
	ok(addr_parse(trail_nul, 8, &a, &why) != 0,
	    "NUL at the end of the span rejected");
	is_str(why, "embedded NUL byte", "  reason");
	why = NULL;
	ok(addr_parse(lead_nul, 4, &a, &why) != 0, "leading NUL rejected");
	is_str(why, "embedded NUL byte", "  reason");
	why = NULL;
	ok(addr_parse(six_nul, 6, &a, &why) != 0, "NUL inside IPv6 rejected");
	is_str(why, "embedded NUL byte", "  reason");
	why = NULL;
	ok(net_parse(with_nul, 8, 0, &n, &why) != 0, "net_parse: NUL rejected");
	is_str(why, "embedded NUL byte", "  reason");
	ok(net_parse("10.0.0.0/8\0", 11, 0, &n, &why) != 0,
	    "net_parse: NUL after prefix rejected");
	ok(net_parse("1.2.3.4-1.2.3.5\0", 16, 0, &n, &why) != 0,
	    "net_parse: NUL after range rejected");
	ok(addr_parse(trail_nul, 7, &a, &why) == 0,
	    "same buffer with len stopping before the NUL accepted");

	ok(addr_parse(longer, 7, &a, &why) == 0 &&
	    strcmp(addr_format(&a, buf), "1.2.3.4") == 0,
	    "prefix of \"1.2.3.4.5\" with len 7 is 1.2.3.4");
	ok(addr_parse(longer, 5, &a, &why) != 0, "len 5 gives \"1.2.3\"");
	is_str(why, FOUR, "  reason");
	ok(net_parse(cidr_more, 10, 0, &n, &why) == 0 &&
	    strcmp(net_format(&n, buf), "10.0.0.0/8") == 0,
	    "prefix of \"10.0.0.0/8xyz\" with len 10");
	ok(net_parse(cidr_more, 9, 0, &n, &why) != 0,
	    "len 9 stops at the '/'");
	ok(addr_parse(v6_more, 13, &a, &why) == 0 &&
	    strcmp(addr_format(&a, buf), "2001:db8::123") == 0,
	    "prefix of a longer IPv6 text");
	ok(addr_parse("::1", 0, &a, &why) != 0, "len 0 rejected");
	is_str(why, EMPTY, "  reason");
	ok(addr_parse("::1", 2, &a, &why) == 0 &&
	    strcmp(addr_format(&a, buf), "::") == 0, "len 2 of \"::1\" is ::");

	/* Exact-length heap copies: any read past the end trips ASan. */
	exact = xmalloc(11);
	memcpy(exact, "2001:db8::1", 11);
	ok(addr_parse(exact, 11, &a, &why) == 0 &&
	    strcmp(addr_format(&a, buf), "2001:db8::1") == 0,
	    "unterminated heap buffer (IPv6)");
	free(exact);
	exact = xmalloc(7);
	memcpy(exact, "1.2.3.4", 7);
	ok(addr_parse(exact, 7, &a, &why) == 0, "unterminated heap buffer (IPv4)");
	free(exact);
	exact = xmalloc(3);
	memcpy(exact, "1.2", 3);
	ok(addr_parse(exact, 3, &a, &why) != 0,
	    "unterminated heap buffer, short IPv4");
	free(exact);
	exact = xmalloc(1);
	memcpy(exact, ":", 1);
	ok(addr_parse(exact, 1, &a, &why) != 0, "unterminated \":\"");
	free(exact);
	exact = xmalloc(2);
	memcpy(exact, "1:", 2);
	ok(addr_parse(exact, 2, &a, &why) != 0, "unterminated \"1:\"");
	free(exact);
	exact = xmalloc(10);
	memcpy(exact, "10.0.0.0/8", 10);
	ok(net_parse(exact, 10, 0, &n, &why) == 0, "unterminated CIDR");
	free(exact);
	exact = xmalloc(9);
	memcpy(exact, "10.0.0.0/", 9);
	ok(net_parse(exact, 9, 0, &n, &why) != 0, "unterminated CIDR, no length");
	free(exact);
	exact = xmalloc(8);
	memcpy(exact, "::1-::2 ", 8);
	ok(net_parse(exact, 8, 0, &n, &why) == 0, "unterminated range");
	free(exact);
	exact = xmalloc(4);
	memcpy(exact, "::1-", 4);
	ok(net_parse(exact, 4, 0, &n, &why) != 0, "unterminated open range");
	free(exact);

	ok(addr_parse("1.2.3.4", 7, &a, NULL) == 0, "why may be NULL (ok)");
	ok(addr_parse("1.2.3", 5, &a, NULL) != 0, "why may be NULL (error)");
	ok(net_parse("1.2.3", 5, 0, &n, NULL) != 0, "net why may be NULL");
}

/* ------------------------------------------------------ range_to_cidrs */

#define MAXBLK 300

struct blocks {
	struct ga_addr start[MAXBLK];
	int len[MAXBLK];
	int n;
	int stop_after;
};

static int collect(const struct ga_addr *start, int len, void *ctx)
{
	struct blocks *b = ctx;

	if (b->n < MAXBLK) {
		b->start[b->n] = *start;
		b->len[b->n] = len;
	}
	b->n++;
	if (b->stop_after && b->n == b->stop_after)
		return 42;
	return 0;
}

static uint32_t v4_value(const struct ga_addr *a)
{
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	    (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

static struct ga_addr v4_addr(uint32_t v)
{
	struct ga_addr a;

	memset(&a, 0, sizeof a);
	a.family = 4;
	a.bytes[0] = (uint8_t)(v >> 24);
	a.bytes[1] = (uint8_t)(v >> 16);
	a.bytes[2] = (uint8_t)(v >> 8);
	a.bytes[3] = (uint8_t)v;
	return a;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* The minimal block count, one address at a time: the obvious way. */
static int brute_count(uint32_t lo, uint32_t hi)
{
	uint64_t cur = lo;
	int n = 0;

	while (cur <= hi) {
		int k = 0;

		while (k < 32 && (cur & (((uint64_t)2 << k) - 1)) == 0 &&
		    cur + ((uint64_t)2 << k) - 1 <= hi)
			k++;
		cur += (uint64_t)1 << k;
		n++;
	}
	return n;
}

static void test_range_random(void)
{
	static unsigned char seen[8192];
	int iter, bad_cover = 0, bad_align = 0, bad_count = 0, bad_merge = 0;

	for (iter = 0; iter < 400; iter++) {
		uint32_t size = rng() % 5000 + 1, lo, hi, i;
		struct ga_addr alo, ahi;
		struct blocks b;
		int k;

		lo = rng();
		if (iter % 4 == 0)
			lo &= ~(uint32_t)0xff;
		if (lo > UINT32_MAX - size)
			lo = UINT32_MAX - size;
		hi = lo + size - 1;
		alo = v4_addr(lo);
		ahi = v4_addr(hi);
		memset(&b, 0, sizeof b);
		memset(seen, 0, size);
		if (addr_range_to_cidrs(&alo, &ahi, collect, &b) != 0 ||
		    b.n > MAXBLK) {
			bad_cover++;
			continue;
		}
		for (k = 0; k < b.n; k++) {
			uint32_t s = v4_value(&b.start[k]);
			uint64_t cnt = (uint64_t)1 << (32 - b.len[k]);

			if (b.start[k].family != 4 || (s & (cnt - 1)) != 0)
				bad_align++;
			if (s < lo || s + cnt - 1 > hi) {
				bad_cover++;
				continue;
			}
			for (i = 0; i < cnt; i++)
				seen[s - lo + i]++;
			/* Two equal sibling blocks side by side could have
			 * been one: the split would not be minimal. */
			if (k > 0 && b.len[k] == b.len[k - 1] &&
			    (v4_value(&b.start[k - 1]) & cnt) == 0 &&
			    v4_value(&b.start[k - 1]) + cnt == s)
				bad_merge++;
			if (k > 0 && v4_value(&b.start[k - 1]) >= s)
				bad_cover++;
		}
		for (i = 0; i < size; i++)
			if (seen[i] != 1)
				bad_cover++;
		if (b.n != brute_count(lo, hi))
			bad_count++;
	}
	is_int(bad_cover, 0, "random IPv4 ranges: blocks cover lo..hi exactly once");
	is_int(bad_align, 0, "random IPv4 ranges: blocks are aligned");
	is_int(bad_merge, 0, "random IPv4 ranges: no two blocks could merge");
	is_int(bad_count, 0, "random IPv4 ranges: count matches brute force");
}

struct rcase {
	const char *lo;
	const char *hi;
	int count;
	const char *first;
	const char *last;
};

static const struct rcase rcases[] = {
	{ "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "::/0", "::/0" },
	{ "0.0.0.0", "255.255.255.255", 1, "0.0.0.0/0", "0.0.0.0/0" },
	{ "1.2.3.4", "1.2.3.4", 1, "1.2.3.4/32", "1.2.3.4/32" },
	{ "::1", "::1", 1, "::1/128", "::1/128" },
	{ "0.0.0.1", "255.255.255.254", 62, "0.0.0.1/32",
	    "255.255.255.254/32" },
	{ "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 254, "::1/128",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128" },
	{ "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 128, "::/1",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128" },
	{ "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, "::1/128",
	    "8000::/1" },
	{ "::ffff:ffff:ffff:ffff", "0:0:0:1::", 2, "::ffff:ffff:ffff:ffff/128",
	    "0:0:0:1::/128" },
	{ "::8000:0:0:0", "0:0:0:1:7fff:ffff:ffff:ffff", 2, "::8000:0:0:0/65",
	    "0:0:0:1::/65" },
	{ "::", "::ffff:ffff:ffff:ffff", 1, "::/64", "::/64" },
	{ "2001:db8::", "2001:db8::ff", 1, "2001:db8::/120", "2001:db8::/120" },
	{ "2001:db8::1", "2001:db8::ff", 8, "2001:db8::1/128",
	    "2001:db8::80/121" },
	{ "10.0.0.0", "10.255.255.255", 1, "10.0.0.0/8", "10.0.0.0/8" },
	{ "10.0.0.0", "11.255.255.255", 1, "10.0.0.0/7", "10.0.0.0/7" },
	{ "9.255.255.255", "10.0.0.0", 2, "9.255.255.255/32", "10.0.0.0/32" },
	{ "1.2.3.7", "1.2.3.8", 2, "1.2.3.7/32", "1.2.3.8/32" },
	{ "128.0.0.0", "255.255.255.255", 1, "128.0.0.0/1", "128.0.0.0/1" },
};

static void test_range_edges(void)
{
	size_t i;
	char buf[NET_TEXT_MAX], t[NET_TEXT_MAX];
	struct ga_addr lo, hi;
	struct blocks b;
	int r;

	for (i = 0; i < NITEMS(rcases); i++) {
		const struct rcase *c = &rcases[i];

		lo = A(c->lo);
		hi = A(c->hi);
		memset(&b, 0, sizeof b);
		r = addr_range_to_cidrs(&lo, &hi, collect, &b);
		is_int(r, 0, "range_to_cidrs returns 0");
		is_int(b.n, c->count, "  block count");
		if (b.n < 1 || b.n > MAXBLK)
			continue;
		snprintf(t, sizeof t, "%s/%d", addr_format(&b.start[0], buf),
		    b.len[0]);
		is_str(t, c->first, "  first block");
		snprintf(t, sizeof t, "%s/%d",
		    addr_format(&b.start[b.n - 1], buf), b.len[b.n - 1]);
		is_str(t, c->last, "  last block");
	}

	lo = A("1.2.3.1");
	hi = A("1.2.3.200");
	memset(&b, 0, sizeof b);
	b.stop_after = 2;
	is_int(addr_range_to_cidrs(&lo, &hi, collect, &b), 42,
	    "callback result stops the split");
	is_int(b.n, 2, "  after two blocks");

	memset(&b, 0, sizeof b);
	is_int(addr_range_to_cidrs(&hi, &lo, collect, &b), -1,
	    "reversed range refused");
	is_int(b.n, 0, "  no blocks");
	hi = A("::1");
	is_int(addr_range_to_cidrs(&lo, &hi, collect, &b), -1,
	    "mixed families refused");
}

/* ------------------------------------------------ cmp, bits, contains */

static void test_cmp(void)
{
	static const char *const order[] = {
		"0.0.0.0", "0.0.0.1", "1.2.3.4", "1.2.3.5", "1.2.4.0",
		"9.255.255.255", "10.0.0.0", "127.0.0.1", "255.255.255.255",
		"::", "::1", "::0.0.0.2", "::ffff:0:0:0", "1::", "2001:db8::",
		"2001:db8::1", "fe80::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	size_t i, j, n = NITEMS(order);
	int bad = 0;
	struct ga_addr x, y;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			int c;

			x = A(order[i]);
			y = A(order[j]);
			c = addr_cmp(&x, &y);
			if ((i < j && c >= 0) || (i == j && c != 0) ||
			    (i > j && c <= 0)) {
				printf("# cmp(%s, %s) = %d\n", order[i],
				    order[j], c);
				bad++;
			}
		}
	is_int(bad, 0, "addr_cmp: total order, IPv4 before IPv6, bytewise");
	x = A("255.255.255.255");
	y = A("::");
	ok(addr_cmp(&x, &y) < 0, "255.255.255.255 < ::");
	x = A("1.2.3.4");
	y = A("::ffff:1.2.3.4");
	is_int(addr_cmp(&x, &y), 0, "mapped compares equal to its IPv4");

	x = A("128.0.0.1");
	is_int(addr_bits(&x), 32, "addr_bits IPv4");
	is_int(addr_bit(&x, 0), 1, "bit 0 of 128.0.0.1");
	is_int(addr_bit(&x, 1), 0, "bit 1 of 128.0.0.1");
	is_int(addr_bit(&x, 31), 1, "bit 31 of 128.0.0.1");
	is_int(addr_bit(&x, 30), 0, "bit 30 of 128.0.0.1");
	x = A("8000::1");
	is_int(addr_bits(&x), 128, "addr_bits IPv6");
	is_int(addr_bit(&x, 0), 1, "bit 0 of 8000::1");
	is_int(addr_bit(&x, 127), 1, "bit 127 of 8000::1");
	is_int(addr_bit(&x, 64), 0, "bit 64 of 8000::1");
}

static void test_contains(void)
{
	struct ga_net n;
	struct ga_addr a;
	char buf[NET_TEXT_MAX];

	net_parse("10.0.0.0/8", 10, 0, &n, NULL);
	a = A("10.0.0.0");
	ok(net_contains(&n, &a), "10/8 contains 10.0.0.0");
	a = A("10.255.255.255");
	ok(net_contains(&n, &a), "10/8 contains 10.255.255.255");
	a = A("10.1.2.3");
	ok(net_contains(&n, &a), "10/8 contains 10.1.2.3");
	a = A("11.0.0.0");
	ok(!net_contains(&n, &a), "10/8 lacks 11.0.0.0");
	a = A("9.255.255.255");
	ok(!net_contains(&n, &a), "10/8 lacks 9.255.255.255");
	a = A("::a00:1");
	ok(!net_contains(&n, &a), "10/8 lacks ::10.0.0.1 (other family)");
	a = A("::ffff:10.0.0.1");
	ok(net_contains(&n, &a), "10/8 contains ::ffff:10.0.0.1 (mapped)");

	net_parse("2001:db8::/32", 13, 0, &n, NULL);
	a = A("2001:db8:ffff::1");
	ok(net_contains(&n, &a), "2001:db8::/32 contains 2001:db8:ffff::1");
	a = A("2001:db9::");
	ok(!net_contains(&n, &a), "2001:db8::/32 lacks 2001:db9::");
	a = A("32.1.13.184");
	ok(!net_contains(&n, &a), "2001:db8::/32 lacks an IPv4 address");

	net_parse("1.2.3.4-1.2.3.9", 15, 0, &n, NULL);
	a = A("1.2.3.9");
	ok(net_contains(&n, &a), "range contains its end");
	a = A("1.2.3.10");
	ok(!net_contains(&n, &a), "range lacks one past its end");

	a = A("192.0.2.77");
	net_from_prefix(&a, 24, &n);
	is_str(net_format(&n, buf), "192.0.2.0/24", "net_from_prefix masks");
	is_int(n.kind, NET_CIDR, "  kind CIDR");
	is_str(addr_format(&n.hi, buf), "192.0.2.255", "  hi");
	net_from_prefix(&a, 32, &n);
	is_str(net_format(&n, buf), "192.0.2.77/32", "net_from_prefix /32");
	net_from_prefix(&a, 0, &n);
	is_str(net_format(&n, buf), "0.0.0.0/0", "net_from_prefix /0");
	a = A("2001:db8:1234:5678::9");
	net_from_prefix(&a, 48, &n);
	is_str(net_format(&n, buf), "2001:db8:1234::/48",
	    "net_from_prefix IPv6 /48");
	is_str(addr_format(&n.hi, buf),
	    "2001:db8:1234:ffff:ffff:ffff:ffff:ffff", "  hi");
	net_from_prefix(&a, 65, &n);
	is_str(net_format(&n, buf), "2001:db8:1234:5678::/65",
	    "net_from_prefix IPv6 /65");
	is_str(addr_format(&n.hi, buf), "2001:db8:1234:5678:7fff:ffff:ffff:ffff",
	    "  hi");
}

/* The reading of a dotted quad the rules give, worked out here apart
 * from addr.c: four parts of one to three digits, no leading zero,
 * none over 255.  Returns 0 and the bytes, or -1. */
static int quad_by_rule(const char *s, uint8_t b[4])
{
	int part = 0, digits = 0;
	unsigned v = 0;
	const char *p;

	for (p = s;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (digits > 0 && v == 0)
				return -1;      /* leading zero */
			v = v * 10 + (unsigned)(*p - '0');
			if (++digits > 3 || v > 255)
				return -1;
			continue;
		}
		if ((*p != '.' && *p != '\0') || digits == 0 || part == 4)
			return -1;
		b[part++] = (uint8_t)v;
		v = 0;
		digits = 0;
		if (*p == '\0')
			return part == 4 ? 0 : -1;
	}
}

/* addr_parse() and net_parse() read dotted quads as the rules say, on
 * a short path or the full one: random strings of digits and dots. */
static void test_quads_by_rule(void)
{
	static const char alphabet[] = "0123456789.....0019";
	uint32_t x = 12345;
	char s[24];
	int i, k, n, bad = 0, valid = 0;

	for (i = 0; i < 200000; i++) {
		struct ga_addr a;
		struct ga_net net;
		uint8_t want[4];
		int rule, got, gotnet;

		x = x * 1103515245u + 12345u;
		n = 5 + (int)((x >> 16) % 13);
		for (k = 0; k < n; k++) {
			x = x * 1103515245u + 12345u;
			s[k] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		s[n] = '\0';
		rule = quad_by_rule(s, want);
		got = addr_parse(s, (size_t)n, &a, NULL);
		gotnet = net_parse(s, (size_t)n, 0, &net, NULL);
		if (rule == 0)
			valid++;
		if (got != rule || (gotnet == 0) != (rule == 0 || strchr(s, '/') != NULL))
			bad++;
		else if (rule == 0 && (a.family != 4 || memcmp(a.bytes, want, 4) != 0 ||
		         net.kind != NET_ADDR || net.prefix_len != 32 ||
		         addr_cmp(&net.lo, &a) != 0 || addr_cmp(&net.hi, &a) != 0))
			bad++;
	}
	ok(valid > 300, "dotted quads: %d of the random strings are valid", valid);
	is_int(bad, 0, "dotted quads: addr_parse and net_parse read each as the rules say");
}

/* net_from_prefix() at every length of both families, against the block
 * worked out one bit at a time. */
static void test_from_prefix_every_length(void)
{
	static const char *const addrs[] = {
		"203.0.113.201", "255.255.255.255", "0.0.0.1",
		"2001:db8:a5c3:17e9:8000:ffff:1234:fedc", "ffff:ffff::1"
	};
	struct ga_addr a;
	struct ga_net n;
	size_t k;
	int len, bit, bits, bad = 0, checked = 0;

	for (k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
		a = A(addrs[k]);
		bits = a.family == 4 ? 32 : 128;
		for (len = -1; len <= bits + 1; len++) {
			int want = len < 0 ? 0 : len > bits ? bits : len;

			net_from_prefix(&a, len, &n);
			checked++;
			if (n.prefix_len != want || n.kind != NET_CIDR ||
			    n.lo.family != a.family || n.hi.family != a.family) {
				bad++;
				continue;
			}
			for (bit = 0; bit < 128; bit++) {
				int byte = bit / 8, mask = 0x80 >> (bit % 8);
				int in = a.bytes[byte] & mask;
				int lo = n.lo.bytes[byte] & mask, hi = n.hi.bytes[byte] & mask;

				if (bit >= bits) {
					/* Past the family's width: zero in both. */
					if (lo || hi)
						bad++;
				} else if (bit < want) {
					if (!lo != !in || !hi != !in)
						bad++;
				} else if (lo || !hi) {
					bad++;
				}
			}
		}
	}
	is_int(checked, 3 * 35 + 2 * 131, "net_from_prefix: every length tried");
	is_int(bad, 0, "net_from_prefix: every bit of lo and hi as the length says");
}

static void test_v4_forms(void)
{
	struct ga_addr v4 = A("192.0.2.1"), v6;
	char buf[ADDR_TEXT_MAX];

	addr_v4_to_compat(&v4, &v6);
	is_int(v6.family, 6, "compat is IPv6");
	is_str(addr_format(&v6, buf), "::c000:201", "compat text");
	addr_v4_to_mapped(&v4, &v6);
	is_int(v6.family, 6, "mapped is IPv6");
	is_str(addr_format(&v6, buf), "::ffff:c000:201",
	    "mapped text (hex groups; never produced by parsing)");
	addr_v4_to_mapped(&v4, &v4);
	is_int(v4.family, 6, "mapped in place");
	is_int(v4.bytes[12], 192, "  keeps the address");
}


/* ---------------------------------------------------- IPv6 text (RFC 5952) */

static struct ga_addr groups6(const unsigned g[8])
{
	struct ga_addr a;
	int i;

	memset(&a, 0, sizeof(a));
	a.family = 6;
	for (i = 0; i < 8; i++) {
		a.bytes[2 * i] = (uint8_t)(g[i] >> 8);
		a.bytes[2 * i + 1] = (uint8_t)g[i];
	}
	return a;
}

/* addr_put() writes addr_format()'s text, no more: the byte after it is
 * left alone. */
static int put_matches(const struct ga_addr *a, const char *want)
{
	char buf[ADDR_TEXT_MAX + 1], *end;

	memset(buf, '@', sizeof(buf));
	end = addr_put(buf, a);
	return (size_t)(end - buf) == strlen(want) &&
	    memcmp(buf, want, strlen(want)) == 0 && *end == '@';
}

static void test_format_v6(void)
{
	static const struct {
		unsigned g[8];
		const char *text;
	} cases[] = {
		{ { 0, 0, 0, 0, 0, 0, 0, 0 }, "::" },
		{ { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
		{ { 1, 0, 0, 0, 0, 0, 0, 0 }, "1::" },
		{ { 0, 0, 0, 0, 0, 0xffff, 0x808, 0x808 }, "::ffff:808:808" },
		{ { 0, 0, 0, 0, 0, 0, 0x102, 0x304 }, "::102:304" },
		{ { 1, 0, 0, 2, 0, 0, 3, 4 }, "1::2:0:0:3:4" },
		{ { 1, 0, 0, 0, 2, 0, 0, 0 }, "1::2:0:0:0" },
		{ { 1, 0, 0, 2, 0, 0, 0, 3 }, "1:0:0:2::3" },
		{ { 0, 0, 1, 0, 0, 0, 0, 0 }, "0:0:1::" },
		{ { 1, 0, 2, 3, 4, 5, 6, 7 }, "1:0:2:3:4:5:6:7" },
		{ { 0, 1, 2, 3, 4, 5, 6, 0 }, "0:1:2:3:4:5:6:0" },
		{ { 0, 0, 2, 3, 4, 5, 0, 0 }, "::2:3:4:5:0:0" },
		{ { 0xa, 0xb0, 0xc00, 0xd000, 0, 0, 0, 0xf }, "a:b0:c00:d000::f" },
		{ { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff },
		  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 }, "2001:db8::1" },
		{ { 0xfe80, 0, 0, 0, 0x1ff, 0xfe23, 0x4567, 0x890a },
		  "fe80::1ff:fe23:4567:890a" },
	};
	char buf[ADDR_TEXT_MAX], ref[INET6_ADDRSTRLEN];
	uint64_t r = 0x243f6a8885a308d3u;
	size_t i, bad = 0, badput = 0, compared = 0;

	for (i = 0; i < NITEMS(cases); i++) {
		struct ga_addr a = groups6(cases[i].g);

		if (strcmp(addr_format(&a, buf), cases[i].text) != 0 && bad++ == 0)
			printf("# want %s, got %s\n", cases[i].text, buf);
		if (!put_matches(&a, cases[i].text))
			badput++;
	}
	ok(bad == 0, "IPv6 edge cases written as RFC 5952 says (%zu differ)", bad);
	ok(badput == 0, "  addr_put() writes the same text and no terminator");

	/* Random addresses with many zero groups and every group width,
	 * against the C library.  It writes a dotted quad in the last 32 bits
	 * when the first five groups are zero; RFC 5952 5 allows that, we
	 * never do, so those are left out. */
	bad = badput = 0;
	for (i = 0; i < 200000; i++) {
		unsigned g[8];
		struct ga_addr a;
		int k;

		for (k = 0; k < 8; k++) {
			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			g[k] = (r & 1) ? 0 : (unsigned)(r >> 20) & (0xffffu >> (4 * ((r >> 1) & 3)));
		}
		if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0)
			continue;
		a = groups6(g);
		inet_ntop(AF_INET6, a.bytes, ref, sizeof(ref));
		compared++;
		if (strcmp(addr_format(&a, buf), ref) != 0 && bad++ == 0)
			printf("# inet_ntop %s, addr_format %s\n", ref, buf);
		if (!put_matches(&a, ref))
			badput++;
	}
	ok(bad == 0 && compared > 100000,
	   "%zu random IPv6 addresses written as inet_ntop() does (%zu differ)",
	   compared, bad);
	ok(badput == 0, "  addr_put() the same (%zu differ)", badput);
}

int main(void)
{
	test_good();
	test_bad();
	test_nets();
	test_bounds();
	test_lengths();
	test_range_random();
	test_range_edges();
	test_cmp();
	test_contains();
	test_from_prefix_every_length();
	test_quads_by_rule();
	test_v4_forms();
	test_format_v6();
	return done_testing();
}
