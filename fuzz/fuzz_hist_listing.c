/* FUZZ_SOURCES: src/hist/common.c src/hist/delegated.c src/hist/pfx2as.c src/hist/exitlist.c src/hist/as2org.c src/addr.c src/util.c */
/* FUZZ_LIBS: */
/*
 * fuzz_hist_listing.c - libFuzzer target for reading the time of a day's
 * prefix-to-AS file from CAIDA's month listing (hist_pfx2as_pick_time):
 * never reads past the text, and a time it gives is HHMM of a real time
 * whose file name is in the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so that reading past the end is caught. */
	char *text = malloc(size ? size : 1), hhmm[5], name[48];
	unsigned d;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	for (d = 1; d <= 3; d++) {
		int v;

		memset(hhmm, 'x', sizeof(hhmm));
		if (hist_pfx2as_pick_time(text, size, 2017, 3, d, hhmm) != 0)
			continue;
		if (hhmm[4] != '\0' || strspn(hhmm, "0123456789") != 4)
			abort();
		v = atoi(hhmm);
		if (v / 100 > 23 || v % 100 > 59)
			abort();
		snprintf(name, sizeof(name), "routeviews-rv2-201703%02u-%s.pfx2as.gz", d, hhmm);
		if (size < strlen(name))
			abort();
		{
			size_t i, n = strlen(name), found = 0;

			for (i = 0; i + n <= size && !found; i++)
				found = memcmp(text + i, name, n) == 0;
			if (!found)
				abort();
		}
	}
	free(text);
	return 0;
}
