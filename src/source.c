/*
 * source.c - the libmaxminddb adapter: opening, schema detection, lookups
 * with a per-source cache of decoded records, discovery of databases.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <stdatomic.h>

#include <maxminddb.h>

#include "source.h"
#include "util.h"

#ifndef GEOATTR_PKGDATADIR
#define GEOATTR_PKGDATADIR "/usr/local/share/geoattr"
#endif
#ifndef GEOATTR_BUILD_DIR
#define GEOATTR_BUILD_DIR ""
#endif
#ifndef GEOATTR_SRC_DIR
#define GEOATTR_SRC_DIR ""
#endif

struct source {
	char *path;
	char *name;
	char *type;
	char *description;
	char *license;
	char *attribution;
	char *data_date;
	char *snapshots;        /* merged snapshots: "tor 2026-03-15; aws ..." */
	char *replaced;         /* feeds set aside ("tor; aws"), or NULL */
	char **excluded;        /* ... as names, for lookups */
	size_t nexcluded, capexcluded;
	MMDB_s db;
	unsigned caps;
	char label;
	int error_reported;
	int hist;       /* HIST_*: a file of update --as-of, decoded by decode_hist() */
	unsigned keys;  /* K_* its writer says its records may hold; 0: unknown */

	/* Cache: data-section offset -> decoded entry.  Lookups may run on
	 * several threads: readers probe the current table without a lock;
	 * inserts, growth and error reports take `lock`.  A grown table
	 * replaces the old one, which stays allocated (on `retired`) until
	 * the source is freed, since a reader may still be probing it. */
	struct cache_table *_Atomic table;
	struct cache_table *retired;
	size_t used;
	/* The cached entries and their strings (see arena_alloc). */
	struct arena_chunk *_Atomic arena;
	pthread_mutex_t lock;
};

/*
 * The cache's entries and their strings come from the source's arena:
 * threads take bytes from the current chunk without a lock (a
 * fetch-and-add on its fill), a new chunk is made under the source's
 * lock, and every chunk is freed with the source.  A million-line check
 * made about 300,000 entries and strings with malloc() and freed them one
 * by one at its end (10 ms, with nothing else to do).  Decoding outside
 * the cache (a sample of records, say) passes no source: malloc().
 */
#define ARENA_CHUNK (64u << 10)
struct arena_chunk {
	struct arena_chunk *prev;
	size_t cap;
	_Atomic size_t used;
	size_t pad_;            /* data is 16-byte aligned, as malloc's */
	unsigned char data[];
};

static void *arena_alloc(struct source *s, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	for (;;) {
		struct arena_chunk *c = atomic_load_explicit(&s->arena, memory_order_acquire);

		if (c != NULL) {
			size_t off = atomic_fetch_add_explicit(&c->used, n, memory_order_relaxed);

			if (off <= c->cap && n <= c->cap - off)
				return c->data + off;
		}
		/* Full (or none yet): the first thread here adds a chunk. */
		pthread_mutex_lock(&s->lock);
		if (atomic_load_explicit(&s->arena, memory_order_relaxed) == c) {
			size_t cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
			struct arena_chunk *nc = xmalloc(sizeof(*nc) + cap);

			nc->prev = c;
			nc->cap = cap;
			atomic_init(&nc->used, 0);
			atomic_store_explicit(&s->arena, nc, memory_order_release);
		}
		pthread_mutex_unlock(&s->lock);
	}
}

