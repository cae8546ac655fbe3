/*
 * worldpaths.c - TopoJSON country shapes to a projected SVG path table
 * (see worldpaths.h).  Runs at build time only: the program that ships
 * reads the finished table and never parses JSON geometry.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "jsonout.h"
#include "worldpaths.h"

/* Equal Earth's polynomial coefficients, from the published formulas. */
#define EE_A1 1.340264
#define EE_A2 (-0.081106)
#define EE_A3 0.000893
#define EE_A4 0.003796

/* Set the reason and return -1 from the function. */
#define FAIL(...) do { errbuf_set(err, errlen, __VA_ARGS__); return -1; } while (0)

void worldpaths_project(double lon, double lat, double *x, double *y)
{
	double t = asin(sqrt(3.0) / 2 * sin(lat));
	double t2 = t * t, t6 = t2 * t2 * t2;

	*x = 2 * sqrt(3.0) * lon * cos(t) /
	     (3 * (9 * EE_A4 * t6 * t2 + 7 * EE_A3 * t6 + 3 * EE_A2 * t2 + EE_A1));
	*y = t * (EE_A4 * t6 * t2 + EE_A3 * t6 + EE_A2 * t2 + EE_A1);
}

/* A position in degrees, as the topology gives it. */
struct ll {
	double lon, lat;
};

/* A projected point in tenths of a view unit: integers, so that the arcs
 * two neighbours share round to the same border and the table is the
 * same wherever it is built. */
struct pt {
	long x, y;
};

struct arc {
	struct ll *p;
	size_t n;
};

struct row {
	char cc[3];
	unsigned num;
	char *name;
	struct buf d;
};

struct conv {
	struct arc *arcs;
	size_t narcs;
	double scale, height;
	/* Scratch space for one ring and its pieces. */
	struct ll *r, *c1, *c2;
	size_t rcap, c1cap, c2cap;
	struct pt *pts;
	size_t ptcap;
};

static const char *const UNMAPPED = "--";

/* Decode every arc: running sums of the quantized deltas, through the
 * transform to degrees. */
static int decode_arcs(struct conv *c, const struct jv *top, char *err, size_t errlen)
{
	const struct jv *arcs = jv_get(top, "arcs"), *tr = jv_get(top, "transform");
	const struct jv *sc = tr ? jv_get(tr, "scale") : NULL, *tl = tr ? jv_get(tr, "translate") : NULL;
	double s[2], t[2];
	size_t i, k;

	if (arcs == NULL || jv_typeof(arcs) != JV_ARRAY)
		FAIL("no \"arcs\" array");
	if (sc == NULL || tl == NULL || jv_typeof(sc) != JV_ARRAY || jv_typeof(tl) != JV_ARRAY ||
	    jv_len(sc) != 2 || jv_len(tl) != 2)
		FAIL("no quantization \"transform\" (scale, translate)");
	for (k = 0; k < 2; k++) {
		s[k] = jv_number(jv_at(sc, k));
		t[k] = jv_number(jv_at(tl, k));
	}
	c->narcs = jv_len(arcs);
	c->arcs = xcalloc(c->narcs ? c->narcs : 1, sizeof(*c->arcs));
	for (i = 0; i < c->narcs; i++) {
		const struct jv *a = jv_at(arcs, i);
		long long qx = 0, qy = 0;

		if (jv_typeof(a) != JV_ARRAY || jv_len(a) < 2)
			FAIL("arc %zu is not a list of two or more positions", i);
		c->arcs[i].n = jv_len(a);
		c->arcs[i].p = xmalloc(c->arcs[i].n * sizeof(struct ll));
		for (k = 0; k < c->arcs[i].n; k++) {
			const struct jv *q = jv_at(a, k);
			struct ll *p = &c->arcs[i].p[k];

			if (jv_typeof(q) != JV_ARRAY || jv_len(q) < 2 ||
			    jv_typeof(jv_at(q, 0)) != JV_INT || jv_typeof(jv_at(q, 1)) != JV_INT)
				FAIL("arc %zu: a position is not two integers", i);
			qx += jv_intval(jv_at(q, 0));
			qy += jv_intval(jv_at(q, 1));
			p->lon = (double)qx * s[0] + t[0];
			p->lat = (double)qy * s[1] + t[1];
			if (p->lon < -180.000001 || p->lon > 180.000001 ||
			    p->lat < -90.000001 || p->lat > 90.000001)
				FAIL("arc %zu leaves the globe", i);
		}
	}
	return 0;
}

