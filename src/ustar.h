/*
 * ustar.h - a strict reader of POSIX ustar archives in memory (what
 * CollecTor's monthly exit-list .tar.xz files hold once decompressed).
 *
 * Every 512-byte header must carry the "ustar" magic and a correct
 * checksum; sizes are octal; regular files (type '0' or NUL) are passed
 * to the callback, directories and pax/GNU extended headers ('5', 'x',
 * 'g', 'L', 'K') are skipped over, any other type (links, devices) is
 * refused.  The archive must end with a zero block: an archive cut short
 * (a header or a file running past the end, no end marker) is refused.
 *
 * Ownership: the name and data passed to the callback point into buf
 * and are valid only during the call; name is NUL-terminated.
 */
#ifndef GEOATTR_USTAR_H
#define GEOATTR_USTAR_H

#include <stddef.h>

/* Calls fn for each regular file in order; a non-zero return from fn
 * stops the walk and is returned.  Returns 0, fn's value, or -1 with err
 * set when the archive is malformed. */
int ustar_each(const char *buf, size_t len,
               int (*fn)(void *ctx, const char *name, const char *data, size_t size),
               void *ctx, char *err, size_t errlen);

#endif
