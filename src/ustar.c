/*
 * ustar.c - see ustar.h.  Written from the ustar layout in POSIX.1-2008
 * (pax, "ustar Interchange Format"): name[100] mode[8] uid[8] gid[8]
 * size[12] mtime[12] chksum[8] typeflag[1] linkname[100] magic[6]
 * version[2] uname[32] gname[32] devmajor[8] devminor[8] prefix[155].
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ustar.h"
#include "util.h"

static int octal(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	int digits = 0;

	while (i < n && s[i] == ' ')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '7'; i++, digits++) {
		if (v > (UINT64_MAX >> 3))
			return -1;
		v = (v << 3) | (uint64_t)(s[i] - '0');
	}
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\0')
			return -1;
	if (digits == 0)
		return -1;
	*out = v;
	return 0;
}

static int zero_block(const char *p)
{
	size_t i;

	for (i = 0; i < 512; i++)
		if (p[i] != '\0')
			return 0;
	return 1;
}

int ustar_each(const char *buf, size_t len,
               int (*fn)(void *ctx, const char *name, const char *data, size_t size),
               void *ctx, char *err, size_t errlen)
{
	size_t off = 0;

	for (;;) {
		const char *h = buf + off;
		uint64_t size, sum, want = 0;
		char name[256];
		size_t i, pl, nl;
		int rc;

		if (len - off < 512) {
			errbuf_set(err, errlen, "tar: cut short at byte %zu (no end-of-archive block)", off);
			return -1;
		}
		if (zero_block(h))
			return 0;
		if (memcmp(h + 257, "ustar", 5) != 0) {
			errbuf_set(err, errlen, "tar: no ustar header at byte %zu", off);
			return -1;
		}
		if (octal(h + 148, 8, &want) != 0) {
			errbuf_set(err, errlen, "tar: bad checksum field at byte %zu", off);
			return -1;
		}
		for (sum = 0, i = 0; i < 512; i++)
			sum += (i >= 148 && i < 156) ? (unsigned char)' ' : (unsigned char)h[i];
		if (sum != want) {
			errbuf_set(err, errlen, "tar: header checksum mismatch at byte %zu", off);
			return -1;
		}
		if (octal(h + 124, 12, &size) != 0) {
			errbuf_set(err, errlen, "tar: bad size field at byte %zu", off);
			return -1;
		}
		if (size > len - off - 512) {
			errbuf_set(err, errlen, "tar: a member of %llu bytes runs past the end (truncated)",
			           (unsigned long long)size);
			return -1;
		}
		pl = strnlen(h + 345, 155);
		nl = strnlen(h, 100);
		snprintf(name, sizeof(name), "%.*s%s%.*s", (int)pl, h + 345, pl ? "/" : "",
		         (int)nl, h);
		switch (h[156]) {
		case '0':
		case '\0':
			rc = fn(ctx, name, h + 512, (size_t)size);
			if (rc != 0)
				return rc;
			break;
		case '5': case 'x': case 'g': case 'L': case 'K':
			break;
		default:
			errbuf_set(err, errlen, "tar: %s: member type '%c' is not a file", name, h[156]);
			return -1;
		}
		off += 512 + (size_t)((size + 511) / 512 * 512);
		if (off > len) {
			errbuf_set(err, errlen, "tar: cut short after %s", name);
			return -1;
		}
	}
}
