/*
 * fuzz_hist.h - what the historical-archive fuzz targets check, included
 * by each fuzz_hist_*.c (each is its own program).  A refusal says why
 * and keeps nothing; an accepted document's blocks have lo <= hi in one
 * family, its routes a length within their family, and its AS names
 * are sorted, NUL-terminated inside the name text and found by
 * hist_as_name().  A broken
 * invariant calls abort().
 */
#ifndef GEOATTR_FUZZ_HIST_H
#define GEOATTR_FUZZ_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist/hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse data as kind k and check. */
static void fuzz_hist(enum hist_kind k, const uint8_t *data, size_t size)
{
	struct hist_data d;
	size_t i;
	int rc;

	hist_data_init(&d);
	rc = hist_parse(k, (const char *)data, size, "fuzz", &d);
	if (rc != 0 && (d.err[0] == '\0' || d.nreg || d.nrt || d.nex || d.nan || d.nnames))
		abort();
	for (i = 0; i < d.nreg; i++)
		if (d.reg[i].lo.family != d.reg[i].hi.family ||
		    addr_cmp(&d.reg[i].lo, &d.reg[i].hi) > 0)
			abort();
	for (i = 0; i < d.nrt; i++)
		if (d.rt[i].len < 0 || d.rt[i].len > addr_bits(&d.rt[i].start))
			abort();
	for (i = 0; i < d.nan; i++) {
		if (d.an[i].name >= d.nnames || memchr(d.names + d.an[i].name, '\0',
		                                         d.nnames - d.an[i].name) == NULL)
			abort();
		if (i > 0 && d.an[i - 1].asn >= d.an[i].asn)
			abort();
		if (hist_as_name(&d, d.an[i].asn) != d.names + d.an[i].name)
			abort();
	}
	hist_data_free(&d);
}

#endif
