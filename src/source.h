/*
 * source.h - the source engine: every database geoattr reads, opened
 * through libmaxminddb (the only module that includes maxminddb.h), with
 * one uniform answer whatever the schema (GeoIP2/GeoLite2 Country, City,
 * ASN, ISP; DB-IP Lite; IPinfo Lite; ip-location-db; geoattr's own).
 *
 * Discovery order (sources_discover): --db FILE..., then each entry of
 * $GEOATTR_DB_PATH (files or directories, ':'-separated), the user data
 * directory ($XDG_DATA_HOME/geoattr or ~/.local/share/geoattr), the
 * embedded data (the build tree's geo/ when this binary runs uninstalled,
 * else the installed data directory), then geoipupdate's directories
 * /usr/share/GeoIP, /var/lib/GeoIP, /usr/local/share/GeoIP.  In a
 * directory every *.mmdb is opened, in name order.  A file whose name was
 * already opened from an earlier place is skipped, so a newer copy in the
 * user directory replaces the embedded one.  Files that are corrupt,
 * truncated or hold neither country nor ASN data are reported by name
 * and skipped; the rest keep working.
 *
 * Ownership: the set owns its sources and every decoded entry; pointers
 * returned by lookups stay valid until sources_free().  sources_free(NULL)
 * is a no-op.
 *
 * Threads: source_lookup() may run on several threads at once (the
 * decoded-entry cache is safe for that, and one record always gives the
 * same entry pointer); opening, discovery and freeing may not.
 */
#ifndef GEOATTR_SOURCE_H
#define GEOATTR_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define SRC_HAS_COUNTRY 0x1u
#define SRC_HAS_ASN     0x2u
#define SRC_HAS_CITY    0x4u
#define SRC_HAS_TYPE    0x8u   /* network type from a provider feed */

/* The bytes of a holder's network type kept with its entry (resolve.c's
 * struct net_class, which this module does not see; resolve.c asserts
 * that it fits). */
#define SRC_MEMO_SIZE 32

/* The decoded data of one database record, in our own types.  Strings are
 * NUL-terminated copies owned by the source.
 *
 * What every answer reads of its entries (answer_take_hit, answer_type,
 * the writers) comes first, in SRC_ENTRY_HOT bytes, two cache lines at
 * most: bulk work meets its entries cold, in an order unlike the one it
 * decoded them in, and src_entry_prefetch() asks for exactly these. */
struct src_entry {
	char country[3];        /* ISO code where the source places it, "" if none */
	char registered[3];     /* registered country when the source has one */
	unsigned char hist_given;   /* see the historical sets below */
	unsigned char hist_multi;
	uint32_t asn;           /* 0 when none */
	/* owner_memo: 0 empty, 1 being written, 2 ready (resolve.c). */
	_Atomic unsigned char memo_state;
	unsigned char hist_owned;   /* source.c's own: which hist_ strings it freed */
	const char *org;        /* AS organisation / ISP, or NULL */
	const char *net_type;   /* network type a feed states ("hosting", ...), or NULL */
	const char *provider;   /* provider name a feed states, or NULL */
	const char *region;     /* provider's region/scope ("ap-southeast-1"), or NULL */
	/* The holder's network type worked out once for this record
	 * (resolve.c, answer_type), published by memo_state. */
	_Alignas(8) unsigned char owner_memo[SRC_MEMO_SIZE];
	/* ---- the rest: read by reports of one entry, not per answer ---- */
	const char *city;       /* English city name, or NULL */
	double latitude, longitude;
	int has_location;
	int accuracy_km;        /* MaxMind accuracy radius, 0 when none */
	const char *feed;       /* snapshots: the feed the record came from ("aws"), or NULL */
	/* Historical sets (update --as-of), else NULL: the registry's status
	 * ("allocated"...), allocation date YYYY-MM-DD and registry name; the
	 * origin field as RouteViews wrote it ("13335_209242"); when a Tor
	 * exit was first and last seen in the window ("YYYY-MM-DD HH:MM:SS").
	 * A routing set's record has the first origin's name then (CAIDA's
	 * AS Organizations) in org, or NULL.  hist_given above: 1 for a
	 * registry status of allocated or assigned; hist_multi: hist_origins
	 * names more than one AS. */
	const char *hist_status, *hist_date, *hist_registry, *hist_origins;
	const char *hist_first_seen, *hist_last_seen;
	/* The registry record's date as a number, decoded once: YYYYMMDD, 0
	 * when there is none or hist_date is not written YYYY-MM-DD. */
	uint32_t hist_day;
	char hist_date_buf[11];     /* holds hist_date when it is YYYY-MM-DD */
};

