/*
 * test_worldmap.c - the world map: Equal Earth against the published
 * figures, the path table's conversion (a small topology written here)
 * and its checks on load, classes, titles and escaping of the SVG, and
 * the table the build made (every shape keyed, loads clean).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"
#include "worldmap.h"
#include "worldpaths.h"

static int near(double a, double b, double eps)
{
	return fabs(a - b) < eps;
}

static void test_projection(void)
{
	double x, y, x2, y2;

	worldpaths_project(0, 0, &x, &y);
	ok(near(x, 0, 1e-12) && near(y, 0, 1e-12), "origin maps to origin");
	/* The equator's end: 2 sqrt(3) pi / (3 A1). */
	worldpaths_project(M_PI, 0, &x, &y);
	ok(near(x, 2 * sqrt(3.0) * M_PI / (3 * 1.340264), 1e-9), "x at 180E on the equator (%.6f)", x);
	/* The pole: theta = pi/3 in the polynomial. */
	worldpaths_project(0, M_PI / 2, &x, &y);
	ok(near(y, 1.317362759157, 1e-6), "y at the pole (%.9f)", y);
	worldpaths_project(-1, -0.5, &x, &y);
	worldpaths_project(1, 0.5, &x2, &y2);
	ok(near(x, -x2, 1e-12) && near(y, -y2, 1e-12), "symmetric about the origin");
	/* Meridians are straight in x: twice the longitude, twice the x. */
	worldpaths_project(0.5, 0.7, &x, &y);
	worldpaths_project(1.0, 0.7, &x2, &y2);
	ok(near(2 * x, x2, 1e-12) && near(y, y2, 1e-12), "x proportional to longitude");
}

/* Three squares: one keyed by its number (608, PH), one by its name only
 * (Kosovo), one neither, and a ring across the antimeridian (242, FJ). */
static const char topo[] =
	"{\"type\":\"Topology\",\"transform\":{\"scale\":[1,1],\"translate\":[0,0]},"
	"\"arcs\":[[[120,10],[5,0],[0,5],[-5,0],[0,-5]],"
	"[[20,42],[1,0],[0,1],[-1,0],[0,-1]],"
	"[[30,0],[2,0],[0,2],[-2,0],[0,-2]],"
	"[[178,-17],[-356,0],[0,-1],[356,0],[0,1]]],"
	"\"objects\":{\"countries\":{\"type\":\"GeometryCollection\",\"geometries\":["
	"{\"type\":\"Polygon\",\"id\":\"608\",\"properties\":{\"name\":\"Philippines\"},\"arcs\":[[0]]},"
	"{\"type\":\"Polygon\",\"properties\":{\"name\":\"Kosovo\"},\"arcs\":[[1]]},"
	"{\"type\":\"MultiPolygon\",\"properties\":{\"name\":\"<Nowhere & Co>\"},\"arcs\":[[[~2]]]},"
	"{\"type\":\"Polygon\",\"id\":242,\"properties\":{\"name\":\"Fiji\"},\"arcs\":[[3]]}"
	"]}}}";

