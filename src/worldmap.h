/*
 * worldmap.h - a world map of a list: each country's shape filled by its
 * share (or count) of the entries, drawn as SVG from the path table the
 * build makes (worldpaths.h), for the HTML report and --format svg.
 *
 * The map reads without colour: every country path has a <title> with
 * its name, count and share, the colour classes have a legend with their
 * figures and the number of countries in each, the ramps get darker with
 * the figure (so they survive grayscale print), and a dark colour scheme
 * is used on screens that ask for one.  Countries the data names but the
 * 1:110m shapes do not hold (Singapore, Hong Kong, Malta, ...) are listed
 * under the map with their figures, as is the share with no country.
 *
 * Ownership: worldmap_load() returns a table the caller frees with
 * worldmap_free() (NULL is a no-op); a map_view and its arrays are
 * borrowed for the call.
 */
#ifndef GEOATTR_WORLDMAP_H
#define GEOATTR_WORLDMAP_H

#include <stddef.h>
#include <stdio.h>

/* Values are indexed by code like the aggregate's tables:
 * (cc[0] - 'A') * 26 + (cc[1] - 'A'), and WORLDMAP_NODATA for the
 * entries no source placed. */
#define WORLDMAP_NCC (26 * 26 + 1)
#define WORLDMAP_NODATA (26 * 26)

struct worldmap;

/* Read a path table (format in worldpaths.h) from path.  Every line is
 * checked; returns NULL with "FILE:LINE: reason" in err on any fault. */
struct worldmap *worldmap_load(const char *path, char *err, size_t errlen);
/* The same from a buffer that need not be NUL-terminated; name is used
 * in messages. */
struct worldmap *worldmap_parse(const char *buf, size_t len, const char *name,
                                char *err, size_t errlen);
/* The table geoattr ships (build tree when run uninstalled, else the
 * installed data directory). */
struct worldmap *worldmap_load_default(char *err, size_t errlen);
void worldmap_free(struct worldmap *m);

/* Shapes in the table, and whether a code has one. */
size_t worldmap_count(const struct worldmap *m);
int worldmap_has(const struct worldmap *m, const char *cc);

enum map_scale {
	MAP_SHARE,   /* classes by share of the total: 1%, 5%, 10%, 25%, 50% */
	MAP_COUNT    /* classes by count, steps of 1-2-5 up to the largest */
};

struct map_view {
	const char *id;        /* unique on a page: prefix of element ids */
	const char *heading;   /* the line above the map */
	const char *what;      /* what a count counts, plural: "entries" */
	enum map_scale scale;
	double total;          /* shares are of this */
	const double *value;   /* WORLDMAP_NCC values */
};

/* Write the view as one <svg> element, as wide as its container.  With
 * standalone set it is a whole SVG file (XML declaration, namespace,
 * its own style sheet); otherwise it goes inside an HTML page that
 * carries worldmap_css(). */
void worldmap_svg(const struct worldmap *m, const struct map_view *v, FILE *fp,
                  int standalone);
/* The style rules the map needs, for the page that holds it. */
const char *worldmap_css(void);

#endif
