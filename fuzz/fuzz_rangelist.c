/* FUZZ_SOURCES: src/rangelist.c src/csvread.c src/addr.c src/util.c */
/*
 * fuzz_rangelist.c - libFuzzer target for the datacenter range list
 * reader (ipcat's datacenters.csv).
 *
 * The input is copied to an exact-size buffer so that a read past its
 * end is caught by ASan.  Invariants: an accepted list holds at least
 * one range, each with start <= end in one family and a non-empty name
 * without a line break, sorted and without overlaps, and every range
 * is found by rangelist_find() at both ends; a refused list leaves the
 * struct empty with a message that names the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rangelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rangelist l;
	char err[256], *buf;
	size_t i;
	int rc;

	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	err[0] = '\0';
	rc = rangelist_parse(buf, size, "fuzz", &l, err, sizeof(err));
	if (rc == 0) {
		if (l.n == 0)
			abort();
		for (i = 0; i < l.n; i++) {
			const struct rangelist_row *r = &l.v[i];

			if (r->lo.family != r->hi.family || addr_cmp(&r->lo, &r->hi) > 0)
				abort();
			if (r->name == NULL || r->name[0] == '\0' || strpbrk(r->name, "\r\n") != NULL)
				abort();
			if (i > 0 && r->lo.family == r[-1].lo.family && addr_cmp(&r->lo, &r[-1].hi) <= 0)
				abort();
			if (rangelist_find(&l, &r->lo) != r || rangelist_find(&l, &r->hi) != r)
				abort();
		}
	} else if (rc != -1 || l.n != 0 || l.v != NULL || strncmp(err, "fuzz", 4) != 0) {
		abort();
	}
	rangelist_free(&l);
	free(buf);
	return 0;
}
