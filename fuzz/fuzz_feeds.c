/* FUZZ_SOURCES: src/feeds.c src/addr.c src/csvread.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_feeds.c - libFuzzer target for every feed parser.
 *
 * The first input byte picks the parser (modulo the number of formats),
 * the rest is the document.  Invariants: a refusal always says why, an
 * accepted document holds at least one entry and no more rejected than
 * accepted entries, and every entry is a valid prefix of its family.
 * A broken invariant calls abort() so that libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_data d;
	enum feed_format f;
	size_t i;
	int rc;

	if (size < 1)
		return 0;
	f = (enum feed_format)(data[0] % FEED_FORMAT_COUNT);
	feed_data_init(&d);
	d.quiet = 1;
	rc = feed_parse(f, (const char *)data + 1, size - 1, "fuzz", &d);
	if (rc != 0 && d.err[0] == '\0')
		abort();
	if (rc == 0 && (d.n == 0 || d.rejected > d.n))
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
	return 0;
}
