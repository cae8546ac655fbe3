/*
 * addr.h - IP address, prefix and range parsing and formatting.
 *
 * Our own parser (no getaddrinfo/inet_pton) so that every accepted and
 * rejected form is decided here, documented, and the same on every libc.
 *
 * Accepted:
 *   IPv4 dotted quad, four decimal octets 0-255 ("192.0.2.1").
 *   IPv6 in every RFC 4291 section 2.2 form: full, "::" compression,
 *     embedded IPv4 in the last 32 bits ("::ffff:192.0.2.1", "64:ff9b::1.2.3.4"),
 *     hex digits in either case, at most 4 digits per group.
 *   IPv4-mapped IPv6 (::ffff:a.b.c.d, and ::ffff:X:Y) is normalised to IPv4.
 *   Prefixes ADDR/LEN (LEN decimal, no sign, no leading zeros except "0").
 *   Ranges LO-HI (both the same family, LO <= HI); spaces around '-' allowed.
 *   Leading and trailing white space is ignored.
 *
 * Rejected, each with a reason (never guessed):
 *   IPv4 octets with leading zeros ("010.1.1.1": octal or decimal is
 *     ambiguous between libcs), fewer than 4 parts ("10.1"), hex/octal
 *     forms ("0x7f.1"), values over 255.
 *   IPv6 zone ids ("fe80::1%eth0": a zone names a local interface and
 *     means nothing to a database), more than one "::", groups over 4 digits.
 *   CIDR with host bits set ("10.1.2.3/8") unless ADDR_HOSTBITS_MASK is
 *     given, in which case the address is masked to the network.
 *   Empty input, embedded NUL bytes, trailing garbage.
 *
 * All parsers take a buffer and a length and never read past it; they do
 * not rely on NUL termination.
 */
#ifndef GEOATTR_ADDR_H
#define GEOATTR_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* One address.  IPv4 is stored in bytes[0..3] with family 4; the rest of
 * bytes[] is zero.  IPv6 uses all 16 bytes with family 6. */
struct ga_addr {
	uint8_t family;     /* 4 or 6 */
	uint8_t bytes[16];
};

enum net_kind {
	NET_ADDR,   /* a single address, written without /LEN */
	NET_CIDR,   /* ADDR/LEN */
	NET_RANGE   /* LO-HI, not necessarily CIDR aligned */
};

/* A network: every address from lo to hi inclusive.  For NET_ADDR and
 * NET_CIDR prefix_len is meaningful (32 or 128 for single addresses); for
 * NET_RANGE it is the length of the prefix if the range is exactly one
 * CIDR block, else -1. */
struct ga_net {
	struct ga_addr lo;
	struct ga_addr hi;
	int prefix_len;
	enum net_kind kind;
};

/* Flags for net_parse(). */
#define ADDR_HOSTBITS_MASK 0x1u  /* mask host bits in a CIDR instead of rejecting */
#define ADDR_NO_PREFIX     0x2u  /* accept only single addresses */
#define ADDR_NO_RANGE      0x4u  /* reject LO-HI ranges */

/* Longest text of an address or network we ever produce, NUL included. */
#define ADDR_TEXT_MAX 46
#define NET_TEXT_MAX 96

/*
 * Parse a single address from s[0..len).  Returns 0 on success; -1 with
 * *why set to a static English reason otherwise.  `why` may be NULL.
 */
int addr_parse(const char *s, size_t len, struct ga_addr *out,
               const char **why);

/* Parse an address, ADDR/LEN or LO-HI according to flags.  Same return
 * convention as addr_parse(). */
int net_parse(const char *s, size_t len, unsigned flags, struct ga_net *out,
              const char **why);

/* Canonical text (RFC 5952 for IPv6: lowercase, longest run of two or
 * more zero groups compressed, leftmost on ties).  buf must hold at least
 * ADDR_TEXT_MAX bytes.  Returns buf. */
char *addr_format(const struct ga_addr *a, char *buf);
/* The same text written at o without a terminator (o must have room for
 * ADDR_TEXT_MAX - 1 bytes); returns its end.  For writers that append,
 * and so need no strlen() of it. */
char *addr_put(char *o, const struct ga_addr *a);

/* "a/len" when the network is one CIDR block, else "lo-hi".  buf must
 * hold NET_TEXT_MAX bytes.  Returns buf. */
char *net_format(const struct ga_net *n, char *buf);

/* Total order: IPv4 before IPv6, then bytewise.  Returns <0, 0, >0. */
int addr_cmp(const struct ga_addr *a, const struct ga_addr *b);

/* Number of bits in the family: 32 or 128. */
int addr_bits(const struct ga_addr *a);

/* Bit i (0 = most significant) of the address. */
int addr_bit(const struct ga_addr *a, int i);
/* How many leading bits of the byte strings a and b agree, at most nbits
 * (bytes up to bit nbits are read). */
int addr_common_bits(const uint8_t *a, const uint8_t *b, int nbits);

/* Set *net to the CIDR block of `a` with prefix `len`. */
void net_from_prefix(const struct ga_addr *a, int len, struct ga_net *net);

/* True if n contains a. */
int net_contains(const struct ga_net *n, const struct ga_addr *a);

/*
 * Split the range [lo, hi] (same family, lo <= hi) into the minimal list
 * of CIDR blocks, calling fn(prefix_start, prefix_len, ctx) for each in
 * ascending order.  Stops and returns the first non-zero fn result.
 */
int addr_range_to_cidrs(const struct ga_addr *lo, const struct ga_addr *hi,
                        int (*fn)(const struct ga_addr *start, int len,
                                  void *ctx),
                        void *ctx);

/* Convert an IPv4 address to its IPv4-mapped IPv6 form (::ffff:a.b.c.d)
 * or to the position IPv4 takes in an MMDB IPv6 tree (::a.b.c.d). */
void addr_v4_to_mapped(const struct ga_addr *v4, struct ga_addr *v6);
void addr_v4_to_compat(const struct ga_addr *v4, struct ga_addr *v6);

#endif
