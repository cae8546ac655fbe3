/* FUZZ_SOURCES: src/feeds.c src/addr.c src/csvread.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_feed_geofeed.c - libFuzzer target for the RFC 8805 geofeed parser
 * (DigitalOcean, Linode, iCloud Private Relay egress ranges), seeded with
 * lines of the embedded iCloud snapshot; the invariants are in
 * fuzz_feed.h.
 */
#include "fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(FEED_GEOFEED, data, size);
	return 0;
}