/* A number in tenths, as short as SVG allows without a bare ".5". */
static void put_num(struct buf *b, long v, int sep)
{
	if (v < 0) {
		buf_addc(b, '-');
		v = -v;
	} else if (sep) {
		buf_addc(b, ' ');
	}
	buf_printf(b, "%ld", v / 10);
	if (v % 10)
		buf_printf(b, ".%ld", v % 10);
}

/* Project a piece of a ring, merge points that round together and write
 * it as M x y l dx dy ... z.  A piece smaller than a tenth of a unit has
 * no area left and is dropped unless keep_tiny; returns whether written. */
static int emit(struct conv *c, const struct ll *p, size_t n, struct buf *d, int keep_tiny)
{
	size_t i, m = 0;
	double x, y;
	struct pt q;

	c->pts = xgrow(c->pts, &c->ptcap, n + 1, sizeof(*c->pts));
	for (i = 0; i < n; i++) {
		worldpaths_project(p[i].lon * M_PI / 180, p[i].lat * M_PI / 180, &x, &y);
		q.x = lround(10 * (WORLDPATHS_WIDTH / 2.0 + c->scale * x));
		q.y = lround(10 * (c->height / 2 - c->scale * y));
		if (m == 0 || q.x != c->pts[m - 1].x || q.y != c->pts[m - 1].y)
			c->pts[m++] = q;
	}
	if (m > 1 && c->pts[m - 1].x == c->pts[0].x && c->pts[m - 1].y == c->pts[0].y)
		m--;
	if (m == 0 || (m < 3 && !keep_tiny))
		return 0;
	buf_addc(d, 'M');
	put_num(d, c->pts[0].x, 0);
	put_num(d, c->pts[0].y, 1);
	if (m > 1) {
		buf_addc(d, 'l');
		for (i = 1; i < m; i++) {
			put_num(d, c->pts[i].x - c->pts[i - 1].x, i > 1);
			put_num(d, c->pts[i].y - c->pts[i - 1].y, 1);
		}
	}
	buf_addc(d, 'z');
	return 1;
}

/* Sutherland-Hodgman against one meridian: keep the side where
 * side * (lon - at) <= 0.  Enough for a ring cut at the antimeridian:
 * where a cut leaves two parts joined along the meridian, the join has
 * no area and lies on the map's edge. */
static size_t clip(const struct ll *in, size_t n, double at, double side,
                   struct ll **out, size_t *cap)
{
	size_t i, m = 0;

	*out = xgrow(*out, cap, 2 * n + 1, sizeof(**out));
	for (i = 0; i < n; i++) {
		const struct ll *a = &in[i], *b = &in[(i + 1) % n];
		int ina = side * (a->lon - at) <= 0, inb = side * (b->lon - at) <= 0;

		if (ina)
			(*out)[m++] = *a;
		if (ina != inb) {
			double f = (at - a->lon) / (b->lon - a->lon);

			(*out)[m].lon = at;
			(*out)[m].lat = a->lat + f * (b->lat - a->lat);
			m++;
		}
	}
	return m;
}

/*
 * One ring: its arcs joined end to start (each arc after the first
 * repeats the previous one's last point).  Natural Earth's rings may
 * cross the antimeridian (Fiji, Chukotka): such a ring is unwrapped into
 * continuous longitudes and cut into the parts on either edge of the
 * map, or it would be drawn as a band across the world.
 */
