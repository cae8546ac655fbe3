/*
 * dbopts.c - shared database options.
 */
#include <stdlib.h>

#include "dbopts.h"
#include "exitcodes.h"
#include "util.h"

void dbopts_init(struct dbopts *d)
{
	d->files = NULL;
	d->n = d->cap = 0;
	d->no_default = 0;
}

void dbopts_take(struct dbopts *d, int opt, const char *arg)
{
	if (opt == DBOPT_NO_DEFAULT) {
		d->no_default = 1;
		return;
	}
	d->files = xgrow(d->files, &d->cap, d->n + 1, sizeof(*d->files));
	d->files[d->n++] = arg;
}

void dbopts_release(struct dbopts *d)
{
	free(d->files);
	dbopts_init(d);
}

int dbopts_open(const struct dbopts *d, struct source_set **out)
{
	struct source_set *set = sources_new();
	size_t i;
	int bad = 0;

	for (i = 0; i < d->n; i++)
		if (sources_add_file(set, d->files[i], 0) != 0)
			bad = 1;
	if (bad) {
		/* The user named this file: going on without it would give
		 * answers they did not ask for. */
		sources_free(set);
		return GA_EXIT_NODB;
	}
	sources_discover(set, !d->no_default);
	if (sources_count(set) == 0) {
		msg_error(NULL, "no usable database found: build the embedded data "
		          "(make), give --db FILE, or set GEOATTR_DB_PATH; "
		          "`geoattr sources` lists where geoattr looks");
		sources_free(set);
		return GA_EXIT_NODB;
	}
	*out = set;
	return GA_EXIT_OK;
}
