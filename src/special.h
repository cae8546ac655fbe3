/*
 * special.h - the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (https://www.iana.org/assignments/iana-ipv4-special-registry and
 * iana-ipv6-special-registry), plus multicast, class E and the few other
 * blocks that should never be the source of attack traffic on the public
 * Internet.  Each entry carries the RFC that defines it.
 *
 * The table is static and const; nothing here allocates.
 */
#ifndef GEOATTR_SPECIAL_H
#define GEOATTR_SPECIAL_H

#include "addr.h"

enum special_class {
	SPECIAL_NONE = 0,
	SPECIAL_PRIVATE,        /* RFC 1918, ULA */
	SPECIAL_LOOPBACK,
	SPECIAL_LINK_LOCAL,
	SPECIAL_SHARED,         /* 100.64/10 carrier-grade NAT, RFC 6598 */
	SPECIAL_DOCUMENTATION,  /* TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20 */
	SPECIAL_BENCHMARKING,
	SPECIAL_MULTICAST,
	SPECIAL_RESERVED,       /* 240/4, 0/8, IETF protocol assignments ... */
	SPECIAL_BROADCAST,
	SPECIAL_TRANSITION,     /* 6to4, Teredo, NAT64, 6a44, AMT, ... */
	SPECIAL_DISCARD,        /* 100::/64 */
	SPECIAL_UNSPECIFIED,    /* 0.0.0.0/32, ::/128 */
	SPECIAL_ANYCAST_SERVICE /* globally reachable special anycast (AS112, 192.31.196/24, ...) */
};

struct special_entry {
	const char *prefix;      /* "10.0.0.0/8" */
	const char *name;        /* IANA's name, "Private-Use" */
	const char *rfc;         /* "RFC 1918" */
	enum special_class cls;
	int global;              /* IANA "Globally Reachable": 1 true, 0 false, -1 N/A */
};

/*
 * The most specific registry entry containing `a`, or NULL if none does.
 * IPv4-mapped addresses are already IPv4 after addr_parse.
 */
const struct special_entry *special_lookup(const struct ga_addr *a);

/*
 * For a network: the most specific entry that contains the whole network,
 * else the first entry that overlaps part of it (*partial set to 1), else
 * NULL.
 */
const struct special_entry *special_lookup_net(const struct ga_net *n,
                                               int *partial);

/* Short stable name of a class, used in JSON/CSV: "private", "loopback",
 * "link-local", "shared", "documentation", "benchmarking", "multicast",
 * "reserved", "broadcast", "transition", "discard", "unspecified",
 * "anycast-service"; "" for SPECIAL_NONE. */
const char *special_class_name(enum special_class c);

/* Iterate over the table: entry i, or NULL past the end. */
const struct special_entry *special_entry_at(size_t i);

#endif
