/*
 * typeidx.c - the type index's frame: writing it, checking it, reading
 * rows out of it.  See typeidx.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "typeidx.h"
#include "util.h"

#define MAGIC "GATYPIX1"
#define HEAD_SIZE 24
#define FILE_SIZE 80
#define TABLE_SIZE 40

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

void tix_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void tix_put_u64(uint8_t *p, uint64_t v)
{
	tix_put_u32(p, (uint32_t)v);
	tix_put_u32(p + 4, (uint32_t)(v >> 32));
}

/* [off, off + n) inside a buffer of len bytes, without overflow. */
static int inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

int tix_parse(const uint8_t *buf, size_t len, struct tix *out, char *err,
              size_t errlen)
{
	uint32_t nfiles, ntables;
	size_t i, pos;

	memset(out, 0, sizeof(*out));
	if (len < HEAD_SIZE || memcmp(buf, MAGIC, 8) != 0) {
		errbuf_set(err, errlen, "not a type index (no %s header)", MAGIC);
		return -1;
	}
	nfiles = get_u32(buf + 8);
	ntables = get_u32(buf + 12);
	if (get_u64(buf + 16) != len) {
		errbuf_set(err, errlen, "%zu bytes where the header says %llu: cut short or "
		           "grown", len, (unsigned long long)get_u64(buf + 16));
		return -1;
	}
	if (nfiles > TIX_MAX_FILES || ntables > TIX_MAX_TABLES) {
		errbuf_set(err, errlen, "%lu files and %lu tables: more than an index holds",
		           (unsigned long)nfiles, (unsigned long)ntables);
		return -1;
	}
	if (!inside(HEAD_SIZE, (uint64_t)nfiles * FILE_SIZE + (uint64_t)ntables * TABLE_SIZE,
	            len)) {
		errbuf_set(err, errlen, "the file and table lists run past the end");
		return -1;
	}
	pos = HEAD_SIZE;
	for (i = 0; i < nfiles; i++, pos += FILE_SIZE) {
		struct tix_file *f = &out->file[i];

		if (memchr(buf + pos, '\0', TIX_NAME_MAX) == NULL || buf[pos] == '\0') {
			errbuf_set(err, errlen, "file %zu: no name", i + 1);
			return -1;
		}
		memcpy(f->name, buf + pos, TIX_NAME_MAX);
		f->size = get_u64(buf + pos + 56);
		f->mtime_s = (int64_t)get_u64(buf + pos + 64);
		f->mtime_ns = get_u32(buf + pos + 72);
	}
	out->nfiles = nfiles;
	for (i = 0; i < ntables; i++, pos += TABLE_SIZE) {
		struct tix_table *t = &out->table[i];
		uint64_t roff = get_u64(buf + pos + 16), soff = get_u64(buf + pos + 24);

		t->id = get_u32(buf + pos);
		t->row_size = get_u32(buf + pos + 4);
		t->nrows = get_u32(buf + pos + 8);
		t->nstr = get_u32(buf + pos + 12);
		t->aux = get_u64(buf + pos + 32);
		if (!inside(roff, (uint64_t)t->row_size * t->nrows, len) ||
		    !inside(soff, t->nstr, len)) {
			errbuf_set(err, errlen, "table %lu runs past the end", (unsigned long)t->id);
			return -1;
		}
		if (t->nstr > 0 && buf[soff + t->nstr - 1] != '\0') {
			errbuf_set(err, errlen, "table %lu: its strings are not terminated",
			           (unsigned long)t->id);
			return -1;
		}
		t->rows = buf + roff;
		t->str = t->nstr > 0 ? (const char *)buf + soff : NULL;
	}
	out->ntables = ntables;
	return 0;
}

const struct tix_table *tix_table(const struct tix *t, uint32_t id,
                                  uint32_t row_size)
{
	size_t i;

	for (i = 0; i < t->ntables; i++)
		if (t->table[i].id == id)
			return row_size == 0 || t->table[i].row_size == row_size
			    ? &t->table[i] : NULL;
	return NULL;
}

uint32_t tix_u32(const struct tix_table *t, size_t i, size_t off)
{
	return get_u32(t->rows + i * t->row_size + off);
}

uint64_t tix_u64(const struct tix_table *t, size_t i, size_t off)
{
	return get_u64(t->rows + i * t->row_size + off);
}

const uint8_t *tix_bytes(const struct tix_table *t, size_t i, size_t off)
{
	return t->rows + i * t->row_size + off;
}

const char *tix_str(const struct tix_table *t, uint32_t off)
{
	return off < t->nstr ? t->str + off : NULL;
}

/* dir/name's size and modification time as they are now, into f (its
 * name untouched).  Returns 0, or -1 with errno set. */