static void arena_free(struct source *s)
{
	struct arena_chunk *c = atomic_load_explicit(&s->arena, memory_order_relaxed), *prev;

	for (; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	atomic_store_explicit(&s->arena, NULL, memory_order_relaxed);
}

struct source_set {
	struct source **v;
	size_t n, cap;
	char nextlabel;
};

/* ------------------------------------------------------------ metadata */

/* Skip one value (and everything nested in it) of an entry data list. */
static MMDB_entry_data_list_s *skip_value(MMDB_entry_data_list_s *l)
{
	uint32_t i, n;

	if (l == NULL)
		return NULL;
	if (l->entry_data.type == MMDB_DATA_TYPE_MAP) {
		n = l->entry_data.data_size;
		l = l->next;
		for (i = 0; i < n && l != NULL; i++)
			l = skip_value(skip_value(l));
		return l;
	}
	if (l->entry_data.type == MMDB_DATA_TYPE_ARRAY) {
		n = l->entry_data.data_size;
		l = l->next;
		for (i = 0; i < n && l != NULL; i++)
			l = skip_value(l);
		return l;
	}
	return l->next;
}

static char *data_strdup(const MMDB_entry_data_s *d)
{
	if (d->type != MMDB_DATA_TYPE_UTF8_STRING)
		return NULL;
	return xstrndup(d->utf8_string, d->data_size);
}

/* The string values of top-level metadata keys (out[i] for keys[i], NULL
 * when absent), from one decode of the metadata map: each decode
 * allocates the whole map as a list, which start-up pays per file. */
static void meta_strings(MMDB_s *db, const char *const *keys, char **out,
                         size_t nkeys)
{
	MMDB_entry_data_list_s *list = NULL, *l;
	uint32_t i, n;
	size_t k;

	for (k = 0; k < nkeys; k++)
		out[k] = NULL;
	if (MMDB_get_metadata_as_entry_data_list(db, &list) != MMDB_SUCCESS ||
	    list == NULL || list->entry_data.type != MMDB_DATA_TYPE_MAP) {
		MMDB_free_entry_data_list(list);
		return;
	}
	n = list->entry_data.data_size;
	l = list->next;
	for (i = 0; i < n && l != NULL; i++) {
		const MMDB_entry_data_s *d = &l->entry_data;

		for (k = 0; k < nkeys && l->next != NULL; k++)
			if (out[k] == NULL && d->type == MMDB_DATA_TYPE_UTF8_STRING &&
			    d->data_size == strlen(keys[k]) &&
			    memcmp(d->utf8_string, keys[k], d->data_size) == 0) {
				out[k] = data_strdup(&l->next->entry_data);
				break;
			}
		l = skip_value(l->next);
	}
	MMDB_free_entry_data_list(list);
}

static char *meta_description(MMDB_s *db)
{
	size_t i;

	for (i = 0; i < db->metadata.description.count; i++) {
		MMDB_description_s *d = db->metadata.description.descriptions[i];

		if (d != NULL && d->language != NULL &&
		    strcmp(d->language, "en") == 0 && d->description != NULL)
			return xstrdup(d->description);
	}
	return xstrdup("");
}

/* Licence and attribution of the vendors' own files, which carry none in
 * their metadata (texts from each vendor's licence terms). */
static void known_vendor(struct source *s)
{
	const char *t = s->type;

	if (s->license != NULL)
		return;
	if (strncmp(t, "GeoLite2", 8) == 0) {
		s->license = xstrdup("GeoLite2 End User License Agreement (MaxMind)");
		s->attribution = xstrdup("This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com");
	} else if (strncmp(t, "GeoIP2", 6) == 0 || strncmp(t, "GeoIP", 5) == 0) {
		s->license = xstrdup("MaxMind commercial licence");
		s->attribution = xstrdup("GeoIP2 data by MaxMind (https://www.maxmind.com)");
	} else if (strncasecmp(t, "DBIP", 4) == 0 || strncasecmp(t, "db-ip", 5) == 0) {
		s->license = xstrdup("CC BY 4.0");
		s->attribution = xstrdup("IP Geolocation by DB-IP (https://db-ip.com)");
	} else if (strncasecmp(t, "ipinfo", 6) == 0) {
		s->license = xstrdup("CC BY-SA 4.0");
		s->attribution = xstrdup("IP address data powered by IPinfo (https://ipinfo.io)");
	}
}

/* ------------------------------------------------------------ decoding */

/* What a field of each kind accepts: a two-letter code, a non-empty
 * string, an unsigned number (or "AS15169"), a double or float. */
static int ok_cc(const MMDB_entry_data_s *d)
{
	return d != NULL && d->type == MMDB_DATA_TYPE_UTF8_STRING && d->data_size == 2;
}

static int ok_str(const MMDB_entry_data_s *d)
{
	return d != NULL && d->type == MMDB_DATA_TYPE_UTF8_STRING && d->data_size > 0;
}

static int val_uint(const MMDB_entry_data_s *d, uint64_t *v)
{
	const char *p;
	size_t n;

	if (d == NULL)
		return 0;
	switch (d->type) {
	case MMDB_DATA_TYPE_UINT16: *v = d->uint16; return 1;
	case MMDB_DATA_TYPE_UINT32: *v = d->uint32; return 1;
	case MMDB_DATA_TYPE_UINT64: *v = d->uint64; return 1;
	case MMDB_DATA_TYPE_INT32:
		if (d->int32 < 0)
			return 0;
		*v = (uint64_t)d->int32;
		return 1;
	case MMDB_DATA_TYPE_UTF8_STRING:
		/* IPinfo writes "AS15169". */
		p = d->utf8_string;
		n = d->data_size;
		if (n > 2 && (p[0] == 'A' || p[0] == 'a') && (p[1] == 'S' || p[1] == 's')) {
			p += 2;
			n -= 2;
		}
		return parse_u64(p, n, 0, UINT32_MAX, v) == 0;
	default:
		return 0;
	}
}

static int val_double(const MMDB_entry_data_s *d, double *v)
{
	if (d != NULL && d->type == MMDB_DATA_TYPE_DOUBLE) {
		*v = d->double_value;
		return 1;
	}
	if (d != NULL && d->type == MMDB_DATA_TYPE_FLOAT) {
		*v = d->float_value;
		return 1;
	}
	return 0;
}

static void set_cc(char cc[3], const MMDB_entry_data_s *d)
{
	int i;

	for (i = 0; i < 2; i++) {
		char c = d->utf8_string[i];

		cc[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	cc[2] = '\0';
}

/* A string value's copy: from a's arena, or malloc()ed when a is NULL. */
static char *dup_str(struct source *a, const MMDB_entry_data_s *d)
{
	char *p;

	if (a == NULL)
		return xstrndup(d->utf8_string, d->data_size);
	p = arena_alloc(a, (size_t)d->data_size + 1);
	memcpy(p, d->utf8_string, d->data_size);
	p[d->data_size] = '\0';
	return p;
}

static int get_str(struct source *a, MMDB_entry_s *e, char **out, const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data || !ok_str(&d))
		return 0;
	*out = dup_str(a, &d);
	return 1;
}

static int get_cc(MMDB_entry_s *e, char cc[3], const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data || !ok_cc(&d))
		return 0;
	set_cc(cc, &d);
	return 1;
}

static int get_uint(MMDB_entry_s *e, uint64_t *v, const char *const *path)
{
	MMDB_entry_data_s d;

	return MMDB_aget_value(e, &d, path) == MMDB_SUCCESS && d.has_data &&
	       val_uint(&d, v);
}

static int get_double(MMDB_entry_s *e, double *v, const char *const *path)
{
	MMDB_entry_data_s d;

	return MMDB_aget_value(e, &d, path) == MMDB_SUCCESS && d.has_data &&
	       val_double(&d, v);
}

#define P(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * The top-level keys decoding looks for.  geoattr's own writers list in
 * the metadata ("geoattr_keys") every top-level key their records may
 * hold, so that a record of such a file is read with one path search per
 * key it can have, not one per key any schema has.
 */
enum {
	K_COUNTRY = 1u << 0, K_COUNTRY_CODE = 1u << 1, K_REGISTERED = 1u << 2,
	K_ASN_NUMBER = 1u << 3, K_ASN = 1u << 4, K_AS_ORG = 1u << 5,
	K_AS_NAME = 1u << 6, K_ORGANIZATION = 1u << 7, K_ISP = 1u << 8,
	K_CITY = 1u << 9, K_LOCATION = 1u << 10, K_LATITUDE = 1u << 11,
	K_LONGITUDE = 1u << 12, K_NETWORK_TYPE = 1u << 13, K_PROVIDER = 1u << 14,
	K_REGION = 1u << 15, K_FEED = 1u << 16,
	K_ALL = (1u << 17) - 1,
	K_LISTED = 1u << 17        /* set whenever the metadata lists keys */
};

static unsigned keys_from_meta(const char *list)
{
	static const struct {
		const char *name;
		unsigned bit;
	} known[] = {
		{ "country", K_COUNTRY }, { "country_code", K_COUNTRY_CODE },
		{ "registered_country", K_REGISTERED },
		{ "autonomous_system_number", K_ASN_NUMBER }, { "asn", K_ASN },
		{ "autonomous_system_organization", K_AS_ORG }, { "as_name", K_AS_NAME },
		{ "organization", K_ORGANIZATION }, { "isp", K_ISP }, { "city", K_CITY },
		{ "location", K_LOCATION }, { "latitude", K_LATITUDE },
		{ "longitude", K_LONGITUDE }, { "network_type", K_NETWORK_TYPE },
		{ "provider", K_PROVIDER }, { "region", K_REGION },
		{ "geoattr_feed", K_FEED },
	};
	unsigned keys = K_LISTED;
	const char *p = list;
	size_t i, n;

	if (list == NULL)
		return 0;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i].name) == n && memcmp(known[i].name, p, n) == 0)
				keys |= known[i].bit;
		p += n;
	}
	return keys;
}

/* Fill *out from whichever schema the record uses, one path search at a
 * time; returns SRC_HAS_* bits. */
static unsigned decode_paths(struct source *a, MMDB_entry_s *e, struct src_entry *out,
                             unsigned keys)
{
	unsigned caps = 0;
	uint64_t v;
	char *s;

#define K(bit) (keys & (bit))
	memset(out, 0, sizeof(*out));
	if ((K(K_COUNTRY) && get_cc(e, out->country, P("country", "iso_code"))) ||
	    (K(K_COUNTRY_CODE) && get_cc(e, out->country, P("country_code"))) ||
	    (K(K_COUNTRY) && get_cc(e, out->country, P("country"))))
		caps |= SRC_HAS_COUNTRY;
	if (K(K_REGISTERED))
		get_cc(e, out->registered, P("registered_country", "iso_code"));
	if (out->country[0] == '\0' && out->registered[0] != '\0') {
		/* Some records carry only the registered country. */
		memcpy(out->country, out->registered, 3);
		caps |= SRC_HAS_COUNTRY;
	}
	if ((K(K_ASN_NUMBER) && get_uint(e, &v, P("autonomous_system_number"))) ||
	    (K(K_ASN) && get_uint(e, &v, P("asn")))) {
		out->asn = (uint32_t)v;
		caps |= SRC_HAS_ASN;
	}
	s = NULL;
	if ((K(K_AS_ORG) && get_str(a, e, &s, P("autonomous_system_organization"))) ||
	    (K(K_AS_NAME) && get_str(a, e, &s, P("as_name"))) ||
	    (K(K_ORGANIZATION) && get_str(a, e, &s, P("organization"))) ||
	    (K(K_ISP) && get_str(a, e, &s, P("isp"))))
		out->org = s;
	s = NULL;
	if (K(K_CITY) &&
	    (get_str(a, e, &s, P("city", "names", "en")) || get_str(a, e, &s, P("city")))) {
		out->city = s;
		caps |= SRC_HAS_CITY;
	}
	if (K(K_LOCATION) && get_double(e, &out->latitude, P("location", "latitude")) &&
	    get_double(e, &out->longitude, P("location", "longitude")))
		out->has_location = 1;
	else if (K(K_LATITUDE) && K(K_LONGITUDE) &&
	         get_double(e, &out->latitude, P("latitude")) &&
	         get_double(e, &out->longitude, P("longitude")))
		out->has_location = 1;
	if (K(K_LOCATION) && get_uint(e, &v, P("location", "accuracy_radius")) &&
	    v < 100000)
		out->accuracy_km = (int)v;
	s = NULL;
	if (K(K_NETWORK_TYPE) && get_str(a, e, &s, P("network_type"))) {
		out->net_type = s;
		caps |= SRC_HAS_TYPE;
	}
	s = NULL;
	if (K(K_PROVIDER) && get_str(a, e, &s, P("provider")))
		out->provider = s;
	s = NULL;
	if (K(K_REGION) && get_str(a, e, &s, P("region")))
		out->region = s;
	s = NULL;
	if (K(K_FEED) && get_str(a, e, &s, P("geoattr_feed")))
		out->feed = s;
#undef K
	return caps;
}