static void test_convert(void)
{
	struct buf out, notes, again;
	char err[256] = "";
	struct worldmap *m;
	const char *fj;
	char *t;

	buf_init(&out);
	buf_init(&notes);
	buf_init(&again);
	/* The negative arc index ~2 is written as JSON would: -3. */
	t = xstrdup(topo);
	memcpy(strstr(t, "~2"), "-3", 2);
	ok(worldpaths_convert(t, strlen(t), &out, &notes, err, sizeof(err)) == 0, "a small topology converts (%s)", err);
	buf_addc(&out, '\0');
	buf_addc(&notes, '\0');
	ok(strncmp(out.data, "geoattr-world-paths/1\t1000\t487\n", 31) == 0, "format line with the view size");
	ok(strstr(out.data, "\nPH\t608\tPhilippines\tM") != NULL, "608 keyed as PH");
	ok(strstr(out.data, "\nXK\t-\tKosovo\tM") != NULL, "Kosovo keyed by its name");
	ok(strstr(out.data, "\n--\t-\t<Nowhere & Co>\tM") != NULL, "an unknown shape kept, uncoded");
	ok(strstr(notes.data, "<Nowhere & Co>: no code") != NULL && strstr(notes.data, "Kosovo") == NULL,
	   "only the unknown shape is reported");
	ok(strstr(out.data, "\nPH") < strstr(out.data, "\nXK") && strstr(out.data, "\nXK") < strstr(out.data, "\n--"),
	   "rows in code order, uncoded last");
	/* Fiji's ring crosses 180 degrees: two pieces, one at each edge. */
	fj = strstr(out.data, "\nFJ\t242\tFiji\t");
	ok(fj != NULL && strchr(fj + 1, '\n') != NULL, "Fiji written");
	if (fj != NULL) {
		const char *e = strchr(fj + 1, '\n'), *p;
		int pieces = 0, low = 0, high = 0;
		double x;

		for (p = fj; p != NULL && p < e; p = strchr(p + 1, 'M')) {
			if (*p != 'M')
				continue;
			pieces++;
			x = atof(p + 1);
			low += x < 100;
			high += x > 900;
		}
		ok(pieces == 2 && low == 1 && high == 1, "the antimeridian ring is cut into two edge pieces (%d)", pieces);
	}
	ok(worldpaths_convert(t, strlen(t), &again, &notes, err, sizeof(err)) == 0 &&
	   again.len + 1 == out.len && memcmp(again.data, out.data, again.len) == 0,
	   "the same table twice, byte for byte");

	m = worldmap_parse(out.data, out.len - 1, "small", err, sizeof(err));
	ok(m != NULL, "the converted table loads (%s)", err);
	if (m != NULL) {
		is_int((long long)worldmap_count(m), 4, "four shapes");
		ok(worldmap_has(m, "PH") && worldmap_has(m, "XK") && !worldmap_has(m, "US") &&
		   !worldmap_has(m, "--"), "worldmap_has");
	}
	worldmap_free(m);

	memcpy(strstr(t, "[[[-3]]]") + 3, "99", 2);
	ok(worldpaths_convert(t, strlen(t), &again, &notes, err, sizeof(err)) != 0 && strstr(err, "out of range"),
	   "an arc index out of range fails (%s)", err);
	ok(worldpaths_convert("{\"type\":1}", 10, &again, &notes, err, sizeof(err)) != 0, "not a topology fails");
	ok(worldpaths_convert("{", 1, &again, &notes, err, sizeof(err)) != 0, "broken JSON fails");
	free(t);
	buf_free(&out);
	buf_free(&notes);
	buf_free(&again);
}

static void rejects(const char *text, const char *want, const char *what)
{
	char err[256] = "";
	struct worldmap *m = worldmap_parse(text, strlen(text), "t.tsv", err, sizeof(err));

	ok(m == NULL && strstr(err, want) != NULL, "%s (%s)", what, err);
	worldmap_free(m);
}

static void test_load_checks(void)
{
	rejects("", "t.tsv:1:", "empty");
	rejects("geoattr-world-paths/2\t1000\t487\n", "not a geoattr", "wrong format line");
	rejects("geoattr-world-paths/1\t1000\n", "view size", "no height");
	rejects("geoattr-world-paths/1\t1000\t487\n# only a comment\n", "no shapes", "no rows");
	rejects("geoattr-world-paths/1\t1000\t487\nQQ\t-\tX\tM0 0z\n", "t.tsv:2: not a country code", "unknown code");
	rejects("geoattr-world-paths/1\t1000\t487\nPH\t608\tX\tM0 0\"/><script>z\n", "t.tsv:2: path data", "markup in path data");
	rejects("geoattr-world-paths/1\t1000\t487\nPH\t608\tPhilippines\n", "four", "three fields");
	rejects("geoattr-world-paths/1\t1000\t487\nPH\t608\tA\tM0 0z\n#\nPH\t608\tB\tM1 1z\n", "t.tsv:4: a second shape",
	        "two shapes for one code");
	{
		/* Bounded by len: the NUL-free tail after it is never read. */
		const char t[] = "geoattr-world-paths/1\t1000\t487\nPH\t608\tP\tM0 0l1 0 0 1zQQ";
		char err[128];
		struct worldmap *m = worldmap_parse(t, sizeof(t) - 3, "t", err, sizeof(err));

		ok(m != NULL && worldmap_has(m, "PH"), "reads only len bytes");
		worldmap_free(m);
	}
}

static char *draw(const struct worldmap *m, const struct map_view *v, int standalone)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	worldmap_svg(m, v, fp, standalone);
	fclose(fp);
	return s;
}

