/* FUZZ_SOURCES: src/country.c src/util.c */
/*
 * fuzz_country.c - libFuzzer target for country_parse() and
 * country_name_n().  A parsed code must be two upper-case letters that
 * the table knows; a code the table knows must parse to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *name;
	char out[3] = "!!";

	if (country_parse(s, size, out) == 0) {
		if (out[0] < 'A' || out[0] > 'Z' || out[1] < 'A' ||
		    out[1] > 'Z' || out[2] != '\0')
			abort();
		if (country_name(out) == NULL)
			abort();
	} else if (strcmp(out, "!!") != 0) {
		abort();
	}

	name = country_name_n(s, size);
	if (name != NULL) {
		if (size != 2 || country_parse(s, size, out) != 0)
			abort();
		if (strcmp(country_name(out), name) != 0)
			abort();
		/* A name always reads back as the same country. */
		if (country_parse(name, strlen(name), out) != 0 ||
		    strcmp(country_name(out), name) != 0)
			abort();
	}
	return 0;
}
