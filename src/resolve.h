/*
 * resolve.h - one network through every source: special-use class,
 * country per source, ASN and organisation.  The answer is the record that
 * later stages (aggregate, judge, render) read; it borrows from the
 * source set, so it stays valid while the set lives.
 */
#ifndef GEOATTR_RESOLVE_H
#define GEOATTR_RESOLVE_H

#include <stddef.h>

#include "addr.h"
#include "classify.h"
#include "source.h"
#include "special.h"

#define RESOLVE_MAX_SOURCES 16

struct jv;

struct answer {
	struct ga_net net;
	const struct special_entry *special;
	int special_partial;            /* network only partly special-use */
	size_t nsrc;
	int asn_src;                    /* index of the source giving ASN, or -1 */
	/* That source's AS number, 0 when none: kept here so that work on
	 * answers in bulk reads it without the entry (answer_asn()). */
	uint32_t asn;
	int partial;                    /* some database block is smaller than the network */
	int disagree;                   /* country sources that answer differ */
	int typed;                      /* type below is set (answer_classify) */
	struct net_class type;
	/* Last, and never read past hit[nsrc - 1]: bulk.c keeps answers for
	 * few sources in arrays cut to ANSWER_SIZE(nsrc) each. */
	struct src_hit hit[RESOLVE_MAX_SOURCES];  /* per source, set order */
};

/* The bytes an answer for n sources uses, rounded up to keep the next
 * one aligned. */
#define ANSWER_SIZE(n) \
	((offsetof(struct answer, hit) + (n) * sizeof(struct src_hit) + \
	  _Alignof(struct answer) - 1) / _Alignof(struct answer) * _Alignof(struct answer))

/* Building an answer from hits found elsewhere (bulk.c): start it, then
 * fold each source's hit in, in source order (first_cc starts NULL). */
void answer_begin(struct answer *ans, const struct ga_net *net, size_t nsrc);
void answer_take_hit(const struct source_set *set, struct answer *ans,
                     size_t i, const char **first_cc);

/* Look `net` up (its first address) in every source of the set.  For many
 * networks at once, resolve_batch() in bulk.h gives the same answers
 * faster. */
void resolve_net(struct source_set *set, const struct ga_net *net,
                 struct answer *ans);

/* Work out the network type (special-use, provider feed, anycast prefix,
 * curated ASN, organisation name) into a->type; cls may be NULL (then
 * only special-use is known).  Safe from several threads at once. */
void answer_classify(const struct classifier *cls, struct answer *a);
/* The same into *out, leaving the answer as it is. */
void answer_type(const struct classifier *cls, const struct answer *a,
                 struct net_class *out);
/* The source whose record carries a provider feed's statement (type,
 * provider, region), or -1. */
int answer_feed(const struct answer *a);

/* ASN and organisation, or 0/NULL. */
uint32_t answer_asn(const struct answer *a);
const char *answer_org(const struct answer *a);
/* The country source i says, or "" (borrowed). */
const char *answer_country(const struct answer *a, size_t i);

/* The JSON object of one answer (schema in geoattr(1)); `input` is the
 * text as given.  Caller owns the result. */
struct jv *answer_to_json(const struct source_set *set, const struct answer *a,
                          const char *input);

#endif
