/* FUZZ_SOURCES: src/typeidx.c src/util.c */
/*
 * fuzz_typeidx.c - libFuzzer target for the type index's frame.
 *
 * The input is copied to an exact-size buffer so that a read past its
 * end is caught by ASan.  Invariants: an accepted index names at most
 * TIX_MAX_FILES files, each with a name, and at most TIX_MAX_TABLES
 * tables whose rows and strings lie inside the input, the strings ending
 * with a NUL; every field of every row and every string offset can then
 * be read; a string offset outside the strings gives NULL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "typeidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tix t;
	char err[160];
	uint8_t *buf;
	size_t i, r;
	volatile uint64_t sink = 0;

	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	err[0] = '\0';
	if (tix_parse(buf, size, &t, err, sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();        /* a refusal always says why */
		free(buf);
		return 0;
	}
	if (t.nfiles > TIX_MAX_FILES || t.ntables > TIX_MAX_TABLES)
		abort();
	for (i = 0; i < t.nfiles; i++)
		if (t.file[i].name[0] == '\0' ||
		    memchr(t.file[i].name, '\0', TIX_NAME_MAX) == NULL)
			abort();
	for (i = 0; i < t.ntables; i++) {
		const struct tix_table *tb = &t.table[i];

		if (tix_table(&t, tb->id, 0) == NULL)
			abort();
		if (tb->nstr > 0 && tb->str[tb->nstr - 1] != '\0')
			abort();
		for (r = 0; r < tb->nrows && r < 4096; r++) {
			size_t off;

			for (off = 0; off + 8 <= tb->row_size; off += 8)
				sink += tix_u64(tb, r, off);
			if (tb->row_size >= 4) {
				uint32_t so = tix_u32(tb, r, tb->row_size - 4);
				const char *s = tix_str(tb, so);

				if ((s == NULL) != (so >= tb->nstr))
					abort();
				if (s != NULL)
					sink += strlen(s);
			}
		}
		if (tix_str(tb, tb->nstr) != NULL)
			abort();
	}
	(void)sink;
	free(buf);
	return 0;
}
