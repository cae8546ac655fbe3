/*
 * addr.c - IP address, prefix and range parsing and formatting.
 *
 * Every parser works on an explicit (pointer, length) span and touches no
 * byte outside it, so callers can hand us a field straight out of a CSV
 * line or a memory-mapped file.  Internally the parsers return NULL on
 * success or a static reason string; the public functions turn that into
 * the 0/-1 plus *why convention of addr.h.
 *
 * Range arithmetic is done on a pair of 64-bit halves (struct u128) so
 * that splitting a range into CIDR blocks costs a few word operations per
 * block whatever the size of the range.
 */
#include <string.h>

#include "addr.h"

/* Reasons shared by several parsers. */
static const char R_EMPTY[] = "empty address";
static const char R_NUL[] = "embedded NUL byte";
static const char R_NOTIP[] = "not an IP address";
static const char R_ZONE[] =
    "IPv6 zone ids are not accepted (a zone names a local interface)";

/* A 128-bit unsigned value; IPv4 addresses use the low 32 bits. */
struct u128 {
	uint64_t hi;
	uint64_t lo;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Each byte's hex digit value plus one, 0 for none: a table, since every
 * character of every IPv6 address is looked up. */
static const uint8_t hex_plus1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16
};

static int hex_value(char c)
{
	return (int)hex_plus1[(unsigned char)c] - 1;
}

/* Narrow s[0..*n) to exclude leading and trailing white space. */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/*
 * Four decimal octets.  Leading zeros are refused because BSD-derived
 * libcs read "010" as octal 8 and others as decimal 10: accepting either
 * way would silently put the address somewhere the author did not mean.
 */
static const char *parse_v4(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0, start;
	unsigned v;
	int part = 0;

	for (;;) {
		if (part == 4)
			return "too many IPv4 octets";
		start = i;
		v = 0;
		while (i < n && is_digit(p[i])) {
			if (v <= 255)
				v = v * 10 + (unsigned)(p[i] - '0');
			i++;
		}
		if (i < n && (p[i] == 'x' || p[i] == 'X') && i - start == 1 &&
		    p[start] == '0')
			return "hex IPv4 octets are not accepted";
		if (i == start) {
			if (i < n && p[i] != '.')
				return "invalid character in IPv4 address";
			return "empty IPv4 octet";
		}
		if (i - start > 1 && p[start] == '0')
			return "leading zero in IPv4 octet is ambiguous "
			    "(octal or decimal)";
		if (v > 255)
			return "IPv4 octet over 255";
		out[part++] = (uint8_t)v;
		if (i == n)
			break;
		if (p[i] != '.')
			return "invalid character in IPv4 address";
		i++;
		if (i == n)
			return "empty IPv4 octet";
	}
	if (part < 4)
		return "IPv4 address needs four octets";
	return NULL;
}

/*
 * RFC 4291 section 2.2 text: up to eight groups of one to four hex
 * digits, at most one "::" standing for one or more zero groups, and an
 * optional dotted quad in place of the last two groups.
 */
