/*
 * unpack.h - decompress an archive in memory whatever it came as: gzip
 * (through gunzip.c), bzip2 (libbz2) or xz (liblzma), told apart by their
 * magic numbers; anything else is taken as plain text and copied.  This
 * is the only module that includes bzlib.h and lzma.h.
 *
 * Refused: a corrupt or truncated stream, bytes after the end of the
 * stream(s), and output larger than max_out.  Concatenated streams (what
 * `cat a.bz2 b.bz2` or pbzip2 make) are decompressed whole.
 *
 * Ownership: on success *out is a malloc'd buffer (NUL-terminated for
 * convenience; use *outlen) that the caller frees; on failure *out is NULL.
 */
#ifndef GEOATTR_UNPACK_H
#define GEOATTR_UNPACK_H

#include <stddef.h>

enum unpack_format { UNPACK_PLAIN, UNPACK_GZIP, UNPACK_BZIP2, UNPACK_XZ };

enum unpack_status {
	UNPACK_OK = 0,
	UNPACK_ERR_FORMAT,     /* corrupt */
	UNPACK_ERR_TRUNCATED,  /* the stream ends early */
	UNPACK_ERR_TOO_BIG     /* more than max_out bytes */
};

enum unpack_format unpack_detect(const void *buf, size_t len);
const char *unpack_format_name(enum unpack_format f);

/* Returns an enum unpack_status; *fmt (may be NULL) gets the format
 * found; err (may be NULL) says why on failure. */
int unpack_buffer(const void *in, size_t inlen, size_t max_out, char **out,
                  size_t *outlen, enum unpack_format *fmt, char *err,
                  size_t errlen);

#endif
