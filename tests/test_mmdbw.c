/*
 * test_mmdbw.c - the MaxMind DB writer, checked byte by byte against the
 * spec for the encoder and through libmaxminddb for whole databases.
 *
 * The central test builds random, overlapping and adjacent ranges, writes
 * them and looks up every range boundary, comparing with a brute-force
 * model of the overlap rule (the last inserted range containing an
 * address wins).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <maxminddb.h>

#include "mmdbw.h"
#include "tap.h"
#include "util.h"

static char tmpdir[64];
static struct mmdbw_enc *E;

/* ------------------------------------------------------------ helpers */

static struct ga_addr ip(const char *s)
{
	struct ga_addr a;

	memset(&a, 0, sizeof a);
	if (strchr(s, ':') != NULL) {
		a.family = 6;
		if (inet_pton(AF_INET6, s, a.bytes) != 1)
			abort();
	} else {
		a.family = 4;
		if (inet_pton(AF_INET, s, a.bytes) != 1)
			abort();
	}
	return a;
}

static char *tmp_path(const char *name)
{
	static char path[128];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

static int enc_is(const uint8_t *want, size_t n, const char *what)
{
	size_t len, i;
	const uint8_t *got = mmdbw_enc_data(E, &len);
	int same = len == n && (n == 0 || memcmp(got, want, n) == 0);

	if (!ok(same, "encode %s", what)) {
		printf("# got ");
		for (i = 0; i < len && i < 16; i++)
			printf("%02x ", got[i]);
		printf("(len %zu), want ", len);
		for (i = 0; i < n && i < 16; i++)
			printf("%02x ", want[i]);
		printf("(len %zu)\n", n);
	}
	mmdbw_enc_reset(E);
	return same;
}

#define ENC_IS(what, ...)                                                    \
	do {                                                                 \
		static const uint8_t w_[] = { __VA_ARGS__ };                 \
		enc_is(w_, sizeof w_, what);                                 \
	} while (0)

/* A string of n bytes: check the header bytes and that the payload follows
 * unchanged. */
static void string_size(size_t n, const uint8_t *hdr, size_t hlen)
{
	char *s = xmalloc(n);
	size_t len;
	const uint8_t *got;

	memset(s, 'x', n);
	mmdbw_enc_str(E, s, n);
	got = mmdbw_enc_data(E, &len);
	ok(len == hlen + n && memcmp(got, hdr, hlen) == 0 &&
	   (n == 0 || memcmp(got + hlen, s, n) == 0),
	   "encode string of %zu bytes (header %02x, %zu bytes)", n, hdr[0],
	   hlen);
	mmdbw_enc_reset(E);
	free(s);
}

/* map {"v": u32 v, "label": ..., "group": ...}: the strings repeat across
 * values, so the data section uses pointers of several sizes. */
static uint32_t value(struct mmdbw *w, uint32_t v)
{
	char label[32], group[32];

	snprintf(label, sizeof label, "label-%u", v % 13);
	snprintf(group, sizeof group, "group-number-%u", v / 40);
	mmdbw_enc_map(E, 3);
	mmdbw_enc_cstr(E, "v");
	mmdbw_enc_u32(E, v);
	mmdbw_enc_cstr(E, "label");
	mmdbw_enc_cstr(E, label);
	mmdbw_enc_cstr(E, "group");
	mmdbw_enc_cstr(E, group);
	return mmdbw_data_add(w, E);
}

static int open_db(const char *path, MMDB_s *db)
{
	int status = MMDB_open(path, MMDB_MODE_MMAP, db);

	if (status != MMDB_SUCCESS)
		printf("# MMDB_open %s: %s\n", path, MMDB_strerror(status));
	return status == MMDB_SUCCESS;
}

/* "v" of the record found, -1 when not found, -2 on any error. */
static long v_of(MMDB_lookup_result_s *res)
{
	MMDB_entry_data_s ed;

	if (!res->found_entry)
		return -1;
	if (MMDB_get_value(&res->entry, &ed, "v", NULL) != MMDB_SUCCESS ||
	    !ed.has_data || ed.type != MMDB_DATA_TYPE_UINT32)
		return -2;
	return ed.uint32;
}

static long look(MMDB_s *db, const char *addr, int *netmask)
{
	int gai, err;
	MMDB_lookup_result_s res = MMDB_lookup_string(db, addr, &gai, &err);

	if (gai != 0 || err != MMDB_SUCCESS)
		return -2;
	if (netmask != NULL)
		*netmask = res.netmask;
	return v_of(&res);
}

static long look_addr(MMDB_s *db, const struct ga_addr *a, int mapped)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	MMDB_lookup_result_s res;
	int err;

	if (a->family == 4 && !mapped) {
		memset(&s4, 0, sizeof s4);
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, a->bytes, 4);
		res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s4, &err);
	} else {
		memset(&s6, 0, sizeof s6);
		s6.sin6_family = AF_INET6;
		if (a->family == 4) {
			s6.sin6_addr.s6_addr[10] = 0xff;
			s6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(s6.sin6_addr.s6_addr + 12, a->bytes, 4);
		} else {
			memcpy(s6.sin6_addr.s6_addr, a->bytes, 16);
		}
		res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s6, &err);
	}
	if (err != MMDB_SUCCESS)
		return -2;
	return v_of(&res);
}

/* Decode every data record the tree points at; count failures. */
static int walk_all(MMDB_s *db, size_t *records)
{
	uint32_t i;
	int bad = 0, side;

	*records = 0;
	for (i = 0; i < db->metadata.node_count; i++) {
		MMDB_search_node_s node;

		if (MMDB_read_node(db, i, &node) != MMDB_SUCCESS) {
			bad++;
			continue;
		}
		for (side = 0; side < 2; side++) {
			uint8_t type = side ? node.right_record_type
			                    : node.left_record_type;
			MMDB_entry_s entry = side ? node.right_record_entry
			                          : node.left_record_entry;
			MMDB_entry_data_list_s *list = NULL;

			if (type == MMDB_RECORD_TYPE_INVALID)
				bad++;
			if (type != MMDB_RECORD_TYPE_DATA)
				continue;
			(*records)++;
			if (MMDB_get_entry_data_list(&entry, &list) !=
			    MMDB_SUCCESS)
				bad++;
			MMDB_free_entry_data_list(list);
		}
	}
	return bad;
}

