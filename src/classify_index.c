/*
 * classify_index.c - the classifier's tables through the type index.
 *
 * The build writes the tables read from DIR's CSV files into DIR/types.idx
 * (typeidx.h), and a classifier of DIR reads them from there while the
 * files still match the index: no CSV is parsed, the strings stay in the
 * mapped file, only the row arrays are made.  Any doubt (no index, a file
 * changed since, an index that does not check out) and the CSV files are
 * read as before; the index only ever saves time.
 *
 * Tables, each row little-endian:
 *   ASN types   asn u32, line u32, detail u32 (string), type u32
 *   anycast     family u8, plen u8, type u8, 0, line u32, hi lo mhi mlo
 *               u64 each, detail u32 (string), 0 u32
 *   lists       asn u32, line u32, name u32 (string); aux: repeated rows
 *   ranges      family u8, 0 x3, line u32, lo 16 bytes, hi 16 bytes,
 *               name u32 (string)
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify_int.h"
#include "util.h"

enum { TIX_ASN = 1, TIX_ANYCAST = 2, TIX_LIST0 = 3, TIX_RANGES = TIX_LIST0 + LIST_COUNT };
#define ROW_ASN 16
#define ROW_ANYCAST 48
#define ROW_LIST 12
#define ROW_RANGE 44

/* The files an index stands for: every one the tables are read from. */
static const char *index_file(size_t i)
{
	if (i == 0)
		return CLASSIFY_ASN_FILE;
	if (i == 1)
		return CLASSIFY_ANYCAST_FILE;
	if (i < 2 + LIST_COUNT)
		return classify_list_files[i - 2].info.file;
	if (i == 2 + LIST_COUNT)
		return classify_range_file.file;
	return NULL;
}

/* A table's strings, laid out as the rows are written. */
static uint32_t add_string(struct buf *b, const char *s)
{
	uint32_t off = (uint32_t)b->len;

	buf_add0(b, s, strlen(s));
	return off;
}

static void put_table(struct tix_writer *w, uint32_t id, uint32_t row_size,
                      size_t nrows, const uint8_t *rows, const struct buf *str,
                      uint64_t aux)
{
	tix_writer_table(w, id, row_size, (uint32_t)nrows, rows, str->data,
	                 (uint32_t)str->len, aux);
}

int classify_write_index(const struct classifier *c, const char *dir,
                         const char *path, char *err, size_t errlen)
{
	struct tix_writer *w;
	struct buf str;
	uint8_t *rows;
	size_t i, k, cap;
	int rc = -1;

	if (c == NULL || c->raw != NULL || c->lists_state != 1 || !c->has_ranges) {
		errbuf_set(err, errlen, "%s: the tables are not all read", path);
		return -1;
	}
	w = tix_writer_new();
	for (i = 0; index_file(i) != NULL; i++)
		if (tix_writer_file(w, dir, index_file(i)) != 0) {
			errbuf_set(err, errlen, "%s/%s: %s", dir, index_file(i), strerror(errno));
			tix_writer_free(w);
			return -1;
		}
	cap = c->nasn;
	if (cap < c->nany)
		cap = c->nany;
	if (cap < c->ranges.n)
		cap = c->ranges.n;
	for (k = 0; k < LIST_COUNT; k++)
		if (cap < c->lists[k].n)
			cap = c->lists[k].n;
	rows = xcalloc(cap ? cap : 1, ROW_ANYCAST);

	buf_init(&str);
	for (i = 0; i < c->nasn; i++) {
		uint8_t *r = rows + i * ROW_ASN;

		tix_put_u32(r, c->asns[i]);
		tix_put_u32(r + 4, (uint32_t)c->asn[i].line);
		tix_put_u32(r + 8, add_string(&str, c->asn[i].detail));
		tix_put_u32(r + 12, (uint32_t)c->asn[i].type);
	}
	put_table(w, TIX_ASN, ROW_ASN, c->nasn, rows, &str, 0);

	str.len = 0;
	memset(rows, 0, cap * ROW_ANYCAST);
	for (i = 0; i < c->nany; i++) {
		const struct anycast_entry *e = &c->any[i];
		uint8_t *r = rows + i * ROW_ANYCAST;

		r[0] = e->family;
		r[1] = (uint8_t)e->plen;
		r[2] = (uint8_t)e->type;
		tix_put_u32(r + 4, (uint32_t)e->line);
		tix_put_u64(r + 8, e->hi);
		tix_put_u64(r + 16, e->lo);
		tix_put_u64(r + 24, e->mhi);
		tix_put_u64(r + 32, e->mlo);
		tix_put_u32(r + 40, add_string(&str, e->detail));
	}
	put_table(w, TIX_ANYCAST, ROW_ANYCAST, c->nany, rows, &str, 0);

	for (k = 0; k < LIST_COUNT; k++) {
		const struct asnlist *l = &c->lists[k];

		str.len = 0;
		for (i = 0; i < l->n; i++) {
			uint8_t *r = rows + i * ROW_LIST;

			tix_put_u32(r, l->v[i].asn);
			tix_put_u32(r + 4, (uint32_t)l->v[i].line);
			tix_put_u32(r + 8, add_string(&str, l->v[i].name));
		}
		put_table(w, (uint32_t)(TIX_LIST0 + k), ROW_LIST, l->n, rows, &str,
		          l->repeated);
	}

	str.len = 0;
	memset(rows, 0, cap * ROW_ANYCAST);
	for (i = 0; i < c->ranges.n; i++) {
		const struct rangelist_row *e = &c->ranges.v[i];
		uint8_t *r = rows + i * ROW_RANGE;
		size_t nb = e->lo.family == 4 ? 4 : 16;

		r[0] = e->lo.family;
		tix_put_u32(r + 4, (uint32_t)e->line);
		memcpy(r + 8, e->lo.bytes, nb);
		memcpy(r + 24, e->hi.bytes, nb);
		tix_put_u32(r + 40, add_string(&str, e->name));
	}
	put_table(w, TIX_RANGES, ROW_RANGE, c->ranges.n, rows, &str, 0);

	if (tix_writer_save(w, path) != 0)
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
	else
		rc = 0;
	buf_free(&str);
	free(rows);
	tix_writer_free(w);
	return rc;
}

