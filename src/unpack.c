/*
 * unpack.c - see unpack.h.  The historical archives come as .bz2 (RIPE),
 * .gz (APNIC, CAIDA), .tar.xz (CollecTor) or uncompressed (ARIN, LACNIC,
 * AFRINIC), so the format is read from the data, never from a name.
 */
#include <bzlib.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dynlib.h"
#include "gunzip.h"
#include "unpack.h"
#include "util.h"

#ifndef BZ2_SONAME
#define BZ2_SONAME "libbz2.so.1.0"
#endif
#ifndef LIBLZMA_SONAME
#define LIBLZMA_SONAME "liblzma.so.5"
#endif

/* libbz2 and liblzma, loaded on first use (dynlib.h says why): only
 * update --as-of reads bzip2 and xz. */
static struct {
	int (*bz_init)(bz_stream *, int, int);
	int (*bz_decompress)(bz_stream *);
	int (*bz_end)(bz_stream *);
	lzma_ret (*xz_decoder)(lzma_stream *, uint64_t, uint32_t);
	lzma_ret (*xz_code)(lzma_stream *, lzma_action);
	void (*xz_end)(lzma_stream *);
} Z;

static int bz2_loaded(char *err, size_t errlen)
{
	static int state;
	const struct dynsym syms[] = {
		{ "BZ2_bzDecompressInit", (void **)&Z.bz_init },
		{ "BZ2_bzDecompress", (void **)&Z.bz_decompress },
		{ "BZ2_bzDecompressEnd", (void **)&Z.bz_end },
	};

	return dynlib_load(&state, BZ2_SONAME, "GEOATTR_BZ2_LIB", syms,
	    sizeof syms / sizeof syms[0], err, errlen);
}

static int lzma_loaded(char *err, size_t errlen)
{
	static int state;
	const struct dynsym syms[] = {
		{ "lzma_stream_decoder", (void **)&Z.xz_decoder },
		{ "lzma_code", (void **)&Z.xz_code },
		{ "lzma_end", (void **)&Z.xz_end },
	};

	return dynlib_load(&state, LIBLZMA_SONAME, "GEOATTR_LZMA_LIB", syms,
	    sizeof syms / sizeof syms[0], err, errlen);
}

