/*
 * util.c - allocation wrappers, diagnostics, file reading, small buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *msg_progname = "geoattr";
int msg_quiet;

void xoom(size_t n)
{
	fprintf(stderr, "%s: memory: out of memory allocating %zu bytes\n",
	        msg_progname, n);
	exit(70);   /* EX_SOFTWARE-like; see exitcodes.h GA_EXIT_INTERNAL */
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		xoom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		xoom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		xoom(n);
	return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > ((size_t)-1) / 2 / size)
			xoom(need * size);
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xoom(0);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void msg_verror(const char *where, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (where != NULL && *where != '\0')
		fprintf(stderr, "%s: %s: ", msg_progname, where);
	else
		fprintf(stderr, "%s: ", msg_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_error(const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_verror(where, fmt, ap);
	va_end(ap);
}

void msg_warn(const char *where, const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	msg_verror(where, fmt, ap);
	va_end(ap);
}

void mem_discard(void *p, size_t n)
{
#ifdef MADV_DONTNEED
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p, hi = lo + n;

	if (pg <= 0)
		return;
	lo = (lo + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	hi &= ~((uintptr_t)pg - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
#else
	(void)p;
	(void)n;
#endif
}

int file_read_all(const char *path, char **buf, size_t *len)
{
	FILE *fp;
	char *p = NULL;
	size_t cap = 0, n = 0, got;
	int saved;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		p = xgrow(p, &cap, n + 65536 + 1, 1);
		got = fread(p + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	saved = ferror(fp) ? (errno ? errno : EIO) : 0;
	if (fp != stdin)
		fclose(fp);
	if (saved) {
		free(p);
		errno = saved;
		return -1;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

int file_write_all(const char *path, const char *data, size_t len,
                   unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
	int saved;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			saved = w < 0 ? errno : EIO;
			close(fd);
			errno = saved;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int dir_make(const char *path, unsigned mode)
{
	char *p = xstrdup(path), *s, c;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

int parse_u64(const char *s, size_t len, uint64_t min, uint64_t max,
              uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	b->data = xgrow(b->data, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_add0(struct buf *b, const void *p, size_t n)
{
	buf_add(b, p, n);
	b->len++;       /* over the NUL buf_add() always writes */
}

/* The bytes that make a CSV field need quotes, as a table: every field of
 * every row of a bulk lookup is tested. */
static const unsigned char csv_special[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1
};

#define BYTES_OF(c) (0x0101010101010101u * (uint8_t)(c))

/* Whether the eight bytes of x hold one of those: a byte equal to c is a
 * zero byte of x ^ BYTES_OF(c), and (v - 0x01..) & ~v & 0x80.. is
 * nonzero exactly when v has a zero byte.  About half the work of eight
 * table tests. */
static inline int word_csv_special(uint64_t x)
{
	const uint64_t lo = BYTES_OF(0x01), hi = BYTES_OF(0x80);
	uint64_t a = x ^ BYTES_OF(','), b = x ^ BYTES_OF('"');
	uint64_t c = x ^ BYTES_OF('\r'), d = x ^ BYTES_OF('\n');

	return ((((a - lo) & ~a) | ((b - lo) & ~b) |
	         ((c - lo) & ~c) | ((d - lo) & ~d)) & hi) != 0;
}

static int csv_needs_quotes(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		if (word_csv_special(x))
			return 1;
	}
	for (; i < n; i++)
		if (csv_special[p[i]])
			return 1;
	return 0;
}

/* Copy s[0..n) to o while it needs no quotes; returns whether all of it
 * did (o is then a copy).  One pass for the common field, by words: the
 * last eight bytes of a field of eight or more are one more word, which
 * may overlap the one before. */
static int csv_copy_plain(char *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	uint64_t x;

	if (n < 8) {
		for (i = 0; i < n; i++) {
			if (csv_special[p[i]])
				return 0;
			o[i] = (char)p[i];
		}
		return 1;
	}
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, p + i, 8);
		if (word_csv_special(x))
			return 0;
		memcpy(o + i, &x, 8);
	}
	memcpy(&x, p + n - 8, 8);
	if (word_csv_special(x))
		return 0;
	memcpy(o + n - 8, &x, 8);
	return 1;
}

char *csv_put(char *o, const char *s, size_t n)
{
	size_t i;

	if (csv_copy_plain(o, s, n))
		return o + n;
	*o++ = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			*o++ = '"';
		*o++ = s[i];
	}
	*o++ = '"';
	return o;
}

void buf_csv_field(struct buf *b, const char *s, size_t n)
{
	/* Room for every byte a doubled quote, the quotes and the NUL. */
	b->data = xgrow(b->data, &b->cap, b->len + 2 * n + 3, 1);
	b->len = (size_t)(csv_put(b->data + b->len, s, n) - b->data);
	b->data[b->len] = '\0';
}

void csv_fputs(FILE *fp, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	if (!csv_needs_quotes(s, strlen(s))) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->data = xgrow(b->data, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	buf_init(b);
}

void errbuf_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = n, w;

	/* Eight bytes a step: a byte-at-a-time hash is a chain of n
	 * dependent multiplies. */
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = hash_mix64(h ^ w);
	}
	w = 0;
	memcpy(&w, s, n);
	return hash_mix64(h ^ w ^ 0x5bd1e995u);
}

const char *fmt_count(double v, char *buf, size_t n)
{
	char tmp[64];
	size_t len, i, o = 0;
	long long x = llround(v);
	int neg = x < 0;

	if (n == 0)
		return buf;
	snprintf(tmp, sizeof(tmp), "%lld", neg ? -x : x);
	len = strlen(tmp);
	if (neg && o + 1 < n)
		buf[o++] = '-';
	for (i = 0; i < len && o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < n)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

unsigned ga_threads(unsigned max)
{
	const char *env = getenv("GEOATTR_THREADS");
	uint64_t v;
	long ncpu;

	if (max < 1)
		max = 1;
	if (env != NULL && parse_u64(env, strlen(env), 1, max, &v) == 0)
		return (unsigned)v;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		return 1;
	return ncpu > (long)max ? max : (unsigned)ncpu;
}

int file_map(const char *path, const char **p, size_t *len)
{
	struct stat sb;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

	*p = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if (sb.st_size == 0) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	saved = errno;
	close(fd);
	if (m == MAP_FAILED) {
		errno = saved;
		return -1;
	}
	*p = m;
	*len = (size_t)sb.st_size;
	return 0;
}

void file_unmap(const char *p, size_t len)
{
	if (p != NULL && len > 0)
		munmap((void *)p, len);
}
