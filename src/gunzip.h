/*
 * gunzip.h - gzip (RFC 1952) decompression of a buffer in memory, over
 * zlib (the only module that includes zlib.h).  Used for the monthly
 * DB-IP Lite download, which comes as .mmdb.gz.
 *
 * A document of several gzip members (as `cat a.gz b.gz` makes) is
 * decompressed whole.  Refused: input that is not gzip, a corrupt or
 * truncated stream, a CRC or length mismatch, bytes after the last member,
 * and output larger than max_out (a small file must not be able to fill
 * the disk or memory).
 *
 * Ownership: on success *out is a malloc'd buffer (NUL-terminated for
 * convenience; use *outlen) that the caller frees; on failure *out is NULL.
 */
#ifndef GEOATTR_GUNZIP_H
#define GEOATTR_GUNZIP_H

#include <stddef.h>

enum gunzip_status {
	GUNZIP_OK = 0,
	GUNZIP_ERR_FORMAT,     /* not gzip, or corrupt */
	GUNZIP_ERR_TRUNCATED,  /* the stream ends early */
	GUNZIP_ERR_TOO_BIG     /* more than max_out bytes */
};

/* True when buf starts with the gzip magic number. */
int gunzip_is_gzip(const void *buf, size_t len);

/* Decompress in[0..inlen).  Returns an enum gunzip_status; err (may be
 * NULL) says why on failure. */
int gunzip_buffer(const void *in, size_t inlen, size_t max_out, char **out,
                  size_t *outlen, char *err, size_t errlen);

#endif