/*
 * One pass over a record: the same answer as decode_paths() (which asks
 * libmaxminddb for each path in turn, about twenty searches of the map
 * for a record that holds two keys), from one decode of the record.
 * Where decode_paths() tries alternatives in order, each field keeps the
 * best-ranked key seen (rank 0 first), and the first of equal keys, as a
 * path search finds the first.
 */
static void entry_release(struct src_entry *e);

struct pick {
	const MMDB_entry_data_s *d;
	int rank;
};

static void pick_offer(struct pick *p, const MMDB_entry_data_s *d, int rank)
{
	if (p->d == NULL || rank < p->rank) {
		p->d = d;
		p->rank = rank;
	}
}

static int key_is(const MMDB_entry_data_s *k, const char *name)
{
	size_t n = strlen(name);

	return k->type == MMDB_DATA_TYPE_UTF8_STRING && k->data_size == n &&
	       memcmp(k->utf8_string, name, n) == 0;
}

/* The value node of key name in the map starting at l, or NULL. */
static MMDB_entry_data_list_s *map_find_node(MMDB_entry_data_list_s *l,
                                             const char *name)
{
	uint32_t i, n;

	if (l == NULL || l->entry_data.type != MMDB_DATA_TYPE_MAP)
		return NULL;
	n = l->entry_data.data_size;
	l = l->next;
	for (i = 0; i < n && l != NULL && l->next != NULL; i++) {
		if (key_is(&l->entry_data, name))
			return l->next;
		l = skip_value(l->next);
	}
	return NULL;
}

static const MMDB_entry_data_s *map_find(MMDB_entry_data_list_s *l,
                                         const char *name)
{
	MMDB_entry_data_list_s *v = map_find_node(l, name);

	return v != NULL ? &v->entry_data : NULL;
}

/* Returns -1 when the record cannot be decoded as a list (the caller
 * then asks path by path, which reports what it can). */
static int decode_list(struct source *a, MMDB_entry_s *e, struct src_entry *out,
                       unsigned *capsp)
{
	MMDB_entry_data_list_s *list = NULL, *l, *val;
	struct pick cc = { 0 }, reg = { 0 }, asn = { 0 }, org = { 0 };
	struct pick city = { 0 }, type = { 0 }, prov = { 0 }, region = { 0 };
	struct pick feed = { 0 };
	const MMDB_entry_data_s *lat = NULL, *lon = NULL, *tlat = NULL;
	const MMDB_entry_data_s *tlon = NULL, *acc = NULL, *d;
	unsigned caps = 0;
	uint32_t i, n;
	uint64_t v;

	if (MMDB_get_entry_data_list(e, &list) != MMDB_SUCCESS || list == NULL) {
		MMDB_free_entry_data_list(list);
		return -1;
	}
	if (list->entry_data.type != MMDB_DATA_TYPE_MAP) {
		MMDB_free_entry_data_list(list);
		return 0;                 /* not a map: no key matches */
	}
	n = list->entry_data.data_size;
	l = list->next;
	for (i = 0; i < n && l != NULL && l->next != NULL; i++) {
		const MMDB_entry_data_s *k = &l->entry_data;

		val = l->next;
		d = &val->entry_data;
		if (key_is(k, "country")) {
			const MMDB_entry_data_s *iso = map_find(val, "iso_code");

			if (ok_cc(iso))
				pick_offer(&cc, iso, 0);
			else if (ok_cc(d))
				pick_offer(&cc, d, 2);
		} else if (key_is(k, "country_code")) {
			if (ok_cc(d))
				pick_offer(&cc, d, 1);
		} else if (key_is(k, "registered_country")) {
			const MMDB_entry_data_s *iso = map_find(val, "iso_code");

			if (ok_cc(iso))
				pick_offer(&reg, iso, 0);
		} else if (key_is(k, "autonomous_system_number")) {
			if (val_uint(d, &v))
				pick_offer(&asn, d, 0);
		} else if (key_is(k, "asn")) {
			if (val_uint(d, &v))
				pick_offer(&asn, d, 1);
		} else if (key_is(k, "autonomous_system_organization")) {
			if (ok_str(d))
				pick_offer(&org, d, 0);
		} else if (key_is(k, "as_name")) {
			if (ok_str(d))
				pick_offer(&org, d, 1);
		} else if (key_is(k, "organization")) {
			if (ok_str(d))
				pick_offer(&org, d, 2);
		} else if (key_is(k, "isp")) {
			if (ok_str(d))
				pick_offer(&org, d, 3);
		} else if (key_is(k, "city")) {
			const MMDB_entry_data_s *en = map_find(map_find_node(val, "names"), "en");

			if (ok_str(en))
				pick_offer(&city, en, 0);
			else if (ok_str(d))
				pick_offer(&city, d, 1);
		} else if (key_is(k, "location")) {
			if (lat == NULL && lon == NULL && acc == NULL) {
				lat = map_find(val, "latitude");
				lon = map_find(val, "longitude");
				acc = map_find(val, "accuracy_radius");
			}
		} else if (key_is(k, "latitude")) {
			if (tlat == NULL)
				tlat = d;
		} else if (key_is(k, "longitude")) {
			if (tlon == NULL)
				tlon = d;
		} else if (key_is(k, "network_type")) {
			if (ok_str(d))
				pick_offer(&type, d, 0);
		} else if (key_is(k, "provider")) {
			if (ok_str(d))
				pick_offer(&prov, d, 0);
		} else if (key_is(k, "region")) {
			if (ok_str(d))
				pick_offer(&region, d, 0);
		} else if (key_is(k, "geoattr_feed")) {
			if (ok_str(d))
				pick_offer(&feed, d, 0);
		}
		l = skip_value(val);
	}
	if (cc.d != NULL) {
		set_cc(out->country, cc.d);
		caps |= SRC_HAS_COUNTRY;
	}
	if (reg.d != NULL)
		set_cc(out->registered, reg.d);
	if (out->country[0] == '\0' && out->registered[0] != '\0') {
		/* Some records carry only the registered country. */
		memcpy(out->country, out->registered, 3);
		caps |= SRC_HAS_COUNTRY;
	}
	if (asn.d != NULL && val_uint(asn.d, &v)) {
		out->asn = (uint32_t)v;
		caps |= SRC_HAS_ASN;
	}
	if (org.d != NULL)
		out->org = dup_str(a, org.d);
	if (city.d != NULL) {
		out->city = dup_str(a, city.d);
		caps |= SRC_HAS_CITY;
	}
	if (val_double(lat, &out->latitude) && val_double(lon, &out->longitude))
		out->has_location = 1;
	else if (val_double(tlat, &out->latitude) && val_double(tlon, &out->longitude))
		out->has_location = 1;
	if (val_uint(acc, &v) && v < 100000)
		out->accuracy_km = (int)v;
	if (type.d != NULL) {
		out->net_type = dup_str(a, type.d);
		caps |= SRC_HAS_TYPE;
	}
	if (prov.d != NULL)
		out->provider = dup_str(a, prov.d);
	if (region.d != NULL)
		out->region = dup_str(a, region.d);
	if (feed.d != NULL)
		out->feed = dup_str(a, feed.d);
	MMDB_free_entry_data_list(list);
	*capsp = caps;
	return 0;
}

/* Fill *out from whichever schema the record uses; returns SRC_HAS_* bits.
 * keys: what the file's writer listed (K_*), 0 when it listed nothing. */
static unsigned decode_entry(struct source *a, MMDB_entry_s *e, struct src_entry *out,
                             unsigned keys)
{
	unsigned caps = 0;

	if (keys & K_LISTED)
		return decode_paths(a, e, out, keys);
	memset(out, 0, sizeof(*out));
	if (decode_list(a, e, out, &caps) == 0)
		return caps;
	if (a == NULL)
		entry_release(out);     /* an arena's copies just stay */
	return decode_paths(a, e, out, K_ALL);
}

enum { HIST_NONE, HIST_REGISTRY, HIST_ROUTING, HIST_TOR };

