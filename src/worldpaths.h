/*
 * worldpaths.h - build-time conversion of the world's country shapes
 * (TopoJSON, as npm's world-atlas publishes Natural Earth) into the
 * projected path table that worldmap.h reads at run time.
 *
 * The shapes are decoded from TopoJSON's quantized, delta-encoded arcs,
 * stitched into rings, projected with Equal Earth (Šavrič, Patterson and
 * Jenny 2018: equal-area, so a large country is not made to look larger
 * than it is), rounded to a tenth of a unit of a 1000-unit-wide view and
 * written as SVG path data, one country a line, keyed by ISO 3166-1
 * alpha-2 code through the country table's numeric codes.
 *
 * Table format (text, UTF-8, LF):
 *   geoattr-world-paths/1<TAB>WIDTH<TAB>HEIGHT
 *   # comment lines
 *   CC<TAB>NNN<TAB>NAME<TAB>D
 * CC is the alpha-2 code, NNN the numeric code (or "-"), NAME the name in
 * the shape data, D the path (commands M, l and z only).  A shape whose
 * code is not in the country table keeps its row with CC "--", so that
 * the map has no hole where it is; it is never coloured.  Rows are in
 * code order, unmapped ones last, so the table is the same on every
 * build.
 *
 * Ownership: the caller owns both buffers; nothing is kept.
 */
#ifndef GEOATTR_WORLDPATHS_H
#define GEOATTR_WORLDPATHS_H

#include <stddef.h>

#include "util.h"

/* The view every table is drawn in: 1000 units wide (the height follows
 * from the projection's aspect). */
#define WORLDPATHS_WIDTH 1000

/* Equal Earth: longitude and latitude in radians to projection units
 * (about +-2.71 by +-1.32).  Exposed for the unit tests. */
void worldpaths_project(double lon, double lat, double *x, double *y);

/*
 * Convert the TopoJSON text json[0..len) (its "countries" object) into
 * the table, appended to *out.  Shapes that map to no code are listed in
 * *notes, one line each ("NNN NAME: no code in the country table"), and
 * still written.  Returns 0, or -1 with a reason in err for data that is
 * not a usable topology (the build fails on that).
 */
int worldpaths_convert(const char *json, size_t len, struct buf *out,
                       struct buf *notes, char *err, size_t errlen);

#endif
