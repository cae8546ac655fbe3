/*
 * worldmap.c - load the world map's path table and draw a list on it
 * (see worldmap.h).
 *
 * The table is checked whole when it is loaded (codes, and path data of
 * the few characters the build writes), so nothing from the file reaches
 * the SVG unescaped: a path attribute can only ever hold M, l, z and
 * numbers.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "markup.h"
#include "source.h"
#include "util.h"
#include "worldmap.h"

#define MAP_TOP 46       /* view units above the map: the heading */
#define LEG_H 112        /* below it: the legend and the countries not drawn */
#define LEG_FONT 20
#define MAX_CLASSES 6
#define LINE_CHARS 86    /* characters of legend text on one line */

struct wm_row {
	char cc[3];          /* "--" for a shape without a code */
	const char *name, *d;
	size_t nlen, dlen;
};

struct worldmap {
	char *buf;
	int width, height;
	struct wm_row *rows;
	size_t n;
	int idx[26 * 26];    /* row of a code, or -1 */
};

static int cc_index(const char *cc)
{
	if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return -1;
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

/* Path data as the build writes it: commands M, l, z, numbers, spaces. */
static int path_ok(const char *d, size_t n)
{
	size_t i;

	if (n == 0 || d[0] != 'M')
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("Mlz0123456789.- ", d[i]) || d[i] == '\0')
			return 0;
	return 1;
}

static struct worldmap *parse_fail(struct worldmap *m, char *err, size_t errlen,
                                   const char *name, size_t line, const char *why)
{
	errbuf_set(err, errlen, "%s:%zu: %s", name, line, why);
	worldmap_free(m);
	return NULL;
}

struct worldmap *worldmap_parse(const char *buf, size_t len, const char *name,
                                char *err, size_t errlen)
{
	struct worldmap *m = xcalloc(1, sizeof(*m));
	const char *p, *end, *nl, *f[4];
	size_t line = 0, cap = 0, flen[4], k;
	uint64_t w, h;

	memset(m->idx, 0xff, sizeof(m->idx));
	/* Our own copy: the rows point into it. */
	m->buf = xmalloc(len + 1);
	memcpy(m->buf, buf, len);
	m->buf[len] = '\0';
	p = m->buf;
	end = m->buf + len;
	while (p < end) {
		const char *q = p;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		p = nl < end ? nl + 1 : end;
		line++;
		if (line == 1) {
			const char *t1, *t2;

			if ((size_t)(nl - q) < 22 || memcmp(q, "geoattr-world-paths/1\t", 22) != 0)
				return parse_fail(m, err, errlen, name, line, "not a geoattr world path table");
			t1 = q + 22;
			t2 = memchr(t1, '\t', (size_t)(nl - t1));
			if (t2 == NULL || parse_u64(t1, (size_t)(t2 - t1), 100, 100000, &w) != 0 ||
			    parse_u64(t2 + 1, (size_t)(nl - t2 - 1), 50, 100000, &h) != 0)
				return parse_fail(m, err, errlen, name, line, "bad view size");
			m->width = (int)w;
			m->height = (int)h;
			continue;
		}
		if (nl == q || *q == '#')
			continue;
		for (k = 0; k < 4; k++) {
			const char *tab = k < 3 ? memchr(q, '\t', (size_t)(nl - q)) : NULL;

			if (k < 3 && tab == NULL)
				return parse_fail(m, err, errlen, name, line, "not four tab-separated fields");
			f[k] = q;
			flen[k] = (size_t)((k < 3 ? tab : nl) - q);
			q = k < 3 ? tab + 1 : nl;
		}
		if (flen[0] != 2 || (memcmp(f[0], "--", 2) != 0 &&
		                     (cc_index(f[0]) < 0 || country_name_n(f[0], 2) == NULL)))
			return parse_fail(m, err, errlen, name, line, "not a country code in the table");
		if (!path_ok(f[3], flen[3]))
			return parse_fail(m, err, errlen, name, line, "path data other than M, l, z and numbers");
		if (flen[0] == 2 && f[0][0] != '-' && m->idx[cc_index(f[0])] >= 0)
			return parse_fail(m, err, errlen, name, line, "a second shape for the same code");
		m->rows = xgrow(m->rows, &cap, m->n + 1, sizeof(*m->rows));
		memcpy(m->rows[m->n].cc, f[0], 2);
		m->rows[m->n].cc[2] = '\0';
		m->rows[m->n].name = f[2];
		m->rows[m->n].nlen = flen[2];
		m->rows[m->n].d = f[3];
		m->rows[m->n].dlen = flen[3];
		if (f[0][0] != '-')
			m->idx[cc_index(f[0])] = (int)m->n;
		m->n++;
	}
	if (line == 0 || m->width == 0)
		return parse_fail(m, err, errlen, name, 1, "empty table");
	if (m->n == 0)
		return parse_fail(m, err, errlen, name, line, "no shapes");
	return m;
}