/* s[0..n) "YYYY-MM-DD" as YYYYMMDD, else 0. */
static uint32_t hist_day_of_n(const char *s, size_t n)
{
	uint32_t v = 0;
	int i;

	if (s == NULL || n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

static uint32_t hist_day_of(const char *s)
{
	return s != NULL ? hist_day_of_n(s, strlen(s)) : 0;
}

/* A registry status that gives a block out: allocated or assigned. */
static int hist_status_gives(const char *s, size_t n)
{
	return (n == 9 && memcmp(s, "allocated", 9) == 0) ||
	       (n == 8 && memcmp(s, "assigned", 8) == 0);
}

/* Which hist_ strings of an entry were allocated (the rest are the
 * static words of hist_word() or the entry's own hist_date_buf). */
enum { HIST_OWN_STATUS = 1u << 0, HIST_OWN_DATE = 1u << 1, HIST_OWN_REGISTRY = 1u << 2 };

/* A registry record's status or registry name: one of a few words, so the
 * static copy of a known one is shared instead of allocating one per
 * record (a day's registry set has about 450,000 records).  Returns the
 * word, or a new copy of one it does not know: from a's arena, or
 * malloc()ed (*owned set) when a is NULL. */
static const char *hist_word(struct source *a, const MMDB_entry_data_s *d,
                             const char *const *known, int *owned)
{
	size_t i;

	*owned = 0;
	for (i = 0; known[i] != NULL; i++)
		if (strlen(known[i]) == d->data_size &&
		    memcmp(known[i], d->utf8_string, d->data_size) == 0)
			return known[i];
	*owned = a == NULL;
	return dup_str(a, d);
}

static const char *const hist_statuses[] = {
	"allocated", "assigned", "available", "reserved", NULL
};
static const char *const hist_registries[] = {
	"afrinic", "apnic", "arin", "lacnic", "ripencc", "iana", NULL
};

/* A registry record's word-valued key: the word, or NULL when absent. */
static const char *get_hist_word(struct source *a, MMDB_entry_s *e, const char *key,
                                 const char *const *known, int *owned)
{
	MMDB_entry_data_s d;

	*owned = 0;
	if (MMDB_aget_value(e, &d, P(key)) != MMDB_SUCCESS || !d.has_data || !ok_str(&d))
		return NULL;
	return hist_word(a, &d, known, owned);
}

/* A registry record's date: YYYY-MM-DD in the entry's own buffer; any
 * other spelling (kept as written) in a new copy. */
static void get_hist_date(struct source *a, MMDB_entry_s *e, struct src_entry *out)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, P("hist_date")) != MMDB_SUCCESS || !d.has_data || !ok_str(&d))
		return;
	if (d.data_size == 10) {
		memcpy(out->hist_date_buf, d.utf8_string, 10);
		out->hist_date_buf[10] = '\0';
		out->hist_date = out->hist_date_buf;
	} else {
		out->hist_date = dup_str(a, &d);
		if (a == NULL)
			out->hist_owned |= HIST_OWN_DATE;
	}
}

/* A record of an update --as-of set: only the keys that file holds.
 * Kept apart from decode_entry() so that neither pays for the other's
 * keys (each absent key is a search of the record's map). */
static unsigned decode_hist(struct source *a, MMDB_entry_s *e, struct src_entry *out,
                            int kind)
{
	unsigned caps = 0;
	uint64_t v;
	char *s;
	int owned;

	memset(out, 0, sizeof(*out));
#define HIST_KEY(field, key) do { \
		s = NULL; \
		if (get_str(a, e, &s, P(key))) \
			out->field = s; \
	} while (0)
	switch (kind) {
	case HIST_REGISTRY:
		if (get_cc(e, out->country, P("country")))
			caps |= SRC_HAS_COUNTRY;
		out->hist_status = get_hist_word(a, e, "hist_status", hist_statuses, &owned);
		out->hist_owned |= owned ? HIST_OWN_STATUS : 0;
		get_hist_date(a, e, out);
		out->hist_registry = get_hist_word(a, e, "hist_registry", hist_registries, &owned);
		out->hist_owned |= owned ? HIST_OWN_REGISTRY : 0;
		out->hist_given = out->hist_status != NULL &&
		                  hist_status_gives(out->hist_status, strlen(out->hist_status));
		out->hist_day = hist_day_of(out->hist_date);
		break;
	case HIST_ROUTING:
		if (get_uint(e, &v, P("autonomous_system_number"))) {
			out->asn = (uint32_t)v;
			caps |= SRC_HAS_ASN;
		}
		HIST_KEY(hist_origins, "hist_origins");
		out->hist_multi = out->hist_origins != NULL && strpbrk(out->hist_origins, "_,") != NULL;
		/* The first origin's name then (CAIDA as2org), when known. */
		HIST_KEY(org, "autonomous_system_organization");
		break;
	default:
		HIST_KEY(net_type, "network_type");
		caps |= out->net_type ? SRC_HAS_TYPE : 0;
		HIST_KEY(provider, "provider");
		HIST_KEY(hist_first_seen, "hist_first_seen");
		HIST_KEY(hist_last_seen, "hist_last_seen");
		break;
	}
#undef HIST_KEY
	return caps;
}

static void entry_release(struct src_entry *e)
{
	free((char *)e->org);
	free((char *)e->city);
	free((char *)e->net_type);
	free((char *)e->provider);
	free((char *)e->feed);
	free((char *)e->region);
	if (e->hist_owned & HIST_OWN_STATUS)
		free((char *)e->hist_status);
	if (e->hist_owned & HIST_OWN_DATE)
		free((char *)e->hist_date);
	if (e->hist_owned & HIST_OWN_REGISTRY)
		free((char *)e->hist_registry);
	free((char *)e->hist_origins);
	free((char *)e->hist_first_seen);
	free((char *)e->hist_last_seen);
}

/* src_entry_prefetch() asks for two cache lines: entries are 16-byte
 * aligned (arena_alloc(), as malloc()), so 80 bytes never span three. */
_Static_assert(SRC_ENTRY_HOT <= 80, "the hot part of an entry fits two prefetches");

/* ------------------------------------------------------------ cache */

struct cache_slot {
	_Atomic uint32_t key;            /* offset + 1; 0 = empty */
	const struct src_entry *e;       /* written before key is published */
};

struct cache_table {
	size_t nslots;                   /* a power of two */
	struct cache_table *next;        /* on the retired list */
	struct cache_slot slot[];
};

static size_t slot_hash(uint32_t key, size_t nslots)
{
	return (size_t)((key * 2654435761u) & (nslots - 1));
}

static struct cache_table *table_new(size_t nslots)
{
	struct cache_table *t = xcalloc(1, sizeof(*t) +
	                                nslots * sizeof(t->slot[0]));
	size_t i;

	t->nslots = nslots;
	for (i = 0; i < nslots; i++)
		atomic_init(&t->slot[i].key, 0);
	return t;
}

/* The slot holding key, or the empty slot where it would go; *found
 * says which.  The acquire load pairs with the release store of an
 * insert, so a found slot's entry pointer is complete. */
static struct cache_slot *table_probe(struct cache_table *t, uint32_t key,
                                      int *found)
{
	size_t j;
	uint32_t k;

	for (j = slot_hash(key, t->nslots);; j = (j + 1) & (t->nslots - 1)) {
		k = atomic_load_explicit(&t->slot[j].key, memory_order_acquire);
		if (k == key || k == 0) {
			*found = k == key;
			return &t->slot[j];
		}
	}
}

/* Called with s->lock held.  The new table is filled before it is
 * published, so readers see either table complete. */
static struct cache_table *cache_grow(struct source *s, struct cache_table *old)
{
	/* Small at first: a one-address lookup should not pay for a table
	 * sized for bulk work (fresh pages are page faults). */
	struct cache_table *t = table_new(old ? old->nslots * 2 : 64);
	size_t i;

	for (i = 0; old != NULL && i < old->nslots; i++) {
		uint32_t k = atomic_load_explicit(&old->slot[i].key,
		                                  memory_order_relaxed);
		struct cache_slot *sl;
		int found;

		if (k == 0)
			continue;
		sl = table_probe(t, k, &found);
		sl->e = old->slot[i].e;
		atomic_store_explicit(&sl->key, k, memory_order_relaxed);
	}
	if (old != NULL) {
		old->next = s->retired;
		s->retired = old;
	}
	atomic_store_explicit(&s->table, t, memory_order_release);
	return t;
}

