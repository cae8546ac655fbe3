/*
 * util.h - allocation wrappers, diagnostics and small helpers shared by
 * every module.
 *
 * Allocation: the x* functions never return NULL; on out-of-memory they
 * print a diagnostic and end the program (the only exit outside main.c,
 * because there is no sensible recovery and every caller would otherwise
 * carry an error path that is never taken).
 *
 * Diagnostics: every message goes through msg_error()/msg_warn() and reads
 *   geoattr: WHERE: what happened
 * where WHERE names a file (FILE or FILE:LINE), an argument or a command.
 */
#ifndef GEOATTR_UTIL_H
#define GEOATTR_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GA_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* End the program: an allocation of n bytes failed (for allocators
 * other than these wrappers, such as jansson's). */
void xoom(size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array to hold at least `need` elements of `size` bytes; *cap is
 * updated.  Doubling, so appends are amortised O(1). */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) GA_PRINTF(1, 2);

/* The program name used as message prefix ("geoattr"). */
extern const char *msg_progname;
/* Messages are suppressed below this level: 0 errors only with --quiet. */
extern int msg_quiet;

void msg_error(const char *where, const char *fmt, ...) GA_PRINTF(2, 3);
void msg_warn(const char *where, const char *fmt, ...) GA_PRINTF(2, 3);
void msg_verror(const char *where, const char *fmt, va_list ap)
    GA_PRINTF(2, 0);

/*
 * Read a whole file (or standard input for "-") into memory.  The buffer
 * is NUL-terminated for convenience but callers use *len.  Returns 0, or
 * -1 with errno set.  Caller frees *buf.
 */
int file_read_all(const char *path, char **buf, size_t *len);
/* Map a file read-only: *p and *len its bytes (p NULL for an empty file;
 * never NUL-terminated).  Returns 0, or -1 with errno set.  Only the pages
 * a reader touches are read, where file_read_all() copies the whole file.
 * Release with file_unmap(p, len); file_unmap(NULL, 0) is a no-op. */
int file_map(const char *path, const char **p, size_t *len);
void file_unmap(const char *p, size_t len);
/* Give the whole pages inside [p, p + n) of a buffer of ours back to the
 * system, keeping the buffer: for a part already read and never read
 * again, whose contents become undefined.  A no-op where unsupported. */
void mem_discard(void *p, size_t n);

/*
 * Write data[0..len) as a new file path (created or truncated, with the
 * given mode), flushed to disk with fsync() before it is closed, so that
 * a rename() over an older file afterwards never leaves half a file.
 * Returns 0, or -1 with errno set; on failure the caller unlinks path.
 */
int file_write_all(const char *path, const char *data, size_t len,
                   unsigned mode);

/* mkdir -p: create path and its missing parents with the given mode.
 * Returns 0 (also when it exists), or -1 with errno set. */
int dir_make(const char *path, unsigned mode);

/*
 * Parse an unsigned decimal number in [min, max] from s[0..len).  Returns
 * 0 on success, -1 on syntax or range error (strtonum in spirit).
 */
int parse_u64(const char *s, size_t len, uint64_t min, uint64_t max,
              uint64_t *out);

/* Worker threads to use, at most max: $GEOATTR_THREADS when it is a
 * number from 1 to max, else the CPUs online (at least 1). */
unsigned ga_threads(unsigned max);

/* A growable byte buffer.  buf_free(NULL) is a no-op. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
/* p[0..n) and a NUL, both counted in len: one string of a block of
 * NUL-terminated strings (a table's names, kept in one allocation). */
void buf_add0(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) GA_PRINTF(2, 3);
/* s[0..n) as one CSV field (RFC 4180): quoted, quotes doubled, when it
 * holds a comma, a quote, CR or LF; appended to b. */
void buf_csv_field(struct buf *b, const char *s, size_t n);
/* The same field written at o, which must have room for 2 * n + 2 bytes
 * (no terminator is written); returns its end. */
char *csv_put(char *o, const char *s, size_t n);
/* The same for the NUL-terminated s written to fp; NULL writes nothing. */
void csv_fputs(FILE *fp, const char *s);
void buf_reset(struct buf *b);
/* Releases the storage inside *b (not b itself). */
void buf_free(struct buf *b);

/* Format a reason into a caller's error buffer (err may be NULL). */
void errbuf_set(char *err, size_t errlen, const char *fmt, ...) GA_PRINTF(3, 4);

/* A 64-bit hash of n bytes for in-memory tables (never stored: its
 * values depend on the machine's byte order), eight bytes at a time
 * through hash_mix64(). */
uint64_t hash_bytes(const void *p, size_t n);

/* splitmix64's finaliser: every input bit reaches every output bit, so
 * the low bits that index a table depend on all of the key (a plain
 * multiply leaves them to its lowest bits only).  Inline: hash tables
 * call it once a key. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}
/* v rounded to a whole number with thousands separators ("1,234,567"),
 * into buf (n bytes, cut short to fit); returns buf. */
const char *fmt_count(double v, char *buf, size_t n);

#endif
