/* FUZZ_SOURCES: src/asnlist.c src/util.c */
/*
 * fuzz_asnlist.c - libFuzzer target for the third-party ASN list readers.
 *
 * The first byte picks the format (X4BNet or bad-asn-list); the rest is
 * the list, copied to an exact-size buffer so that a read past the end
 * is caught by ASan.  Invariants: an accepted list holds at least one
 * ASN, sorted and each once, every ASN in 1..2^32-1, names without a
 * newline; a refused list leaves the struct empty with a message that
 * names the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asnlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asnlist l;
	char err[256], *buf;
	enum asnlist_format f;
	size_t i;
	int rc;

	if (size == 0)
		return 0;
	f = (data[0] & 1) ? ASNLIST_BADASN : ASNLIST_X4BNET;
	buf = malloc(size - 1 ? size - 1 : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	err[0] = '\0';
	rc = asnlist_parse(f, buf, size - 1, "fuzz", &l, err, sizeof(err));
	if (rc == 0) {
		if (l.n == 0)
			abort();
		for (i = 0; i < l.n; i++) {
			if (l.v[i].asn == 0 || (i > 0 && l.v[i].asn <= l.v[i - 1].asn))
				abort();
			if (l.v[i].name == NULL || strchr(l.v[i].name, '\n') != NULL)
				abort();
		}
	} else if (rc != -1 || l.n != 0 || l.v != NULL || strncmp(err, "fuzz", 4) != 0) {
		abort();
	}
	asnlist_free(&l);
	free(buf);
	return 0;
}