/* Write w to name, open it; 0 on failure. */
/* Nodes 0..96 are the ::/96 path and the IPv4 root, in depth order (the
 * writer leads with them so libmaxminddb's walk to the IPv4 root at every
 * open reads one page, not one per depth).  Returns how many of the 97
 * are where they should be. */
static int lead_nodes(MMDB_s *db)
{
	MMDB_search_node_s sn;
	uint32_t node = 0;
	int d;

	for (d = 0; d < 96; d++) {
		if (node != (uint32_t)d || MMDB_read_node(db, node, &sn) != MMDB_SUCCESS ||
		    sn.left_record_type != MMDB_RECORD_TYPE_SEARCH_NODE)
			return d;
		node = (uint32_t)sn.left_record;
	}
	return node == 96 ? 97 : 96;
}

static int write_open(struct mmdbw *w, const char *name, MMDB_s *db)
{
	int status = mmdbw_write_file(w, tmp_path(name));

	if (!is_int(status, MMDBW_OK, "write database"))
		printf("# %s\n", mmdbw_strerror(status));
	return status == MMDBW_OK && open_db(tmp_path(name), db);
}

/* ------------------------------------------------------------ encoder */

static void test_encoder(void)
{
	static const uint8_t h0[] = { 0x40 }, h28[] = { 0x5c },
	    h29[] = { 0x5d, 0x00 }, h80[] = { 0x5d, 0x33 },
	    h284[] = { 0x5d, 0xff }, h285[] = { 0x5e, 0x00, 0x00 },
	    h13392[] = { 0x5e, 0x33, 0x33 }, h65820[] = { 0x5e, 0xff, 0xff },
	    h65821[] = { 0x5f, 0x00, 0x00, 0x00 },
	    hbig[] = { 0x5f, 0x33, 0x33, 0x33 };
	struct mmdbw *w;
	uint32_t d;
	int i;

	/* string sizes across the 29 / 285 / 65821 escapes; 80, 13392 and
	 * 3421264 are the spec's own examples */
	string_size(0, h0, 1);
	string_size(28, h28, 1);
	string_size(29, h29, 2);
	string_size(80, h80, 2);
	string_size(284, h284, 2);
	string_size(285, h285, 3);
	string_size(13392, h13392, 3);
	string_size(65820, h65820, 3);
	string_size(65821, h65821, 4);
	string_size(3421264, hbig, 4);
	mmdbw_enc_cstr(E, "en");
	ENC_IS("string \"en\"", 0x42, 'e', 'n');

	mmdbw_enc_u16(E, 0);
	ENC_IS("u16 0", 0xa0);
	mmdbw_enc_u16(E, 255);
	ENC_IS("u16 255", 0xa1, 0xff);
	mmdbw_enc_u16(E, 256);
	ENC_IS("u16 256", 0xa2, 0x01, 0x00);
	mmdbw_enc_u16(E, 65535);
	ENC_IS("u16 65535", 0xa2, 0xff, 0xff);
	mmdbw_enc_u32(E, 0);
	ENC_IS("u32 0", 0xc0);
	mmdbw_enc_u32(E, 15169);
	ENC_IS("u32 15169", 0xc2, 0x3b, 0x41);
	mmdbw_enc_u32(E, 0x10000);
	ENC_IS("u32 65536", 0xc3, 0x01, 0x00, 0x00);
	mmdbw_enc_u32(E, 0xffffffffu);
	ENC_IS("u32 max", 0xc4, 0xff, 0xff, 0xff, 0xff);
	mmdbw_enc_u64(E, 0);
	ENC_IS("u64 0 (extended type 9)", 0x00, 0x02);
	mmdbw_enc_u64(E, 1700000000);
	ENC_IS("u64 1700000000", 0x04, 0x02, 0x65, 0x53, 0xf1, 0x00);
	mmdbw_enc_u64(E, UINT64_MAX);
	ENC_IS("u64 max", 0x08, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	       0xff, 0xff);
	mmdbw_enc_i32(E, 0);
	ENC_IS("i32 0 (extended type 8)", 0x00, 0x01);
	mmdbw_enc_i32(E, 300);
	ENC_IS("i32 300", 0x02, 0x01, 0x01, 0x2c);
	mmdbw_enc_i32(E, -1);
	ENC_IS("i32 -1 takes 4 bytes", 0x04, 0x01, 0xff, 0xff, 0xff, 0xff);
	mmdbw_enc_i32(E, INT32_MIN);
	ENC_IS("i32 min", 0x04, 0x01, 0x80, 0x00, 0x00, 0x00);
	mmdbw_enc_i32(E, INT32_MAX);
	ENC_IS("i32 max", 0x04, 0x01, 0x7f, 0xff, 0xff, 0xff);
	mmdbw_enc_double(E, 1.0);
	ENC_IS("double 1.0", 0x68, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
	mmdbw_enc_double(E, -2.5);
	ENC_IS("double -2.5", 0x68, 0xc0, 0x04, 0, 0, 0, 0, 0, 0);
	mmdbw_enc_bool(E, 1);
	ENC_IS("bool true (extended type 14)", 0x01, 0x07);
	mmdbw_enc_bool(E, 0);
	ENC_IS("bool false", 0x00, 0x07);
	mmdbw_enc_bytes(E, "\x01\x02", 2);
	ENC_IS("bytes", 0x82, 0x01, 0x02);

	mmdbw_enc_map(E, 0);
	ENC_IS("empty map", 0xe0);
	mmdbw_enc_map(E, 1);
	mmdbw_enc_cstr(E, "en");
	mmdbw_enc_cstr(E, "Hi");
	ENC_IS("map {en: Hi}", 0xe1, 0x42, 'e', 'n', 0x42, 'H', 'i');
	mmdbw_enc_array(E, 0);
	ENC_IS("empty array (extended type 11)", 0x00, 0x04);
	mmdbw_enc_array(E, 2);
	mmdbw_enc_cstr(E, "a");
	mmdbw_enc_bool(E, 1);
	ENC_IS("array [a, true]", 0x02, 0x04, 0x41, 'a', 0x01, 0x07);
	/* extended type byte first, then the size escape */
	mmdbw_enc_array(E, 29);
	for (i = 0; i < 29; i++)
		mmdbw_enc_u16(E, 0);
	ENC_IS("array of 29", 0x1d, 0x04, 0x00, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
	       0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
	       0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0, 0xa0,
	       0xa0, 0xa0);

	/* malformed values are refused at insert time */
	w = mmdbw_new(4);
	mmdbw_enc_map(E, 2);
	mmdbw_enc_cstr(E, "k");
	mmdbw_enc_u16(E, 1);
	d = mmdbw_data_add(w, E);
	is_int(mmdbw_insert_prefix(w, &(struct ga_addr){ 4, { 10 } }, 8, d),
	       MMDBW_ERR_DATA, "unfinished map refused");
	mmdbw_enc_u16(E, 1);
	mmdbw_enc_u16(E, 2);
	d = mmdbw_data_add(w, E);
	is_int(mmdbw_insert_prefix(w, &(struct ga_addr){ 4, { 10 } }, 8, d),
	       MMDBW_ERR_DATA, "two values refused");
	mmdbw_enc_map(E, 1);
	mmdbw_enc_u16(E, 1);
	mmdbw_enc_u16(E, 2);
	d = mmdbw_data_add(w, E);
	is_int(mmdbw_insert_prefix(w, &(struct ga_addr){ 4, { 10 } }, 8, d),
	       MMDBW_ERR_DATA, "non-string map key refused");
	d = mmdbw_data_add(w, E);
	is_int(mmdbw_insert_prefix(w, &(struct ga_addr){ 4, { 10 } }, 8, d),
	       MMDBW_ERR_DATA, "empty value refused");
	is_int((long long)mmdbw_data_count(w), 0, "nothing stored");
	mmdbw_free(w);
}

/* ---------------------------------------------------------- small dbs */

static void test_small_v4(void)
{
	struct mmdbw *w = mmdbw_new(4);
	struct ga_addr lo, hi;
	MMDB_s db;
	int nm = -1, gai, err;

	lo = ip("1.2.3.0");
	is_int(mmdbw_insert_prefix(w, &lo, 24, value(w, 1)), MMDBW_OK,
	       "v4: insert 1.2.3.0/24");
	lo = ip("1.2.4.0");
	hi = ip("1.2.5.255");
	is_int(mmdbw_insert_range(w, &lo, &hi, value(w, 2)), MMDBW_OK,
	       "v4: insert 1.2.4.0-1.2.5.255");
	lo = ip("10.0.0.1");
	hi = ip("10.0.0.6");
	is_int(mmdbw_insert_range(w, &lo, &hi, value(w, 3)), MMDBW_OK,
	       "v4: insert unaligned 10.0.0.1-10.0.0.6");
	lo = ip("255.255.255.255");
	is_int(mmdbw_insert_prefix(w, &lo, 32, value(w, 4)), MMDBW_OK,
	       "v4: insert 255.255.255.255/32");
	is_int((long long)mmdbw_overlaps(w), 0, "v4: no overlaps");
	if (!write_open(w, "v4.mmdb", &db)) {
		mmdbw_free(w);
		return;
	}
	is_int(mmdbw_record_size(w), 24, "v4: automatic record size 24");
	is_int(db.metadata.node_count, mmdbw_node_count(w),
	       "v4: node count as reported");
	is_int(look(&db, "1.2.3.4", &nm), 1, "v4: 1.2.3.4 found");
	is_int(nm, 24, "v4: 1.2.3.4 netmask 24");
	is_int(look(&db, "1.2.5.9", &nm), 2, "v4: 1.2.5.9 found");
	is_int(nm, 23, "v4: 1.2.5.9 netmask 23");
	is_int(look(&db, "1.2.2.255", NULL), -1, "v4: 1.2.2.255 not found");
	is_int(look(&db, "1.2.6.0", NULL), -1, "v4: 1.2.6.0 not found");
	is_int(look(&db, "10.0.0.0", NULL), -1, "v4: 10.0.0.0 not found");
	is_int(look(&db, "10.0.0.1", &nm), 3, "v4: 10.0.0.1 found");
	is_int(nm, 32, "v4: 10.0.0.1 netmask 32");
	is_int(look(&db, "10.0.0.5", &nm), 3, "v4: 10.0.0.5 found");
	is_int(nm, 31, "v4: 10.0.0.5 netmask 31");
	is_int(look(&db, "10.0.0.7", NULL), -1, "v4: 10.0.0.7 not found");
	is_int(look(&db, "255.255.255.255", NULL), 4, "v4: 255.255.255.255");
	is_int(look(&db, "255.255.255.254", NULL), -1, "v4: .254 not found");
	(void)MMDB_lookup_string(&db, "2001:db8::1", &gai, &err);
	is_int(err, MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR,
	       "v4: IPv6 lookup refused by reader");
	is_int(db.metadata.ip_version, 4, "v4: ip_version 4");
	MMDB_close(&db);
	mmdbw_free(w);
}

static void test_small_v6(void)
{
	struct mmdbw *w = mmdbw_new(6);
	struct ga_addr lo, hi;
	MMDB_s db;
	int nm = -1;
	size_t records;

	lo = ip("2001:db8::");
	mmdbw_insert_prefix(w, &lo, 32, value(w, 10));
	lo = ip("2001:db8:1::");
	mmdbw_insert_prefix(w, &lo, 48, value(w, 11));
	lo = ip("2a00::1");
	hi = ip("2a00::ffff");
	mmdbw_insert_range(w, &lo, &hi, value(w, 12));
	lo = ip("1.2.3.0");
	mmdbw_insert_prefix(w, &lo, 24, value(w, 1));
	lo = ip("0.0.0.0");
	hi = ip("0.0.0.255");
	mmdbw_insert_range(w, &lo, &hi, value(w, 2));
	is_int((long long)mmdbw_overlaps(w), 1, "v6: one overlap");
	if (!write_open(w, "v6.mmdb", &db)) {
		mmdbw_free(w);
		return;
	}
	is_int(db.metadata.ip_version, 6, "v6: ip_version 6");
	is_int(look(&db, "2001:db8::1", &nm), 10, "v6: 2001:db8::1");
	is_int(nm, 48, "v6: 2001:db8::1 netmask 48");
	is_int(look(&db, "2001:db8:2::", &nm), 10, "v6: 2001:db8:2::");
	is_int(nm, 47, "v6: 2001:db8:2:: netmask 47");
	is_int(look(&db, "2001:db8:1:ffff::", &nm), 11, "v6: inner /48");
	is_int(nm, 48, "v6: inner netmask 48");
	is_int(look(&db, "2001:db9::", NULL), -1, "v6: 2001:db9:: not found");
	is_int(look(&db, "2001:db7:ffff::", NULL), -1, "v6: before not found");
	is_int(look(&db, "2a00::", NULL), -1, "v6: 2a00:: not found");
	is_int(look(&db, "2a00::1", &nm), 12, "v6: 2a00::1 found");
	is_int(nm, 128, "v6: 2a00::1 netmask 128");
	is_int(look(&db, "2a00::ffff", NULL), 12, "v6: 2a00::ffff found");
	is_int(look(&db, "2a00::1:0", NULL), -1, "v6: 2a00::1:0 not found");
	is_int(look(&db, "1.2.3.4", &nm), 1, "v6: IPv4 1.2.3.4 found");
	is_int(nm, 120, "v6: IPv4 netmask counts the 96 bits above");
	is_int(look(&db, "::1.2.3.4", NULL), 1, "v6: ::1.2.3.4 found");
	is_int(look(&db, "::ffff:1.2.3.4", &nm), 1,
	       "v6: ::ffff:1.2.3.4 via the alias");
	is_int(nm, 120, "v6: mapped netmask 120");
	is_int(look(&db, "1.2.4.0", NULL), -1, "v6: 1.2.4.0 not found");
	is_int(look(&db, "::ffff:1.2.4.0", NULL), -1,
	       "v6: ::ffff:1.2.4.0 not found");
	is_int(look(&db, "0.0.0.7", NULL), 2, "v6: 0.0.0.7 found");
	is_int(look(&db, "::7", NULL), 2, "v6: ::7 is IPv4 0.0.0.7");
	is_int(look(&db, "::1:0:0:7", NULL), -1, "v6: ::1:0:0:7 not found");
	is_int(lead_nodes(&db), 97, "v6: the ::/96 path and the IPv4 root are nodes 0-96");
	is_int(walk_all(&db, &records), 0, "v6: every data record decodes");
	ok(records > 0, "v6: %zu data records walked", records);
	MMDB_close(&db);
	mmdbw_free(w);
}

static void test_empty(void)
{
	struct mmdbw *w = mmdbw_new(6);
	MMDB_s db;

	if (write_open(w, "empty.mmdb", &db)) {
		is_int(db.metadata.node_count, 1, "empty: one node");
		is_int(look(&db, "1.2.3.4", NULL), -1, "empty: nothing found");
		is_int(look(&db, "2001::", NULL), -1, "empty: nothing found");
		MMDB_close(&db);
	}
	mmdbw_free(w);
}

/* ----------------------------------------------------------- metadata */

static const char *meta_extra(MMDB_s *db, const char *key, char *buf,
                              size_t n)
{
	MMDB_entry_data_list_s *list, *p;
	const char *found = NULL;

	if (MMDB_get_metadata_as_entry_data_list(db, &list) != MMDB_SUCCESS)
		return NULL;
	/* the first entry is the map; keys and values then alternate at the
	 * top level, and every value here is a string or a small container */
	for (p = list->next; p != NULL; p = p->next) {
		if (p->entry_data.type == MMDB_DATA_TYPE_UTF8_STRING &&
		    p->entry_data.data_size == strlen(key) &&
		    memcmp(p->entry_data.utf8_string, key, strlen(key)) == 0 &&
		    p->next != NULL &&
		    p->next->entry_data.type == MMDB_DATA_TYPE_UTF8_STRING) {
			snprintf(buf, n, "%.*s",
			         (int)p->next->entry_data.data_size,
			         p->next->entry_data.utf8_string);
			found = buf;
			break;
		}
	}
	MMDB_free_entry_data_list(list);
	return found;
}

static void test_metadata(void)
{
	struct mmdbw *w = mmdbw_new(6);
	struct ga_addr a = ip("192.0.2.0");
	MMDB_s db;
	char buf[64];
	size_t i;
	int en = 0, de = 0;

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	mmdbw_meta_type(w, "geoattr-Test");
	mmdbw_meta_language(w, "en");
	mmdbw_meta_language(w, "de");
	mmdbw_meta_language(w, "en");
	mmdbw_meta_description(w, "en", "first");
	mmdbw_meta_description(w, "en", "English text");
	mmdbw_meta_description(w, "de", "Deutscher Text");
	mmdbw_meta_extra(w, "geoattr_source", "unit test");
	mmdbw_meta_extra(w, "node_count", "ignored");
	mmdbw_insert_prefix(w, &a, 24, value(w, 1));
	if (!write_open(w, "meta.mmdb", &db)) {
		mmdbw_free(w);
		return;
	}
	unsetenv("SOURCE_DATE_EPOCH");
	is_int(db.metadata.binary_format_major_version, 2, "meta: major 2");
	is_int(db.metadata.binary_format_minor_version, 0, "meta: minor 0");
	is_int((long long)db.metadata.build_epoch, 1700000000,
	       "meta: build_epoch from SOURCE_DATE_EPOCH");
	is_str(db.metadata.database_type, "geoattr-Test", "meta: type");
	is_int(db.metadata.ip_version, 6, "meta: ip_version");
	is_int(db.metadata.record_size, 24, "meta: record_size");
	is_int(db.metadata.node_count, mmdbw_node_count(w), "meta: node_count");
	is_int((long long)db.metadata.languages.count, 2, "meta: 2 languages");
	if (db.metadata.languages.count == 2) {
		is_str(db.metadata.languages.names[0], "en", "meta: lang en");
		is_str(db.metadata.languages.names[1], "de", "meta: lang de");
	}
	is_int((long long)db.metadata.description.count, 2,
	       "meta: 2 descriptions");
	for (i = 0; i < db.metadata.description.count; i++) {
		MMDB_description_s *d = db.metadata.description.descriptions[i];

		if (strcmp(d->language, "en") == 0)
			en = strcmp(d->description, "English text") == 0;
		if (strcmp(d->language, "de") == 0)
			de = strcmp(d->description, "Deutscher Text") == 0;
	}
	ok(en && de, "meta: descriptions read back, later one replaces");
	is_str(meta_extra(&db, "geoattr_source", buf, sizeof buf), "unit test",
	       "meta: extra key");
	MMDB_close(&db);
	mmdbw_free(w);

	/* defaults: type geoattr, languages [en], empty description map */
	w = mmdbw_new(4);
	mmdbw_meta_build_epoch(w, 42);
	if (write_open(w, "meta2.mmdb", &db)) {
		is_str(db.metadata.database_type, "geoattr", "meta: default type");
		is_int((long long)db.metadata.languages.count, 1,
		       "meta: default one language");
		is_int((long long)db.metadata.description.count, 0,
		       "meta: empty description map");
		is_int((long long)db.metadata.build_epoch, 42,
		       "meta: explicit build_epoch");
		MMDB_close(&db);
	}
	mmdbw_free(w);
}

/* ------------------------------------------------------- overlap rule */

static void test_overlap(void)
{
	struct mmdbw *w = mmdbw_new(4);
	struct ga_addr lo, hi;
	MMDB_s db;

	lo = ip("10.0.0.0");
	hi = ip("10.0.0.255");
	mmdbw_insert_range(w, &lo, &hi, value(w, 1));
	lo = ip("10.0.0.64");
	hi = ip("10.0.0.130");
	mmdbw_insert_range(w, &lo, &hi, value(w, 2));
	is_int((long long)mmdbw_overlaps(w), 1, "overlap: counted");
	lo = ip("10.0.1.0");
	hi = ip("10.0.1.255");
	mmdbw_insert_range(w, &lo, &hi, value(w, 3));
	is_int((long long)mmdbw_overlaps(w), 1, "overlap: adjacent is none");
	lo = ip("20.0.0.0");
	mmdbw_insert_prefix(w, &lo, 24, value(w, 4));
	lo = ip("20.0.0.0");
	mmdbw_insert_prefix(w, &lo, 16, value(w, 5));
	is_int((long long)mmdbw_overlaps(w), 2, "overlap: covering counted");
	lo = ip("30.0.0.0");
	mmdbw_insert_prefix(w, &lo, 16, value(w, 6));
	lo = ip("30.0.0.0");
	mmdbw_insert_prefix(w, &lo, 16, value(w, 6));
	is_int((long long)mmdbw_overlaps(w), 3, "overlap: same data counted");
	if (!write_open(w, "overlap.mmdb", &db)) {
		mmdbw_free(w);
		return;
	}
	is_int(look(&db, "10.0.0.63", NULL), 1, "overlap: earlier keeps before");
	is_int(look(&db, "10.0.0.64", NULL), 2, "overlap: later wins at start");
	is_int(look(&db, "10.0.0.130", NULL), 2, "overlap: later wins at end");
	is_int(look(&db, "10.0.0.131", NULL), 1, "overlap: earlier keeps after");
	is_int(look(&db, "10.0.0.255", NULL), 1, "overlap: earlier keeps end");
	is_int(look(&db, "10.0.1.0", NULL), 3, "overlap: adjacent range");
	is_int(look(&db, "20.0.0.1", NULL), 5, "overlap: covering later wins");
	is_int(look(&db, "20.0.200.1", NULL), 5, "overlap: covering range");
	MMDB_close(&db);
	mmdbw_free(w);
}

/* IPv6 inserts over ::/96 or ::ffff:0:0/96 are IPv4 inserts to a reader;
 * the alias and the IPv4 subtree survive them. */
static void test_alias(void)
{
	struct mmdbw *w = mmdbw_new(6);
	struct ga_addr lo, hi;
	MMDB_s db;
	int nm = 0;

	lo = ip("::");
	mmdbw_insert_prefix(w, &lo, 0, value(w, 1));
	lo = ip("1.2.3.0");
	mmdbw_insert_prefix(w, &lo, 24, value(w, 2));
	lo = ip("::ffff:9.0.0.0");
	mmdbw_insert_prefix(w, &lo, 104, value(w, 3));
	lo = ip("::a00:0");
	hi = ip("::a00:ff");
	mmdbw_insert_range(w, &lo, &hi, value(w, 4));
	if (!write_open(w, "alias.mmdb", &db)) {
		mmdbw_free(w);
		return;
	}
	is_int(look(&db, "2001:db8::", &nm), 1, "alias: ::/0 covers IPv6");
	/* 2001:: leaves the ::/96 path at its third bit */
	is_int(nm, 3, "alias: netmask 3 for 2001:db8::");
	is_int(look(&db, "8000::", &nm), 1, "alias: 8000::");
	is_int(nm, 1, "alias: netmask 1 for 8000::/1");
	is_int(look(&db, "5.6.7.8", NULL), 1, "alias: ::/0 covers IPv4");
	is_int(look(&db, "::ffff:5.6.7.8", NULL), 1, "alias: and mapped");
	is_int(look(&db, "1.2.3.4", NULL), 2, "alias: later IPv4 wins");
	is_int(look(&db, "::ffff:1.2.3.4", NULL), 2, "alias: mapped too");
	is_int(look(&db, "9.1.2.3", NULL), 3, "alias: mapped IPv6 insert");
	is_int(look(&db, "10.0.0.200", NULL), 4, "alias: ::/96 IPv6 insert");
	is_int(look(&db, "::fffe:0:1", NULL), 1, "alias: near the alias");
	MMDB_close(&db);
	mmdbw_free(w);
}

/* -------------------------------------------------------- record sizes */

static int same_lookups(MMDB_s *a, MMDB_s *b, const char *const *addrs)
{
	int nma, nmb;

	for (; *addrs != NULL; addrs++) {
		nma = nmb = -1;
		if (look(a, *addrs, &nma) != look(b, *addrs, &nmb) ||
		    nma != nmb) {
			printf("# differs at %s\n", *addrs);
			return 0;
		}
	}
	return 1;
}

static void test_record_sizes(void)
{
	static const char *const addrs[] = {
		"1.2.3.4", "1.2.2.255", "10.0.0.5", "0.0.0.0", "64.0.0.1",
		"128.0.0.9", "192.168.1.1", "255.255.255.255", NULL
	};
	static const int sizes[] = { 24, 28, 32 };
	struct mmdbw *w = mmdbw_new(4);
	struct ga_addr a;
	MMDB_s db[3];
	int opened[3] = { 0, 0, 0 };
	size_t i, records;
	char name[32];
	uint8_t *blob;
	MMDB_lookup_result_s res;
	MMDB_entry_data_s ed;
	int gai, err;

	a = ip("1.2.3.0");
	mmdbw_insert_prefix(w, &a, 24, value(w, 1));
	a = ip("10.0.0.0");
	mmdbw_insert_prefix(w, &a, 8, value(w, 2));
	a = ip("192.168.0.0");
	mmdbw_insert_prefix(w, &a, 23, value(w, 3));
	for (i = 0; i < 3; i++) {
		mmdbw_meta_record_size(w, sizes[i]);
		snprintf(name, sizeof name, "rs%d.mmdb", sizes[i]);
		opened[i] = write_open(w, name, &db[i]);
		is_int(mmdbw_record_size(w), sizes[i], "forced record size");
		if (opened[i])
			is_int(db[i].metadata.record_size, sizes[i],
			       "record size in metadata");
	}
	if (opened[0] && opened[1] && opened[2]) {
		ok(same_lookups(&db[0], &db[1], addrs), "28 reads as 24");
		ok(same_lookups(&db[0], &db[2], addrs), "32 reads as 24");
	}
	for (i = 0; i < 3; i++)
		if (opened[i])
			MMDB_close(&db[i]);
	mmdbw_free(w);

	/*
	 * Record values above 2^24 exercise the nibble layout of 28-bit
	 * records.  A 16.8 MB value laid out first (its record is nearest
	 * the root) pushes every later value past that point, and repeated
	 * strings after it become 4-byte pointers.
	 */
	w = mmdbw_new(4);
	blob = xcalloc(16800000, 1);
	blob[16799999] = 7;
	mmdbw_enc_map(E, 1);
	mmdbw_enc_cstr(E, "blob");
	mmdbw_enc_bytes(E, blob, 16800000);
	a = ip("0.0.0.0");
	mmdbw_insert_prefix(w, &a, 2, mmdbw_data_add(w, E));
	free(blob);
	a = ip("128.0.0.0");
	mmdbw_insert_prefix(w, &a, 24, value(w, 100));
	a = ip("192.168.1.0");
	mmdbw_insert_prefix(w, &a, 24, value(w, 101));
	a = ip("255.255.255.255");
	mmdbw_insert_prefix(w, &a, 32, value(w, 102));
	mmdbw_meta_record_size(w, 24);
	is_int(mmdbw_write_file(w, tmp_path("big24.mmdb")), MMDBW_ERR_TOO_BIG,
	       "big: 24 bits cannot address it");
	ok(access(tmp_path("big24.mmdb"), F_OK) != 0 &&
	   access(tmp_path("big24.mmdb.tmp"), F_OK) != 0,
	   "big: failed write leaves no file");
	mmdbw_meta_record_size(w, 0);
	opened[1] = write_open(w, "big28.mmdb", &db[1]);
	is_int(mmdbw_record_size(w), 28, "big: automatic size is 28");
	mmdbw_meta_record_size(w, 32);
	opened[2] = write_open(w, "big32.mmdb", &db[2]);
	if (opened[1] && opened[2]) {
		static const char *const big[] = {
			"128.0.0.1", "192.168.1.77", "255.255.255.255",
			"255.255.255.254", "64.0.0.0", NULL
		};

		is_int(look(&db[1], "128.0.0.1", NULL), 100, "big: 28 lookup");
		is_int(look(&db[1], "192.168.1.200", NULL), 101,
		       "big: 28 lookup past 2^24");
		is_int(look(&db[1], "255.255.255.255", NULL), 102,
		       "big: 28 lookup last");
		ok(same_lookups(&db[1], &db[2], big), "big: 32 reads as 28");
		res = MMDB_lookup_string(&db[1], "1.1.1.1", &gai, &err);
		ok(res.found_entry &&
		   MMDB_get_value(&res.entry, &ed, "blob", NULL) == 0 &&
		   ed.type == MMDB_DATA_TYPE_BYTES && ed.data_size == 16800000 &&
		   ed.bytes[16799999] == 7, "big: blob reads back");
		is_int(walk_all(&db[1], &records), 0, "big: all records decode");
	}
	for (i = 1; i < 3; i++)
		if (opened[i])
			MMDB_close(&db[i]);
	mmdbw_free(w);
}

/* -------------------------------------------------- dedup and errors */

static void test_dedup(void)
{
	struct mmdbw *w = mmdbw_new(4);
	struct ga_addr a;
	uint32_t d0, d;
	int i, same = 1;
	MMDB_s db;

	d0 = value(w, 0);
	for (i = 0; i < 1000; i++) {
		a.family = 4;
		a.bytes[0] = 10;
		a.bytes[1] = (uint8_t)(i >> 8);
		a.bytes[2] = (uint8_t)i;
		a.bytes[3] = 0;
		d = value(w, (uint32_t)(i % 3));
		if (i % 3 == 0 && d != d0)
			same = 0;
		mmdbw_insert_prefix(w, &a, 24, d);
	}
	ok(same, "dedup: equal values share a handle");
	is_int((long long)mmdbw_data_count(w), 3, "dedup: 3 distinct values");
	if (write_open(w, "dedup.mmdb", &db)) {
		is_int(look(&db, "10.0.5.1", NULL), 5 % 3, "dedup: lookup");
		is_int(look(&db, "10.3.231.1", NULL), 999 % 3, "dedup: last");
		is_int(look(&db, "10.3.232.1", NULL), -1, "dedup: after");
		MMDB_close(&db);
	}
	mmdbw_free(w);
}

static void test_errors(void)
{
	struct mmdbw *w = mmdbw_new(4);
	struct ga_addr lo, hi;
	uint32_t d = value(w, 1);
	struct stat st;

	lo = ip("2001:db8::");
	hi = ip("2001:db8::ff");
	is_int(mmdbw_insert_range(w, &lo, &hi, d), MMDBW_ERR_FAMILY,
	       "IPv6 range into IPv4 db");
	is_int(mmdbw_insert_prefix(w, &lo, 32, d), MMDBW_ERR_FAMILY,
	       "IPv6 prefix into IPv4 db");
	lo = ip("10.0.0.0");
	is_int(mmdbw_insert_range(w, &lo, &hi, d), MMDBW_ERR_FAMILY,
	       "mixed families");
	is_int(mmdbw_insert_prefix(w, &lo, 33, d), MMDBW_ERR_FAMILY,
	       "prefix length 33");
	hi = ip("9.255.255.255");
	is_int(mmdbw_insert_range(w, &lo, &hi, d), MMDBW_ERR_ORDER,
	       "end before start");
	is_int(mmdbw_insert_range(w, &lo, &lo, d + 5), MMDBW_ERR_DATA,
	       "unknown handle");
	ok(mmdbw_new(5) == NULL, "ip_version 5 refused");
	is_int(mmdbw_write_file(w, "/nonexistent-dir/x.mmdb"), MMDBW_ERR_IO,
	       "write into a missing directory");
	ok(strcmp(mmdbw_strerror(MMDBW_ERR_IO), mmdbw_strerror(MMDBW_OK)) != 0,
	   "strerror distinguishes");

	/* replacing an existing file leaves no temporary behind */
	lo = ip("10.0.0.0");
	mmdbw_insert_prefix(w, &lo, 8, d);
	is_int(mmdbw_write_file(w, tmp_path("replace.mmdb")), MMDBW_OK,
	       "write once");
	is_int(mmdbw_write_file(w, tmp_path("replace.mmdb")), MMDBW_OK,
	       "write again over it");
	ok(stat(tmp_path("replace.mmdb.tmp"), &st) != 0 && errno == ENOENT,
	   "no temporary file left");
	mmdbw_free(w);
	mmdbw_free(NULL);
	mmdbw_enc_free(NULL);
}

/* ------------------------------------------------------ random ranges */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct rrange {
	struct ga_addr lo, hi;
	uint32_t v;
};

static int acmp(const struct ga_addr *a, const struct ga_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16);
}