static int ring(struct conv *c, const struct jv *r, struct buf *d, int keep_tiny,
                const char **why)
{
	size_t i, k, n = 0, jumps = 0;
	int kept = 0, shift;

	if (jv_typeof(r) != JV_ARRAY || jv_len(r) == 0) {
		*why = "a ring is not a list of arc indexes";
		return -1;
	}
	for (i = 0; i < jv_len(r); i++) {
		const struct jv *ix = jv_at(r, i);
		long long a;
		const struct arc *arc;

		if (jv_typeof(ix) != JV_INT) {
			*why = "an arc index is not an integer";
			return -1;
		}
		a = jv_intval(ix);
		/* A negative index ~a is arc a walked backwards. */
		if ((a >= 0 && (unsigned long long)a >= c->narcs) ||
		    (a < 0 && (unsigned long long)~a >= c->narcs)) {
			*why = "an arc index is out of range";
			return -1;
		}
		arc = &c->arcs[a >= 0 ? a : ~a];
		c->r = xgrow(c->r, &c->rcap, n + arc->n, sizeof(*c->r));
		for (k = i == 0 ? 0 : 1; k < arc->n; k++)
			c->r[n++] = arc->p[a >= 0 ? k : arc->n - 1 - k];
	}
	for (i = 1; i < n; i++)
		jumps += fabs(c->r[i].lon - c->r[i - 1].lon) > 180;
	if (jumps == 0)
		return emit(c, c->r, n, d, keep_tiny);
	for (i = 1; i < n; i++) {
		while (c->r[i].lon - c->r[i - 1].lon > 180)
			c->r[i].lon -= 360;
		while (c->r[i].lon - c->r[i - 1].lon < -180)
			c->r[i].lon += 360;
	}
	/* A ring around a pole does not close when unwrapped; none is cut
	 * at 1:110m (Antarctica runs along the edge instead), so it is
	 * drawn as it is. */
	if (fabs(c->r[n - 1].lon - c->r[0].lon) > 180)
		return emit(c, c->r, n, d, keep_tiny);
	for (shift = -1; shift <= 1; shift++) {
		size_t m;

		for (i = 0; i < n; i++)
			c->r[i].lon += 360.0 * shift;
		m = clip(c->r, n, 180, 1, &c->c1, &c->c1cap);
		m = clip(c->c1, m, -180, -1, &c->c2, &c->c2cap);
		if (m >= 3)
			kept |= emit(c, c->c2, m, d, keep_tiny);
		for (i = 0; i < n; i++)
			c->r[i].lon -= 360.0 * shift;
	}
	return kept;
}

/* The polygons of one geometry as rings: Polygon holds rings,
 * MultiPolygon polygons of rings.  Holes need no special care: the map
 * fills with the even-odd rule. */
static int geometry_path(struct conv *c, const struct jv *g, struct buf *d,
                         const char **why)
{
	const struct jv *type = jv_get(g, "type"), *arcs = jv_get(g, "arcs");
	const char *t = type ? jv_string(type, NULL) : NULL;
	size_t i, k, npoly;
	int multi, pass, rc = 0, kept = 0;

	if (t == NULL || arcs == NULL || jv_typeof(arcs) != JV_ARRAY) {
		*why = "no type or no arcs";
		return -1;
	}
	if (strcmp(t, "Polygon") == 0)
		multi = 0;
	else if (strcmp(t, "MultiPolygon") == 0)
		multi = 1;
	else {
		*why = "not a Polygon or MultiPolygon";
		return -1;
	}
	npoly = multi ? jv_len(arcs) : 1;
	/* The second pass runs only if every ring was too small to keep: a
	 * country in the data must have a shape on the map, if only a dot. */
	for (pass = 0; pass < 2 && kept == 0 && rc == 0; pass++) {
		for (i = 0; i < npoly && rc == 0; i++) {
			const struct jv *poly = multi ? jv_at(arcs, i) : arcs;

			if (jv_typeof(poly) != JV_ARRAY) {
				*why = "a polygon is not a list of rings";
				rc = -1;
				break;
			}
			for (k = 0; k < jv_len(poly); k++) {
				int r = ring(c, jv_at(poly, k), d, pass, why);

				if (r < 0) {
					rc = -1;
					break;
				}
				kept += r;
			}
		}
	}
	if (rc == 0 && kept == 0) {
		*why = "no ring";
		return -1;
	}
	return rc;
}

/* Code order, the shapes without a code last (by name): a table that
 * is the same on every build. */
static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int ua = strcmp(a->cc, UNMAPPED) == 0, ub = strcmp(b->cc, UNMAPPED) == 0;

	if (ua != ub)
		return ua - ub;
	if (!ua)
		return strcmp(a->cc, b->cc);
	return strcmp(a->name, b->name);
}

/* The numeric code of a geometry: "608" (as world-atlas writes it) or
 * 608; 0 when it has none. */
static unsigned geometry_id(const struct jv *g)
{
	const struct jv *id = jv_get(g, "id");
	const char *s;
	size_t len;
	uint64_t v;

	if (id == NULL)
		return 0;
	if (jv_typeof(id) == JV_INT)
		return jv_intval(id) > 0 && jv_intval(id) < 1000 ? (unsigned)jv_intval(id) : 0;
	s = jv_string(id, &len);
	if (s == NULL || parse_u64(s, len, 1, 999, &v) != 0)
		return 0;
	return (unsigned)v;
}

/* Names go into a tab-separated table: no tabs, line breaks or controls. */
static int clean_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return len > 0;
}