static const char *parse_v6(const char *p, size_t n, uint8_t out[16])
{
	uint16_t g[8];
	size_t i = 0, start;
	int ng = 0, gap = -1, k, d;
	unsigned v;
	uint8_t v4[4];
	const char *why;

	if (n > 0 && p[0] == ':') {
		if (n < 2 || p[1] != ':')
			return "IPv6 address starts with a single ':'";
		gap = 0;
		i = 2;
	}
	while (i < n) {
		if (ng == 8)
			return "too many IPv6 groups";
		start = i;
		v = 0;
		while (i < n && (d = hex_value(p[i])) >= 0) {
			if (i - start < 4)
				v = (v << 4) | (unsigned)d;
			i++;
		}
		if (i < n && p[i] == '.') {
			/* The dotted quad must end the address. */
			if (ng > 6)
				return "too many IPv6 groups";
			if ((why = parse_v4(p + start, n - start, v4)) != NULL)
				return why;
			g[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
			g[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
			i = n;
			break;
		}
		if (i == start) {
			/* Only reachable straight after "::". */
			if (i < n && p[i] == ':')
				return "too many colons in IPv6 address";
			return "invalid character in IPv6 address";
		}
		if (i - start > 4)
			return "IPv6 group has more than 4 hex digits";
		g[ng++] = (uint16_t)v;
		if (i == n)
			break;
		if (p[i] != ':')
			return "invalid character in IPv6 address";
		i++;
		if (i == n)
			return "IPv6 address ends with a single ':'";
		if (p[i] == ':') {
			if (gap >= 0)
				return "more than one '::' in IPv6 address";
			gap = ng;
			i++;
		}
	}
	if (gap < 0 && ng != 8)
		return "IPv6 address needs eight groups (or '::')";
	if (gap >= 0 && ng == 8)
		return "'::' must stand for at least one zero group";

	memset(out, 0, 16);
	if (gap < 0)
		gap = ng;
	for (k = 0; k < gap; k++) {
		out[2 * k] = (uint8_t)(g[k] >> 8);
		out[2 * k + 1] = (uint8_t)g[k];
	}
	for (k = gap; k < ng; k++) {
		int pos = 8 - (ng - k);

		out[2 * pos] = (uint8_t)(g[k] >> 8);
		out[2 * pos + 1] = (uint8_t)g[k];
	}
	return NULL;
}

static int is_mapped(const uint8_t b[16])
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(b, pfx, sizeof pfx) == 0;
}

/* Turn ::ffff:a.b.c.d into the IPv4 address it stands for. */
static void unmap(struct ga_addr *a)
{
	uint8_t v4[4];

	memcpy(v4, a->bytes + 12, 4);
	memset(a->bytes, 0, sizeof a->bytes);
	memcpy(a->bytes, v4, 4);
	a->family = 4;
}

/*
 * The common case of every list, read the short way: a plain dotted
 * quad ("192.0.2.1": four octets of one to three digits, no leading
 * zero, none over 255, nothing else) into *out.  Returns 0, or -1 for
 * anything else, which the full parsers then read and, when it is
 * wrong, explain.  What it accepts, parse_v4() reads the same way.
 */
static int plain_quad(const char *s, size_t n, struct ga_addr *out)
{
	const char *e = s + n;
	unsigned v, d;
	uint8_t b[4];
	int part;

	if (n < 7 || n > 15)
		return -1;
	for (part = 0; part < 4; part++) {
		if (part > 0 && (s == e || *s++ != '.'))
			return -1;
		if (s == e || (v = (unsigned)(unsigned char)*s - '0') > 9)
			return -1;
		s++;
		/* A second and a third digit, the first not a zero. */
		if (s < e && (d = (unsigned)(unsigned char)*s - '0') <= 9) {
			if (v == 0)
				return -1;
			v = v * 10 + d;
			s++;
			if (s < e && (d = (unsigned)(unsigned char)*s - '0') <= 9) {
				v = v * 10 + d;
				s++;
			}
		}
		if (v > 255)
			return -1;
		b[part] = (uint8_t)v;
	}
	if (s != e)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->bytes, b, 4);
	out->family = 4;
	return 0;
}

/*
 * One address from exactly s[0..n) (no trimming).  With `normalise` an
 * IPv4-mapped IPv6 address comes back as IPv4; without, the caller sees
 * the raw IPv6 form (the CIDR parser needs it to adjust the length).
 */
static const char *parse_one(const char *s, size_t n, int normalise,
    struct ga_addr *out)
{
	struct ga_addr a;
	const char *why;

	if (plain_quad(s, n, out) == 0)
		return NULL;
	if (n == 0)
		return R_EMPTY;
	if (memchr(s, '\0', n) != NULL)
		return R_NUL;
	if (memchr(s, ':', n) == NULL && memchr(s, '.', n) == NULL)
		return R_NOTIP;
	/* Caught up front so that "::ffff:1.2.3.4%eth0" gets the same
	 * reason as "fe80::1%eth0". */
	if (memchr(s, '%', n) != NULL)
		return R_ZONE;
	memset(&a, 0, sizeof a);
	if (memchr(s, ':', n) != NULL) {
		if ((why = parse_v6(s, n, a.bytes)) != NULL)
			return why;
		a.family = 6;
		if (normalise && is_mapped(a.bytes))
			unmap(&a);
	} else {
		if ((why = parse_v4(s, n, a.bytes)) != NULL)
			return why;
		a.family = 4;
	}
	*out = a;
	return NULL;
}