/* a += k (k may be 0); returns 1 on overflow of the family. */
static int add(struct ga_addr *a, uint64_t k, int neg)
{
	int i = a->family == 4 ? 3 : 15;
	uint64_t carry = k;

	if (!neg) {
		for (; i >= 0 && carry; i--) {
			uint64_t s = a->bytes[i] + (carry & 0xff);

			a->bytes[i] = (uint8_t)s;
			carry = (carry >> 8) + (s >> 8);
		}
	} else {
		for (; i >= 0 && carry; i--) {
			int64_t s = (int64_t)a->bytes[i] - (int64_t)(carry & 0xff);

			carry >>= 8;
			if (s < 0) {
				s += 256;
				carry++;
			}
			a->bytes[i] = (uint8_t)s;
		}
	}
	return carry != 0;
}

static void random_range(struct rrange *r, const struct rrange *prev,
                         int family)
{
	int bits = family == 4 ? 32 : 128, k, i;
	uint64_t span;

	memset(r, 0, sizeof *r);
	r->lo.family = (uint8_t)family;
	if (prev != NULL && prev->lo.family == family && rnd() % 5 == 0) {
		/* adjacent to the previous range */
		r->lo = prev->hi;
		if (add(&r->lo, 1, 0))
			r->lo = prev->lo;
	} else if (family == 4) {
		static const uint8_t base[][2] = {
			{ 10, 0 }, { 100, 64 }, { 203, 0 }, { 0, 0 }, { 255, 255 }
		};
		const uint8_t *b = base[rnd() % 5];

		r->lo.bytes[0] = b[0];
		r->lo.bytes[1] = b[1];
		r->lo.bytes[2] = (uint8_t)(rnd() % 32);
		r->lo.bytes[3] = (uint8_t)rnd();
	} else {
		static const uint8_t base[][4] = {
			{ 0x20, 0x01, 0x0d, 0xb8 }, { 0x2a, 0x00, 0x00, 0x00 },
			{ 0xff, 0xff, 0xff, 0xff }
		};
		const uint8_t *b = base[rnd() % 3];

		memcpy(r->lo.bytes, b, 4);
		r->lo.bytes[4] = (uint8_t)(rnd() % 2);
		/* mostly zeros below so ranges at many depths meet */
		k = 40 + (int)(rnd() % 88);
		for (i = 40; i < 128; i++)
			if (i >= k && rnd() % 2)
				r->lo.bytes[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	}
	/* spans from one address to the size of a /(bits-20) or so */
	k = (int)(rnd() % (family == 4 ? 14 : 60));
	span = k == 0 ? 0 : rnd() >> (64 - k);
	if (rnd() % 10 == 0)
		span = ((uint64_t)1 << (k < 20 ? k : 20)) - 1;
	r->hi = r->lo;
	if (add(&r->hi, span, 0)) {
		memset(r->hi.bytes, 0xff, bits / 8);
	}
	r->v = (uint32_t)(rnd() % 400);
}

/* The brute-force model: the last inserted range holding a wins. */
static long expect(const struct rrange *rs, size_t n, const struct ga_addr *a)
{
	size_t i = n;

	while (i-- > 0)
		if (acmp(&rs[i].lo, a) <= 0 && acmp(a, &rs[i].hi) <= 0)
			return rs[i].v;
	return -1;
}

static void test_random_round(int round, int ip_version, size_t n)
{
	struct mmdbw *w = mmdbw_new(ip_version);
	struct rrange *rs = xcalloc(n, sizeof *rs);
	char name[32], t1[INET6_ADDRSTRLEN];
	size_t i, checked = 0, records;
	int bad = 0, status = 0, k;
	MMDB_s db;

	for (i = 0; i < n; i++) {
		int family = ip_version == 4 || rnd() % 2 ? 4 : 6;

		random_range(&rs[i], i ? &rs[i - 1] : NULL, family);
		status |= mmdbw_insert_range(w, &rs[i].lo, &rs[i].hi,
		                             value(w, rs[i].v));
	}
	is_int(status, MMDBW_OK, "random: inserts succeed");
	snprintf(name, sizeof name, "random%d.mmdb", round);
	if (!write_open(w, name, &db)) {
		free(rs);
		mmdbw_free(w);
		return;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < 4; k++) {
			struct ga_addr a = k < 2 ? rs[i].lo : rs[i].hi;
			long want, got, got_mapped = 0;

			if ((k == 0 && add(&a, 1, 1)) || (k == 3 && add(&a, 1, 0)))
				continue;
			want = expect(rs, n, &a);
			got = look_addr(&db, &a, 0);
			if (a.family == 4 && ip_version == 6)
				got_mapped = look_addr(&db, &a, 1);
			checked++;
			if (got != want ||
			    (a.family == 4 && ip_version == 6 &&
			     got_mapped != want)) {
				if (bad++ < 5) {
					inet_ntop(a.family == 4 ? AF_INET : AF_INET6,
					          a.bytes, t1, sizeof t1);
					printf("# %s: got %ld (mapped %ld), want %ld\n",
					       t1, got, got_mapped, want);
				}
			}
		}
	}
	ok(bad == 0, "random round %d (IPv%d, %zu ranges, %zu overlaps): "
	   "%zu boundaries, %d wrong", round, ip_version, n,
	   (size_t)mmdbw_overlaps(w), checked, bad);
	is_int(walk_all(&db, &records), 0, "random: every record decodes");
	if (ip_version == 6)
		is_int(lead_nodes(&db), 97, "random: nodes 0-96 lead to IPv4");
	MMDB_close(&db);
	mmdbw_free(w);
	free(rs);
}

