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
	EX_AUTO = 0, EX_LIST, EX_CSV, EX_JSON, EX_STIX, EX_TEXT
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
};

struct ex_sink {
	void (*item)(void *ctx, const struct ex_item *it);
	/* text/len: the offending item (may be truncated to 200 bytes) */
	void (*reject)(void *ctx, unsigned long line, const char *text,
	               size_t len, const char *why);
	void *ctx;
};

struct ex_stats {
	enum ex_format format;     /* the format used (detected or forced) */
	unsigned long lines;       /* physical lines in the input */
	unsigned long items;       /* candidate items seen = accepted + rejected */
	unsigned long accepted;
	unsigned long rejected;
	int has_counts;            /* a count column was found */
	int has_cited;             /* a cited-location column was found */
	int has_time;              /* a timestamp column/field was seen */
	int has_ports;             /* a port/protocol column/field was seen */
	char address_column[64];   /* CSV/JSON: the column/key used, "" otherwise */
};

/* Name of a format ("list", "csv", "json", "stix", "text"), and back. */
const char *extract_format_name(enum ex_format f);
int extract_format_parse(const char *s, enum ex_format *out);

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

#endif
