/* FUZZ_SOURCES: src/gunzip.c src/util.c */
/* FUZZ_LIBS: zlib */
/*
 * fuzz_gunzip.c - libFuzzer target for the gzip adapter.
 *
 * The first byte picks the output limit (small limits reach the
 * too-big path often); the rest is the document.  Invariants: a failure
 * leaves no buffer; a success is NUL-terminated, within the limit, and
 * the same when decompressed again with exactly that limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gunzip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL, *again = NULL, err[200];
	size_t len = 0, len2 = 0, limit;
	int st;

	if (size < 1)
		return 0;
	limit = data[0] < 128 ? (size_t)data[0] * 64 : (size_t)1 << 20;
	st = gunzip_buffer(data + 1, size - 1, limit, &out, &len, err, sizeof(err));
	if (st != GUNZIP_OK) {
		if (out != NULL || len != 0 || err[0] == '\0')
			abort();
		return 0;
	}
	if (len > limit || out == NULL || out[len] != '\0')
		abort();
	st = gunzip_buffer(data + 1, size - 1, len, &again, &len2, err, sizeof(err));
	if (st != GUNZIP_OK || len2 != len || memcmp(out, again, len) != 0)
		abort();
	free(again);
	free(out);
	return 0;
}
