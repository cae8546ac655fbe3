/*
 * extract.h - read a cited list in any of the forms claims come in and
 * hand every address, prefix or range found to a sink, with its line,
 * count and cited location; hand every rejected item to the sink with a
 * reason.  Nothing is dropped silently: items = accepted + rejected.
 *
 * Formats (EX_AUTO detects by content):
 *   EX_LIST   one address/prefix/range per line; '#' starts a comment
 *   EX_CSV    CSV or TSV with a header: address column found by name
 *             (ip, ip_address, address, src_ip, source, indicator, network,
 *             cidr, ...) or by content; optional count/weight column
 *             (count, hits, attacks, events, weight, ...); optional cited
 *             location column (country, cc, location, geo, ...) holding ISO
 *             codes or English names
 *   EX_JSON   an array of strings, an array of objects (address found by
 *             the same key names), or NDJSON (one value per line)
 *   EX_STIX   a STIX 2.1 bundle: indicator patterns with ipv4-addr/ipv6-addr
 *             values, ipv4-addr/ipv6-addr objects, observed-data objects
 *   EX_TEXT   free text (a report as text, Markdown or HTML): addresses are
 *             extracted, including defanged forms (1.2.3[.]4, 1[.]2[.]3[.]4,
 *             1.2.3(.)4, 1.2.3{.}4, hxxp://1.2.3.4/, [:] in IPv6) without
 *             false positives on version numbers, dates or OIDs
 * Input may start with a UTF-8 BOM and use CRLF.  Binary input (NUL
 * bytes) and invalid UTF-8 are reported, never crashed on.
 *
 * Ownership: extract_buffer() borrows buf; every pointer in an item or
 * rejection is valid only during the sink call.
 */
#ifndef GEOATTR_EXTRACT_H
#define GEOATTR_EXTRACT_H

#include <stddef.h>

#include "addr.h"

enum ex_format {
	EX_AUTO = 0, EX_LIST, EX_CSV, EX_JSON, EX_STIX, EX_TEXT,
	EX_STIX1, EX_MISP, EX_OPENIOC, EX_PDF, EX_FORMAT_COUNT
};

/*
 * Indicators that are not addresses.  They are counted by kind and handed
 * to the sink, never looked up: a domain is not resolved (that would
 * contact it), a hash says nothing about where anything is.
 */
enum ex_kind {
	EXK_DOMAIN = 0, EXK_URL, EXK_EMAIL, EXK_MD5, EXK_SHA1, EXK_SHA256,
	EXK_SHA512, EXK_FILENAME, EXK_OTHER, EXK_COUNT
};

struct ex_item {
	struct ga_net net;         /* parsed; IPv4-mapped already IPv4 */
	const char *text;          /* as found, after un-defanging */
	size_t len;
	unsigned long line;        /* 1-based line of the input (JSON: line of the value) */
	double count;              /* from a count column, else 1 */
	int has_count;
	char cited[3];             /* cited location as ISO code, "" if none */
	const char *cited_text;    /* the cited location as written, or NULL */
	size_t cited_len;
	/* What the list itself says of the entry, as written (NULL if
	 * nothing): its role ("C2", "IP_WATCHLIST", "ip-dst"), its attack
	 * phase, and when it was observed. */
	const char *role, *phase, *observed;
	size_t role_len, phase_len, observed_len;
	const char *where;         /* place other than a line ("page 3"), or NULL */
};

struct ex_sink {
	void (*item)(void *ctx, const struct ex_item *it);
	/* text/len: the offending item (may be truncated to 200 bytes) */
	void (*reject)(void *ctx, unsigned long line, const char *text,
	               size_t len, const char *why);
	/* An indicator of another kind (may be NULL: it is counted anyway). */
	void (*other)(void *ctx, enum ex_kind kind, unsigned long line,
	              const char *text, size_t len);
	void *ctx;
};

struct ex_stats {
	enum ex_format format;     /* the format used (detected or forced) */
	unsigned long lines;       /* physical lines in the input */
	unsigned long items;       /* candidate items seen = accepted + rejected */
	unsigned long accepted;
	unsigned long accepted_v4; /* ... of them IPv4 (the rest IPv6) */
	unsigned long rejected;
	int has_counts;            /* a count column was found */
	int has_cited;             /* a cited-location column was found */
	int has_time;              /* a timestamp column/field was seen */
	int has_ports;             /* a port/protocol column/field was seen */
	char address_column[64];   /* CSV/JSON: the column/key used, "" otherwise */
	char cited_column[64];     /* CSV: the location column, "" if none */
	int cited_from_text;       /* cited locations were read from prose */
	unsigned long cited_items; /* accepted items that cite a country */
	unsigned long cited_unread;/* ... that cite a place naming no country */
	int has_roles;             /* a role, phase or observed-date field was read */
	unsigned long others;      /* indicators of other kinds, all together */
	unsigned long other[EXK_COUNT];
	unsigned long pages;       /* PDF: pages read */
};

/* Name of a kind, singular and plural ("domain", "domains"). */
const char *extract_kind_name(enum ex_kind k);
const char *extract_kind_plural(enum ex_kind k);
/* Its key in JSON ("domain", "url", "md5" ...). */
const char *extract_kind_key(enum ex_kind k);

/* Name of a format ("list", "csv", "json", "stix", "text"), and back. */
const char *extract_format_name(enum ex_format f);
int extract_format_parse(const char *s, enum ex_format *out);

/*
 * Other threads a reader may share its work with.  run(team, count,
 * piece, fn, own, arg) calls fn(lo, hi, k, arg) for pieces [lo, hi) of
 * [0, count), each at most `piece` long and starting at a multiple of
 * it, on several threads at once, the calling one included (k: which
 * thread), and own(arg), when not NULL, once on the calling thread
 * while the pieces go on; it returns when all are done.
 * bulk_team_run_own() is such a function.  Only the plain list reader
 * uses it, on long input; the sink is still called on the calling
 * thread alone, in input order, and the input behind the item it is
 * given is not read again.
 */
struct ex_threads {
	void (*run)(void *team, size_t count, size_t piece,
	            void (*fn)(size_t lo, size_t hi, unsigned k, void *arg),
	            void (*own)(void *arg), void *arg);
	void *team;
};

/*
 * Extract from buf[0..len).  The caller prefixes the input's name to any
 * error text.  Returns 0; or -1 when the whole input is unusable (truncated JSON, a
 * STIX file that is not a bundle, binary data in a structured format),
 * with a reason in err ("line L: ...").  Per-item problems are not errors:
 * they go to sink->reject and the count.
 */
int extract_buffer(const char *buf, size_t len, enum ex_format fmt,
                   const struct ex_sink *sink, struct ex_stats *st,
                   char *err, size_t errlen);
/* The same, sharing the reading with `threads` (borrowed; NULL: none).
 * What the sink is given, and in what order, is the same either way. */
int extract_buffer_shared(const char *buf, size_t len, enum ex_format fmt,
                          const struct ex_sink *sink,
                          const struct ex_threads *threads,
                          struct ex_stats *st, char *err, size_t errlen);

#endif