#define SRC_ENTRY_HOT (offsetof(struct src_entry, owner_memo) + SRC_MEMO_SIZE)

/* Start loading the part of e every answer reads; e may be NULL. */
static inline void src_entry_prefetch(const struct src_entry *e)
{
#if defined(__GNUC__)
	if (e != NULL) {
		__builtin_prefetch(e);
		__builtin_prefetch((const char *)e + SRC_ENTRY_HOT - 1);
	}
#else
	(void)e;
#endif
}

/* One answer: the entry and the database block it came from. */
struct src_hit {
	const struct src_entry *e;   /* NULL: the source has no data for it */
	struct ga_net block;         /* the database's network holding the address */
};

struct source;
struct source_set;

struct source_info {
	const char *name;        /* short name ("ip-location-db", "GeoLite2-Country") */
	const char *path;
	const char *type;        /* database_type */
	const char *description; /* English description, or "" */
	const char *license;     /* from geoattr metadata or known vendors, or "" */
	const char *attribution; /* what the licence requires us to show, or "" */
	const char *data_date;   /* YYYY-MM-DD of the data when known, else build date */
	uint64_t build_epoch;
	uint32_t node_count;
	int record_size;
	int ip_version;
	unsigned caps;           /* SRC_HAS_* */
	char label;              /* 'A', 'B', ... for country sources, else 0 */
};

struct source_set *sources_new(void);
void sources_free(struct source_set *set);

/* Open one file and add it.  Returns 0, or -1 after printing why (the set
 * is unchanged).  `quiet` suppresses the message. */
int sources_add_file(struct source_set *set, const char *path, int quiet);

/* Add the discovered databases (see above) after any added by hand.
 * use_defaults=0 skips every place but $GEOATTR_DB_PATH. */
void sources_discover(struct source_set *set, int use_defaults);

size_t sources_count(const struct source_set *set);
const struct source *sources_at(const struct source_set *set, size_t i);
void source_info(const struct source *s, struct source_info *out);
unsigned source_caps(const struct source *s);
const char *source_name(const struct source *s);

/* Look an address up.  Returns 1 with *hit filled, 0 when the source has
 * no data for it (hit->e NULL, hit->block the empty block), -1 on a
 * database error (message printed once per source). */
int source_lookup(struct source *s, const struct ga_addr *a,
                  struct src_hit *hit);

/* Lookups of addresses in ascending order, one walk state per thread
 * and source: each walk of the search tree starts from the deepest node
 * the address shares with the previous one instead of from the root, so
 * neighbours cost a few nodes.  The same answers as source_lookup(), in
 * any order (only the speed depends on it).  Zero the state before the
 * first lookup. */
struct src_walk {
	int family;             /* of the last address walked, 0: none yet */
	int depth;              /* bits it consumed down to its record */
	int v4depth;            /* IPv6 tree: 96 once the IPv4 subtree (::/96) is
	                         * found, -1 once looked for in vain, 0 before */
	uint32_t v4node;        /* IPv6 tree: the node where IPv4 (::/96) starts */
	uint8_t key[16];        /* the last address */
	uint32_t node[128];     /* node[d]: the node that consumed bit d */
};
int source_lookup_walk(struct source *s, const struct ga_addr *a,
                       struct src_hit *hit, struct src_walk *w);