static const struct src_entry *cache_get(struct source *s, MMDB_entry_s *e)
{
	uint32_t key = e->offset + 1;
	struct cache_table *t;
	struct cache_slot *sl;
	struct src_entry *ne;
	const struct src_entry *res;
	int found;

	/* Fast path: no lock, the usual case once the hot entries are in. */
	t = atomic_load_explicit(&s->table, memory_order_acquire);
	if (t != NULL) {
		sl = table_probe(t, key, &found);
		if (found)
			return sl->e;
	}
	/* Decode before taking the lock: decoding is most of the cost of a
	 * miss, and other threads' misses need not wait for it.  Two threads
	 * may decode the same record; the loser's copy stays unused in the
	 * arena, so one record still gives one entry pointer. */
	ne = arena_alloc(s, sizeof(*ne));
	if (s->hist)
		decode_hist(s, e, ne, s->hist);
	else
		decode_entry(s, e, ne, s->keys);
	pthread_mutex_lock(&s->lock);
	t = atomic_load_explicit(&s->table, memory_order_relaxed);
	if (t == NULL || (s->used + 1) * 2 > t->nslots)
		t = cache_grow(s, t);
	sl = table_probe(t, key, &found);
	if (!found) {
		sl->e = ne;
		atomic_store_explicit(&sl->key, key, memory_order_release);
		s->used++;
		res = ne;
	} else {
		res = sl->e;
	}
	pthread_mutex_unlock(&s->lock);
	return res;
}

/* ------------------------------------------------------------ tree walk */

struct walk {
	MMDB_s *db;
	uint32_t v4node;     /* node of ::/96 in an IPv6 tree, or UINT32_MAX */
	uint64_t networks;
	unsigned caps;
	int samples;         /* entries still to sample for caps, or -1 */
	size_t budget;       /* nodes we may still visit when sampling */
	int err;
};

static void walk_node(struct walk *w, uint32_t node, int depth, int in_v4path)
{
	MMDB_search_node_s sn;
	int side;

	if (w->err || (w->samples >= 0 && (w->samples == 0 || w->budget == 0)))
		return;
	if (w->budget > 0)
		w->budget--;
	if (MMDB_read_node(w->db, node, &sn) != MMDB_SUCCESS) {
		w->err = 1;
		return;
	}
	for (side = 0; side < 2; side++) {
		uint8_t type = side ? sn.right_record_type : sn.left_record_type;
		uint64_t rec = side ? sn.right_record : sn.left_record;
		MMDB_entry_s ent = side ? sn.right_record_entry : sn.left_record_entry;
		int child_v4path = in_v4path && side == 0;

		if (type == MMDB_RECORD_TYPE_SEARCH_NODE) {
			/* IPv4 aliases (::ffff:0:0/96, 2002::/16) point back at
			 * the ::/96 node: count that subtree once. */
			if (rec == w->v4node && !(child_v4path && depth + 1 == 96))
				continue;
			walk_node(w, (uint32_t)rec, depth + 1, child_v4path);
		} else if (type == MMDB_RECORD_TYPE_DATA) {
			w->networks++;
			if (w->samples > 0) {
				struct src_entry tmp;

				w->caps |= decode_entry(NULL, &ent, &tmp, 0);
				entry_release(&tmp);
				w->samples--;
			}
		} else if (type == MMDB_RECORD_TYPE_INVALID) {
			w->err = 1;
		}
		if (w->err)
			return;
	}
}

static uint32_t find_v4node(MMDB_s *db)
{
	MMDB_search_node_s sn;
	uint32_t node = 0;
	int i;

	if (db->metadata.ip_version != 6)
		return UINT32_MAX;
	for (i = 0; i < 96; i++) {
		if (MMDB_read_node(db, node, &sn) != MMDB_SUCCESS ||
		    sn.left_record_type != MMDB_RECORD_TYPE_SEARCH_NODE)
			return UINT32_MAX;
		node = (uint32_t)sn.left_record;
	}
	return node;
}

uint64_t source_count_networks(const struct source *s)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.db = (MMDB_s *)&s->db;
	w.v4node = find_v4node(w.db);
	w.samples = -1;
	if (s->db.metadata.node_count > 0)
		walk_node(&w, 0, 0, 1);
	return w.networks;
}

/* ------------------------------------------------------------ enumeration */

struct each {
	struct source *s;
	uint32_t v4node;
	uint8_t bits[16];
	void (*fn)(void *, const struct ga_net *, const struct src_entry *);
	void *ctx;
	int err;
};

static void each_node(struct each *w, uint32_t node, int depth, int in_v4path)
{
	MMDB_search_node_s sn;
	int side;

	if (w->err || MMDB_read_node(&w->s->db, node, &sn) != MMDB_SUCCESS) {
		w->err = 1;
		return;
	}
	for (side = 0; side < 2 && !w->err; side++) {
		uint8_t type = side ? sn.right_record_type : sn.left_record_type;
		uint64_t rec = side ? sn.right_record : sn.left_record;
		MMDB_entry_s ent = side ? sn.right_record_entry : sn.left_record_entry;
		int child_v4path = in_v4path && side == 0;

		if (side)
			w->bits[depth / 8] |= (uint8_t)(0x80u >> (depth % 8));
		else
			w->bits[depth / 8] &= (uint8_t)~(0x80u >> (depth % 8));
		if (type == MMDB_RECORD_TYPE_SEARCH_NODE) {
			if (rec == w->v4node && !(child_v4path && depth + 1 == 96))
				continue;
			each_node(w, (uint32_t)rec, depth + 1, child_v4path);
		} else if (type == MMDB_RECORD_TYPE_DATA) {
			struct ga_addr a;
			struct ga_net net;
			const struct src_entry *e = cache_get(w->s, &ent);
			int len = depth + 1;

			memset(&a, 0, sizeof(a));
			if (w->s->db.metadata.ip_version == 6 && in_v4path && len > 96) {
				/* Under ::/96: an IPv4 network. */
				a.family = 4;
				memcpy(a.bytes, w->bits + 12, 4);
				len -= 96;
			} else if (w->s->db.metadata.ip_version == 4) {
				a.family = 4;
				memcpy(a.bytes, w->bits, 4);
			} else {
				a.family = 6;
				memcpy(a.bytes, w->bits, 16);
			}
			net_from_prefix(&a, len, &net);
			if (e != NULL)
				w->fn(w->ctx, &net, e);
		} else if (type == MMDB_RECORD_TYPE_INVALID) {
			w->err = 1;
		}
	}
	/* Clear the bits below, for the caller's next branch. */
	if (depth < 128)
		w->bits[depth / 8] &= (uint8_t)~(0x80u >> (depth % 8));
}

int source_each_network(struct source *s,
                        void (*fn)(void *ctx, const struct ga_net *net,
                                   const struct src_entry *e),
                        void *ctx)
{
	struct each w;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.v4node = find_v4node(&s->db);
	w.fn = fn;
	w.ctx = ctx;
	if (s->db.metadata.node_count > 0)
		each_node(&w, 0, 0, 1);
	return w.err ? -1 : 0;
}

/* ------------------------------------------------------------ sets */

struct source_set *sources_new(void)
{
	struct source_set *set = xcalloc(1, sizeof(*set));

	set->nextlabel = 'A';
	return set;
}

static void source_free(struct source *s)
{
	size_t i;

	if (s == NULL)
		return;
	MMDB_close(&s->db);
	arena_free(s);
	free(atomic_load_explicit(&s->table, memory_order_relaxed));
	while (s->retired != NULL) {
		struct cache_table *t = s->retired;

		s->retired = t->next;
		free(t);
	}
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s->name);
	free(s->type);
	free(s->description);
	free(s->license);
	free(s->attribution);
	free(s->snapshots);
	free(s->replaced);
	for (i = 0; i < s->nexcluded; i++)
		free(s->excluded[i]);
	free(s->excluded);
	free(s->data_date);
	free(s);
}

