/*
 * test_rangelist.c - the reader of third-party datacenter range lists:
 * ipcat's published file as it is, lookups at the edges of ranges, and
 * a FILE:LINE error for every kind of broken row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rangelist.h"
#include "util.h"
#include "tap.h"

/* Parse text from an exact-size copy (no NUL after it). */
static int parse(const char *text, struct rangelist *l, char *err, size_t errlen)
{
	size_t len = strlen(text);
	char *b = xmalloc(len ? len : 1);
	int rc;

	memcpy(b, text, len);
	rc = rangelist_parse(b, len, "dc.csv", l, err, errlen);
	free(b);
	return rc;
}

static void bad(const char *text, const char *want)
{
	struct rangelist l;
	char err[256] = "";

	ok(parse(text, &l, err, sizeof(err)) == -1 && strcmp(err, want) == 0 && l.n == 0 &&
	   l.v == NULL, "refused as \"%s\" (got \"%s\")", want, err);
}

/* The name of the range holding text, or "-" for none. */
static const char *at(const struct rangelist *l, const char *text)
{
	struct ga_addr a;
	const struct rangelist_row *r;

	if (addr_parse(text, strlen(text), &a, NULL) != 0)
		return "bad address";
	r = rangelist_find(l, &a);
	return r != NULL ? r->name : "-";
}

static void test_rows(void)
{
	struct rangelist l;
	char err[256] = "";

	ok(parse("198.51.100.0,198.51.100.255,Second,http://b.example/\r\n"
	         "192.0.2.0,192.0.2.127,\"First, Inc.\",http://a.example/\n"
	         "2001:db8::,2001:db8::ffff,Six,\n"
	         "203.0.113.7,203.0.113.7,One address,", &l, err, sizeof(err)) == 0,
	   "unsorted rows, CRLF, a quoted name with a comma, IPv6, an empty url, no final newline: %s",
	   err);
	is_int((long long)l.n, 4, "four ranges");
	ok(l.n == 4 && strcmp(l.v[0].name, "First, Inc.") == 0 && l.v[0].line == 2,
	   "sorted by start; the line kept");
	is_int((long long)l.v4_addresses, 128 + 256 + 1, "IPv4 addresses counted");
	is_str(at(&l, "192.0.2.0"), "First, Inc.", "first address of a range");
	is_str(at(&l, "192.0.2.127"), "First, Inc.", "last address of a range");
	is_str(at(&l, "192.0.2.128"), "-", "just past a range");
	is_str(at(&l, "192.0.1.255"), "-", "just before the first range");
	is_str(at(&l, "198.51.100.77"), "Second", "inside a range");
	is_str(at(&l, "203.0.113.7"), "One address", "a one-address range");
	is_str(at(&l, "203.0.113.8"), "-", "past the last IPv4 range");
	is_str(at(&l, "2001:db8::42"), "Six", "IPv6 range");
	is_str(at(&l, "::c000:200"), "-", "an IPv6 address is not its IPv4 twin");
	is_str(at(&l, "2001:db8::1:0"), "-", "past the IPv6 range");
	rangelist_free(&l);
	rangelist_free(&l);
	rangelist_free(NULL);
	ok(1, "rangelist_free twice, and of NULL, is harmless");

	bad("", "dc.csv: no ranges");
	bad("192.0.2.0,192.0.2.255,A,u\n10.0.0.1,10.0.0.2,B\n",
	    "dc.csv:2: 3 fields, want 4 (start,end,name,url)");
	bad("192.0.2.0,192.0.2.255,A,u\n10.0.0.x,10.0.0.2,B,u\n",
	    "dc.csv:2: start \"10.0.0.x\": invalid character in IPv4 address");
	bad("10.0.0.0,10.0.0.256,B,u\n", "dc.csv:1: end \"10.0.0.256\": IPv4 octet over 255");
	bad("10.0.0.0,::1,B,u\n", "dc.csv:1: start and end are of different families");
	bad("10.0.0.9,10.0.0.1,B,u\n", "dc.csv:1: start \"10.0.0.9\" is after end \"10.0.0.1\"");
	bad("10.0.0.0,10.0.0.1,,u\n", "dc.csv:1: empty name");
	bad("10.0.0.0,10.0.0.1,\"two\nlines\",u\n", "dc.csv:1: name spans lines");
	bad("10.0.0.0,10.0.0.1,\"open,u\n", "dc.csv:1: quoted field not closed before end of input");
	bad("10.0.0.0,10.0.0.9,A,u\n10.1.0.0,10.1.0.9,B,u\n10.0.0.9,10.0.0.20,C,u\n",
	    "dc.csv:3: range overlaps the one on line 1");
}

/* Plain dotted quads are read by a short path; anything else goes to
 * addr_parse(), which must still accept and refuse as before. */