struct worldmap *worldmap_load(const char *path, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	struct worldmap *m;

	if (file_read_all(path, &buf, &len) != 0) {
		errbuf_set(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	m = worldmap_parse(buf, len, path, err, errlen);
	free(buf);
	return m;
}

struct worldmap *worldmap_load_default(char *err, size_t errlen)
{
	char *path = xasprintf("%s/world-paths.tsv", sources_embedded_dir());
	struct worldmap *m = worldmap_load(path, err, errlen);

	free(path);
	return m;
}

void worldmap_free(struct worldmap *m)
{
	if (m == NULL)
		return;
	free(m->rows);
	free(m->buf);
	free(m);
}

size_t worldmap_count(const struct worldmap *m)
{
	return m->n;
}

int worldmap_has(const struct worldmap *m, const char *cc)
{
	int i = cc != NULL ? cc_index(cc) : -1;

	return i >= 0 && cc[2] == '\0' && m->idx[i] >= 0;
}

/* ------------------------------------------------------------ classes */

struct classes {
	int n;                       /* classes above "none" */
	double lo[MAX_CLASSES + 1];  /* class k (1..n) holds [lo[k], lo[k+1]) */
	char prefix;                 /* 's' share, 'c' count: the CSS classes */
};

static void make_classes(const struct map_view *v, struct classes *c)
{
	static const double share_lo[] = { 0, 0.01, 0.05, 0.10, 0.25, 0.50 };
	double max = 0, seq[40];
	int i, n = 0, step;

	if (v->scale == MAP_SHARE) {
		c->prefix = 's';
		c->n = MAX_CLASSES;
		for (i = 0; i < MAX_CLASSES; i++)
			c->lo[i + 1] = share_lo[i];
		return;
	}
	/* Counts: breaks of 1, 2, 5, 10, 20, 50, ... up to the largest value,
	 * thinned to at most MAX_CLASSES. */
	c->prefix = 'c';
	for (i = 0; i < WORLDMAP_NODATA; i++)
		if (v->value[i] > max)
			max = v->value[i];
	for (seq[0] = 1, n = 1; n < 40; n++) {
		double next = seq[n - 1] * (n % 3 == 2 ? 2.5 : 2);

		if (next > max)
			break;
		seq[n] = next;
	}
	step = (n + MAX_CLASSES - 1) / MAX_CLASSES;
	c->n = 0;
	for (i = 0; i < n; i += step)
		c->lo[++c->n] = seq[i];
}

/* The class of a value: 0 for none, else 1..n. */
static int class_of(const struct classes *c, const struct map_view *v, double x)
{
	double s = v->scale == MAP_SHARE ? (v->total > 0 ? x / v->total : 0) : x;
	int k;

	if (x <= 0)
		return 0;
	for (k = c->n; k > 1 && s < c->lo[k]; k--)
		;
	return k;
}

static void class_label(const struct classes *c, int k, char *out, size_t size)
{
	if (k == 0) {
		snprintf(out, size, "none");
	} else if (c->prefix == 's') {
		if (k == 1)
			snprintf(out, size, "< 1%%");
		else if (k == c->n)
			snprintf(out, size, "\xe2\x89\xa5 %.0f%%", 100 * c->lo[k]);
		else
			snprintf(out, size, "%.0f\xe2\x80\x93%.0f%%", 100 * c->lo[k], 100 * c->lo[k + 1]);
	} else if (k == c->n) {
		snprintf(out, size, "\xe2\x89\xa5 %.0f", c->lo[k]);
	} else if (c->lo[k + 1] - 1 <= c->lo[k]) {
		snprintf(out, size, "%.0f", c->lo[k]);
	} else {
		snprintf(out, size, "%.0f\xe2\x80\x93%.0f", c->lo[k], c->lo[k + 1] - 1);
	}
}

static const char *fmt_share(double part, double whole, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f%%", whole > 0 ? 100 * part / whole : 0);
	return buf;
}

static const char css[] =
	"svg.wm{display:block;width:100%;height:auto;max-width:1000px}"
	"svg.wm text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
	"font-size:20px;fill:#1b1f24;stroke:none}"
	"svg.wm .h{font-size:24px;font-weight:600}"
	"svg.wm .sea{fill:#f7fafd;stroke:#9aa4ae;stroke-width:1}"
	"svg.wm .land path{stroke:#fff;stroke-width:.6}"
	"svg.wm .land path:hover{stroke:#1b1f24;stroke-width:1.5}"
	"svg.wm .na{fill:#c9ced4}"
	"svg.wm .s0,svg.wm .c0{fill:#e8eaed}"
	"svg.wm .s1{fill:#d3e2f1}svg.wm .s2{fill:#a6c4e4}svg.wm .s3{fill:#73a0d0}"
	"svg.wm .s4{fill:#467bb8}svg.wm .s5{fill:#265795}svg.wm .s6{fill:#0e3366}"
	"svg.wm .c1{fill:#fde2c6}svg.wm .c2{fill:#f8b97f}svg.wm .c3{fill:#ee8a45}"
	"svg.wm .c4{fill:#d05f1e}svg.wm .c5{fill:#9a3d0b}svg.wm .c6{fill:#5c2304}"
	"svg.wm .key{stroke:#58606b;stroke-width:1}"
	"@media screen and (prefers-color-scheme:dark){"
	"svg.wm{background:#12161b}svg.wm text{fill:#e6e9ed}"
	"svg.wm .sea{fill:#1a2028;stroke:#46505c}svg.wm .land path{stroke:#0d1117}"
	"svg.wm .land path:hover{stroke:#fff}svg.wm .na{fill:#3a4048}"
	"svg.wm .s0,svg.wm .c0{fill:#2a3038}"
	"svg.wm .s1{fill:#22405f}svg.wm .s2{fill:#2c5e8f}svg.wm .s3{fill:#3e80bd}"
	"svg.wm .s4{fill:#68a5dc}svg.wm .s5{fill:#9bc5ee}svg.wm .s6{fill:#d3e6fa}"
	"svg.wm .c1{fill:#4b2a12}svg.wm .c2{fill:#7a3f14}svg.wm .c3{fill:#b0591c}"
	"svg.wm .c4{fill:#e07a2e}svg.wm .c5{fill:#f3a35e}svg.wm .c6{fill:#fbd09f}"
	"svg.wm .key{stroke:#9aa4ae}}\n";

const char *worldmap_css(void)
{
	return css;
}

/* The projection's outline (the meridians of +-180 degrees), as the sea.
 * The x of a point on the edge at latitude phi follows from Equal Earth
 * at longitude 180: the build's projection, scaled to the view. */
static void outline(const struct worldmap *m, FILE *fp)
{
	const double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
	double xmax = 2 * sqrt(3.0) * M_PI / (3 * A1);
	double s = m->width / (2 * xmax), x, y, t, t2, t6;
	int i, side;

	fputs("<path class=\"sea\" d=\"", fp);
	for (side = 0; side < 2; side++)
		for (i = 0; i <= 36; i++) {
			double lat = (side == 0 ? -90 + 5.0 * i : 90 - 5.0 * i) * M_PI / 180;
			double lon = side == 0 ? M_PI : -M_PI;

			t = asin(sqrt(3.0) / 2 * sin(lat));
			t2 = t * t;
			t6 = t2 * t2 * t2;
			x = 2 * sqrt(3.0) * lon * cos(t) /
			    (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1));
			y = t * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1);
			fprintf(fp, "%c%.1f %.1f", side == 0 && i == 0 ? 'M' : 'L',
			        m->width / 2.0 + s * x, m->height / 2.0 - s * y);
		}
	fputs("z\"/>\n", fp);
}

