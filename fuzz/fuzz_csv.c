/* FUZZ_SOURCES: src/csvread.c src/util.c */
/*
 * fuzz_csv.c - libFuzzer target for the CSV reader.
 *
 * The first input byte picks the separator and small limits, so the
 * limit paths are reached as often as the plain ones; the rest is the
 * CSV.  Each input is also read with no limits.  Any broken invariant
 * calls abort() so that libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *in, size_t len, char sep, size_t max_fields,
                  size_t max_record)
{
	struct csv_reader *r = csv_new(in, len, sep, max_fields, max_record);
	const struct csv_field *f;
	unsigned long line, last = 1, lines = 1;
	size_t nf, i, calls = 0, sum;
	volatile char sink = 0;
	int st;

	if (r == NULL)
		abort();
	for (i = 0; i < len; i++)
		if (in[i] == '\n')
			lines++;

	while ((st = csv_next(r, &f, &nf, &line)) != CSV_EOF) {
		/* Every call that is not EOF consumes at least one byte. */
		if (++calls > len + 1)
			abort();
		if (st < CSV_ERR_TOO_MANY || st > CSV_RECORD)
			abort();
		if (line < last || line > lines)
			abort();
		last = line;
		if (st != CSV_RECORD)
			continue;
		if (nf == 0 || (max_fields != 0 && nf > max_fields))
			abort();
		sum = 0;
		for (i = 0; i < nf; i++) {
			const char *p = f[i].p;
			size_t n = f[i].len;

			if (p == NULL)
				abort();
			if (p >= in && p <= in + len) {
				if (n > (size_t)(in + len - p))
					abort();
			} else if (n == 0 || n >= len ||
			           memchr(p, '"', n) == NULL) {
				/* Only an unquoted "" moves a field to scratch. */
				abort();
			}
			/* NUL is always an error, never data. */
			if (n > 0 && memchr(p, '\0', n) != NULL)
				abort();
			/* Touch every byte so ASan checks the whole field. */
			if (n > 0)
				sink ^= p[0] ^ p[n - 1];
			sum += n;
		}
		if (max_record != 0 && sum > max_record)
			abort();
	}
	if (line < last)
		abort();
	if (csv_next(r, &f, &nf, &line) != CSV_EOF)
		abort();
	csv_free(r);
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in;
	uint8_t ctl;

	if (size == 0) {
		check("", 0, ',', 0, 0);
		return 0;
	}
	ctl = data[0];
	in = (const char *)data + 1;
	size--;
	check(in, size, (ctl & 1) ? '\t' : ',', 1 + ((ctl >> 1) & 7),
	      1 + (size_t)(ctl >> 4) * 4);
	check(in, size, (ctl & 1) ? '\t' : ',', 0, 0);
	return 0;
}