int worldpaths_convert(const char *json, size_t len, struct buf *out,
                       struct buf *notes, char *err, size_t errlen)
{
	struct jv *top = jv_parse(json, len, err, errlen);
	const struct jv *objs, *countries, *geoms;
	struct conv c;
	struct row *rows = NULL;
	size_t nrows = 0, i, k;
	double xmax, ymax, dummy;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if (top == NULL)
		return -1;
	objs = jv_get(top, "objects");
	countries = objs ? jv_get(objs, "countries") : NULL;
	geoms = countries ? jv_get(countries, "geometries") : NULL;
	if (jv_typeof(top) != JV_OBJECT || geoms == NULL || jv_typeof(geoms) != JV_ARRAY) {
		errbuf_set(err, errlen, "not a topology with objects.countries.geometries");
		goto out;
	}
	/* The view: 1000 units across the equator, as tall as the
	 * projection's poles are apart. */
	worldpaths_project(M_PI, 0, &xmax, &dummy);
	worldpaths_project(0, M_PI / 2, &dummy, &ymax);
	c.scale = WORLDPATHS_WIDTH / (2 * xmax);
	c.height = ceil(2 * ymax * c.scale);
	if (decode_arcs(&c, top, err, errlen) != 0)
		goto out;

	rows = xcalloc(jv_len(geoms) ? jv_len(geoms) : 1, sizeof(*rows));
	for (i = 0; i < jv_len(geoms); i++) {
		const struct jv *g = jv_at(geoms, i), *props = jv_get(g, "properties");
		const struct jv *nm = props ? jv_get(props, "name") : NULL;
		const char *name = nm ? jv_string(nm, &k) : NULL;
		struct row *r = &rows[nrows];
		const char *why = NULL;

		if (name == NULL || !clean_name(name, k)) {
			errbuf_set(err, errlen, "geometry %zu has no usable properties.name", i);
			goto out;
		}
		r->num = geometry_id(g);
		/* Shapes outside ISO (Kosovo) carry no number; their name may
		 * still be one the country table knows. */
		if (r->num != 0 ? country_from_numeric(r->num, r->cc) != 0
		                : country_parse(name, k, r->cc) != 0 || country_numeric(r->cc) != 0) {
			memcpy(r->cc, UNMAPPED, 3);
			if (r->num)
				buf_printf(notes, "%03u %s: no code in the country table\n", r->num, name);
			else
				buf_printf(notes, "(no id) %s: no code in the country table\n", name);
		}
		r->name = xstrndup(name, k);
		buf_init(&r->d);
		nrows++;
		if (geometry_path(&c, g, &r->d, &why) != 0) {
			errbuf_set(err, errlen, "geometry %zu (%s): %s", i, r->name, why);
			goto out;
		}
	}
	qsort(rows, nrows, sizeof(*rows), row_cmp);
	for (i = 1; i < nrows; i++)
		if (strcmp(rows[i].cc, UNMAPPED) != 0 && strcmp(rows[i].cc, rows[i - 1].cc) == 0) {
			errbuf_set(err, errlen, "two shapes for %s (%s, %s)", rows[i].cc,
			           rows[i - 1].name, rows[i].name);
			goto out;
		}

	buf_printf(out, "geoattr-world-paths/1\t%d\t%.0f\n", WORLDPATHS_WIDTH, c.height);
	buf_adds(out, "# Natural Earth 1:110m admin-0 countries (public domain), from npm world-atlas@2.0.2\n"
	              "# (ISC); Equal Earth projection; made by geoattr's build from geo/world-atlas/.\n"
	              "# CC\tnumeric\tname in the shape data\tSVG path\n");
	for (i = 0; i < nrows; i++) {
		if (rows[i].num)
			buf_printf(out, "%s\t%03u\t%s\t", rows[i].cc, rows[i].num, rows[i].name);
		else
			buf_printf(out, "%s\t-\t%s\t", rows[i].cc, rows[i].name);
		buf_add(out, rows[i].d.data, rows[i].d.len);
		buf_addc(out, '\n');
	}
	rc = 0;
out:
	for (i = 0; i < nrows; i++) {
		free(rows[i].name);
		buf_free(&rows[i].d);
	}
	free(rows);
	for (i = 0; i < c.narcs; i++)
		free(c.arcs[i].p);
	free(c.arcs);
	free(c.r);
	free(c.c1);
	free(c.c2);
	free(c.pts);
	jv_free(top);
	return rc;
}
