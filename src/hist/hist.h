/*
 * hist.h - parsers for the historical public archives that answer "as of
 * the claim date": what a registry had given out, what was routed, and
 * which addresses were Tor exits on a day in the past.  One file per
 * format behind this one interface:
 *
 *   HIST_DELEGATED  delegated.c  the RIRs' statistics exchange format,
 *                   plain (7 fields) and extended (8+, with available and
 *                   reserved records): registry|cc|type|start|value|date|status
 *   HIST_PFX2AS     pfx2as.c     CAIDA's RouteViews prefix-to-AS files:
 *                   prefix TAB length TAB origins, origins one AS, several
 *                   joined by '_' (multi-origin) or ',' (an AS set)
 *   HIST_EXITLIST   exitlist.c   TorDNSEL exit lists as CollecTor archives
 *                   them: "@type tordnsel 1.0", Downloaded, then records
 *                   of ExitNode, Published, LastStatus, ExitAddress lines
 *   HIST_AS2ORG     as2org.c     CAIDA's AS Organizations files
 *                   (YYYYMMDD.as-org2info.txt): sections introduced by
 *                   "# format:" lines, organisations
 *                   org_id|changed|org_name|country|source and ASes
 *                   aut|changed|aut_name|org_id|opaque_id|source (older
 *                   files: without opaque_id); an AS is named by its
 *                   organisation's org_name, else its own aut_name
 *
 * Policy: the archives are data we compile and then state as fact, so the
 * parsers are strict: any line that is not in the format fails the whole
 * document with d->err "WHERE:LINE: reason" (a half-understood archive is
 * worse than none).  A delegated file whose header announces more records
 * than it holds is refused as truncated.  Input is buf[0..len) and need
 * not be NUL-terminated.  Calls on one hist_data append, so the files of
 * a month of exit lists or of five registries collect in one place.
 *
 * Ownership: the caller owns the struct hist_data; hist_data_free()
 * releases the arrays inside it (and accepts an initialised, empty one).
 */
#ifndef GEOATTR_HIST_H
#define GEOATTR_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum hist_kind { HIST_DELEGATED, HIST_PFX2AS, HIST_EXITLIST, HIST_AS2ORG };
#define HIST_KIND_COUNT 4

enum hist_status {
	HIST_ALLOCATED, HIST_ASSIGNED, HIST_AVAILABLE, HIST_RESERVED
};

/* One address block of a delegated file. */
struct hist_reg {
	struct ga_addr lo, hi;  /* IPv4 counts need not be powers of two */
	char cc[3];             /* "" for available/reserved blocks */
	char registry[8];       /* "apnic", "ripencc", ... */
	uint32_t date;          /* YYYYMMDD of the allocation, 0 when none */
	enum hist_status status;
};

/* One prefix of a pfx2as file. */
struct hist_route {
	struct ga_addr start;
	int len;
	uint32_t asn;           /* the first origin written */
	uint32_t origins;       /* offset into hist_data.orig: the origin field
	                         * as written ("13335_209242"), NUL-terminated;
	                         * read it with hist_route_origins() */
};

/* One ExitAddress line: the address and when it was seen exiting. */
struct hist_exit {
	struct ga_addr addr;
	int64_t seen;           /* seconds since 1970 (UTC) */
};

/* One AS of an as2org file and the name it goes by: d->names + name, a
 * NUL-terminated copy (org_name of its organisation, else aut_name). */
struct hist_asname {
	uint32_t asn;
	uint32_t name;          /* offset into hist_data.names */
	int from_org;           /* 1: org_name, 0: the AS's own aut_name */
};

struct hist_data {
	struct hist_reg *reg;
	size_t nreg, capreg;
	struct hist_route *rt;
	size_t nrt, caprt;
	char *orig;             /* the routes' origin fields, each NUL-terminated
	                         * (real ones run past 100 bytes) */
	size_t norig, caporig;
	struct hist_exit *ex;
	size_t nex, capex;
	struct hist_asname *an; /* sorted by asn after every parse */
	size_t nan, capan;
	char *names;            /* the names' text, each NUL-terminated */
	size_t nnames, capnames;
	unsigned long records;  /* records read (asn records of delegated files too) */
	char err[256];          /* "WHERE:LINE: reason" when a parse failed */
};

void hist_data_init(struct hist_data *d);
void hist_data_free(struct hist_data *d);

/* Parse buf[0..len) of kind k, appending to d; where names the file in
 * messages.  Returns 0, or -1 with d->err set (what was appended from
 * this document before the error is removed again). */
int hist_parse(enum hist_kind k, const char *buf, size_t len,
               const char *where, struct hist_data *d);

const char *hist_kind_name(enum hist_kind k);

/* The origin field of route r of d, as written. */
const char *hist_route_origins(const struct hist_data *d, const struct hist_route *r);

/* The name of AS asn in the as2org data of d, or NULL. */
const char *hist_as_name(const struct hist_data *d, uint32_t asn);
const char *hist_status_name(enum hist_status s);

/* "YYYY-MM-DD HH:MM:SS" (UTC) from s[0..n) to seconds since 1970; the
 * day alone when n == 10.  Returns 0 or -1. */
int hist_parse_time(const char *s, size_t n, int64_t *out);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t hist_days_from_civil(int y, unsigned m, unsigned d);

/* --- used by the format files (not for other modules) --- */
int hist_delegated_parse(const char *buf, size_t len, const char *where,
                         struct hist_data *d);
/* CAIDA names a day's prefix-to-AS file by when it made it
 * (routeviews-rv2-YYYYMMDD-HHMM.pfx2as.gz).  Of such names in text[0..len)
 * (a directory listing, any markup around them) for day y-m-d, the time
 * nearest noon (the earlier of two as near) into hhmm ("0200").  Returns
 * 0, or -1 when the text names no file of that day. */
int hist_pfx2as_pick_time(const char *text, size_t len, int y, unsigned m, unsigned d,
                          char hhmm[5]);
int hist_pfx2as_parse(const char *buf, size_t len, const char *where,
                      struct hist_data *d);
int hist_exitlist_parse(const char *buf, size_t len, const char *where,
                        struct hist_data *d);
int hist_as2org_parse(const char *buf, size_t len, const char *where,
                      struct hist_data *d);

/* Fail the document: d->err = "WHERE:LINE: reason"; returns -1.  The
 * format files use it as HIST_FAIL(fmt, ...), with d, where and lineno in
 * scope, to return from the parse. */
int hist_fail(struct hist_data *d, const char *where, unsigned long line,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define HIST_FAIL(...) return hist_fail(d, where, lineno, __VA_ARGS__)

/* For the format files: split s[0..n) at '|' into at most max fields
 * (f[i], fl[i]); the count, or -1 for more than max. */
int hist_split_bar(const char *s, size_t n, const char **f, size_t *fl, int max);
/* Is s[0..n) exactly word? */
int hist_is(const char *s, size_t n, const char *word);

/* The next line of buf[*pos..len) without its "\n" or "\r\n": sets
 * *line and *n and advances *pos; returns 0 at the end. */
int hist_next_line(const char *buf, size_t len, size_t *pos,
                   const char **line, size_t *n);

#endif