enum unpack_format unpack_detect(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (gunzip_is_gzip(buf, len))
		return UNPACK_GZIP;
	if (len >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9')
		return UNPACK_BZIP2;
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return UNPACK_XZ;
	return UNPACK_PLAIN;
}

const char *unpack_format_name(enum unpack_format f)
{
	switch (f) {
	case UNPACK_PLAIN: return "plain";
	case UNPACK_GZIP: return "gzip";
	case UNPACK_BZIP2: return "bzip2";
	case UNPACK_XZ: return "xz";
	}
	return "?";
}

/* Grow *buf so that at least 64 KiB are free past *used, within max+1
 * bytes (one past the ceiling, so that "too big" can be seen). */
static int room(char **buf, size_t *cap, size_t used, size_t max)
{
	size_t want;

	if (*cap - used >= 65536 || *cap > max)
		return *cap > used;
	want = *cap ? *cap * 2 : 1 << 20;
	if (want > max + 1)
		want = max + 1;
	if (want < used + 1)
		want = used + 1;
	*buf = xrealloc(*buf, want + 1);
	*cap = want;
	return *cap > used;
}

/* The end of a decompressor: on success buf (NUL-terminated, never NULL)
 * goes to the caller, else it is freed.  Returns rc. */
static int hand_out(int rc, char *buf, size_t used, char **out, size_t *outlen)
{
	if (rc != UNPACK_OK) {
		free(buf);
		return rc;
	}
	if (buf == NULL)
		buf = xmalloc(1);
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return UNPACK_OK;
}

static int bunzip(const char *in, size_t inlen, size_t max, char **out,
                  size_t *outlen, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t cap = 0, used = 0, off = 0;
	int rc = UNPACK_OK;

	if (bz2_loaded(err, errlen) != 0)
		return UNPACK_ERR_FORMAT;
	/* One bz_stream per concatenated stream. */
	while (off < inlen && rc == UNPACK_OK) {
		bz_stream s;
		int st;

		if (unpack_detect(in + off, inlen - off) != UNPACK_BZIP2) {
			errbuf_set(err, errlen, "bzip2: %zu bytes of junk after the stream", inlen - off);
			rc = UNPACK_ERR_FORMAT;
			break;
		}
		memset(&s, 0, sizeof(s));
		if (Z.bz_init(&s, 0, 0) != BZ_OK) {
			errbuf_set(err, errlen, "bzip2: cannot start the decompressor");
			rc = UNPACK_ERR_FORMAT;
			break;
		}
		s.next_in = (char *)(uintptr_t)(in + off);
		s.avail_in = (unsigned)(inlen - off > UINT32_MAX ? UINT32_MAX : inlen - off);
		for (;;) {
			if (!room(&buf, &cap, used, max) || used > max) {
				errbuf_set(err, errlen, "bzip2: decompresses to more than %zu bytes", max);
				rc = UNPACK_ERR_TOO_BIG;
				break;
			}
			s.next_out = buf + used;
			s.avail_out = (unsigned)(cap - used);
			st = Z.bz_decompress(&s);
			used = cap - s.avail_out;
			if (used > max) {
				errbuf_set(err, errlen, "bzip2: decompresses to more than %zu bytes", max);
				rc = UNPACK_ERR_TOO_BIG;
				break;
			}
			if (st == BZ_STREAM_END)
				break;
			if (st != BZ_OK) {
				errbuf_set(err, errlen, "bzip2: corrupt data (error %d)", st);
				rc = UNPACK_ERR_FORMAT;
				break;
			}
			if (s.avail_in == 0 && s.avail_out != 0) {
				errbuf_set(err, errlen, "bzip2: the stream ends early (truncated)");
				rc = UNPACK_ERR_TRUNCATED;
				break;
			}
		}
		off = (size_t)(s.next_in - in);
		Z.bz_end(&s);
	}
	return hand_out(rc, buf, used, out, outlen);
}

static int unxz(const char *in, size_t inlen, size_t max, char **out,
                size_t *outlen, char *err, size_t errlen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	char *buf = NULL;
	size_t cap = 0, used = 0;
	int rc = UNPACK_OK;
	lzma_ret st;

	if (lzma_loaded(err, errlen) != 0)
		return UNPACK_ERR_FORMAT;
	/* LZMA_CONCATENATED: several .xz streams in a row are one file;
	 * junk after them is an error from the decoder itself. */
	if (Z.xz_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
		errbuf_set(err, errlen, "xz: cannot start the decompressor");
		return UNPACK_ERR_FORMAT;
	}
	s.next_in = (const uint8_t *)in;
	s.avail_in = inlen;
	for (;;) {
		if (!room(&buf, &cap, used, max) || used > max) {
			errbuf_set(err, errlen, "xz: decompresses to more than %zu bytes", max);
			rc = UNPACK_ERR_TOO_BIG;
			break;
		}
		s.next_out = (uint8_t *)buf + used;
		s.avail_out = cap - used;
		st = Z.xz_code(&s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
		used = cap - s.avail_out;
		if (used > max) {
			errbuf_set(err, errlen, "xz: decompresses to more than %zu bytes", max);
			rc = UNPACK_ERR_TOO_BIG;
			break;
		}
		if (st == LZMA_STREAM_END)
			break;
		if (st == LZMA_BUF_ERROR || (st == LZMA_DATA_ERROR && s.avail_in == 0)) {
			errbuf_set(err, errlen, "xz: the stream ends early (truncated)");
			rc = UNPACK_ERR_TRUNCATED;
			break;
		}
		if (st != LZMA_OK) {
			errbuf_set(err, errlen, "xz: corrupt data (error %d)", (int)st);
			rc = UNPACK_ERR_FORMAT;
			break;
		}
	}
	Z.xz_end(&s);
	return hand_out(rc, buf, used, out, outlen);
}

int unpack_buffer(const void *in, size_t inlen, size_t max_out, char **out,
                  size_t *outlen, enum unpack_format *fmt, char *err,
                  size_t errlen)
{
	enum unpack_format f = unpack_detect(in, inlen);
	int st;

	*out = NULL;
	*outlen = 0;
	if (fmt != NULL)
		*fmt = f;
	switch (f) {
	case UNPACK_GZIP:
		st = gunzip_buffer(in, inlen, max_out, out, outlen, err, errlen);
		return st == GUNZIP_OK ? UNPACK_OK : st == GUNZIP_ERR_TRUNCATED
		       ? UNPACK_ERR_TRUNCATED : st == GUNZIP_ERR_TOO_BIG
		       ? UNPACK_ERR_TOO_BIG : UNPACK_ERR_FORMAT;
	case UNPACK_BZIP2:
		return bunzip(in, inlen, max_out, out, outlen, err, errlen);
	case UNPACK_XZ:
		return unxz(in, inlen, max_out, out, outlen, err, errlen);
	case UNPACK_PLAIN:
		break;
	}
	if (inlen > max_out) {
		errbuf_set(err, errlen, "larger than %zu bytes", max_out);
		return UNPACK_ERR_TOO_BIG;
	}
	*out = xmalloc(inlen + 1);
	memcpy(*out, in, inlen);
	(*out)[inlen] = '\0';
	*outlen = inlen;
	return UNPACK_OK;
}
