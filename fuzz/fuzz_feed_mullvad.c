/* FUZZ_SOURCES: src/feeds.c src/addr.c src/csvread.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_feed_mullvad.c - libFuzzer target for the Mullvad relay-list parser
 * (both shapes: the www/relays/all/ array and the app/v1/relays object of
 * the embedded snapshot), seeded with both; the invariants are in
 * fuzz_feed.h.
 */
#include "fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(FEED_MULLVAD, data, size);
	return 0;
}