/* Code points in s, for fitting legend lines. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The legend: one swatch per class with its range and how many
 * countries fall in it, then what has a figure but no shape. */
static void legend(const struct worldmap *m, const struct map_view *v,
                   const struct classes *c, const int *cls, FILE *fp)
{
	int count[MAX_CLASSES + 1] = { 0 }, k, y = MAP_TOP + m->height + 30;
	double x = 0, slot = (double)m->width / (c->n + 1);
	char lab[64], b1[32], b2[32], item[160];
	size_t i, line_len = 0, shown = 0, missing = 0, lines = 0;
	struct buf text;
	/* The entries not drawn: codes without a shape, largest first. */
	size_t order[WORLDMAP_NCC], no;

	for (i = 0; i < m->n; i++)
		if (m->rows[i].cc[0] != '-')
			count[cls[i]]++;
	for (k = 0; k <= c->n; k++, x += slot) {
		class_label(c, k, lab, sizeof(lab));
		fprintf(fp, "<rect class=\"key %c%d\" x=\"%.1f\" y=\"%d\" width=\"26\" height=\"20\" rx=\"3\"/>",
		        c->prefix, k, x + 1, y - 17);
		fprintf(fp, "<text x=\"%.1f\" y=\"%d\">", x + 33, y);
		markup_text(fp, lab);
		fprintf(fp, " <tspan font-size=\"16\">(%d)</tspan></text>\n", count[k]);
	}
	for (no = 0, i = 0; i < WORLDMAP_NCC; i++) {
		char cc[3] = { (char)('A' + i / 26), (char)('A' + i % 26), '\0' };

		if (v->value[i] <= 0 || (i < WORLDMAP_NODATA && m->idx[i] >= 0))
			continue;
		if (i < WORLDMAP_NODATA && country_name(cc) == NULL)
			continue;
		order[no++] = i;
	}
	/* Insertion sort: a handful of codes. */
	for (i = 1; i < no; i++) {
		size_t t = order[i], j = i;

		while (j > 0 && v->value[order[j - 1]] < v->value[t]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = t;
	}
	if (no == 0)
		return;
	buf_init(&text);
	buf_adds(&text, "Not on the map:");
	line_len = text.len;
	y += 36;
	for (i = 0; i < no; i++) {
		size_t ix = order[i];
		char cc[3] = { (char)('A' + ix / 26), (char)('A' + ix % 26), '\0' };
		const char *nm = ix == WORLDMAP_NODATA ? "no country" : country_name(cc);

		if (v->scale == MAP_SHARE)
			snprintf(item, sizeof(item), " %s%s%s %s (%s)%s", ix == WORLDMAP_NODATA ? "" : cc,
			         ix == WORLDMAP_NODATA ? "" : " ", nm, fmt_share(v->value[ix], v->total, b1, sizeof(b1)),
			         fmt_count(v->value[ix], b2, sizeof(b2)), i + 1 < no ? " \xc2\xb7" : "");
		else
			snprintf(item, sizeof(item), " %s%s%s %s%s", ix == WORLDMAP_NODATA ? "" : cc,
			         ix == WORLDMAP_NODATA ? "" : " ", nm, fmt_count(v->value[ix], b2, sizeof(b2)),
			         i + 1 < no ? " \xc2\xb7" : "");
		if (line_len + text_width(item) > LINE_CHARS) {
			if (++lines == 2)
				break;
			fprintf(fp, "<text x=\"0\" y=\"%d\">", y);
			markup_text_n(fp, text.data, text.len);
			fputs("</text>\n", fp);
			buf_reset(&text);
			line_len = 0;
			y += 28;
		}
		buf_adds(&text, line_len == 0 ? item + 1 : item);
		line_len += text_width(item);
		shown++;
	}
	missing = no - shown;
	if (missing > 0)
		buf_printf(&text, " and %zu more", missing);
	fprintf(fp, "<text x=\"0\" y=\"%d\">", y);
	markup_text_n(fp, text.data, text.len);
	fputs("</text>\n", fp);
	buf_free(&text);
}

void worldmap_svg(const struct worldmap *m, const struct map_view *v, FILE *fp,
                  int standalone)
{
	struct classes c;
	int *cls = xcalloc(m->n ? m->n : 1, sizeof(*cls));
	char b1[32], b2[32];
	size_t i;
	int total_h = MAP_TOP + m->height + LEG_H;

	make_classes(v, &c);
	for (i = 0; i < m->n; i++) {
		int ix = cc_index(m->rows[i].cc);

		cls[i] = ix >= 0 ? class_of(&c, v, v->value[ix]) : 0;
	}
	if (standalone)
		fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wm\" width=\"%d\" height=\"%d\" ",
		        m->width, total_h);
	else
		fputs("<svg class=\"wm\" ", fp);
	fprintf(fp, "viewBox=\"0 0 %d %d\" role=\"group\" aria-labelledby=\"%s-t\">\n<title id=\"%s-t\">",
	        m->width, total_h, v->id, v->id);
	markup_text(fp, v->heading);
	fputs("</title>\n", fp);
	if (standalone)
		fprintf(fp, "<style>%s</style>\n", css);
	fputs("<text class=\"h\" x=\"0\" y=\"28\">", fp);
	markup_text(fp, v->heading);
	fputs("</text>\n", fp);
	fprintf(fp, "<g transform=\"translate(0,%d)\">\n", MAP_TOP);
	outline(m, fp);
	fputs("<g class=\"land\" fill-rule=\"evenodd\">\n", fp);
	for (i = 0; i < m->n; i++) {
		const struct wm_row *r = &m->rows[i];
		int ix = cc_index(r->cc);
		const char *nm = ix >= 0 ? country_name(r->cc) : NULL;

		if (ix < 0)
			fputs("<path class=\"na\" d=\"", fp);
		else
			fprintf(fp, "<path class=\"%c%d\" d=\"", c.prefix, cls[i]);
		fwrite(r->d, 1, r->dlen, fp);
		fputs("\"><title>", fp);
		if (nm == NULL) {
			markup_text_n(fp, r->name, r->nlen);
			fputs(": no ISO 3166 code, not counted", fp);
		} else {
			markup_text(fp, nm);
			fprintf(fp, " (%s): ", r->cc);
			if (v->value[ix] <= 0)
				fputs("none", fp);
			else if (v->scale == MAP_SHARE)
				fprintf(fp, "%s of %s ", fmt_count(v->value[ix], b1, sizeof(b1)),
				        fmt_count(v->total, b2, sizeof(b2)));
			else
				fprintf(fp, "%s ", fmt_count(v->value[ix], b1, sizeof(b1)));
			if (v->value[ix] > 0)
				markup_text(fp, v->what);
			if (v->value[ix] > 0 && v->scale == MAP_SHARE)
				fprintf(fp, ", %s", fmt_share(v->value[ix], v->total, b1, sizeof(b1)));
		}
		fputs("</title></path>\n", fp);
	}
	fputs("</g>\n</g>\n", fp);
	legend(m, v, &c, cls, fp);
	fputs("</svg>\n", fp);
	free(cls);
}