void sources_free(struct source_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		source_free(set->v[i]);
	free(set->v);
	free(set);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static char *name_from_path(const char *path)
{
	const char *b = base_name(path);
	size_t n = strlen(b);

	if (n > 5 && strcmp(b + n - 5, ".mmdb") == 0)
		n -= 5;
	return xstrndup(b, n);
}

static unsigned known_caps(const char *type)
{
	static const struct {
		const char *type;
		unsigned caps;
	} known[] = {
		{ "geoattr-Country", SRC_HAS_COUNTRY },
		{ "geoattr-ASN", SRC_HAS_ASN },
		/* Provider ranges (update and the embedded snapshots): a type,
		 * never a country; a geofeed's city is shown, not counted. */
		{ "geoattr-Feed", SRC_HAS_TYPE },
		{ "GeoLite2-Country", SRC_HAS_COUNTRY },
		{ "GeoIP2-Country", SRC_HAS_COUNTRY },
		{ "GeoLite2-City", SRC_HAS_COUNTRY | SRC_HAS_CITY },
		{ "GeoIP2-City", SRC_HAS_COUNTRY | SRC_HAS_CITY },
		{ "GeoLite2-ASN", SRC_HAS_ASN },
		{ "DBIP-Country-Lite", SRC_HAS_COUNTRY },
		{ "DBIP-City-Lite", SRC_HAS_COUNTRY | SRC_HAS_CITY },
		{ "DBIP-ASN-Lite", SRC_HAS_ASN },
		/* update --as-of sets: known even when a set holds no record
		 * (a week without a listed exit is an answer). */
		{ "geoattr-HistRegistry", SRC_HAS_COUNTRY },
		{ "geoattr-HistRouting", SRC_HAS_ASN },
		{ "geoattr-HistTor", SRC_HAS_TYPE },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(type, known[i].type) == 0)
			return known[i].caps;
	return 0;
}

int sources_add_file(struct source_set *set, const char *path, int quiet)
{
	static const char *const meta_keys[6] = {
		"geoattr_source", "geoattr_license", "geoattr_attribution",
		"geoattr_data_date", "geoattr_snapshots", "geoattr_keys"
	};
	struct source *s = xcalloc(1, sizeof(*s));
	char *meta[6];
	struct walk w;
	int st;

	atomic_init(&s->table, NULL);
	atomic_init(&s->arena, NULL);
	pthread_mutex_init(&s->lock, NULL);
	st = MMDB_open(path, MMDB_MODE_MMAP, &s->db);
	if (st != MMDB_SUCCESS) {
		if (!quiet)
			msg_error(path, "cannot open database: %s%s%s",
			          MMDB_strerror(st), st == MMDB_IO_ERROR ? ": " : "",
			          st == MMDB_IO_ERROR ? strerror(errno) : "");
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	s->path = xstrdup(path);
	s->type = xstrdup(s->db.metadata.database_type ? s->db.metadata.database_type : "");
	s->description = meta_description(&s->db);
	meta_strings(&s->db, meta_keys, meta, 6);
	s->name = meta[0] != NULL ? meta[0] : name_from_path(path);
	s->license = meta[1];
	s->attribution = meta[2];
	s->data_date = meta[3];
	s->snapshots = meta[4];
	s->keys = keys_from_meta(meta[5]);
	free(meta[5]);
	known_vendor(s);

	/* Schema: the well-known types say it; anything else is learnt by
	 * decoding a sample of records in tree order.  The walk touches
	 * pages of the file, which a one-address lookup pays for. */
	memset(&w, 0, sizeof(w));
	w.caps = known_caps(s->type);
	if (w.caps == 0) {
		w.db = &s->db;
		w.v4node = find_v4node(&s->db);
		w.samples = 16;
		w.budget = 20000;
		if (s->db.metadata.node_count > 0)
			walk_node(&w, 0, 0, 1);
	}
	s->caps = w.caps;
	s->hist = strcmp(s->type, "geoattr-HistRegistry") == 0 ? HIST_REGISTRY
	        : strcmp(s->type, "geoattr-HistRouting") == 0 ? HIST_ROUTING
	        : strcmp(s->type, "geoattr-HistTor") == 0 ? HIST_TOR : HIST_NONE;
	if (w.err || !(s->caps & (SRC_HAS_COUNTRY | SRC_HAS_ASN | SRC_HAS_TYPE))) {
		if (!quiet)
			msg_error(path, "%s", w.err ? "corrupt search tree"
			    : "unknown schema: no country, ASN or network-type data found");
		source_free(s);
		return -1;
	}
	if ((s->caps & SRC_HAS_COUNTRY) && set->nextlabel <= 'Z')
		s->label = set->nextlabel++;
	set->v = xgrow(set->v, &set->cap, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = s;
	return 0;
}

size_t sources_count(const struct source_set *set)
{
	return set ? set->n : 0;
}

const struct source *sources_at(const struct source_set *set, size_t i)
{
	return i < set->n ? set->v[i] : NULL;
}

struct source *sources_at_mut(struct source_set *set, size_t i)
{
	return i < set->n ? set->v[i] : NULL;
}

unsigned source_caps(const struct source *s)
{
	return s->caps;
}

const char *source_name(const struct source *s)
{
	return s->name;
}

void source_info(const struct source *s, struct source_info *out)
{
	out->name = s->name;
	out->path = s->path;
	out->type = s->type;
	out->description = s->description;
	out->license = s->license ? s->license : "";
	out->attribution = s->attribution ? s->attribution : "";
	out->data_date = s->data_date ? s->data_date : "";
	out->build_epoch = s->db.metadata.build_epoch;
	out->node_count = s->db.metadata.node_count;
	out->record_size = s->db.metadata.record_size;
	out->ip_version = s->db.metadata.ip_version;
	out->caps = s->caps;
	out->label = s->label;
}

/* ------------------------------------------------------------ lookup */

/* The answer of a found record (hit->block set): the entry, unless it
 * is of a feed the user downloaded afresh (the fresh data answers, not
 * this).  Returns 1 or 0. */
static int found(struct source *s, MMDB_entry_s *entry, struct src_hit *hit)
{
	hit->e = cache_get(s, entry);
	if (s->nexcluded > 0 && hit->e != NULL && hit->e->feed != NULL &&
	    source_snapshot_is_replaced(s, hit->e->feed)) {
		hit->e = NULL;
		return 0;
	}
	return 1;
}

/* A database error: said once per source; returns -1. */
static int lookup_error(struct source *s, int st)
{
	pthread_mutex_lock(&s->lock);
	if (!s->error_reported)
		msg_error(s->path, "lookup failed: %s", MMDB_strerror(st));
	s->error_reported = 1;
	pthread_mutex_unlock(&s->lock);
	return -1;
}

/* One lookup from the root, up to the record: 1 with *entry set, 0 when
 * there is none, -1 on a database error; *block as source_lookup(). */
static int lookup_entry(struct source *s, const struct ga_addr *a,
                        MMDB_entry_s *entry, struct ga_net *block)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s r;
	int gai = 0, st = MMDB_SUCCESS, bits;

	if (a->family == 4) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, a->bytes, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a->bytes, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	r = MMDB_lookup_sockaddr(&s->db, sa, &st);
	(void)gai;
	if (st == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) {
		net_from_prefix(a, 0, block);
		return 0;
	}
	if (st != MMDB_SUCCESS)
		return lookup_error(s, st);
	bits = r.netmask;
	/* An IPv4 address in an IPv6 tree: the netmask counts the ::/96 bits. */
	if (a->family == 4 && s->db.metadata.ip_version == 6)
		bits = bits >= 96 ? bits - 96 : 0;
	if (bits > addr_bits(a))
		bits = addr_bits(a);
	net_from_prefix(a, bits, block);
	if (!r.found_entry)
		return 0;
	*entry = r.entry;
	return 1;
}

int source_lookup(struct source *s, const struct ga_addr *a,
                  struct src_hit *hit)
{
	MMDB_entry_s entry;
	int r;

	hit->e = NULL;
	r = lookup_entry(s, a, &entry, &hit->block);
	return r == 1 ? found(s, &entry, hit) : r;
}

/* Ask for a search node before it is read: a walk of a cold tree waits on
 * memory at every node.  Where the node lies is the format's (node number
 * times node size from the start of the file); libmaxminddb still reads
 * it.  Only a hint: nothing is read here. */
static void node_prefetch(const struct source *s, uint32_t node)
{
#if defined(__GNUC__)
	if (node < s->db.metadata.node_count)
		__builtin_prefetch(s->db.file_content +
		                   (size_t)node * s->db.full_record_byte_size);
#else
	(void)s;
	(void)node;
#endif
}

/* One walk of walk_entry() in progress. */
struct walk_run {
	uint32_t node;          /* the next node to read */
	int d;                  /* bits consumed before it */
	int nbits;              /* the address's: 32 or 128 */
	int bit;                /* of the last node read, the side taken */
	MMDB_search_node_s n;   /* the last node read */
};

/* walk_entry() up to its loop: 0 with r set where the walk starts, else
 * walk_entry()'s answer (2 or -1). */
static int walk_start(struct source *s, const struct ga_addr *a,
                      struct src_walk *w, struct walk_run *r)
{
	int v6tree = s->db.metadata.ip_version == 6, d;

	if (!v6tree && a->family != 4)
		return 2;
	if (v6tree && a->family == 4 && w->v4depth != 96) {
		if (w->v4depth == 0) {
			/* Where ::/96 leads, looked for once. */
			uint32_t v4 = find_v4node(&s->db);

			w->v4node = v4 != UINT32_MAX ? v4 : 0;
			w->v4depth = v4 != UINT32_MAX ? 96 : -1;
		}
		if (w->v4depth != 96)
			return 2;   /* no IPv4 subtree: as libmaxminddb says */
	}
	/* Resume where this address leaves the last one's path (at the
	 * last node of it when it goes all the way down the same). */
	d = 0;
	r->nbits = a->family == 4 ? 32 : 128;
	if (w->family == a->family && w->depth > 0) {
		d = addr_common_bits(w->key, a->bytes, r->nbits);
		if (d > w->depth - 1)
			d = w->depth - 1;
	}
	r->d = d;
	r->node = d > 0 ? w->node[d] : (a->family == 4 && v6tree ? w->v4node : 0);
	return 0;
}

/* Read r's next node: 0 when the walk goes on (the node after is asked
 * for), 1 when the side taken is not a search node, -1 on an error. */
static inline int walk_step(struct source *s, const struct ga_addr *a,
                            struct src_walk *w, struct walk_run *r)
{
	int st, type;

	if (r->d >= r->nbits)
		return lookup_error(s, MMDB_CORRUPT_SEARCH_TREE_ERROR);
	w->node[r->d] = r->node;
	st = MMDB_read_node(&s->db, r->node, &r->n);
	if (st != MMDB_SUCCESS) {
		w->family = 0;
		return lookup_error(s, st);
	}
	r->bit = (a->bytes[r->d >> 3] >> (7 - (r->d & 7))) & 1;
	type = r->bit ? r->n.right_record_type : r->n.left_record_type;
	r->d++;
	if (type != MMDB_RECORD_TYPE_SEARCH_NODE)
		return 1;
	r->node = (uint32_t)(r->bit ? r->n.right_record : r->n.left_record);
	node_prefetch(s, r->node);
	return 0;
}

/* After the last step: walk_entry()'s answer. */
static int walk_end(struct source *s, const struct ga_addr *a,
                    struct src_walk *w, const struct walk_run *r,
                    MMDB_entry_s *entry, struct ga_net *block)
{
	int type = r->bit ? r->n.right_record_type : r->n.left_record_type;
	uint64_t rec = r->bit ? r->n.right_record : r->n.left_record;

	w->family = a->family;
	w->depth = r->d;
	memcpy(w->key, a->bytes, (size_t)r->nbits / 8);
	net_from_prefix(a, r->d, block);
	if (type == MMDB_RECORD_TYPE_EMPTY)
		return 0;
	if (type != MMDB_RECORD_TYPE_DATA || rec <= s->db.metadata.node_count) {
		w->family = 0;
		return lookup_error(s, MMDB_CORRUPT_SEARCH_TREE_ERROR);
	}
	*entry = r->bit ? r->n.right_record_entry : r->n.left_record_entry;
	return 1;
}

/* The walk of source_lookup_walk() up to the record: 1 with *entry set,
 * 0 when there is none, -1 on a database error, 2 when this tree cannot
 * be walked so (the caller looks up from the root instead). */
static int walk_entry(struct source *s, const struct ga_addr *a,
                      MMDB_entry_s *entry, struct ga_net *block, struct src_walk *w)
{
	struct walk_run r;
	int st = walk_start(s, a, w, &r);

	if (st != 0)
		return st;
	while ((st = walk_step(s, a, w, &r)) == 0)
		;
	return st < 0 ? st : walk_end(s, a, w, &r, entry, block);
}

int source_lookup_walk(struct source *s, const struct ga_addr *a,
                       struct src_hit *hit, struct src_walk *w)
{
	MMDB_entry_s entry;
	int r;

	hit->e = NULL;
	r = walk_entry(s, a, &entry, &hit->block, w);
	if (r == 2)
		r = lookup_entry(s, a, &entry, &hit->block);
	return r == 1 ? found(s, &entry, hit) : r;
}

int sources_lookup_walk_many(struct source_set *set, size_t n,
                             const unsigned char *want, const struct ga_addr *a,
                             struct src_hit *hit, struct src_walk *w, int *ret)
{
	struct walk_run r[SRC_WALK_MANY];
	unsigned char act[SRC_WALK_MANY];     /* the walks going on */
	MMDB_entry_s entry;
	size_t i, k, nact = 0;
	int st;

	if (n > SRC_WALK_MANY || n > set->n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!want[i])
			continue;
		hit[i].e = NULL;
		ret[i] = walk_start(set->v[i], a, &w[i], &r[i]);
		if (ret[i] == 0) {
			act[nact++] = (unsigned char)i;
			node_prefetch(set->v[i], r[i].node);
		}
	}
	/* A node of each tree in turn: while one is read, the next node of
	 * every other is on its way.  A walk that ends leaves the turn. */
	while (nact > 0) {
		for (k = 0; k < nact;) {
			i = act[k];
			if ((st = walk_step(set->v[i], a, &w[i], &r[i])) == 0) {
				k++;
				continue;
			}
			act[k] = act[--nact];
			ret[i] = st < 0 ? st : walk_end(set->v[i], a, &w[i], &r[i], &entry,
			                                 &hit[i].block);
			if (ret[i] == 1)
				ret[i] = found(set->v[i], &entry, &hit[i]);
		}
	}
	for (i = 0; i < n; i++) {
		if (!want[i] || ret[i] != 2)
			continue;
		ret[i] = lookup_entry(set->v[i], a, &entry, &hit[i].block);
		if (ret[i] == 1)
			ret[i] = found(set->v[i], &entry, &hit[i]);
	}
	return 0;
}

int source_lookup_ref(struct source *s, const struct ga_addr *a, src_ref *ref,
                      struct ga_net *block, struct src_walk *w)
{
	MMDB_entry_s entry;
	int r;

	*ref = 0;
	r = walk_entry(s, a, &entry, block, w);
	if (r == 2)
		r = lookup_entry(s, a, &entry, block);
	if (r != 1)
		return r;
	if (s->nexcluded > 0) {
		/* A feed set aside answers nothing: that needs the entry. */
		struct src_hit hit;

		if (found(s, &entry, &hit) == 0)
			return 0;
	}
	*ref = entry.offset + 1;
	return 1;
}

const struct src_entry *source_entry_of(struct source *s, src_ref ref)
{
	MMDB_entry_s e;

	if (ref == 0)
		return NULL;
	e.mmdb = &s->db;
	e.offset = ref - 1;
	return cache_get(s, &e);
}

/* A string value's length up to any NUL in it: what strcmp() on the
 * copy dup_str() makes would see. */
static size_t str_len(const MMDB_entry_data_s *d)
{
	const char *z = memchr(d->utf8_string, '\0', d->data_size);

	return z != NULL ? (size_t)(z - d->utf8_string) : d->data_size;
}

/* How many of p[0..n) come before any of the bytes in stop. */
static size_t strcspn_n(const char *p, size_t n, const char *stop)
{
	size_t i;

	for (i = 0; i < n && strchr(stop, p[i]) == NULL; i++)
		;
	return i;
}

int source_hist_brief(struct source *s, src_ref ref, struct src_hist_brief *b)
{
	MMDB_entry_s e;
	MMDB_entry_data_s d;
	uint64_t v;
	size_t n, i;

	memset(b, 0, sizeof(*b));
	if (ref == 0 || s->hist == HIST_NONE)
		return -1;
	e.mmdb = &s->db;
	e.offset = ref - 1;
	/* The same fields, and the same tests, as decode_hist() and the
	 * hist_given/hist_day/hist_multi it works out. */
	switch (s->hist) {
	case HIST_REGISTRY:
		get_cc(&e, b->country, P("country"));
		if (MMDB_aget_value(&e, &d, P("hist_status")) == MMDB_SUCCESS && d.has_data && ok_str(&d))
			b->given = (unsigned char)hist_status_gives(d.utf8_string, str_len(&d));
		if (MMDB_aget_value(&e, &d, P("hist_date")) == MMDB_SUCCESS && d.has_data && ok_str(&d)) {
			b->date = d.utf8_string;
			b->date_len = str_len(&d);
			b->day = hist_day_of_n(b->date, b->date_len);
		}
		break;
	case HIST_ROUTING:
		/* update --as-of writes the first of the origins as the
		 * origin AS, and the origins first in the record: one search
		 * gives both.  Without origins, or a first one that is not a
		 * number, the origin AS is read as written. */
		if (MMDB_aget_value(&e, &d, P("hist_origins")) == MMDB_SUCCESS && d.has_data && ok_str(&d)) {
			n = str_len(&d);
			b->multi = memchr(d.utf8_string, '_', n) != NULL || memchr(d.utf8_string, ',', n) != NULL;
			i = strcspn_n(d.utf8_string, n, "_,");
			if (i > 0 && parse_u64(d.utf8_string, i, 0, UINT32_MAX, &v) == 0) {
				b->asn = (uint32_t)v;
				break;
			}
		}
		if (get_uint(&e, &v, P("autonomous_system_number")))
			b->asn = (uint32_t)v;
		break;
	default:
		break;
	}
	return 0;
}

const char *source_snapshot_members(const struct source *s)
{
	return s->snapshots;
}

const char *source_snapshot_replaced(const struct source *s)
{
	return s->replaced;
}

int source_snapshot_is_replaced(const struct source *s, const char *feed)
{
	size_t i;

	for (i = 0; i < s->nexcluded; i++)
		if (strcmp(s->excluded[i], feed) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b);

/* Is feed a member of "tor 2026-03-15; aws 2026-08-21"? */
static int is_member(const char *members, const char *feed)
{
	size_t n = strlen(feed);
	const char *p = members;

	while (p != NULL && *p) {
		if (strncmp(p, feed, n) == 0 && p[n] == ' ')
			return 1;
		p = strchr(p, ';');
		if (p != NULL)
			p += strspn(p, "; ");
	}
	return 0;
}

/* The feeds of the merged snapshots that user has installed afresh
 * (user/feed-NAME.mmdb) are set aside. */
static void exclude_fresh_feeds(struct source *s, const char *user)
{
	DIR *d;
	struct dirent *de;
	struct buf names;

	if (user == NULL || s->snapshots == NULL || (d = opendir(user)) == NULL)
		return;
	buf_init(&names);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 10 && strncmp(de->d_name, "feed-", 5) == 0 &&
		    strcmp(de->d_name + len - 5, ".mmdb") == 0) {
			char *name = xstrndup(de->d_name + 5, len - 10);

			if (!is_member(s->snapshots, name)) {
				free(name);
				continue;
			}
			s->excluded = xgrow(s->excluded, &s->capexcluded, s->nexcluded + 1,
			                    sizeof(*s->excluded));
			s->excluded[s->nexcluded++] = name;
		}
	}
	closedir(d);
	/* In name order, so the listing is stable. */
	if (s->nexcluded > 1)
		qsort(s->excluded, s->nexcluded, sizeof(*s->excluded), cmp_str);
	for (size_t i = 0; i < s->nexcluded; i++) {
		if (names.len > 0)
			buf_adds(&names, "; ");
		buf_adds(&names, s->excluded[i]);
	}
	s->replaced = names.data;
}

