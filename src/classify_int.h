/*
 * classify_int.h - the classifier's insides, shared by classify.c (the
 * CSV loaders and the lookups) and classify_index.c (the type index).
 * Not an interface: nothing but those two includes it; classify.h is the
 * classifier's whole interface.
 */
#ifndef GEOATTR_CLASSIFY_INT_H
#define GEOATTR_CLASSIFY_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "asnlist.h"
#include "classify.h"
#include "rangelist.h"
#include "typeidx.h"

/* Feed names seen by classify(); more would mean a caller passing data,
 * not feed names, and those get the plain basis "feed". */
#define FEED_MAX 32

/* The curated tables' names in a directory of type tables, and the type
 * index's: the index must stand for exactly the files the loaders read. */
#define CLASSIFY_ASN_FILE "asn-types.csv"
#define CLASSIFY_ANYCAST_FILE "anycast-prefixes.csv"
#define CLASSIFY_TYPE_INDEX "types.idx"

struct asn_entry {
	enum net_type type;
	unsigned long line;     /* in the CSV, for duplicate reports */
	char *detail;           /* "NAME; BASIS"; in asn_text, or owned by found[] */
};

struct anycast_entry {
	uint8_t family;
	int plen;
	uint64_t hi, lo;        /* network, host bits zero */
	uint64_t mhi, mlo;      /* mask */
	enum net_type type;
	unsigned long line;
	char *detail;           /* "OPERATOR: SERVICE (NETWORK)" */
};

struct feed_cache {
	size_t n;
	char *name[FEED_MAX];
	char *basis[FEED_MAX];  /* "feed NAME" */
};

/* The third-party lists, in the order their bits are numbered, with the
 * format each is read in and the type its rows mean (classify.c). */
#define LIST_COUNT 3
struct list_file {
	struct classify_list_info info;
	enum asnlist_format format;
	enum net_type type;
};
extern const struct list_file classify_list_files[LIST_COUNT];
/* The third-party range list, read with the ASN lists. */
extern const struct classify_list_info classify_range_file;

struct name_memo;

struct list_entry {
	uint32_t asn;
	unsigned lists;         /* bit i: named by list_files[i] */
	enum net_type type;     /* vpn when a VPN list names it, else hosting */
	const char *name;       /* the first list's comment; owned by the asnlist */
};

struct classifier {
	uint32_t *asns;         /* sorted; asns[i] belongs to asn[i] */
	struct asn_entry *asn;
	size_t nasn;
	char *asn_text;         /* the block every asn[i].detail points into */
	struct anycast_entry *any;
	size_t nany;
	/* Mutable through a const classifier: see "Threads" in the header. */
	struct feed_cache *feeds;
	/* Read without the lock (see owner_rule), written under it. */
	struct name_memo *_Atomic memo;
	/* Guards feeds and the memo's writers: lookups write answers from
	 * several threads at once. */
	pthread_mutex_t lock;
	/* Lazy mode (classify_load_lazy): the ASN file kept as text and
	 * searched per lookup; entries found so far, owned here. */
	const char *raw;           /* mapped (file_map), not copied */
	size_t rawlen;
	/* The first 16 bits of the addresses some anycast prefix covers,
	 * per family: an address outside them needs no search of the
	 * prefixes (one in five is IPv6, and most of those share their
	 * first byte with some anycast prefix).  any_first[f][b]: 0 when no
	 * prefix covers first byte b, else k + 1 where the bits of
	 * any_second[k] are the second bytes covered.  Two levels, as 16 KB
	 * of bits cost every process a few page faults. */
	uint16_t any_first[2][256];
	uint8_t (*any_second)[32];
	size_t nany_second;
	int any_first_ready;
	struct asn_entry **found;
	uint32_t *found_asn;
	size_t nfound, capfound, capfound_asn;
	/* Third-party lists: merged, sorted by ASN. */
	struct asnlist lists[LIST_COUNT];
	struct classify_list_info list_info[LIST_COUNT];
	int nlists;
	struct list_entry *lst;
	size_t nlst;
	/* The range list, sorted; has_ranges once it is read. */
	struct rangelist ranges;
	struct classify_list_info range_info;
	int has_ranges;
	/* Lazy mode: the lists are read when an answer first needs them
	 * (most answers of a small lookup come from the curated table). */
	char *list_dir;
	int lists_state;        /* 0 not read yet, 1 read, -1 failed */
	/* The type index the tables were read from (see "The type index"),
	 * mapped while the classifier lives: the strings point into it. */
	const char *idx_map;
	size_t idx_len;
	struct tix idx;
	int any_mapped;         /* any[i].detail points into idx_map */
};

/* classify.c: 1 when t is a type a table row may give (not unknown, not
 * special-use, which are no evidence and no holder's type). */
int classify_table_type(unsigned t);
/* classify.c: which first 16 bits of an address some anycast prefix
 * covers (any_first, any_second); the lists merged into one table (lst). */
void classify_mark_anycast(struct classifier *c);
void classify_merge_lists(struct classifier *c);

/* classify_index.c: a classifier of dir from its type index, or NULL when
 * there is none to use (lazy as classify_load_lazy()); the lists and the
 * range list from the index into c, 0 or -1 (nothing of them kept). */
struct classifier *classify_load_indexed(const char *dir, int lazy);
int classify_index_lists(struct classifier *c);

#endif