static void test_addresses(void)
{
	struct rangelist l;
	char err[256] = "";

	ok(parse("0.0.0.0,0.0.0.9,Zero,u\n"
	         "1.2.3.4,9.99.199.255,Digits,u\n"
	         " 10.0.0.1 ,10.0.0.2\t,Blanks,u\n"
	         "::ffff:10.1.0.0,::ffff:10.1.0.255,Mapped,u\n"
	         "\"10.2.0.0\",10.2.0.9,Quoted,u\r\n", &l, err, sizeof(err)) == 0,
	   "zeros, one to three digits, blanks, IPv4-mapped IPv6, a quoted address: %s", err);
	is_str(at(&l, "0.0.0.5"), "Zero", "0.0.0.0 as a start");
	is_str(at(&l, "9.99.199.255"), "Digits", "octets of one, two and three digits");
	is_str(at(&l, "10.0.0.2"), "Blanks", "blanks around an address are trimmed");
	is_str(at(&l, "10.1.0.7"), "Mapped", "an IPv4-mapped address is IPv4");
	is_str(at(&l, "10.2.0.3"), "Quoted", "a quoted address");
	is_str(at(&l, "5.5.5.5"), "Digits", "a /12 where no range starts, inside one that started before");
	is_str(at(&l, "9.100.0.0"), "-", "the /12 of a range's end, past it");
	is_int((long long)l.nv4, 5, "all five rows are IPv4");
	rangelist_free(&l);

	bad("10.0.0.0,10.0.0.9,A,u\n010.0.1.0,10.0.1.9,B,u\n",
	    "dc.csv:2: start \"010.0.1.0\": leading zero in IPv4 octet is ambiguous (octal or decimal)");
	bad("10.0.0.0,10.0.0.9,A,u\n10.0.1.00,10.0.1.9,B,u\n",
	    "dc.csv:2: start \"10.0.1.00\": leading zero in IPv4 octet is ambiguous (octal or decimal)");
	bad("10.0.0.0,1000.0.0.9,A,u\n", "dc.csv:1: end \"1000.0.0.9\": IPv4 octet over 255");
	bad("10.0.0.0,10.0.0.9.1,A,u\n", "dc.csv:1: end \"10.0.0.9.1\": too many IPv4 octets");
	bad("10.0.0.0,10.0.0,A,u\n", "dc.csv:1: end \"10.0.0\": IPv4 address needs four octets");
	bad("10.0.0.0,10..0.9,A,u\n", "dc.csv:1: end \"10..0.9\": empty IPv4 octet");
	bad("10.0.0.0,10.0.0.9.,A,u\n", "dc.csv:1: end \"10.0.0.9.\": empty IPv4 octet");
	bad("10.0.0.0,,A,u\n", "dc.csv:1: end \"\": empty address");
}

/* The row holding v, by reading every IPv4 row: what rangelist_find()
 * must say. */
static const struct rangelist_row *find_slowly(const struct rangelist *l, uint32_t v)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct rangelist_row *r = &l->v[i];
		uint32_t lo, hi;

		if (r->lo.family != 4)
			continue;
		lo = (uint32_t)r->lo.bytes[0] << 24 | (uint32_t)r->lo.bytes[1] << 16 |
		     (uint32_t)r->lo.bytes[2] << 8 | r->lo.bytes[3];
		hi = (uint32_t)r->hi.bytes[0] << 24 | (uint32_t)r->hi.bytes[1] << 16 |
		     (uint32_t)r->hi.bytes[2] << 8 | r->hi.bytes[3];
		if (lo <= v && v <= hi)
			return r;
	}
	return NULL;
}

static const struct rangelist_row *find_v4(const struct rangelist *l, uint32_t v)
{
	struct ga_addr a;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.bytes[0] = (unsigned char)(v >> 24);
	a.bytes[1] = (unsigned char)(v >> 16);
	a.bytes[2] = (unsigned char)(v >> 8);
	a.bytes[3] = (unsigned char)v;
	return rangelist_find(l, &a);
}

/* Every row's ends and the addresses either side of them, the first and
 * last address of every /12, and addresses spread over the space: the
 * same row as a linear scan. */
static void test_against_scan(const struct rangelist *l)
{
	size_t i, wrong = 0, tried = 0;
	uint32_t v, k;
	int d;

	for (i = 0; i < l->nv4; i++)
		for (d = -1; d <= 1; d++) {
			v = l->v4lo[i] + (uint32_t)d;
			wrong += find_v4(l, v) != find_slowly(l, v);
			v = l->v4hi[i] + (uint32_t)d;
			wrong += find_v4(l, v) != find_slowly(l, v);
			tried += 2;
		}
	for (k = 0; k < 4096; k++) {
		v = k << 20;
		wrong += find_v4(l, v) != find_slowly(l, v);
		wrong += find_v4(l, v - 1) != find_slowly(l, v - 1);
		tried += 2;
	}
	for (v = 12345; v < 0xffffffffu - 1048573u; v += 1048573u) {
		wrong += find_v4(l, v) != find_slowly(l, v);
		tried++;
	}
	ok(wrong == 0, "%zu addresses: each in the row a scan finds (%zu differ)", tried, wrong);
}

