/* FUZZ_SOURCES: src/rdap_parse.c src/addr.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson */
/*
 * fuzz_rdap.c - libFuzzer target for the RDAP parsers (rdap_parse.c,
 * which has no network code, so no libcurl here).
 *
 * The first input byte picks the parser (bit 0: 0 answer, 1 bootstrap)
 * and, for the bootstrap, the address looked up (the other bits); the
 * rest is the document.  Invariants: a refused answer says why and
 * leaves the result empty; an accepted one has a network whose block is
 * an ordered range of one family, a two-letter upper-case country or
 * none, and no control characters in any text.  A bootstrap match is an
 * https URL ending in '/', and anything else leaves the URL empty.  A
 * broken invariant calls abort() so that libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const addrs[] = {
	"8.8.8.8", "10.1.2.3", "193.0.6.139", "0.0.0.0", "255.255.255.255",
	"2001:4860:4860::8888", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
};

static void check_text(const char *s)
{
	for (; s != NULL && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void check_answer(const char *buf, size_t len)
{
	struct rdap_result r;
	char err[256] = "";

	if (rdap_parse_network(buf, len, &r, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || r.network != NULL || r.name != NULL)
			abort();
		return;
	}
	if (r.network == NULL || r.block.lo.family != r.block.hi.family ||
	    addr_cmp(&r.block.lo, &r.block.hi) > 0)
		abort();
	if (r.country != NULL && (strlen(r.country) != 2 ||
	    r.country[0] < 'A' || r.country[0] > 'Z' ||
	    r.country[1] < 'A' || r.country[1] > 'Z'))
		abort();
	check_text(r.name);
	check_text(r.type);
	check_text(r.handle);
	check_text(r.registry);
	check_text(r.registration_date);
	check_text(r.last_changed);
	rdap_result_free(&r);
}

static void check_bootstrap(const char *buf, size_t len, unsigned pick)
{
	const char *s = addrs[pick % (sizeof(addrs) / sizeof(addrs[0]))];
	char url[RDAP_URL_MAX];
	struct ga_addr a;
	size_t n;
	int rc;

	if (addr_parse(s, strlen(s), &a, NULL) != 0)
		abort();
	rc = rdap_parse_bootstrap(buf, len, &a, url, sizeof(url));
	n = strlen(url);
	if (rc == RDAP_BOOT_FOUND) {
		if (n < 10 || strncmp(url, "https://", 8) != 0 || url[n - 1] != '/')
			abort();
	} else if (rc != RDAP_BOOT_NOMATCH && rc != RDAP_BOOT_NOHTTPS &&
	           rc != RDAP_BOOT_BAD) {
		abort();
	} else if (n != 0) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		check_bootstrap((const char *)data + 1, size - 1, data[0] >> 1);
	else
		check_answer((const char *)data + 1, size - 1);
	return 0;
}