static void test_random(void)
{
	int round;

	rng_state = 20240601;
	for (round = 0; round < 8; round++)
		test_random_round(round, round % 3 == 2 ? 4 : 6,
		                  (size_t)(200 + 100 * (round % 4)));
}

/* ---------------------------------------------------------------- main */

static void cleanup(void)
{
	static const char *const names[] = {
		"v4.mmdb", "v6.mmdb", "empty.mmdb", "meta.mmdb", "meta2.mmdb",
		"overlap.mmdb", "alias.mmdb", "rs24.mmdb", "rs28.mmdb",
		"rs32.mmdb", "big24.mmdb", "big28.mmdb", "big32.mmdb",
		"dedup.mmdb", "replace.mmdb", NULL
	};
	size_t i;
	char name[32];

	for (i = 0; names[i] != NULL; i++)
		unlink(tmp_path(names[i]));
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "random%zu.mmdb", i);
		unlink(tmp_path(name));
	}
	if (rmdir(tmpdir) != 0)
		printf("# cannot remove %s: %s\n", tmpdir, strerror(errno));
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/mmdbw.XXXXXX",
	         t != NULL && strlen(t) < 40 ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		skip_all("cannot make a temporary directory");
	E = mmdbw_enc_new();
	test_encoder();
	test_small_v4();
	test_small_v6();
	test_empty();
	test_metadata();
	test_overlap();
	test_alias();
	test_record_sizes();
	test_dedup();
	test_errors();
	test_random();
	mmdbw_enc_free(E);
	cleanup();
	return done_testing();
}
