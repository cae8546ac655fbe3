/*
 * report.h - render a check: text for people (sections, aligned tables,
 * bar charts, colour only on a terminal), JSON with a stable schema,
 * CSV of the per-entry table.
 *
 * Ownership: everything in struct check_report is borrowed.
 */
#ifndef GEOATTR_REPORT_H
#define GEOATTR_REPORT_H

#include <stdio.h>

#include "aggregate.h"
#include "asof.h"
#include "extract.h"
#include "ipset.h"
#include "jsonout.h"
#include "judge.h"
#include "worldmap.h"

struct rejection {
	const char *file;
	unsigned long line;    /* a page number where page is set */
	char *text;            /* owned by the checker, at most 200 bytes */
	char *why;             /* owned too: a reader may build it per item */
	int page;              /* the input is paged (PDF) */
};

/* An indicator that is not an address: counted, listed, never looked up. */
struct other_indicator {
	const char *file;
	unsigned long line;    /* a page number where page is set */
	enum ex_kind kind;
	char *text;            /* owned by the checker, at most 200 bytes */
	int page;
};

/* "FILE:LINE" or "FILE: page N" into out. */
const char *report_place(const char *file, unsigned long line, int page,
                         char *out, size_t n);

struct input_stats {
	const char *name;
	struct ex_stats ex;
	unsigned long duplicates;
	int failed;            /* whole input unusable */
	char error[512];
};

struct check_report {
	const struct claim *claim;
	const struct input_stats *inputs;
	size_t ninputs;
	const struct rejection *rejections;
	size_t nrejections;
	const struct other_indicator *others;
	size_t nothers;        /* kept (the counts are in each input's ex) */
	const struct ipset *set;
	struct aggregate *agg;
	const struct judgement *j;
	int details;           /* per-entry listing */
	size_t top;            /* rows per table */
	size_t max_rejections; /* shown in text */
	int color;
	int unicode;
	const struct worldmap *map;   /* HTML: the world map, or NULL for none */
	int map_view;          /* the view shown first (HTML) or written (SVG): a
	                        * country source's index, or REPORT_MAP_DISAGREE */
	/* As of the claim date (check --as-of): the historical set, one
	 * record per entry in ipset order, their summary; all NULL when no
	 * historical data was used, and then asof_hint says how to get it
	 * (or is NULL when there is no date to ask for). */
	const struct asof_set *asof;
	const struct asof_rec *asof_recs;
	const struct asof_summary *asof_sum;
	const char *asof_hint;
};

#define REPORT_MAP_DISAGREE (-1)

/* Entry k of the list into *rec (returned), looked up again in every
 * source and classified (ans->type is set): the per-entry tables of every
 * format use it. */
const struct ipset_entry *report_entry(const struct check_report *r, size_t k,
                                       struct ipset_entry *rec, struct ga_net *n,
                                       struct answer *ans);

void report_text(const struct check_report *r, FILE *fp);
/* One entry's then and now as JSON (check's entries[].then, lookup's
 * "then"): JSON null for an entry left out (special-use).  The caller
 * owns the value. */
struct jv *report_asof_json(const struct asof_set *s, const struct asof_rec *x);
/* The as-of CSV columns (REPORT_ASOF_CSV_HEADER) of one entry, each
 * after a comma, appended to b (the first is s's date); check's and
 * lookup's CSV share them. */
#define REPORT_ASOF_CSV_HEADER \
	",asof_date,registry_country_then,registry_status_then,allocation_date_then," \
	"origin_asn_then,origins_then,origin_name_then,tor_exit_then,tor_first_seen," \
	"tor_last_seen," \
	"country_now,asn_now,tor_exit_now,asof_flags"
#define REPORT_ASOF_CSV_COLUMNS 14
struct buf;
void report_asof_csv(struct buf *b, const struct asof_set *s, const struct asof_rec *x);
int report_json(const struct check_report *r, FILE *fp);
void report_csv(const struct check_report *r, FILE *fp);
/* One self-contained HTML file (report_html.c). */
void report_html(const struct check_report *r, FILE *fp);
/* The world map of one view (r->map_view) as a standalone SVG file, drawn
 * on map, which must not be NULL (report_html.c). */
void report_svg(const struct check_report *r, const struct worldmap *map, FILE *fp);

#endif
