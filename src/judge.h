/*
 * judge.h - the claim, what the measured list says about it, and the
 * caveats this very list triggers, each with its figure and reference.
 *
 * The verdict describes data ("62% of the 1,180 entries geolocate to PH
 * by source A"), never who attacked.  The same rules apply whichever
 * country makes a claim or is named by it.
 *
 * Ownership: claim_release() and judgement_release() free what the
 * structures own; both accept zeroed structures.
 */
#ifndef GEOATTR_JUDGE_H
#define GEOATTR_JUDGE_H

#include <stddef.h>

#include "aggregate.h"
#include "asof.h"
#include "claim.h"
#include "extract.h"

enum verdict_kind {
	VERDICT_NO_CLAIM,      /* no claimed country: the list is only described */
	VERDICT_NO_LIST,       /* nothing to check */
	VERDICT_EMPTY,         /* a list with no usable entry */
	VERDICT_COUNTRY_ONLY,  /* a country but no share was claimed */
	VERDICT_CONSISTENT,    /* claimed share within what the list shows */
	VERDICT_OVERSTATED,    /* claimed share above what the list shows */
	VERDICT_UNDERSTATED    /* claimed share below what the list shows */
};

struct caveat {
	const char *id;        /* "C-HOSTING" */
	const char *title;
	int always;            /* applies to every list */
	char *text;            /* with the triggering figure */
	double figure;         /* the figure (share 0..1 or count), or -1 */
	const char *figure_name;
	const char *refs;      /* references, "; "-separated */
};

struct judgement {
	enum verdict_kind kind;
	char *verdict;         /* a paragraph for people */
	double share[AGG_MAX_CSRC];    /* claimed country's share per source (unique) */
	double share_w[AGG_MAX_CSRC];  /* weighted */
	double lo, hi;                 /* range of shares over sources */
	int weighted;                  /* the list carried counts */
	struct caveat *caveats;
	size_t ncaveats;
	long months_apart;             /* data date minus claim date, or LONG_MIN */
};

/* Share tolerance: a claimed share counts as consistent when it is within
 * this many percentage points of what some source shows. */
#define JUDGE_TOLERANCE 0.05

/* Judge.  `ex` may be NULL (no list).  `data_month` is the country data's
 * date in months (claim_parse_month), or -1 when unknown. */
void judge(const struct aggregate *a, const struct claim *c,
           const struct ex_stats *ex, long data_month, struct judgement *j);
void judgement_release(struct judgement *j);

/* With historical data of date (check --as-of): add C-TOR-THEN,
 * C-NOT-ALLOCATED and C-MOVED when their figures are above zero, and
 * turn C-AGE from a difference of dates into the measured changes. */
void judge_asof(struct judgement *j, const struct asof_summary *s, const char *date);

/* What would make a claim checkable (NULL-terminated, static). */
extern const char *const judge_evidence_needed[];

#endif
