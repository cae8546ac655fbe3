/*
 * test_gunzip.c - the gzip adapter: round trips of sizes around the
 * growth steps, several members, and every way a stream can be bad
 * (each prefix of a valid stream, flipped bytes, trailing data, the
 * output limit at and one below the exact size).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gunzip.h"
#include "tap.h"

/* Compress with a gzip wrapper (the test's own use of zlib, to make
 * input the adapter has never seen). */
static unsigned char *gz(const void *in, size_t n, size_t *outlen)
{
	z_stream z;
	size_t cap = n + n / 100 + 1024;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if (out == NULL ||
	    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (unsigned)n;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *pattern(size_t n, unsigned seed)
{
	unsigned char *p = malloc(n + 1);
	size_t i;

	/* Half text-like, half noise, so it neither vanishes nor refuses
	 * to compress. */
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (i / 64) % 2 ? (unsigned char)(seed >> 16) : (unsigned char)('a' + i % 26);
	}
	return p;
}

int main(void)
{
	static const size_t sizes[] = { 0, 1, 100, 4095, 4096, 4097, 65536, 1000003 };
	unsigned char *plain, *z, *two;
	char *out, err[200];
	size_t zl, ol, i, bad;
	int st;

	ok(!gunzip_is_gzip("", 0), "empty input is not gzip");
	ok(!gunzip_is_gzip("\x1f", 1), "one byte is not gzip");
	ok(gunzip_is_gzip("\x1f\x8b", 2), "the magic number is");

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		plain = pattern(sizes[i], (unsigned)i);
		z = gz(plain, sizes[i], &zl);
		st = gunzip_buffer(z, zl, 10u << 20, &out, &ol, err, sizeof(err));
		ok(st == GUNZIP_OK && ol == sizes[i] && memcmp(out, plain, ol) == 0 &&
		   out[ol] == '\0', "round trip of %zu bytes", sizes[i]);
		free(out);
		st = gunzip_buffer(z, zl, sizes[i], &out, &ol, err, sizeof(err));
		ok(st == GUNZIP_OK && ol == sizes[i], "limit equal to the size: accepted (%zu)", sizes[i]);
		free(out);
		if (sizes[i] > 0) {
			st = gunzip_buffer(z, zl, sizes[i] - 1, &out, &ol, err, sizeof(err));
			ok(st == GUNZIP_ERR_TOO_BIG && out == NULL && strstr(err, "more than the limit"),
			   "limit one below the size: refused (%zu)", sizes[i]);
		}
		free(z);
		free(plain);
	}

	/* Two members, as `cat a.gz b.gz` makes. */
	plain = pattern(5000, 7);
	z = gz(plain, 5000, &zl);
	two = malloc(2 * zl);
	memcpy(two, z, zl);
	memcpy(two + zl, z, zl);
	st = gunzip_buffer(two, 2 * zl, 1u << 20, &out, &ol, err, sizeof(err));
	ok(st == GUNZIP_OK && ol == 10000 && memcmp(out, plain, 5000) == 0 &&
	   memcmp(out + 5000, plain, 5000) == 0, "two members decompress whole");
	free(out);

	/* Every proper prefix is refused, none is taken for the whole. */
	bad = 0;
	for (i = 0; i < zl; i++) {
		st = gunzip_buffer(z, i, 1u << 20, &out, &ol, err, sizeof(err));
		if (st == GUNZIP_OK || out != NULL)
			bad++;
	}
	ok(bad == 0, "each of the %zu prefixes of a stream is refused", zl);
	st = gunzip_buffer(z, zl / 2, 1u << 20, &out, &ol, err, sizeof(err));
	ok(st == GUNZIP_ERR_TRUNCATED && strstr(err, "truncated"), "half a stream: truncated (%s)", err);

	/* Trailing bytes that are not another member. */
	memcpy(two + zl, "<html>", 6);
	st = gunzip_buffer(two, zl + 6, 1u << 20, &out, &ol, err, sizeof(err));
	ok(st == GUNZIP_ERR_FORMAT && strstr(err, "6 bytes of other data"), "trailing data refused (%s)", err);

	/* A flipped byte anywhere after the header: never accepted. */
	bad = 0;
	for (i = 10; i < zl; i++) {
		memcpy(two, z, zl);
		two[i] ^= 0x20;
		st = gunzip_buffer(two, zl, 1u << 20, &out, &ol, err, sizeof(err));
		if (st == GUNZIP_OK && (ol != 5000 || memcmp(out, plain, 5000) != 0))
			bad++;
		free(out);
	}
	ok(bad == 0, "no flipped byte yields wrong data silently");
	free(two);
	free(z);
	free(plain);

	st = gunzip_buffer("PK\x03\x04", 4, 100, &out, &ol, err, sizeof(err));
	ok(st == GUNZIP_ERR_FORMAT && out == NULL && strstr(err, "not gzip"), "a zip file is not gzip");
	st = gunzip_buffer("\x1f\x8b\x08\x00garbage-garbage", 19, 100, &out, &ol, err, sizeof(err));
	ok(st != GUNZIP_OK && out == NULL, "a gzip header then garbage is refused");
	return done_testing();
}
