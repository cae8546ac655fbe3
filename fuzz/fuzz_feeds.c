/* FUZZ_SOURCES: src/feeds.c src/addr.c src/csvread.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_feeds.c - libFuzzer target for every feed parser.
 *
 * The first input byte picks the parser (modulo the number of formats),
 * the rest is the document; the invariants are in fuzz_feed.h.
 */
#include "fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_feed((enum feed_format)(data[0] % FEED_FORMAT_COUNT), data + 1, size - 1);
	return 0;
}