/* Map dir's index into c when it stands for dir's files as they are now.
 * Returns 0, or -1 (c untouched) when there is none to use; one that is
 * there but does not check out is said. */
static int index_open(struct classifier *c, const char *dir)
{
	char *path = xasprintf("%s/%s", dir, CLASSIFY_TYPE_INDEX), why[160];
	const char *p;
	size_t len, i, j;

	if (file_map(path, &p, &len) != 0) {
		free(path);
		return -1;
	}
	if (tix_parse((const uint8_t *)p, len, &c->idx, why, sizeof(why)) != 0) {
		msg_warn(path, "not used: %s", why);
		goto fail;
	}
	/* Every file the tables come from must be named, or a file the
	 * index does not know of could change unseen. */
	for (i = 0; index_file(i) != NULL; i++) {
		for (j = 0; j < c->idx.nfiles; j++)
			if (strcmp(c->idx.file[j].name, index_file(i)) == 0)
				break;
		if (j == c->idx.nfiles) {
			msg_warn(path, "not used: it does not stand for %s", index_file(i));
			goto fail;
		}
	}
	if (!tix_matches(&c->idx, dir))
		goto fail;      /* made before a file changed: not a fault */
	c->idx_map = p;
	c->idx_len = len;
	free(path);
	return 0;
fail:
	file_unmap(p, len);
	memset(&c->idx, 0, sizeof(c->idx));
	free(path);
	return -1;
}

static int index_asns(struct classifier *c)
{
	const struct tix_table *t = tix_table(&c->idx, TIX_ASN, ROW_ASN);
	size_t i;

	if (t == NULL)
		return -1;
	c->asns = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*c->asns));
	c->asn = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*c->asn));
	for (i = 0; i < t->nrows; i++) {
		uint32_t type = tix_u32(t, i, 12);

		c->asns[i] = tix_u32(t, i, 0);
		c->asn[i].line = tix_u32(t, i, 4);
		c->asn[i].detail = (char *)tix_str(t, tix_u32(t, i, 8));
		c->asn[i].type = (enum net_type)type;
		if (!classify_table_type(type) || c->asn[i].detail == NULL ||
		    (i > 0 && c->asns[i] <= c->asns[i - 1]))
			break;
	}
	c->nasn = i;
	return i == t->nrows ? 0 : -1;
}

