/* FUZZ_SOURCES: src/hist/common.c src/hist/delegated.c src/hist/pfx2as.c src/hist/exitlist.c src/addr.c src/util.c */
/* FUZZ_LIBS: */
/*
 * fuzz_hist_pfx2as.c - libFuzzer target for the pfx2as archive parser.
 * Invariants: a refusal says why and keeps nothing; an accepted
 * document's blocks have lo <= hi in one family, routes have a length
 * within their family.  A broken invariant calls abort().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hist/hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hist_data d;
	size_t i;
	int rc;

	hist_data_init(&d);
	rc = hist_parse(HIST_PFX2AS, (const char *)data, size, "fuzz", &d);
	if (rc != 0 && (d.err[0] == '\0' || d.nreg || d.nrt || d.nex))
		abort();
	for (i = 0; i < d.nreg; i++)
		if (d.reg[i].lo.family != d.reg[i].hi.family ||
		    addr_cmp(&d.reg[i].lo, &d.reg[i].hi) > 0)
			abort();
	for (i = 0; i < d.nrt; i++)
		if (d.rt[i].len < 0 || d.rt[i].len > addr_bits(&d.rt[i].start))
			abort();
	hist_data_free(&d);
	return 0;
}
