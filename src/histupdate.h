/*
 * histupdate.h - `geoattr update --as-of DATE`: download the public
 * historical archives of one day (the five RIRs' delegated statistics,
 * CAIDA's RouteViews prefix-to-AS file, the Tor Project's CollecTor exit
 * lists of the months around it), parse them strictly, and compile them
 * with geoattr's own writer into one set per date:
 *
 *   DIR/asof-YYYYMMDD/registry.mmdb   registry country, status and
 *                                     allocation date of each block
 *   DIR/asof-YYYYMMDD/routing.mmdb    origin AS(es) of each routed prefix,
 *                                     and the first origin's name in
 *                                     CAIDA's AS Organizations file
 *                                     nearest the day (when one is
 *                                     within HIST_AS2ORG_WINDOW days)
 *   DIR/asof-YYYYMMDD/tor.mmdb        addresses seen as Tor exits within
 *                                     the window, first and last seen
 *   DIR/asof-YYYYMMDD/state           URL, ETag, Last-Modified per file
 *
 * A day an archive lacks falls back to the nearest day within max_shift
 * days (the day before first, then the day after, ...); registries fall
 * back to their plain delegated file when the extended one is missing.
 * The AS names are the one optional part: when no as2org file is found
 * within the window (every candidate answered 404), the set installs
 * without names and says so; a file found but corrupt or not in the
 * format fails the update like any other archive.
 * The set is built in a hidden temporary directory and renamed into
 * place only when every source downloaded, parsed and compiled; any
 * failure leaves an installed set of that date byte for byte.
 *
 * Ownership: nothing is kept; the caller owns the options.
 */
#ifndef GEOATTR_HISTUPDATE_H
#define GEOATTR_HISTUPDATE_H

#include <stddef.h>

/* Dates before this are refused outright (see the man page). */
#define HIST_EARLIEST "2004-01-01"
#define HIST_TOR_WINDOW_MAX 15
/* CAIDA's as2org files are quarterly (monthly since late 2024): the
 * nearest may be this many days from the date. */
#define HIST_AS2ORG_WINDOW 100

struct hist_update_opts {
	const char *dir;        /* the user data directory */
	const char *date;       /* YYYY-MM-DD, already checked by hist_check_date() */
	const char *base_url;   /* replaces https://HOST of every archive, or NULL */
	long timeout;
	size_t max_size;        /* per download and per decompressed file */
	const char *cacert;
	int progress, quiet;
	int tor_window;         /* days either side, 1..HIST_TOR_WINDOW_MAX */
	int max_shift;          /* days an archive may be off, 0..14 */
};

/* Check an --as-of DATE: YYYY-MM-DD, a real day, not after today, not
 * before HIST_EARLIEST.  Returns 0, or -1 with why set. */
int hist_check_date(const char *date, char *why, size_t whylen);

/* Build or refresh the set of o->date.  Returns 0, or -1 after reporting
 * through msg_error() (the previous set of that date kept). */
int hist_update(const struct hist_update_opts *o);

/* Print the installed sets of dir for `update --list`.  Returns how many. */
int hist_list(const char *dir);

/* The dates (YYYY-MM-DD, ascending) of the sets installed in dir, newly
 * allocated (each string and the array); *n gets how many. */
char **hist_set_dates(const char *dir, size_t *n);

/* The set directory of date (YYYY-MM-DD) in dir, newly allocated. */
char *hist_set_dir(const char *dir, const char *date);

#endif
