/*
 * dbinstall.h - install a downloaded MaxMind DB file (DB-IP Lite,
 * IPinfo Lite) into a data directory, only once it is known to work.
 *
 * The document may be gzip-compressed (DB-IP publishes .mmdb.gz); it is
 * decompressed in memory within a size limit, written to a hidden
 * temporary file beside the target, opened through the source engine
 * (metadata, schema, a walk of the whole search tree and sample lookups),
 * its database_type checked against what was asked for, and only then
 * renamed over the target.  Any failure removes the temporary file and
 * leaves the previous target byte for byte.
 *
 * Ownership: the caller owns every argument; nothing is kept.
 */
#ifndef GEOATTR_DBINSTALL_H
#define GEOATTR_DBINSTALL_H

#include <stddef.h>
#include <stdint.h>

struct dbinstall_info {
	char type[64];          /* database_type of the installed file */
	char date[11];          /* its build date, YYYY-MM-DD */
	uint64_t networks;      /* networks holding data */
	size_t bytes;           /* size of the installed file */
	int was_gzip;
};

/* Install data[0..len) as path.  want_type, when not NULL, is the prefix
 * (case-insensitive) the file's database_type must have.  max_out bounds
 * the decompressed size.  Returns 0, or -1 with err set. */
int dbinstall(const char *data, size_t len, size_t max_out, const char *path,
              const char *want_type, struct dbinstall_info *info, char *err,
              size_t errlen);

#endif
