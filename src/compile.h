/*
 * compile.h - turn range data (CSV ranges, CIDR CSV, Tor geoip files)
 * into a MaxMind DB file with geoattr's writer.  Used by `geoattr compile`
 * and by the build to make the embedded databases.
 *
 * Column names (--columns, or a header row) decide where each value goes:
 *   start, end          range bounds (addresses; IPv4 may be a decimal integer)
 *   network             an address, CIDR prefix or LO-HI range
 *   country, cc, country_code, iso_code
 *                       -> country.iso_code (upper-cased; "", "??", "ZZ" and
 *                          "-" mean unknown: the row is counted as skipped)
 *   asn                 -> autonomous_system_number (uint32; "AS" prefix allowed)
 *   org, organization, as_name, as_org
 *                       -> autonomous_system_organization
 *   -, _                ignored
 *   anything else       -> a top-level string field of that name (empty
 *                          values are left out)
 *
 * Overlapping ranges: the later row wins over exactly the addresses it
 * covers (see mmdbw.h); the number of such rows is reported.
 *
 * Ownership: compile_run() borrows everything it is given.
 */
#ifndef GEOATTR_COMPILE_H
#define GEOATTR_COMPILE_H

#include <stddef.h>
#include <stdint.h>

enum compile_format {
	COMPILE_AUTO = 0,
	COMPILE_RANGE_CSV,   /* start,end,values... */
	COMPILE_CIDR_CSV,    /* network,values... */
	COMPILE_TOR          /* Tor geoip / geoip6: start,end,CC with '#' comments */
};

struct compile_opts {
	enum compile_format format;
	const char *columns;       /* "start,end,country"; NULL: header or default */
	int header;                /* 1: first record names the columns; -1 auto */
	char sep;                  /* ',' or '\t'; 0 = guess from the first line */
	int strict;                /* stop at the first bad row */
	int quiet;                 /* no summary on stderr */
	int ip_version;            /* 4 or 6 */
	int record_size;           /* 0 = automatic */
	const char *type;          /* database_type */
	const char *description;
	const char *source_name;   /* geoattr_source */
	const char *license;       /* geoattr_license */
	const char *attribution;   /* geoattr_attribution */
	const char *data_date;     /* geoattr_data_date, YYYY-MM-DD */
	int list_keys;             /* geoattr_keys: the top-level keys records hold */
	size_t max_report;         /* bad rows printed before summarising */
};

struct compile_stats {
	uint64_t records;          /* data records read (comments, blanks, header excluded) */
	uint64_t stored;           /* records inserted into the tree */
	uint64_t unknown;          /* records skipped because their value means "unknown" */
	uint64_t rejected;         /* malformed records, each reported as FILE:LINE: reason */
	uint64_t overlaps;         /* stored records that replaced earlier data */
	size_t distinct;           /* distinct data values */
	uint32_t nodes;
	int record_size;
	uint64_t bytes;            /* size of the written file */
};

void compile_opts_init(struct compile_opts *o);

/* Compile the inputs ("-" is standard input) into `out`.  Returns an
 * enum ga_exit: OK, PARTIAL (some rows rejected, file written), STRICT
 * (a row rejected under --strict, nothing written), IO, USAGE (bad column
 * spec). */
int compile_run(const struct compile_opts *o, const char *const *inputs,
                size_t ninputs, const char *out, struct compile_stats *st);

#endif