static int index_anycast(struct classifier *c)
{
	const struct tix_table *t = tix_table(&c->idx, TIX_ANYCAST, ROW_ANYCAST);
	size_t i;

	if (t == NULL)
		return -1;
	c->any = xcalloc(t->nrows ? t->nrows : 1, sizeof(*c->any));
	c->any_mapped = 1;
	for (i = 0; i < t->nrows; i++) {
		struct anycast_entry *e = &c->any[i];
		const uint8_t *r = tix_bytes(t, i, 0);

		e->family = r[0];
		e->plen = r[1];
		e->type = (enum net_type)r[2];
		e->line = tix_u32(t, i, 4);
		e->hi = tix_u64(t, i, 8);
		e->lo = tix_u64(t, i, 16);
		e->mhi = tix_u64(t, i, 24);
		e->mlo = tix_u64(t, i, 32);
		e->detail = (char *)tix_str(t, tix_u32(t, i, 40));
		if ((e->family != 4 && e->family != 6) ||
		    e->plen > (e->family == 4 ? 32 : 128) || !classify_table_type(r[2]) ||
		    e->detail == NULL)
			break;
	}
	c->nany = i;
	if (i != t->nrows)
		return -1;
	classify_mark_anycast(c);
	return 0;
}

/* The lists and the range list from the index; on failure nothing of
 * them is kept. */
int classify_index_lists(struct classifier *c)
{
	const struct tix_table *t;
	size_t i, k;

	for (k = 0; k < LIST_COUNT; k++) {
		struct asnlist *l = &c->lists[k];

		if ((t = tix_table(&c->idx, (uint32_t)(TIX_LIST0 + k), ROW_LIST)) == NULL)
			goto fail;
		l->v = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*l->v));
		l->n = l->cap = t->nrows;
		l->repeated = (unsigned long)t->aux;
		for (i = 0; i < t->nrows; i++) {
			l->v[i].asn = tix_u32(t, i, 0);
			l->v[i].line = tix_u32(t, i, 4);
			l->v[i].name = tix_str(t, tix_u32(t, i, 8));
			if (l->v[i].name == NULL || (i > 0 && l->v[i].asn <= l->v[i - 1].asn))
				goto fail;
		}
		c->list_info[k] = classify_list_files[k].info;
		c->list_info[k].rows = l->n;
	}
	if ((t = tix_table(&c->idx, TIX_RANGES, ROW_RANGE)) == NULL)
		goto fail;
	c->ranges.v = xcalloc(t->nrows ? t->nrows : 1, sizeof(*c->ranges.v));
	c->ranges.n = c->ranges.cap = t->nrows;
	for (i = 0; i < t->nrows; i++) {
		struct rangelist_row *r = &c->ranges.v[i];
		const uint8_t *b = tix_bytes(t, i, 0);
		size_t nb = b[0] == 4 ? 4 : 16;

		if (b[0] != 4 && b[0] != 6)
			goto fail;
		r->lo.family = r->hi.family = b[0];
		memcpy(r->lo.bytes, b + 8, nb);
		memcpy(r->hi.bytes, b + 24, nb);
		r->line = tix_u32(t, i, 4);
		r->name = tix_str(t, tix_u32(t, i, 40));
		if (r->name == NULL || r->name[0] == '\0')
			goto fail;
	}
	if (rangelist_finish(&c->ranges) != 0)
		goto fail;
	c->range_info = classify_range_file;
	c->range_info.rows = c->ranges.n;
	c->has_ranges = 1;
	c->nlists = LIST_COUNT;
	classify_merge_lists(c);
	return 0;
fail:
	for (k = 0; k < LIST_COUNT; k++)
		asnlist_free(&c->lists[k]);
	rangelist_free(&c->ranges);
	return -1;
}

/* A classifier of dir from its index, or NULL when there is none to use
 * (the caller then reads the CSV files).  Lazy as load_dir(). */
struct classifier *classify_load_indexed(const char *dir, int lazy)
{
	struct classifier *c = xcalloc(1, sizeof(*c));
	char *path = NULL;

	pthread_mutex_init(&c->lock, NULL);
	c->feeds = xcalloc(1, sizeof(*c->feeds));
	if (index_open(c, dir) != 0) {
		classify_free(c);
		return NULL;
	}
	if (lazy) {
		/* A few lookups search the CSV's sorted text (find_asn_lazy):
		 * cheaper than making the whole array. */
		path = xasprintf("%s/%s", dir, CLASSIFY_ASN_FILE);
		if (file_map(path, &c->raw, &c->rawlen) != 0)
			goto fail;
		c->list_dir = xstrdup(dir);
	} else if (index_asns(c) != 0) {
		goto fail;
	}
	if (index_anycast(c) != 0)
		goto fail;
	if (!lazy) {
		if (classify_index_lists(c) != 0)
			goto fail;
		c->lists_state = 1;
	}
	free(path);
	return c;
fail:
	if (c->idx_map != NULL) {
		char *ip = xasprintf("%s/%s", dir, CLASSIFY_TYPE_INDEX);

		msg_warn(ip, "not used: its tables do not check out; reading the CSV files");
		free(ip);
	}
	free(path);
	classify_free(c);
	return NULL;
}
