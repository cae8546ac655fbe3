/*
 * test_typeidx.c - the type index's frame: what is written reads back,
 * the files it names are checked, and every damaged or cut file is
 * refused without reading past its end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "typeidx.h"
#include "util.h"

static char dir[] = "/tmp/test_typeidx.XXXXXX";

static void write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static void set_mtime(const char *name, time_t sec)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct timespec ts[2];

	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, p, ts, 0);
	free(p);
}

/* Two tables: three 8-byte rows with strings, and an empty one. */
static int make_index(const char *path)
{
	struct tix_writer *w = tix_writer_new();
	uint8_t rows[24];
	static const char str[] = "alpha\0beta\0";
	int rc;

	tix_put_u32(rows, 7);
	tix_put_u32(rows + 4, 0);
	tix_put_u32(rows + 8, 9);
	tix_put_u32(rows + 12, 6);
	tix_put_u64(rows + 16, 0x1122334455667788ULL);
	rc = tix_writer_file(w, dir, "a.csv") | tix_writer_file(w, dir, "b.csv");
	tix_writer_table(w, 3, 8, 3, rows, str, sizeof(str) - 1, 42);
	tix_writer_table(w, 5, 12, 0, NULL, NULL, 0, 0);
	rc |= tix_writer_save(w, path);
	tix_writer_free(w);
	return rc;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	char *buf;

	if (file_read_all(path, &buf, len) != 0)
		return NULL;
	return (uint8_t *)buf;
}

/* A copy of exactly n bytes, so that ASan sees a read past them. */
static int parse_copy(const uint8_t *b, size_t n, struct tix *t)
{
	uint8_t *c = xmalloc(n ? n : 1);
	char err[160];
	int rc;

	memcpy(c, b, n);
	rc = tix_parse(c, n, t, err, sizeof(err));
	free(c);
	return rc;
}

int main(void)
{
	char *path, err[160];
	uint8_t *b;
	size_t len, n, bad, str_end = 0;
	struct tix t;
	const struct tix_table *tb;

	if (mkdtemp(dir) == NULL)
		return 1;
	write_file("a.csv", "x,y\n1,2\n");
	write_file("b.csv", "z\n");
	set_mtime("a.csv", 1700000000);
	path = xasprintf("%s/types.idx", dir);
	is_int(make_index(path), 0, "index written");
	b = slurp(path, &len);
	if (!ok(b != NULL, "index read back"))
		return done_testing();

	is_int(tix_parse(b, len, &t, err, sizeof(err)), 0, "index parses");
	is_int((long long)t.nfiles, 2, "two files named");
	ok(strcmp(t.file[0].name, "a.csv") == 0 && t.file[0].size == 8 &&
	   t.file[0].mtime_s == 1700000000, "first file: name, size and time");
	is_int((long long)t.ntables, 2, "two tables");
	tb = tix_table(&t, 3, 8);
	if (ok(tb != NULL, "table 3 found")) {
		str_end = (size_t)((const uint8_t *)tb->str - b) + tb->nstr - 1;
		is_int(tb->nrows, 3, "table 3: three rows");
		is_int((long long)tb->aux, 42, "table 3: its aux figure");
		is_int(tix_u32(tb, 1, 0), 9, "row 1, first field");
		ok(strcmp(tix_str(tb, tix_u32(tb, 1, 4)), "beta") == 0, "row 1's string");
		ok(tix_u64(tb, 2, 0) == 0x1122334455667788ULL, "a 64-bit field");
		ok(tix_str(tb, 11) == NULL && tix_str(tb, 1000) == NULL,
		   "a string offset past the strings is refused");
	}
	ok(tix_table(&t, 3, 12) == NULL, "table 3 asked with another row size: none");
	ok(tix_table(&t, 4, 0) == NULL, "no table 4");
	tb = tix_table(&t, 5, 12);
	ok(tb != NULL && tb->nrows == 0 && tb->str == NULL, "an empty table");

	is_int(tix_matches(&t, dir), 1, "the files match");
	set_mtime("a.csv", 1700000001);
	is_int(tix_matches(&t, dir), 0, "a file touched since: no match");
	set_mtime("a.csv", 1700000000);
	is_int(tix_matches(&t, dir), 1, "its time back: a match again");
	write_file("b.csv", "zz\n");
	is_int(tix_matches(&t, dir), 0, "a file rewritten with another size: no match");
	{
		char *bp = xasprintf("%s/b.csv", dir);

		unlink(bp);
		free(bp);
	}
	is_int(tix_matches(&t, dir), 0, "a file gone: no match");

	/* Every cut of the file is refused, and none reads past its end. */
	for (n = 0, bad = 0; n < len; n++)
		if (parse_copy(b, n, &t) == 0)
			bad++;
	is_int((long long)bad, 0, "every cut of the index is refused");
	{
		uint8_t *c = xmalloc(len);

		memcpy(c, b, len);
		c[0] = 'X';
		ok(parse_copy(c, len, &t) != 0, "a wrong magic is refused");
		memcpy(c, b, len);
		tix_put_u32(c + 8, 17);
		ok(parse_copy(c, len, &t) != 0, "too many files are refused");
		memcpy(c, b, len);
		c[24] = '\0';
		ok(parse_copy(c, len, &t) != 0, "a file without a name is refused");
		memcpy(c, b, len);
		memset(c + 24, 'n', TIX_NAME_MAX);
		ok(parse_copy(c, len, &t) != 0, "a file name without a NUL is refused");
		/* The first table's entry starts after the two files. */
		memcpy(c, b, len);
		tix_put_u32(c + 24 + 2 * 80 + 8, 1000000);
		ok(parse_copy(c, len, &t) != 0, "rows past the end are refused");
		memcpy(c, b, len);
		tix_put_u64(c + 24 + 2 * 80 + 24, len - 2);
		ok(parse_copy(c, len, &t) != 0, "strings past the end are refused");
		memcpy(c, b, len);
		c[str_end] = 'x';
		ok(parse_copy(c, len, &t) != 0, "strings without a final NUL are refused");
		free(c);
	}
	ok(tix_parse(b, len, &t, NULL, 0) == 0, "err may be NULL");
	free(b);
	tix_writer_free(NULL);
	{
		char *p2 = xasprintf("%s/none/types.idx", dir);

		ok(make_index(p2) != 0, "a file that cannot be named or written: an error");
		free(p2);
	}
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	free(path);
	return done_testing();
}
