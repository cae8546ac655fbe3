/*
 * typeidx.h - the type index: a file of numbered tables (fixed-size rows
 * and a block of NUL-terminated strings each) that the build makes from
 * the classifier's CSV files, so that a process reads its type tables
 * without parsing half a megabyte of CSV (9.4M instructions, about 2.5 ms,
 * on every bulk run, and on every lookup whose type comes from the lists).
 *
 * The index is a cache, never the truth: it names every file it was made
 * from with its size and modification time, and a reader uses it only
 * while the files beside it still match (tix_matches); otherwise the CSV
 * files are read as before.  What the tables hold is the classifier's
 * business (classify.c); this module only writes and checks the frame.
 *
 * Layout (every integer little-endian, offsets from the file's start):
 *   0   "GATYPIX1"
 *   8   u32 number of files, u32 number of tables
 *   16  u64 length of the file
 *   24  the files, 80 bytes each: name (56 bytes, NUL-padded, at least
 *       one NUL), u64 size, i64 mtime seconds, u32 mtime nanoseconds,
 *       u32 zero
 *   ..  the tables, 40 bytes each: u32 id, u32 row size, u32 rows,
 *       u32 string bytes, u64 rows offset, u64 strings offset, u64 aux
 *       (a figure the table's owner keeps with it)
 * A table's strings, when it has any, end with a NUL, so every offset
 * inside them starts a terminated string.
 *
 * Parsers take a buffer and a length and never read past it.
 * Ownership: struct tix points into the buffer it was parsed from, which
 * the caller keeps; the writer owns what was given to it;
 * tix_writer_free(NULL) is a no-op.
 */
#ifndef GEOATTR_TYPEIDX_H
#define GEOATTR_TYPEIDX_H

#include <stddef.h>
#include <stdint.h>

#define TIX_MAX_FILES 16
#define TIX_MAX_TABLES 16
#define TIX_NAME_MAX 56

struct tix_file {
	char name[TIX_NAME_MAX];
	uint64_t size;
	int64_t mtime_s;
	uint32_t mtime_ns;
};

struct tix_table {
	uint32_t id;
	uint32_t row_size;
	uint32_t nrows;
	uint32_t nstr;          /* bytes of strings */
	const uint8_t *rows;
	const char *str;        /* NULL when nstr is 0 */
	uint64_t aux;
};

struct tix {
	struct tix_file file[TIX_MAX_FILES];
	size_t nfiles;
	struct tix_table table[TIX_MAX_TABLES];
	size_t ntables;
};

/* Check and read the frame of buf[0..len).  Returns 0, or -1 with the
 * reason in err (errlen may be 0). */
int tix_parse(const uint8_t *buf, size_t len, struct tix *out, char *err,
              size_t errlen);

/* Table `id`, or NULL; with row_size not 0, also NULL when its rows are
 * of another size. */
const struct tix_table *tix_table(const struct tix *t, uint32_t id,
                                  uint32_t row_size);
/* Fields of row i (i < nrows, off + width <= row_size: the caller's
 * layout). */
uint32_t tix_u32(const struct tix_table *t, size_t i, size_t off);
uint64_t tix_u64(const struct tix_table *t, size_t i, size_t off);
const uint8_t *tix_bytes(const struct tix_table *t, size_t i, size_t off);
/* The string at off in the table's strings, or NULL when off is outside
 * them. */
const char *tix_str(const struct tix_table *t, uint32_t off);

/* 1 when every file the index names is in dir with the same size and
 * modification time, else 0. */
int tix_matches(const struct tix *t, const char *dir);

/* ---- writing ---- */

struct tix_writer;

struct tix_writer *tix_writer_new(void);
void tix_writer_free(struct tix_writer *w);
/* Name dir/name as a file the index is made from (its size and time as
 * they are now).  Returns 0, or -1 with errno set. */
int tix_writer_file(struct tix_writer *w, const char *dir, const char *name);
/* Add a table: nrows rows of row_size bytes, and nstr bytes of strings
 * (which must end with a NUL when nstr > 0); both are copied. */
void tix_writer_table(struct tix_writer *w, uint32_t id, uint32_t row_size,
                      uint32_t nrows, const void *rows, const char *str,
                      uint32_t nstr, uint64_t aux);
/* Write the index to path (through a temporary file renamed over it).
 * Returns 0, or -1 with errno set. */
int tix_writer_save(struct tix_writer *w, const char *path);

/* Little-endian stores, for building rows. */
void tix_put_u32(uint8_t *p, uint32_t v);
void tix_put_u64(uint8_t *p, uint64_t v);

#endif