/* source_lookup_walk() of one address in sources [0, n) of the set that
 * want[i] names, ret[i] what it returns for source i, hit[i] and w[i] as
 * there (the others untouched).  The trees are walked in step, a node of
 * each in turn, so that their waits for memory overlap.  Returns 0, or
 * -1 when n is over SRC_WALK_MANY or the set's size (nothing done). */
#define SRC_WALK_MANY 16
int sources_lookup_walk_many(struct source_set *set, size_t n,
                             const unsigned char *want, const struct ga_addr *a,
                             struct src_hit *hit, struct src_walk *w, int *ret);

/* A record of a source without decoding it: its offset in the data
 * section plus one, 0 for none.  Valid as long as the source is.  For
 * lookups that need only a few fields of many records each seen once
 * (the historical sets of check --as-of), the full entry can wait until
 * a report shows it. */
typedef uint32_t src_ref;

/* source_lookup_walk() giving the record's ref instead of its decoded
 * entry: 1 found, 0 none (*ref 0), -1 database error.  block as there. */
int source_lookup_ref(struct source *s, const struct ga_addr *a, src_ref *ref,
                      struct ga_net *block, struct src_walk *w);
/* The decoded entry of a ref (cached as lookups' are), or NULL for 0. */
const struct src_entry *source_entry_of(struct source *s, src_ref ref);

/* What check --as-of compares of a historical set's record, read without
 * allocating.  The strings are borrowed from the database (not
 * NUL-terminated; valid while the source is open). */
struct src_hist_brief {
	char country[3];           /* registry: the country then, "" when none */
	unsigned char given;       /* registry: allocated or assigned */
	unsigned char multi;       /* routing: more than one origin AS */
	uint32_t asn;              /* routing: the first origin AS */
	uint32_t day;              /* registry: the date as YYYYMMDD, 0: none or odd */
	const char *date;          /* registry: the date as written, or NULL */
	size_t date_len;
};
/* Fill *b from ref's record of a historical set (update --as-of).
 * Returns 0, or -1 when ref is 0 or the source is not such a set. */
int source_hist_brief(struct source *s, src_ref ref, struct src_hist_brief *b);

/* Mutable access for lookups. */
struct source *sources_at_mut(struct source_set *set, size_t i);

/* Number of networks holding data (walks the tree; skips the IPv4 aliases
 * so IPv4 data is not counted twice). */
uint64_t source_count_networks(const struct source *s);

/* Every network holding data, in tree order, with its decoded entry
 * (borrowed for the call).  IPv4 networks of an IPv6 tree come as IPv4,
 * once.  Returns 0, or -1 on a corrupt tree. */
int source_each_network(struct source *s,
                        void (*fn)(void *ctx, const struct ga_net *net,
                                   const struct src_entry *e),
                        void *ctx);

/* Snapshot members: the merged snapshots database lists its feeds and
 * their dates ("tor 2026-03-15; aws 2026-08-21"), or NULL for any other
 * source.  A feed the user has downloaded afresh is set aside: its
 * records no longer answer, and it is listed in `replaced` ("tor; aws"),
 * or NULL. */
const char *source_snapshot_members(const struct source *s);
const char *source_snapshot_replaced(const struct source *s);
/* Has the user's fresh download replaced snapshot feed `feed`? */
int source_snapshot_is_replaced(const struct source *s, const char *feed);

/* The directory of geoattr's own embedded data (databases, asn-types.csv):
 * the build tree's geo/ when run uninstalled, else the installed one. */
const char *sources_embedded_dir(void);
/* The user data directory ($XDG_DATA_HOME/geoattr or
 * ~/.local/share/geoattr), newly allocated, or NULL without a home. */
char *sources_user_dir(void);
/* When run uninstalled, the source tree's geo/ (text data that is not
 * built, such as asn-types.csv, stays there in VPATH builds); else NULL. */
const char *sources_source_geo_dir(void);

/* Directories searched, in order, for `geoattr sources --paths`. */
size_t sources_search_dirs(const char **dirs, size_t max);

#endif