int addr_parse(const char *s, size_t len, struct ga_addr *out, const char **why)
{
	const char *r;

	trim(&s, &len);
	if ((r = parse_one(s, len, 1, out)) != NULL) {
		if (why != NULL)
			*why = r;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- u128 */

/* Big-endian 64-bit loads and stores: one instruction each where the
 * compiler knows the byte order, byte by byte elsewhere. */
static uint64_t load_be64(const uint8_t *p)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
#else
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
	    (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | (uint64_t)p[7];
#endif
}

static void store_be64(uint8_t *p, uint64_t v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
#else
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
#endif
}

static void to_u128(const struct ga_addr *a, struct u128 *v)
{
	const uint8_t *b = a->bytes;

	if (a->family == 4) {
		v->hi = 0;
		v->lo = (uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 |
		    (uint64_t)b[2] << 8 | b[3];
		return;
	}
	v->hi = load_be64(b);
	v->lo = load_be64(b + 8);
}

static void from_u128(const struct u128 *v, int family, struct ga_addr *a)
{
	memset(a, 0, sizeof *a);
	a->family = (uint8_t)family;
	if (family == 4) {
		a->bytes[0] = (uint8_t)(v->lo >> 24);
		a->bytes[1] = (uint8_t)(v->lo >> 16);
		a->bytes[2] = (uint8_t)(v->lo >> 8);
		a->bytes[3] = (uint8_t)v->lo;
		return;
	}
	store_be64(a->bytes, v->hi);
	store_be64(a->bytes + 8, v->lo);
}

/* The low k bits set, 0 <= k <= 128. */
static struct u128 low_mask(int k)
{
	struct u128 m;

	if (k <= 0) {
		m.hi = m.lo = 0;
	} else if (k < 64) {
		m.hi = 0;
		m.lo = ((uint64_t)1 << k) - 1;
	} else if (k < 128) {
		m.hi = k == 64 ? 0 : ((uint64_t)1 << (k - 64)) - 1;
		m.lo = ~(uint64_t)0;
	} else {
		m.hi = m.lo = ~(uint64_t)0;
	}
	return m;
}

static struct u128 u128_sub(struct u128 a, struct u128 b)
{
	struct u128 r;

	r.lo = a.lo - b.lo;
	r.hi = a.hi - b.hi - (a.lo < b.lo);
	return r;
}

/* a + 1; wraps to zero past the top. */
static struct u128 u128_inc(struct u128 a)
{
	a.lo++;
	if (a.lo == 0)
		a.hi++;
	return a;
}

static int u128_eq(struct u128 a, struct u128 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static int u128_is_zero(struct u128 a)
{
	return a.hi == 0 && a.lo == 0;
}

/* Trailing zero bits; 128 for zero. */
static int u128_ctz(struct u128 a)
{
	if (a.lo != 0)
		return __builtin_ctzll(a.lo);
	if (a.hi != 0)
		return 64 + __builtin_ctzll(a.hi);
	return 128;
}

/* Index of the highest set bit; a must not be zero. */
static int u128_log2(struct u128 a)
{
	if (a.hi != 0)
		return 127 - __builtin_clzll(a.hi);
	return 63 - __builtin_clzll(a.lo);
}

static int u128_popcount(struct u128 a)
{
	return __builtin_popcountll(a.hi) + __builtin_popcountll(a.lo);
}

/*
 * The prefix length if [lo, hi] is exactly one CIDR block, else -1: the
 * span hi - lo must be a run of low ones and lo must have none of them.
 */
static int single_block(const struct ga_addr *lo, const struct ga_addr *hi)
{
	struct u128 a, b, d, d1;

	to_u128(lo, &a);
	to_u128(hi, &b);
	d = u128_sub(b, a);
	d1 = u128_inc(d);
	if ((d.hi & d1.hi) != 0 || (d.lo & d1.lo) != 0)
		return -1;
	if ((a.hi & d.hi) != 0 || (a.lo & d.lo) != 0)
		return -1;
	return addr_bits(lo) - u128_popcount(d);
}

/* ------------------------------------------------------------ networks */

/* A prefix length: decimal, no sign, no leading zero except "0". */
static const char *parse_plen(const char *p, size_t n, int bits, int *out)
{
	size_t i;
	int v = 0;

	if (n == 0)
		return "missing prefix length after '/'";
	for (i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return "prefix length is not a decimal number";
		if (v <= 128)
			v = v * 10 + (p[i] - '0');
	}
	if (n > 1 && p[0] == '0')
		return "leading zero in prefix length";
	if (v > bits)
		return bits == 32 ? "IPv4 prefix length over 32"
		    : "IPv6 prefix length over 128";
	*out = v;
	return NULL;
}

/* The first len bits set, of 64; len may be out of 0..64. */
static uint64_t mask64(int len)
{
	return len <= 0 ? 0 : len >= 64 ? ~(uint64_t)0 : ~(uint64_t)0 << (64 - len);
}

/* The block of the given length around a: the prefix's bits kept, the
 * rest all zeros in lo and all ones in hi.  Every tree walk's answer and
 * every source's block of a bulk answer passes through here, so it works
 * by 64-bit halves (an IPv4 address is the top half's first 32 bits). */
static void set_block(const struct ga_addr *a, int len, struct ga_net *net)
{
	uint64_t h, l, mh, ml, lo_h, lo_l, hi_h, hi_l;

	if (len < 0)
		len = 0;
	if (a->family == 4) {
		if (len > 32)
			len = 32;
		h = load_be64(a->bytes) & mask64(32);
		mh = mask64(len);
		lo_h = h & mh;
		hi_h = (h | ~mh) & mask64(32);
		lo_l = hi_l = 0;
	} else {
		if (len > 128)
			len = 128;
		h = load_be64(a->bytes);
		l = load_be64(a->bytes + 8);
		mh = mask64(len);
		ml = mask64(len - 64);
		lo_h = h & mh;
		lo_l = l & ml;
		hi_h = h | ~mh;
		hi_l = l | ~ml;
	}
	net->lo.family = net->hi.family = a->family;
	store_be64(net->lo.bytes, lo_h);
	store_be64(net->lo.bytes + 8, lo_l);
	store_be64(net->hi.bytes, hi_h);
	store_be64(net->hi.bytes + 8, hi_l);
	net->prefix_len = len;
	net->kind = NET_CIDR;
}

static const char *parse_cidr(const char *s, size_t n, const char *slash,
    unsigned flags, struct ga_net *out)
{
	struct ga_addr a;
	struct ga_net net;
	const char *why;
	size_t alen = (size_t)(slash - s);
	int len;

	if (alen == 0)
		return "missing address before '/'";
	if ((why = parse_one(s, alen, 0, &a)) != NULL)
		return why;
	if ((why = parse_plen(slash + 1, n - alen - 1, addr_bits(&a), &len))
	    != NULL)
		return why;
	/*
	 * A prefix inside ::ffff:0:0/96 names IPv4 addresses, so it becomes
	 * the IPv4 prefix it covers; a shorter one spans more than the
	 * mapped block and stays IPv6.
	 */
	if (a.family == 6 && len >= 96 && is_mapped(a.bytes)) {
		unmap(&a);
		len -= 96;
	}
	set_block(&a, len, &net);
	if (memcmp(net.lo.bytes, a.bytes, sizeof a.bytes) != 0 &&
	    !(flags & ADDR_HOSTBITS_MASK))
		return "host bits set (did you mean the network address?)";
	*out = net;
	return NULL;
}

static const char *parse_range(const char *s, size_t n, const char *dash,
    struct ga_net *out)
{
	const char *lp = s, *hp = dash + 1, *why;
	size_t ln = (size_t)(dash - s), hn = n - ln - 1;
	struct ga_net net;

	trim(&lp, &ln);
	trim(&hp, &hn);
	if (ln == 0)
		return "range is missing its start";
	if (hn == 0)
		return "range is missing its end";
	/* "not-an-ip" is better told it is no address than that it has
	 * too many dashes. */
	if (memchr(lp, '/', ln) == NULL &&
	    (why = parse_one(lp, ln, 1, &net.lo)) != NULL)
		return why;
	if (memchr(hp, '-', hn) != NULL)
		return "more than one '-' in range";
	if (memchr(lp, '/', ln) != NULL || memchr(hp, '/', hn) != NULL)
		return "a range end cannot have a prefix length";
	if ((why = parse_one(lp, ln, 1, &net.lo)) != NULL)
		return why;
	if ((why = parse_one(hp, hn, 1, &net.hi)) != NULL)
		return why;
	if (net.lo.family != net.hi.family)
		return "range ends are different address families";
	if (addr_cmp(&net.lo, &net.hi) > 0)
		return "range start is after range end";
	net.prefix_len = single_block(&net.lo, &net.hi);
	net.kind = NET_RANGE;
	*out = net;
	return NULL;
}

int net_parse(const char *s, size_t len, unsigned flags, struct ga_net *out,
    const char **why)
{
	const char *r, *dash, *slash;
	struct ga_net net;

	trim(&s, &len);
	/* Most lines of most lists: no need to look for a range or prefix. */
	if (plain_quad(s, len, &net.lo) == 0) {
		net.hi = net.lo;
		net.prefix_len = 32;
		net.kind = NET_ADDR;
		*out = net;
		return 0;
	}
	if (len == 0) {
		r = R_EMPTY;
		goto fail;
	}
	if (memchr(s, '\0', len) != NULL) {
		r = R_NUL;
		goto fail;
	}
	if ((dash = memchr(s, '-', len)) != NULL) {
		if (flags & (ADDR_NO_RANGE | ADDR_NO_PREFIX)) {
			r = "ranges are not accepted here";
			goto fail;
		}
		if ((r = parse_range(s, len, dash, &net)) != NULL)
			goto fail;
	} else if ((slash = memchr(s, '/', len)) != NULL) {
		if (flags & ADDR_NO_PREFIX) {
			r = "prefix lengths are not accepted here";
			goto fail;
		}
		if ((r = parse_cidr(s, len, slash, flags, &net)) != NULL)
			goto fail;
	} else {
		if ((r = parse_one(s, len, 1, &net.lo)) != NULL)
			goto fail;
		net.hi = net.lo;
		net.prefix_len = addr_bits(&net.lo);
		net.kind = NET_ADDR;
	}
	*out = net;
	return 0;

fail:
	if (why != NULL)
		*why = r;
	return -1;
}

/* ---------------------------------------------------------- formatting */

static char *put_dec(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/* A group without leading zeros (RFC 5952 4.1): its digits are counted
 * first, so each is written without a test. */
static char *put_hex(char *o, unsigned v)
{
	static const char hex[] = "0123456789abcdef";

	switch (v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1) {
	case 4:
		*o++ = hex[v >> 12];
		/* fall through */
	case 3:
		*o++ = hex[(v >> 8) & 0xf];
		/* fall through */
	case 2:
		*o++ = hex[(v >> 4) & 0xf];
		/* fall through */
	default:
		*o++ = hex[v & 0xf];
	}
	return o;
}

char *addr_put(char *o, const struct ga_addr *a)
{
	unsigned g[8];
	int i, best = -1, bestlen = 0, run = 0, sep = 0;

	if (a->family == 4) {
		for (i = 0; i < 4; i++) {
			if (i > 0)
				*o++ = '.';
			o = put_dec(o, a->bytes[i]);
		}
		return o;
	}
	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a->bytes[2 * i] << 8 | a->bytes[2 * i + 1];
	/* RFC 5952 4.2: the longest run of two or more zero groups, the
	 * first one on a tie. */
	for (i = 0; i <= 8; i++) {
		if (i < 8 && g[i] == 0) {
			run++;
			continue;
		}
		if (run >= 2 && run > bestlen) {
			best = i - run;
			bestlen = run;
		}
		run = 0;
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*o++ = ':';
			*o++ = ':';
			i += bestlen - 1;
			sep = 0;
			continue;
		}
		if (sep)
			*o++ = ':';
		o = put_hex(o, g[i]);
		sep = 1;
	}
	return o;
}

char *addr_format(const struct ga_addr *a, char *buf)
{
	*addr_put(buf, a) = '\0';
	return buf;
}

/* A single address prints bare so that it reads back as NET_ADDR. */
char *net_format(const struct ga_net *n, char *buf)
{
	char *o = addr_put(buf, &n->lo);

	if (n->kind == NET_ADDR) {
		/* nothing more */
	} else if (n->prefix_len >= 0) {
		*o++ = '/';
		o = put_dec(o, (unsigned)n->prefix_len);
	} else {
		*o++ = '-';
		o = addr_put(o, &n->hi);
	}
	*o = '\0';
	return buf;
}

/* ------------------------------------------------------ comparisons etc */

int addr_cmp(const struct ga_addr *a, const struct ga_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16);
}

int addr_bits(const struct ga_addr *a)
{
	return a->family == 4 ? 32 : 128;
}

int addr_bit(const struct ga_addr *a, int i)
{
	return (a->bytes[i / 8] >> (7 - i % 8)) & 1;
}

void net_from_prefix(const struct ga_addr *a, int len, struct ga_net *net)
{
	set_block(a, len, net);
}

int net_contains(const struct ga_net *n, const struct ga_addr *a)
{
	return n->lo.family == a->family && addr_cmp(&n->lo, a) <= 0 &&
	    addr_cmp(a, &n->hi) <= 0;
}

/*
 * Greedy split: at each step take the largest block that starts at the
 * current address (limited by its trailing zero bits) and does not pass
 * hi (limited by the log2 of the remaining count).  One step per output
 * block, at most 2 * bits steps in all.  A range that is not valid
 * (mixed families or lo > hi) produces nothing and returns -1.
 */
int addr_range_to_cidrs(const struct ga_addr *lo, const struct ga_addr *hi,
    int (*fn)(const struct ga_addr *start, int len, void *ctx), void *ctx)
{
	struct u128 cur, end, left, m;
	struct ga_addr start;
	int bits, k, fit, r;

	if (lo->family != hi->family || addr_cmp(lo, hi) > 0)
		return -1;
	bits = addr_bits(lo);
	to_u128(lo, &cur);
	to_u128(hi, &end);
	for (;;) {
		/* Addresses still to cover; zero stands for 2^128. */
		left = u128_inc(u128_sub(end, cur));
		fit = u128_is_zero(left) ? 128 : u128_log2(left);
		k = u128_ctz(cur);
		if (k > bits)
			k = bits;
		if (k > fit)
			k = fit;
		from_u128(&cur, lo->family, &start);
		if ((r = fn(&start, bits - k, ctx)) != 0)
			return r;
		m = low_mask(k);
		cur.hi |= m.hi;
		cur.lo |= m.lo;
		if (u128_eq(cur, end))
			return 0;
		cur = u128_inc(cur);
	}
}

void addr_v4_to_mapped(const struct ga_addr *v4, struct ga_addr *v6)
{
	uint8_t b[4];

	memcpy(b, v4->bytes, 4);
	memset(v6, 0, sizeof *v6);
	v6->family = 6;
	v6->bytes[10] = 0xff;
	v6->bytes[11] = 0xff;
	memcpy(v6->bytes + 12, b, 4);
}

void addr_v4_to_compat(const struct ga_addr *v4, struct ga_addr *v6)
{
	uint8_t b[4];

	memcpy(b, v4->bytes, 4);
	memset(v6, 0, sizeof *v6);
	v6->family = 6;
	memcpy(v6->bytes + 12, b, 4);
}

int addr_common_bits(const uint8_t *a, const uint8_t *b, int nbits)
{
	int i, d;

	for (i = 0; i * 8 < nbits; i++)
		if (a[i] != b[i]) {
			d = i * 8 + __builtin_clz((unsigned)(a[i] ^ b[i]) << 24);
			return d < nbits ? d : nbits;
		}
	return nbits;
}