/* The embedded copy parses whole, each line a range, with the figures
 * geo/README.md gives for it. */
static void test_embedded(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096], err[512] = "";
	struct rangelist l;
	char *buf;
	size_t len, lines = 0, k;

	snprintf(path, sizeof(path), "%s/geo/ipcat-datacenters.csv", top ? top : "..");
	if (!ok(file_read_all(path, &buf, &len) == 0, "read %s", path))
		return;
	for (k = 0; k < len; k++)
		lines += buf[k] == '\n';
	ok(rangelist_parse(buf, len, path, &l, err, sizeof(err)) == 0, "ipcat-datacenters.csv parses: %s",
	   err);
	is_int((long long)l.n, (long long)lines, "every line is a range");
	is_int((long long)l.n, 3429, "3,429 ranges");
	is_int((long long)l.v4_addresses, 95959476, "95,959,476 IPv4 addresses");
	is_str(at(&l, "64.5.40.1"), "ThePlanet.com Internet Services, Inc.", "a quoted name");
	is_str(at(&l, "223.27.175.255"), "Voxel", "the last address of the last range");
	is_str(at(&l, "8.8.8.8"), "-", "an address no datacenter range holds");
	test_against_scan(&l);
	rangelist_free(&l);
	free(buf);
}

static struct ga_addr addr_of(const char *text)
{
	struct ga_addr a;

	memset(&a, 0, sizeof(a));
	addr_parse(text, strlen(text), &a, NULL);
	return a;
}

/* rangelist_finish(): rows filled by another reader (the type index)
 * are taken only in the order rangelist_parse() leaves them. */
static int finish_rows(const char *const *ends, size_t n)
{
	struct rangelist l;
	size_t i;
	int rc;

	memset(&l, 0, sizeof(l));
	l.v = calloc(n, sizeof(*l.v));
	l.n = l.cap = n;
	for (i = 0; i < n; i++) {
		l.v[i].lo = addr_of(ends[2 * i]);
		l.v[i].hi = addr_of(ends[2 * i + 1]);
		l.v[i].name = "DC";
		l.v[i].line = i + 1;
	}
	rc = rangelist_finish(&l);
	if (rc == 0) {
		struct ga_addr a = addr_of(ends[0]);

		if (l.v4_addresses == 0 && ends[0][0] != ':')
			rc = 2;
		if (rangelist_find(&l, &a) != &l.v[0])
			rc = 3;
	} else if (l.v != NULL || l.n != 0) {
		rc = 4;         /* a refusal frees the list */
	}
	rangelist_free(&l);
	return rc;
}

static void test_finish(void)
{
	static const char *const good[] = {
		"1.0.0.0", "1.0.0.255", "1.0.1.0", "1.0.1.0", "2001:db8::", "2001:db8::ff"
	};
	static const char *const overlap[] = {
		"1.0.0.0", "1.0.0.255", "1.0.0.255", "1.0.1.0"
	};
	static const char *const unsorted[] = {
		"1.0.1.0", "1.0.1.9", "1.0.0.0", "1.0.0.9"
	};
	static const char *const v4_after_v6[] = {
		"2001:db8::", "2001:db8::ff", "1.0.0.0", "1.0.0.9"
	};
	static const char *const backwards[] = { "1.0.0.9", "1.0.0.0" };
	static const char *const mixed[] = { "1.0.0.0", "2001:db8::" };
	static const char *const v6_overlap[] = {
		"2001:db8::", "2001:db8::ff", "2001:db8::80", "2001:db8::1ff"
	};

	is_int(finish_rows(good, 3), 0, "finish: ordered rows of both families are taken");
	is_int(finish_rows(overlap, 2), -1, "finish: overlapping rows are refused");
	is_int(finish_rows(unsorted, 2), -1, "finish: rows out of order are refused");
	is_int(finish_rows(v4_after_v6, 2), -1, "finish: IPv4 after IPv6 is refused");
	is_int(finish_rows(backwards, 1), -1, "finish: a start after its end is refused");
	is_int(finish_rows(mixed, 1), -1, "finish: a row of two families is refused");
	is_int(finish_rows(v6_overlap, 2), -1, "finish: overlapping IPv6 rows are refused");
}

int main(void)
{
	test_rows();
	test_finish();
	test_addresses();
	test_embedded();
	return done_testing();
}