/* ------------------------------------------------------------ discovery */

static int already_named(const struct source_set *set, const char *path)
{
	size_t i;
	const char *b = base_name(path);

	for (i = 0; i < set->n; i++)
		if (strcmp(base_name(set->v[i]->path), b) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An embedded snapshot gives way to the feed `update` installed: the
 * fresh download replaces it, not joins it. */
static int superseded(const char *name, const char *user)
{
	struct stat sb;
	char *fresh;
	int gone;

	if (user == NULL || strncmp(name, "snapshot-", 9) != 0)
		return 0;
	fresh = xasprintf("%s/feed-%s", user, name + 9);
	gone = stat(fresh, &sb) == 0;
	free(fresh);
	return gone;
}

static void add_dir_except(struct source_set *set, const char *dir, const char *user);

static void add_dir(struct source_set *set, const char *dir)
{
	add_dir_except(set, dir, NULL);
}

static void add_dir_except(struct source_set *set, const char *dir, const char *user)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".mmdb") == 0 &&
		    de->d_name[0] != '.' && !superseded(de->d_name, user)) {
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	/* qsort(NULL, 0, ...) is undefined; a directory may hold no database. */
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (!already_named(set, names[i]) &&
		    sources_add_file(set, names[i], 0) == 0)
			exclude_fresh_feeds(set->v[set->n - 1], user);
		free(names[i]);
	}
	free(names);
}

