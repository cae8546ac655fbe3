/* FUZZ_SOURCES: src/claim.c src/country.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_claim.c - claim files: any bytes give a claim or an error, never a
 * crash; a parsed claim holds a valid share and a known country.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "country.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct claim c;
	char err[512];

	claim_init(&c);
	if (claim_parse("fuzz.json", (const char *)data, size, &c, err, sizeof(err)) == 0) {
		if (c.share > 1 || (c.share < 0 && c.share != -1))
			abort();
		if (c.country[0] && country_name(c.country) == NULL)
			abort();
		if (!c.no_list && c.addresses == NULL)
			abort();
	} else if (strlen(err) == 0) {
		abort();
	}
	claim_release(&c);
	return 0;
}
