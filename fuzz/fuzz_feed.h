/*
 * fuzz_feed.h - what the feed-parser fuzz targets check, included by each
 * fuzz_feed*.c (each is its own program).  A refusal always says why, an
 * accepted document holds at least one entry and no more rejected than
 * accepted entries, a rejection is reported with where it was, and every
 * entry is a valid prefix of its family with an empty or two-letter
 * country.  A broken invariant calls abort() so that libFuzzer keeps the
 * input.
 */
#ifndef GEOATTR_FUZZ_FEED_H
#define GEOATTR_FUZZ_FEED_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse data[0..size) as format f and check. */
static void fuzz_feed(enum feed_format f, const uint8_t *data, size_t size)
{
	struct feed_data d;
	size_t i;
	int rc;

	feed_data_init(&d);
	d.quiet = 1;
	rc = feed_parse(f, (const char *)data, size, "fuzz", &d);
	if (rc != 0 && d.err[0] == '\0')
		abort();
	if (rc == 0 && (d.n == 0 || d.rejected > d.n))
		abort();
	if (d.rejected > 0 && strncmp(d.first_bad, "fuzz", 4) != 0)
		abort();
	for (i = 0; i < d.n; i++) {
		const struct feed_entry *e = &d.v[i];
		int bits = e->start.family == 4 ? 32 : 128;

		if ((e->start.family != 4 && e->start.family != 6) ||
		    e->len < 0 || e->len > bits)
			abort();
		if (e->country[0] != '\0' && strlen(e->country) != 2)
			abort();
	}
	feed_data_free(&d);
}

#endif
