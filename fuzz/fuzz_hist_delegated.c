/* FUZZ_SOURCES: src/hist/common.c src/hist/delegated.c src/hist/pfx2as.c src/hist/exitlist.c src/hist/as2org.c src/addr.c src/util.c */
/* FUZZ_LIBS: */
/*
 * fuzz_hist_delegated.c - libFuzzer target for the RIR delegated-statistics archive parser;
 * the invariants are in fuzz_hist.h.
 */
#include "fuzz_hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_hist(HIST_DELEGATED, data, size);
	return 0;
}