static void add_path(struct source_set *set, const char *p)
{
	struct stat sb;

	if (stat(p, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode))
		add_dir(set, p);
	else if (!already_named(set, p))
		sources_add_file(set, p, 0);
}

/* True when this binary is the one in the build tree (run uninstalled). */
static int running_uninstalled(void)
{
	static int known = -1;       /* asked repeatedly; the answer stays */
	char exe[PATH_MAX], want[PATH_MAX];
	ssize_t n;

	if (known >= 0)
		return known;
	known = 0;
	if (GEOATTR_BUILD_DIR[0] == '\0')
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	snprintf(want, sizeof(want), "%s/src/geoattr", GEOATTR_BUILD_DIR);
	known = strcmp(exe, want) == 0;
	return known;
}

char *sources_user_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/geoattr", x);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/share/geoattr", home);
	return NULL;
}

static const char *const geoipupdate_dirs[] = {
	"/usr/share/GeoIP", "/var/lib/GeoIP", "/usr/local/share/GeoIP"
};

/* Kept for the life of the process: paths are asked for repeatedly. */
static char embedded_dir[4096];

const char *sources_embedded_dir(void)
{
	if (embedded_dir[0] == '\0')
		snprintf(embedded_dir, sizeof(embedded_dir), "%s%s",
		         running_uninstalled() ? GEOATTR_BUILD_DIR : GEOATTR_PKGDATADIR,
		         running_uninstalled() ? "/geo" : "");
	return embedded_dir;
}

const char *sources_source_geo_dir(void)
{
	static char dir[4096];

	if (!running_uninstalled() || GEOATTR_SRC_DIR[0] == '\0')
		return NULL;
	snprintf(dir, sizeof(dir), "%s/geo", GEOATTR_SRC_DIR);
	return dir;
}

size_t sources_search_dirs(const char **dirs, size_t max)
{
	static char user[4096];
	const char *embedded = sources_embedded_dir();
	size_t n = 0, i;

	if (user[0] == '\0') {
		char *ud = sources_user_dir();

		if (ud != NULL) {
			snprintf(user, sizeof(user), "%s", ud);
			free(ud);
		}
	}
	if (user[0] != '\0' && n < max)
		dirs[n++] = user;
	if (n < max)
		dirs[n++] = embedded;
	for (i = 0; i < 3 && n < max; i++)
		dirs[n++] = geoipupdate_dirs[i];
	return n;
}

void sources_discover(struct source_set *set, int use_defaults)
{
	const char *env = getenv("GEOATTR_DB_PATH");
	const char *dirs[8];
	size_t nd, i;

	if (env != NULL && env[0] != '\0') {
		char *copy = xstrdup(env), *p = copy, *colon;

		for (;;) {
			colon = strchr(p, ':');
			if (colon)
				*colon = '\0';
			if (*p)
				add_path(set, p);
			if (!colon)
				break;
			p = colon + 1;
		}
		free(copy);
	}
	if (!use_defaults)
		return;
	nd = sources_search_dirs(dirs, 8);
	{
		char *user = sources_user_dir();

		for (i = 0; i < nd; i++)
			add_dir_except(set, dirs[i], user);
		free(user);
	}
}
