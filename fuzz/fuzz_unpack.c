/* FUZZ_SOURCES: src/unpack.c src/dynlib.c src/ustar.c src/gunzip.c src/util.c */
/* FUZZ_LIBS: zlib liblzma -lbz2 */
/*
 * fuzz_unpack.c - libFuzzer target for the decompression adapter (gzip,
 * bzip2, xz by magic number) and the ustar reader run on what it gives.
 * Invariants: success gives at most the ceiling; a failure gives no
 * buffer and says why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "unpack.h"
#include "ustar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(void *ctx, const char *name, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return name == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL, err[256];
	size_t outlen = 0;
	int st;

	err[0] = '\0';
	st = unpack_buffer(data, size, 1 << 20, &out, &outlen, NULL, err, sizeof(err));
	if (st != UNPACK_OK && (out != NULL || err[0] == '\0'))
		abort();
	if (st == UNPACK_OK && outlen > (1 << 20))
		abort();
	err[0] = '\0';
	if (ustar_each(st == UNPACK_OK ? out : (const char *)data, st == UNPACK_OK ? outlen : size,
	               each, NULL, err, sizeof(err)) == -1 && err[0] == '\0')
		abort();
	free(out);
	return 0;
}