static void test_svg(void)
{
	const char t[] = "geoattr-world-paths/1\t1000\t487\n"
	                 "PH\t608\tPhilippines\tM800 250l5 0 0 5z\n"
	                 "US\t840\tUnited States\tM200 150l50 0 0 30z\n"
	                 "--\t-\t<b>\"Land\" & 'sea'</b>\tM500 200l5 0 0 5z\n";
	char err[128];
	struct worldmap *m = worldmap_parse(t, strlen(t), "t", err, sizeof(err));
	double *val = xcalloc(WORLDMAP_NCC, sizeof(double));
	struct map_view v;
	char *s;

	if (!ok(m != NULL, "table with a hostile name loads")) {
		free(val);
		return;
	}
	val[(('P' - 'A') * 26) + ('H' - 'A')] = 6;
	val[(('U' - 'A') * 26) + ('S' - 'A')] = 1;
	val[(('S' - 'A') * 26) + ('G' - 'A')] = 2;   /* no shape */
	val[WORLDMAP_NODATA] = 1;
	memset(&v, 0, sizeof(v));
	v.id = "t1";
	v.heading = "Source <A> & \"B\"";
	v.what = "entries";
	v.scale = MAP_SHARE;
	v.total = 10;
	v.value = val;
	s = draw(m, &v, 1);
	ok(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 76) == 0,
	   "standalone: XML declaration and namespace");
	ok(strstr(s, "<style>") != NULL, "standalone: carries its style");
	ok(strstr(s, "Source &lt;A&gt; &amp; &quot;B&quot;") != NULL && strstr(s, "<A>") == NULL, "heading escaped");
	ok(strstr(s, "&lt;b&gt;&quot;Land&quot; &amp; &#39;sea&#39;&lt;/b&gt;: no ISO 3166 code") != NULL &&
	   strstr(s, "<b>") == NULL, "shape name escaped");
	ok(strstr(s, "<path class=\"s6\" d=\"M800 250l5 0 0 5z\"><title>Philippines (PH): 6 of 10 entries, 60.0%</title>") != NULL,
	   "60%% is the top class, with a title giving count and share");
	ok(strstr(s, "<path class=\"s4\" d=\"M200 150l50 0 0 30z\"><title>United States (US): 1 of 10 entries, 10.0%</title>") != NULL,
	   "10%% is the 10-25%% class");
	ok(strstr(s, "<path class=\"na\"") != NULL, "the uncoded shape is never coloured");
	ok(strstr(s, "Not on the map: SG Singapore 20.0% (2) \xc2\xb7 no country 10.0% (1)") != NULL,
	   "codes without a shape listed under the map, largest first");
	ok(strstr(s, "&lt; 1%") != NULL && strstr(s, "\xe2\x89\xa5 50%") != NULL, "legend with the class figures");
	ok(strstr(s, "prefers-color-scheme:dark") != NULL, "a dark scheme for screens that ask");
	free(s);

	v.scale = MAP_COUNT;
	v.what = "entries on which <they> disagree";
	val[(('U' - 'A') * 26) + ('S' - 'A')] = 60;
	s = draw(m, &v, 0);
	ok(strncmp(s, "<svg class=\"wm\" viewBox=", 24) == 0 && strstr(s, "<style>") == NULL,
	   "inline: no declaration, style left to the page");
	ok(strstr(s, "United States (US): 60 entries on which &lt;they&gt; disagree") != NULL, "count title, escaped");
	/* 1, 2, 5, 10, 20, 50 up to 60: six classes, 60 in the last. */
	ok(strstr(s, "<path class=\"c6\" d=\"M200") != NULL && strstr(s, "<path class=\"c3\" d=\"M800") != NULL,
	   "count classes step 1-2-5 (60 top, 6 in 5-9)");
	ok(strstr(s, ">5\xe2\x80\x93" "9 <") != NULL && strstr(s, "\xe2\x89\xa5 50") != NULL, "count legend figures");
	free(s);
	free(val);
	worldmap_free(m);
}

/* The table the build made from Natural Earth. */
static void test_built(void)
{
	char err[512];
	const char *geo = getenv("GEOATTR_GEO");
	char *path = xasprintf("%s/world-paths.tsv", geo ? geo : "geo");
	struct worldmap *m = worldmap_load(path, err, sizeof(err));
	static const char *const expect[] = {
		"US", "CN", "RU", "PH", "BR", "IN", "AU", "FJ", "AQ", "XK", "GB", "FR", "ZA", "SS", "NZ"
	};
	size_t i, have = 0;

	free(path);
	if (!ok(m != NULL, "the built table loads (%s)", m ? "" : err))
		return;
	/* 177 shapes at 1:110m: N. Cyprus and Somaliland have no code. */
	is_int((long long)worldmap_count(m), 177, "177 shapes");
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		have += worldmap_has(m, expect[i]) != 0;
	is_int((long long)have, (long long)(sizeof(expect) / sizeof(expect[0])), "large and edge-case countries have shapes");
	ok(!worldmap_has(m, "SG") && !worldmap_has(m, "HK"), "city states are below 1:110m");
	worldmap_free(m);
}

int main(void)
{
	test_projection();
	test_convert();
	test_load_checks();
	test_svg();
	test_built();
	return done_testing();
}
