/*
 * gunzip.c - gzip decompression over zlib; see gunzip.h.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gunzip.h"
#include "util.h"

/* zlib counts in unsigned int: hand it at most this much at a time. */
#define CHUNK_MAX ((size_t)1 << 30)

int gunzip_is_gzip(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int gunzip_buffer(const void *in, size_t inlen, size_t max_out, char **out,
                  size_t *outlen, char *err, size_t errlen)
{
	const unsigned char *src = in;
	size_t used = 0, len = 0, cap;
	unsigned char *dst;
	z_stream z;
	int ret, st = GUNZIP_OK;

	*out = NULL;
	*outlen = 0;
	if (max_out > SIZE_MAX / 2)
		max_out = SIZE_MAX / 2;
	if (!gunzip_is_gzip(in, inlen)) {
		errbuf_set(err, errlen, "not gzip data (no gzip header)");
		return GUNZIP_ERR_FORMAT;
	}
	memset(&z, 0, sizeof(z));
	/* 16 + MAX_WBITS: a gzip wrapper, its CRC-32 and length checked. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		errbuf_set(err, errlen, "zlib: cannot start: %s", z.msg ? z.msg : "?");
		return GUNZIP_ERR_FORMAT;
	}
	/* Compressed MaxMind DB files shrink about 2:1; start near that. */
	cap = min_size(max_out, inlen > SIZE_MAX / 3 ? SIZE_MAX / 3 : inlen * 3) + 1;
	if (cap < 4096)
		cap = 4096;
	dst = xmalloc(cap);
	for (;;) {
		size_t in_before, out_before;

		if (len == cap) {
			/* len <= max_out (checked below), so cap <= max_out: there
			 * is room for one byte past the limit, which detects it. */
			cap = cap > (max_out + 1) / 2 ? max_out + 1 : cap * 2;
			dst = xrealloc(dst, cap);
		}
		z.next_in = (unsigned char *)(uintptr_t)(src + used);
		z.avail_in = (unsigned)min_size(inlen - used, CHUNK_MAX);
		z.next_out = dst + len;
		z.avail_out = (unsigned)min_size(cap - len, CHUNK_MAX);
		in_before = z.avail_in;
		out_before = z.avail_out;
		ret = inflate(&z, Z_NO_FLUSH);
		used += in_before - z.avail_in;
		len += out_before - z.avail_out;
		if (len > max_out) {
			st = GUNZIP_ERR_TOO_BIG;
			break;
		}
		if (ret == Z_STREAM_END) {
			if (used == inlen)
				break;
			/* Another member follows, or trailing bytes that are not
			 * one: refuse those rather than guess what they are. */
			if (!gunzip_is_gzip(src + used, inlen - used)) {
				errbuf_set(err, errlen, "%zu bytes of other data after the "
				           "gzip data", inlen - used);
				st = GUNZIP_ERR_FORMAT;
				break;
			}
			inflateReset(&z);
			continue;
		}
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR && used == inlen && len < cap) {
			errbuf_set(err, errlen, "gzip data truncated after %zu bytes "
			           "(%zu bytes decompressed)", inlen, len);
			st = GUNZIP_ERR_TRUNCATED;
			break;
		}
		if (ret == Z_BUF_ERROR)
			continue;      /* needs more room: grown at the top */
		errbuf_set(err, errlen, "corrupt gzip data%s%s at byte %zu",
		           z.msg ? ": " : "", z.msg ? z.msg : "", used);
		st = GUNZIP_ERR_FORMAT;
		break;
	}
	inflateEnd(&z);
	if (st == GUNZIP_ERR_TOO_BIG)
		errbuf_set(err, errlen, "decompresses to more than the limit of %zu "
		           "bytes", max_out);
	if (st != GUNZIP_OK) {
		free(dst);
		return st;
	}
	if (len == cap)
		dst = xrealloc(dst, cap + 1);
	dst[len] = '\0';
	*out = (char *)dst;
	*outlen = len;
	return GUNZIP_OK;
}