static int file_state(const char *dir, const char *name, struct tix_file *f)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	int r = stat(path, &st), saved = errno;

	free(path);
	errno = saved;
	if (r != 0)
		return -1;
	f->size = (uint64_t)st.st_size;
	f->mtime_s = (int64_t)st.st_mtim.tv_sec;
	f->mtime_ns = (uint32_t)st.st_mtim.tv_nsec;
	return 0;
}

int tix_matches(const struct tix *t, const char *dir)
{
	size_t i;

	for (i = 0; i < t->nfiles; i++) {
		const struct tix_file *f = &t->file[i];
		struct tix_file now;

		if (file_state(dir, f->name, &now) != 0 || now.size != f->size ||
		    now.mtime_s != f->mtime_s || now.mtime_ns != f->mtime_ns)
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ writing */

struct wtable {
	uint32_t id, row_size, nrows, nstr;
	uint8_t *rows;
	char *str;
	uint64_t aux;
};

struct tix_writer {
	struct tix_file file[TIX_MAX_FILES];
	size_t nfiles;
	struct wtable table[TIX_MAX_TABLES];
	size_t ntables;
};

struct tix_writer *tix_writer_new(void)
{
	return xcalloc(1, sizeof(struct tix_writer));
}

void tix_writer_free(struct tix_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ntables; i++) {
		free(w->table[i].rows);
		free(w->table[i].str);
	}
	free(w);
}

int tix_writer_file(struct tix_writer *w, const char *dir, const char *name)
{
	struct tix_file *f;

	if (w->nfiles == TIX_MAX_FILES || strlen(name) >= TIX_NAME_MAX || name[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	f = &w->file[w->nfiles];
	memset(f, 0, sizeof(*f));
	if (file_state(dir, name, f) != 0)
		return -1;
	memcpy(f->name, name, strlen(name));
	w->nfiles++;
	return 0;
}

void tix_writer_table(struct tix_writer *w, uint32_t id, uint32_t row_size,
                      uint32_t nrows, const void *rows, const char *str,
                      uint32_t nstr, uint64_t aux)
{
	struct wtable *t;
	size_t nb = (size_t)row_size * nrows;

	if (w->ntables == TIX_MAX_TABLES)
		return;     /* a programming error: the tables are fixed */
	t = &w->table[w->ntables++];
	t->id = id;
	t->row_size = row_size;
	t->nrows = nrows;
	t->nstr = nstr;
	t->aux = aux;
	t->rows = xmalloc(nb ? nb : 1);
	if (nb)
		memcpy(t->rows, rows, nb);
	t->str = xmalloc(nstr ? nstr : 1);
	if (nstr)
		memcpy(t->str, str, nstr);
}

int tix_writer_save(struct tix_writer *w, const char *path)
{
	size_t head = HEAD_SIZE + w->nfiles * FILE_SIZE + w->ntables * TABLE_SIZE;
	size_t total = head, i, pos;
	uint8_t *b;
	char *tmp;
	int rc, saved;

	for (i = 0; i < w->ntables; i++) {
		total = (total + 7) & ~(size_t)7;
		total += (size_t)w->table[i].row_size * w->table[i].nrows;
		total += w->table[i].nstr;
	}
	b = xcalloc(1, total);
	memcpy(b, MAGIC, 8);
	tix_put_u32(b + 8, (uint32_t)w->nfiles);
	tix_put_u32(b + 12, (uint32_t)w->ntables);
	tix_put_u64(b + 16, total);
	for (i = 0, pos = HEAD_SIZE; i < w->nfiles; i++, pos += FILE_SIZE) {
		memcpy(b + pos, w->file[i].name, TIX_NAME_MAX);
		tix_put_u64(b + pos + 56, w->file[i].size);
		tix_put_u64(b + pos + 64, (uint64_t)w->file[i].mtime_s);
		tix_put_u32(b + pos + 72, w->file[i].mtime_ns);
	}
	{
		size_t data = head;

		for (i = 0; i < w->ntables; i++, pos += TABLE_SIZE) {
			const struct wtable *t = &w->table[i];
			size_t nb = (size_t)t->row_size * t->nrows;

			data = (data + 7) & ~(size_t)7;
			tix_put_u32(b + pos, t->id);
			tix_put_u32(b + pos + 4, t->row_size);
			tix_put_u32(b + pos + 8, t->nrows);
			tix_put_u32(b + pos + 12, t->nstr);
			tix_put_u64(b + pos + 16, data);
			if (nb)
				memcpy(b + data, t->rows, nb);
			data += nb;
			tix_put_u64(b + pos + 24, data);
			if (t->nstr)
				memcpy(b + data, t->str, t->nstr);
			data += t->nstr;
			tix_put_u64(b + pos + 32, t->aux);
		}
	}
	tmp = xasprintf("%s.tmp", path);
	/* written whole and synced, then renamed over any older index */
	rc = file_write_all(tmp, (const char *)b, total, 0644);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	saved = errno;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	free(b);
	errno = saved;
	return rc;
}
