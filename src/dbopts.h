/*
 * dbopts.h - the database options every command shares (--db FILE,
 * --no-default-db) and opening the source set they describe.
 *
 * Ownership: dbopts owns its list (dbopts_release frees it, not the
 * strings, which are argv's); dbopts_open gives the caller a set to free
 * with sources_free().
 */
#ifndef GEOATTR_DBOPTS_H
#define GEOATTR_DBOPTS_H

#include <stddef.h>

#include "source.h"

enum { DBOPT_DB = 1000, DBOPT_NO_DEFAULT };

struct dbopts {
	const char **files;
	size_t n, cap;
	int no_default;
};

void dbopts_init(struct dbopts *d);
/* Take one option (DBOPT_DB with its argument, or DBOPT_NO_DEFAULT). */
void dbopts_take(struct dbopts *d, int opt, const char *arg);
void dbopts_release(struct dbopts *d);
/* Open --db files, then discover the rest.  Returns GA_EXIT_OK, or
 * GA_EXIT_NODB (after a message) when no usable database was found or a
 * --db file could not be opened. */
int dbopts_open(const struct dbopts *d, struct source_set **out);

#endif
