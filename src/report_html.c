/*
 * report_html.c - a check as one self-contained HTML5 page: the claim and
 * verdict first, then the figures behind it as inline SVG charts and
 * tables, the caveats, the per-entry table and the data attribution.
 *
 * Nothing is loaded from elsewhere (no scripts, fonts, images or style
 * sheets), so the file can be mailed, archived or opened offline and shows
 * the same thing everywhere.  Every string that comes from the input, the
 * claim or a database goes through markup_text(), which escapes markup and
 * replaces bytes that are not valid UTF-8: a list may be binary and an
 * organisation name may hold "<script>".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "markup.h"
#include "report.h"
#include "util.h"

/* Rows of the per-entry table: a browser stays responsive with this many,
 * and the CSV output has them all. */
#define HTML_MAX_ENTRIES 5000
/* Rows of the example tables (disagreements, cited mismatches). */
#define HTML_MAX_EXAMPLES 100
/* Rows of each chart: more bars than this are no longer read. */
#define HTML_MAX_BARS 15

/*
 * Chart geometry.  Heights are in CSS pixels; horizontal positions are
 * percentages of the chart's width.  A viewBox would scale the text with
 * the chart, down to about 9px on a phone; with percentages the bars
 * stretch and the text keeps its CSS size on any screen and on paper.
 */
#define CH_LABEL 19     /* height of a row's label line */
#define CH_BAR 15       /* height of one bar */
#define CH_GAP 4
#define CH_X0 22        /* px: bars start here, the source letter sits left */
#define CH_BW 70.0      /* %: the longest bar; the rest holds its value */
#define CH_LABEL_MAX 40 /* characters in a row label, so it fits a phone */

static const char *const src_colour[AGG_MAX_CSRC] = {
	"#1f5fa8", "#d9822b", "#2e8b57", "#8e5ab5",
	"#b03a2e", "#5d6d7e", "#138d90", "#9a7d0a"
};

/* Bare names of sites whose licences ask for a link. */
static const struct {
	const char *text, *url;
} known_sites[] = {
	{ "db-ip.com", "https://db-ip.com" },
	{ "nro.net", "https://www.nro.net/" },
	{ "routeviews.org", "https://www.routeviews.org/" },
	{ "location.ipfire.org", "https://location.ipfire.org/" },
};

static int url_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && strchr("<>\"'()[]{},;`\\", c) == NULL;
}

static int word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '/' || c >= 0x80;
}

static void html_link(FILE *fp, const char *url, size_t ulen, const char *text,
                 size_t tlen)
{
	fputs("<a href=\"", fp);
	markup_text_n(fp, url, ulen);
	fputs("\" rel=\"noreferrer\">", fp);
	markup_text_n(fp, text, tlen);
	fputs("</a>", fp);
}

/*
 * Escaped text in which http(s) addresses and the bare site names above
 * become links.  Only those two schemes are ever linked, so text from a
 * database cannot smuggle in a javascript: link.
 */
static void html_linked(FILE *fp, const char *s)
{
	const char *p = s, *run = s;
	size_t k, n;

	if (s == NULL)
		return;
	while (*p) {
		if (strncmp(p, "https://", 8) == 0 || strncmp(p, "http://", 7) == 0) {
			for (n = 0; url_char((unsigned char)p[n]); n++)
				;
			while (n > 0 && (p[n - 1] == '.' || p[n - 1] == ':'))
				n--;
			markup_text_n(fp, run, (size_t)(p - run));
			html_link(fp, p, n, p, n);
			p += n;
			run = p;
			continue;
		}
		for (k = 0; k < sizeof(known_sites) / sizeof(known_sites[0]); k++) {
			size_t tl = strlen(known_sites[k].text);

			if (strncmp(p, known_sites[k].text, tl) == 0 &&
			    (p == s || !word_char((unsigned char)p[-1])) &&
			    !word_char((unsigned char)p[tl]))
				break;
		}
		if (k < sizeof(known_sites) / sizeof(known_sites[0])) {
			size_t tl = strlen(known_sites[k].text);

			markup_text_n(fp, run, (size_t)(p - run));
			html_link(fp, known_sites[k].url, strlen(known_sites[k].url), p, tl);
			p += tl;
			run = p;
			continue;
		}
		p++;
	}
	markup_text_n(fp, run, (size_t)(p - run));
}

/* ------------------------------------------------------------- figures */

static const char *fmt_pct(double share, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f%%", 100 * share);
	return buf;
}

static double share_of(double part, double whole)
{
	return whole > 0 ? part / whole : 0;
}

static void source_name_of(const struct aggregate *a, size_t i, struct source_info *si)
{
	source_info(sources_at(a->set, a->csrc[i]), si);
}

static void world_map(const struct check_report *r, FILE *fp);

/* The country name for a table index, "no data" for the empty bin. */
static const char *cc_name(size_t idx, char cc[3])
{
	const char *nm;

	agg_cc_code(idx, cc);
	if (idx == AGG_NODATA) {
		strcpy(cc, "--");
		return "no data";
	}
	nm = country_name(cc);
	return nm ? nm : "unknown code";
}

/* --------------------------------------------------------------- chart */

/* An SVG chart drawn inside a group moved CH_X0 pixels right, so that
 * percentages still measure the whole width. */
static void svg_open(FILE *fp, int h, const char *title, const char *desc, int x0)
{
	fprintf(fp, "<svg class=\"chart\" width=\"100%%\" height=\"%d\" role=\"img\"><title>", h);
	markup_text(fp, title);
	fputs("</title><desc>", fp);
	markup_text(fp, desc);
	fprintf(fp, "</desc><g transform=\"translate(%d,0)\">\n", x0);
}

static void svg_close(FILE *fp)
{
	fputs("</g></svg>\n", fp);
}

/* One bar: the letter (or "") left of it and its value right of it. */
static void svg_bar(FILE *fp, int y, double share, const char *colour,
                    const char *letter, const char *value)
{
	double w = share * CH_BW;

	if (letter && *letter)
		fprintf(fp, "<text x=\"-7\" y=\"%d\" class=\"k\" text-anchor=\"end\">%s</text>",
		        y + CH_BAR - 3, letter);
	/* A sliver for shares too small to see, so "0.1%" has a bar. */
	fprintf(fp, "<rect x=\"0\" y=\"%d\" width=\"%.2f%%\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
	        y, share > 0 && w < 0.3 ? 0.3 : w, CH_BAR, colour);
	fprintf(fp, "<text x=\"%.2f%%\" dx=\"6\" y=\"%d\" class=\"v\">", w, y + CH_BAR - 3);
	markup_text(fp, value);
	fputs("</text>\n", fp);
}

/*
 * At most `max` characters of s (counted in UTF-8 code points, never
 * cutting one), with an ellipsis when shortened, into out.
 */
static const char *shorten(const char *s, size_t max, char *out, size_t size)
{
	size_t i = 0, chars = 0;

	while (s[i] && chars < max && i + 4 < size) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80 && i + 4 < size)
			i++;
		chars++;
	}
	memcpy(out, s, i);
	if (s[i]) {
		/* Back up one character for the ellipsis. */
		while (i > 0 && ((unsigned char)out[i - 1] & 0xc0) == 0x80)
			i--;
		if (i > 0)
			i--;
		memcpy(out + i, "\xe2\x80\xa6", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

static void svg_row_label(FILE *fp, int y, const char *strong, const char *rest,
                          const char *muted)
{
	char buf[4 * CH_LABEL_MAX + 8];
	size_t room = CH_LABEL_MAX - strlen(strong) - (muted ? strlen(muted) + 3 : 0);

	fprintf(fp, "<text x=\"0\" y=\"%d\"><tspan class=\"b\">", y + CH_LABEL - 5);
	markup_text(fp, strong);
	fputs("</tspan>", fp);
	if (rest && *rest) {
		fputs(" ", fp);
		markup_text(fp, shorten(rest, room > 8 && room < CH_LABEL_MAX ? room : 8, buf, sizeof(buf)));
	}
	if (muted && *muted) {
		fputs("<tspan class=\"m\"> \xc2\xb7 ", fp);
		markup_text(fp, muted);
		fputs("</tspan>", fp);
	}
	fputs("</text>\n", fp);
}

/* ------------------------------------------------------------- pieces */

static const char *verdict_label(enum verdict_kind k)
{
	switch (k) {
	case VERDICT_NO_CLAIM: return "No claim: the list is described, not judged";
	case VERDICT_NO_LIST: return "Nothing to check: no address list";
	case VERDICT_EMPTY: return "No usable entry in the list";
	case VERDICT_COUNTRY_ONLY: return "A country but no share was claimed";
	case VERDICT_CONSISTENT: return "Claimed share consistent with the list";
	case VERDICT_OVERSTATED: return "Claimed share overstated";
	case VERDICT_UNDERSTATED: return "Claimed share understated";
	}
	return "";
}

static const char *verdict_class(enum verdict_kind k)
{
	switch (k) {
	case VERDICT_CONSISTENT: return "ok";
	case VERDICT_OVERSTATED:
	case VERDICT_UNDERSTATED: return "bad";
	default: return "info";
	}
}

static const char *const css =
	":root{--fg:#1b1f24;--muted:#58606b;--line:#d5dae0;--card:#f4f6f8;--acc:#1f5fa8}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;color:var(--fg);background:#fff;"
	"font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n"
	"main{max-width:980px;margin:0 auto;padding:20px 16px 40px}\n"
	"h1{font-size:1.6rem;line-height:1.25;margin:0 0 .2em}\n"
	"h2{font-size:1.25rem;margin:2em 0 .6em;padding-bottom:.25em;border-bottom:2px solid var(--line)}\n"
	"h3{font-size:1.05rem;margin:1.4em 0 .4em}\n"
	"p{margin:.5em 0}\n"
	"a{color:var(--acc)}\n"
	".muted,.note{color:var(--muted)}\n"
	".note{font-size:.9rem}\n"
	".mono,code{font-family:ui-monospace,\"SFMono-Regular\",\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:.92em}\n"
	"nav{display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:.9rem;margin:.6em 0 0}\n"
	"nav a{white-space:nowrap}\n"
	".claim{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:1em 0;padding:12px 16px;"
	"background:var(--card);border-radius:8px}\n"
	".claim dt{font-weight:600;color:var(--muted)}\n"
	".claim dd{margin:0;overflow-wrap:anywhere}\n"
	".statement{font-size:1.1rem}\n"
	".verdict{margin:1em 0;padding:14px 18px;border-radius:8px;border:1px solid var(--line);border-left-width:8px}\n"
	".verdict .kind{font-weight:700;font-size:1.15rem;margin:0 0 .3em}\n"
	".verdict.bad{border-left-color:#b03a2e;background:#fdf2f1}\n"
	".verdict.ok{border-left-color:#2e8b57;background:#f0f8f3}\n"
	".verdict.info{border-left-color:#1f5fa8;background:#f1f5fb}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:.8em 0}\n"
	".card{background:var(--card);border-radius:8px;padding:10px 14px}\n"
	".card b{display:block;font-size:1.45rem;line-height:1.2}\n"
	".card span{color:var(--muted);font-size:.88rem}\n"
	".tbl{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.6em 0;border:1px solid var(--line);border-radius:6px}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
	"th,td{padding:5px 9px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}\n"
	"thead th{background:var(--card);position:sticky;top:0;white-space:nowrap}\n"
	"tbody tr:last-child td{border-bottom:0}\n"
	"td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"td.w{overflow-wrap:anywhere;min-width:10em}\n"
	"td.nw{white-space:nowrap}\n"
	"tr.total td{font-weight:600;border-top:2px solid var(--line)}\n"
	"figure{margin:1em 0}\n"
	"figcaption{font-size:.9rem;color:var(--muted);margin-top:.3em}\n"
	"svg.chart{display:block;width:100%;max-width:720px;height:auto}\n"
	"svg text{font-family:inherit;font-size:14px;fill:#1b1f24;"
	"paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
	"svg .claimed{fill:#b03a2e}\n"
	"svg .b{font-weight:600}\n"
	"svg .k{font-weight:700;fill:#58606b}\n"
	"svg .v{fill:#33393f}\n"
	"svg .m{fill:#58606b;font-size:12px}\n"
	".legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.9rem;margin:.4em 0;padding:0;list-style:none}\n"
	".sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;margin-right:.35em}\n"
	".caveat{border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:.7em 0;break-inside:avoid}\n"
	".caveat h3{margin:0 0 .3em;font-size:1rem}\n"
	".id{display:inline-block;font:600 .78rem/1.5 ui-monospace,\"DejaVu Sans Mono\",monospace;background:#fdebd0;"
	"color:#6e3b00;border-radius:4px;padding:0 .45em;margin-right:.5em;vertical-align:.1em}\n"
	".always .id{background:#e5e8ec;color:#3d444c}\n"
	".fig{font-weight:600}\n"
	".refs{margin:.4em 0 0;padding-left:1.2em;font-size:.86rem;color:var(--muted)}\n"
	"details{margin:.6em 0}\n"
	"summary{cursor:pointer;font-weight:600}\n"
	"footer{margin-top:3em;padding-top:1em;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}\n"
	"@media (max-width:600px){body{font-size:15px}main{padding:12px 10px 30px}"
	"h1{font-size:1.3rem}.claim{grid-template-columns:1fr}.claim dt{margin-top:.3em}"
	"svg text{font-size:14px}svg .m{font-size:13px}th,td{padding:4px 6px}}\n"
	/* Paper: A4 and Letter alike.  Tables wrap inside the page instead
	 * of running off its edge, where print would cut them. */
	"@page{margin:14mm 12mm}\n"
	"@media print{body{font-size:10.5pt}main{max-width:none;padding:0}nav{display:none}"
	"table{font-size:8.5pt}th,td{padding:3px 5px}thead th,td.n,th.n,td.nw{white-space:normal}"
	".mono,td{overflow-wrap:anywhere}"
	".tbl{overflow:visible;border:0}thead th{position:static}"
	"tr,.caveat,figure,.verdict,.claim{break-inside:avoid}h2,h3{break-after:avoid}"
	"a{color:inherit;text-decoration:none}footer a[href]::after,#sources a[href]::after{content:\" <\" attr(href) \">\"}"
	"details::details-content{content-visibility:visible;display:contents}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void section(FILE *fp, const char *id, const char *title)
{
	fprintf(fp, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

static void section_end(FILE *fp)
{
	fputs("</section>\n", fp);
}

static void claim_block(const struct check_report *r, FILE *fp)
{
	const struct claim *c = r->claim;
	char b[32];
	const char *nm;

	if (c == NULL || (!c->statement && !c->country[0] && !c->claimant)) {
		fputs("<p class=\"claim\">No claim was given: the list is described, not judged.</p>\n", fp);
		return;
	}
	fputs("<dl class=\"claim\">\n", fp);
	if (c->statement) {
		fputs("<dt>Statement</dt><dd class=\"statement\">\xe2\x80\x9c", fp);
		markup_text(fp, c->statement);
		fputs("\xe2\x80\x9d</dd>\n", fp);
	}
	if (c->claimant) {
		fputs("<dt>Claimant</dt><dd>", fp);
		markup_text(fp, c->claimant);
		fputs("</dd>\n", fp);
	}
	if (c->date) {
		fputs("<dt>Date</dt><dd>", fp);
		markup_text(fp, c->date);
		fputs("</dd>\n", fp);
	}
	if (c->country[0]) {
		nm = country_name(c->country);
		fputs("<dt>Claimed country</dt><dd>", fp);
		markup_text(fp, nm ? nm : c->country);
		fputs(" (<span class=\"mono\">", fp);
		markup_text(fp, c->country);
		fputs("</span>)</dd>\n", fp);
	}
	fputs("<dt>Claimed share</dt><dd>", fp);
	if (c->share >= 0)
		fputs(fmt_pct(c->share, b, sizeof(b)), fp);
	else
		fputs("<span class=\"muted\">none stated</span>", fp);
	fputs("</dd>\n", fp);
	if (c->source) {
		fputs("<dt>Published in</dt><dd>", fp);
		html_linked(fp, c->source);
		fputs("</dd>\n", fp);
	}
	fputs("<dt>Address list</dt><dd>", fp);
	if (c->no_list)
		fputs("<strong>none published</strong> by the claimant", fp);
	else if (r->ninputs > 0)
		fputs("published (checked below)", fp);
	else
		fputs("<span class=\"muted\">not given</span>", fp);
	fputs("</dd>\n", fp);
	if (c->note) {
		fputs("<dt>Note</dt><dd>", fp);
		markup_text(fp, c->note);
		fputs("</dd>\n", fp);
	}
	fputs("</dl>\n", fp);
}

/* The claimed country's share by each source against the claimed share,
 * with the tolerance band the verdict uses. */
static void verdict_chart(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	const struct claim *c = r->claim;
	const struct judgement *j = r->j;
	int y, h, top;
	size_t i;
	char b[32], lab[160];
	const char *nm;

	if (c == NULL || !c->country[0] || a->ncs == 0 || a->total.n == 0)
		return;
	top = c->share >= 0 ? 20 : 4;
	nm = country_name(c->country);
	h = top + (int)a->ncs * (CH_LABEL + CH_BAR + CH_GAP + 4) + 22;
	fputs("<figure>\n", fp);
	svg_open(fp, h, "Claimed country's share by source",
	         "Share of the list each database places in the claimed country, with the claimed share marked", CH_X0);
	/* Grid every 25%. */
	for (i = 0; i <= 4; i++) {
		double x = CH_BW * (double)i / 4;

		fprintf(fp, "<line x1=\"%.2f%%\" y1=\"%d\" x2=\"%.2f%%\" y2=\"%d\" stroke=\"#dde2e7\"/>",
		        x, top, x, h - 18);
		fprintf(fp, "<text x=\"%.2f%%\" y=\"%d\" class=\"m\" text-anchor=\"%s\">%d%%</text>\n",
		        x, h - 4, i == 0 ? "start" : "middle", (int)i * 25);
	}
	if (c->share >= 0) {
		double lo = c->share - JUDGE_TOLERANCE, hi = c->share + JUDGE_TOLERANCE;

		lo = lo < 0 ? 0 : lo;
		hi = hi > 1 ? 1 : hi;
		fprintf(fp, "<rect x=\"%.2f%%\" y=\"%d\" width=\"%.2f%%\" height=\"%d\" fill=\"#b03a2e\" fill-opacity=\".12\"/>",
		        CH_BW * lo, top, CH_BW * (hi - lo), h - 18 - top);
	}
	y = top + 2;
	for (i = 0; i < a->ncs; i++) {
		struct source_info si;
		char letter[3] = { (char)('A' + i), '\0', '\0' };

		source_name_of(a, i, &si);
		snprintf(lab, sizeof(lab), "%s: %s", si.name, nm ? nm : c->country);
		svg_row_label(fp, y, letter, lab, NULL);
		y += CH_LABEL;
		svg_bar(fp, y, j->share[i], src_colour[i], "", fmt_pct(j->share[i], b, sizeof(b)));
		y += CH_BAR + CH_GAP + 4;
	}
	if (c->share >= 0) {
		double x = CH_BW * c->share;

		fprintf(fp, "<line x1=\"%.2f%%\" y1=\"%d\" x2=\"%.2f%%\" y2=\"%d\" stroke=\"#b03a2e\" "
		        "stroke-width=\"2.5\" stroke-dasharray=\"5 3\"/>", x, top - 4, x, h - 18);
		fprintf(fp, "<text x=\"%.2f%%\" y=\"12\" class=\"b claimed\" text-anchor=\"%s\">claimed %s</text>\n",
		        x, c->share > 0.85 ? "end" : (c->share < 0.15 ? "start" : "middle"),
		        fmt_pct(c->share, b, sizeof(b)));
	}
	svg_close(fp);
	fputs("<figcaption>Bars: share of the unique entries each database places in the claimed country.", fp);
	if (c->share >= 0)
		fprintf(fp, " Dashed line: the claimed share; shaded band: \xc2\xb1%.0f percentage points, "
		        "within which the verdict counts the claim as consistent.", 100 * JUDGE_TOLERANCE);
	fputs("</figcaption>\n</figure>\n", fp);
}

static void verdict_block(const struct check_report *r, FILE *fp)
{
	const struct judgement *j = r->j;

	fprintf(fp, "<div class=\"verdict %s\" id=\"verdict\">\n<p class=\"kind\">", verdict_class(j->kind));
	fputs(verdict_label(j->kind), fp);
	fputs("</p>\n<p>", fp);
	markup_text(fp, j->verdict);
	fputs("</p>\n</div>\n", fp);
	verdict_chart(r, fp);
}

static void accounting(const struct check_report *r, FILE *fp)
{
	char b[6][32];
	size_t i;
	unsigned long lines = 0, items = 0, acc = 0, dup = 0, rej = 0;
	const struct aggregate *a = r->agg;

	section(fp, "input", "Input accounting");
	if (r->ninputs == 0) {
		fputs("<p>No address list was given.</p>\n", fp);
		section_end(fp);
		return;
	}
	fputs("<div class=\"tbl\"><table>\n<thead><tr><th>File</th><th>Format</th><th class=\"n\">Lines</th>"
	      "<th class=\"n\">Entries</th><th class=\"n\">Accepted</th><th class=\"n\">Duplicates merged</th>"
	      "<th class=\"n\">Rejected</th></tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < r->ninputs; i++) {
		const struct input_stats *in = &r->inputs[i];

		fputs("<tr><td class=\"w mono\">", fp);
		markup_text(fp, in->name);
		fputs("</td><td>", fp);
		markup_text(fp, extract_format_name(in->ex.format));
		fputs("</td>", fp);
		if (in->failed) {
			fputs("<td colspan=\"5\">unusable: ", fp);
			markup_text(fp, in->error);
			fputs("</td></tr>\n", fp);
			continue;
		}
		fprintf(fp, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		        "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		        fmt_count((double)in->ex.lines, b[0], sizeof(b[0])),
		        fmt_count((double)in->ex.items, b[1], sizeof(b[1])),
		        fmt_count((double)in->ex.accepted, b[2], sizeof(b[2])),
		        fmt_count((double)in->duplicates, b[3], sizeof(b[3])),
		        fmt_count((double)in->ex.rejected, b[4], sizeof(b[4])));
		lines += in->ex.lines;
		items += in->ex.items;
		acc += in->ex.accepted;
		dup += in->duplicates;
		rej += in->ex.rejected;
	}
	if (r->ninputs > 1)
		fprintf(fp, "<tr class=\"total\"><td>total</td><td></td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		        "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		        fmt_count((double)lines, b[0], sizeof(b[0])), fmt_count((double)items, b[1], sizeof(b[1])),
		        fmt_count((double)acc, b[2], sizeof(b[2])), fmt_count((double)dup, b[3], sizeof(b[3])),
		        fmt_count((double)rej, b[4], sizeof(b[4])));
	fputs("</tbody></table></div>\n", fp);
	fprintf(fp, "<p>%s unique entries after merging duplicates (%s IPv4, %s IPv6, %s networks or ranges).",
	        fmt_count((double)ipset_count(r->set), b[0], sizeof(b[0])),
	        fmt_count((double)a->n_v4, b[1], sizeof(b[1])), fmt_count((double)a->n_v6, b[2], sizeof(b[2])),
	        fmt_count((double)a->n_networks, b[3], sizeof(b[3])));
	if (r->j->weighted)
		fprintf(fp, " The list carries counts: %s in all.", fmt_count(a->total.w, b[4], sizeof(b[4])));
	fputs(" Every share in this report is of unique entries.</p>\n", fp);
	for (i = 0; i < r->ninputs; i++) {
		const struct ex_stats *e = &r->inputs[i].ex;
		int kk, first = 1;

		if (e->others == 0)
			continue;
		fputs("<p>Besides its addresses, <span class=\"mono\">", fp);
		markup_text(fp, r->inputs[i].name);
		fputs("</span> holds", fp);
		for (kk = 0; kk < EXK_COUNT; kk++) {
			if (e->other[kk] == 0)
				continue;
			fprintf(fp, "%s %s ", first ? "" : ",", fmt_count((double)e->other[kk], b[0], sizeof(b[0])));
			markup_text(fp, e->other[kk] == 1 ? extract_kind_name((enum ex_kind)kk) :
			            extract_kind_plural((enum ex_kind)kk));
			first = 0;
		}
		fputs(": counted, never looked up. Only addresses are checked; a domain or URL is never "
		      "resolved, since that would contact it.</p>\n", fp);
	}

	if (r->nrejections > 0) {
		/* Open when short, so that a printout shows them. */
		fprintf(fp, "<details%s><summary>%s rejected item%s</summary>\n",
		        r->nrejections <= 50 ? " open" : "",
		        fmt_count((double)r->nrejections, b[0], sizeof(b[0])), r->nrejections == 1 ? "" : "s");
		fputs("<div class=\"tbl\"><table>\n<thead><tr><th>Where</th><th>Reason</th><th>Text</th></tr></thead>\n<tbody>\n", fp);
		for (i = 0; i < r->nrejections; i++) {
			const struct rejection *x = &r->rejections[i];

			fputs("<tr><td class=\"mono\">", fp);
			markup_text(fp, x->file);
			fprintf(fp, ":%lu</td><td>", x->line);
			markup_text(fp, x->why);
			fputs("</td><td class=\"w mono\">", fp);
			markup_text(fp, x->text);
			fputs("</td></tr>\n", fp);
		}
		fputs("</tbody></table></div>\n</details>\n", fp);
	}
	section_end(fp);
}

static void legend(const struct aggregate *a, FILE *fp)
{
	size_t i;

	fputs("<ul class=\"legend\">", fp);
	for (i = 0; i < a->ncs; i++) {
		struct source_info si;

		source_name_of(a, i, &si);
		fprintf(fp, "<li><span class=\"sw\" style=\"background:%s\"></span><b>%c</b> ", src_colour[i], (char)('A' + i));
		markup_text(fp, si.name);
		if (si.data_date[0]) {
			fputs(" <span class=\"muted\">(", fp);
			markup_text(fp, si.data_date);
			fputs(")</span>", fp);
		}
		fputs("</li>", fp);
	}
	fputs("</ul>\n", fp);
}

static void countries(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	double T = a->total.n;
	size_t rows[HTML_MAX_BARS], nrows, i, k;
	size_t max = r->top < HTML_MAX_BARS ? r->top : HTML_MAX_BARS;
	char cc[3], b[32], v[96];
	int h, y;

	section(fp, "countries", "Where the databases place them");
	if (a->ncs == 0) {
		fputs("<p>No country database was available.</p>\n", fp);
		section_end(fp);
		return;
	}
	nrows = agg_top_countries(a, rows, max ? max : 1);
	world_map(r, fp);
	legend(a, fp);
	h = (int)nrows * (CH_LABEL + (int)a->ncs * (CH_BAR + CH_GAP) + 8) + 4;
	fputs("<figure>\n", fp);
	svg_open(fp, h, "Country shares per source",
	         "Grouped bars: for each country, the share of unique entries each database places there", CH_X0);
	y = 0;
	for (k = 0; k < nrows; k++) {
		const char *nm = cc_name(rows[k], cc);

		svg_row_label(fp, y, rows[k] == AGG_NODATA ? "\xe2\x80\x94" : cc, nm, NULL);
		y += CH_LABEL;
		for (i = 0; i < a->ncs; i++) {
			char letter[2] = { (char)('A' + i), '\0' };
			char cnt[32];

			snprintf(v, sizeof(v), "%s \xc2\xb7 %s", fmt_pct(share_of(a->country[i][rows[k]].n, T), b, sizeof(b)),
			         fmt_count(a->country[i][rows[k]].n, cnt, sizeof(cnt)));
			svg_bar(fp, y, share_of(a->country[i][rows[k]].n, T), src_colour[i], letter, v);
			y += CH_BAR + CH_GAP;
		}
		y += 8;
	}
	svg_close(fp);
	fprintf(fp, "<figcaption>Share of the %s unique entries each database places in a country "
	        "(the %zu largest; the letters name the sources).</figcaption>\n</figure>\n",
	        fmt_count(T, b, sizeof(b)), nrows);

	/* The same figures as a table, with the rest summed up. */
	fputs("<div class=\"tbl\"><table>\n<thead><tr><th>Country</th>", fp);
	for (i = 0; i < a->ncs; i++)
		fprintf(fp, "<th class=\"n\">%c entries</th><th class=\"n\">%c share</th>", (char)('A' + i), (char)('A' + i));
	fputs("</tr></thead>\n<tbody>\n", fp);
	{
		double shown[AGG_MAX_CSRC] = { 0 };

		for (k = 0; k < nrows; k++) {
			const char *nm = cc_name(rows[k], cc);

			fputs("<tr><td><span class=\"mono\">", fp);
			markup_text(fp, cc);
			fputs("</span> ", fp);
			markup_text(fp, nm);
			fputs("</td>", fp);
			for (i = 0; i < a->ncs; i++) {
				fprintf(fp, "<td class=\"n\">%s</td>", fmt_count(a->country[i][rows[k]].n, b, sizeof(b)));
				fprintf(fp, "<td class=\"n\">%s</td>", fmt_pct(share_of(a->country[i][rows[k]].n, T), b, sizeof(b)));
				shown[i] += a->country[i][rows[k]].n;
			}
			fputs("</tr>\n", fp);
		}
		if (shown[0] < T) {
			fputs("<tr class=\"total\"><td>the rest</td>", fp);
			for (i = 0; i < a->ncs; i++) {
				fprintf(fp, "<td class=\"n\">%s</td>", fmt_count(T - shown[i], b, sizeof(b)));
				fprintf(fp, "<td class=\"n\">%s</td>", fmt_pct(share_of(T - shown[i], T), b, sizeof(b)));
			}
			fputs("</tr>\n", fp);
		}
	}
	fputs("</tbody></table></div>\n", fp);

	if (a->cited.n > 0) {
		char b2[32], b3[32];

		fprintf(fp, "<h3>Cited location against the databases</h3>\n<p>Of %s entr%s whose location "
		        "the list itself cites:", fmt_count(a->cited.n, b, sizeof(b)), a->cited.n == 1 ? "y" : "ies");
		for (i = 0; i < a->ncs; i++) {
			fprintf(fp, " Source %c agrees for %s (%s);", (char)('A' + i),
			        fmt_count(a->cited_match[i].n, b2, sizeof(b2)),
			        fmt_pct(share_of(a->cited_match[i].n, a->cited.n), b, sizeof(b)));
			fprintf(fp, " %s are placed elsewhere and %s not placed.",
			        fmt_count(a->cited.n - a->cited_match[i].n - a->cited_nodata[i].n, b2, sizeof(b2)),
			        fmt_count(a->cited_nodata[i].n, b3, sizeof(b3)));
		}
		fputs("</p>\n", fp);
		if (a->nmismatches > 0) {
			fputs("<div class=\"tbl\"><table>\n<thead><tr><th>Entry</th><th>Cited</th>", fp);
			for (i = 0; i < a->ncs; i++)
				fprintf(fp, "<th>%c</th>", (char)('A' + i));
			fputs("</tr></thead>\n<tbody>\n", fp);
			for (k = 0; k < a->nmismatches && k < HTML_MAX_EXAMPLES; k++) {
				struct ga_net n;
				char t[NET_TEXT_MAX];

				ipset_net(r->set, a->mismatches[k].rec, &n);
				fputs("<tr><td class=\"mono\">", fp);
				markup_text(fp, net_format(&n, t));
				fputs("</td><td class=\"mono\">", fp);
				markup_text(fp, a->mismatches[k].cited);
				fputs("</td>", fp);
				for (i = 0; i < a->ncs; i++) {
					fputs("<td class=\"mono\">", fp);
					markup_text(fp, a->mismatches[k].cc[i][0] ? a->mismatches[k].cc[i] : "--");
					fputs("</td>", fp);
				}
				fputs("</tr>\n", fp);
			}
			fputs("</tbody></table></div>\n", fp);
		}
	}
	section_end(fp);
}

static void agreement(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	double both = a->both_answered.n, dis = a->disagree.n, agree = both - dis;
	char b[4][32];
	size_t i, k;

	section(fp, "agreement", "Do the sources agree?");
	if (a->ncs < 2) {
		fputs("<p>Only one country database was available, so there is nothing to compare.</p>\n", fp);
		section_end(fp);
		return;
	}
	if (both == 0) {
		fputs("<p>No entry was placed by more than one source.</p>\n", fp);
		section_end(fp);
		return;
	}
	fputs("<figure>\n", fp);
	svg_open(fp, 58, "Source agreement",
	         "Of the entries that two or more sources place, how many they place in the same country", 0);
	/* One bar split in two; the words below say which part is which. */
	fprintf(fp, "<rect x=\"0\" y=\"2\" width=\"%.2f%%\" height=\"28\" fill=\"#2e8b57\"/>", 100 * agree / both);
	fprintf(fp, "<rect x=\"%.2f%%\" y=\"2\" width=\"%.2f%%\" height=\"28\" fill=\"#b03a2e\"/>\n",
	        100 * agree / both, 100 * dis / both);
	fprintf(fp, "<text x=\"0\" y=\"50\"><tspan class=\"b\"><tspan style=\"fill:#2e8b57\">\xe2\x96\xa0</tspan> agree</tspan> %s (%s)</text>",
	        fmt_count(agree, b[0], sizeof(b[0])), fmt_pct(agree / both, b[1], sizeof(b[1])));
	fprintf(fp, "<text x=\"100%%\" y=\"50\" text-anchor=\"end\"><tspan class=\"b\">disagree <tspan style=\"fill:#b03a2e\">\xe2\x96\xa0</tspan></tspan> %s (%s)</text>\n",
	        fmt_count(dis, b[2], sizeof(b[2])), fmt_pct(dis / both, b[3], sizeof(b[3])));
	svg_close(fp);
	fprintf(fp, "<figcaption>Of the %s entries that two or more sources place, the sources name "
	        "different countries for %s (%s).</figcaption>\n</figure>\n",
	        fmt_count(both, b[0], sizeof(b[0])), fmt_count(dis, b[1], sizeof(b[1])),
	        fmt_pct(dis / both, b[2], sizeof(b[2])));
	if (a->ndisagreements > 0) {
		fprintf(fp, "<details%s><summary>Entries where they disagree</summary>\n",
		        a->ndisagreements <= 20 ? " open" : "");
		fputs("<div class=\"tbl\"><table>\n<thead><tr><th>Entry</th>", fp);
		for (i = 0; i < a->ncs; i++)
			fprintf(fp, "<th>%c</th>", (char)('A' + i));
		fputs("</tr></thead>\n<tbody>\n", fp);
		for (k = 0; k < a->ndisagreements && k < HTML_MAX_EXAMPLES; k++) {
			struct ga_net n;
			char t[NET_TEXT_MAX];

			ipset_net(r->set, a->disagreements[k].rec, &n);
			fputs("<tr><td class=\"mono\">", fp);
			markup_text(fp, net_format(&n, t));
			fputs("</td>", fp);
			for (i = 0; i < a->ncs; i++) {
				const char *x = a->disagreements[k].cc[i];
				const char *nm = x[0] ? country_name(x) : NULL;

				fputs("<td><span class=\"mono\">", fp);
				markup_text(fp, x[0] ? x : "--");
				fputs("</span>", fp);
				if (nm) {
					fputs(" ", fp);
					markup_text(fp, nm);
				}
				fputs("</td>", fp);
			}
			fputs("</tr>\n", fp);
		}
		fputs("</tbody></table></div>\n", fp);
		if (dis > (double)(a->ndisagreements < HTML_MAX_EXAMPLES ? a->ndisagreements : HTML_MAX_EXAMPLES))
			fprintf(fp, "<p class=\"note\">The first %zu are shown.</p>\n",
			        a->ndisagreements < HTML_MAX_EXAMPLES ? a->ndisagreements : (size_t)HTML_MAX_EXAMPLES);
		fputs("</details>\n", fp);
	}
	section_end(fp);
}

static void asns(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	double T = a->total.n;
	size_t max = r->top < HTML_MAX_BARS ? r->top : HTML_MAX_BARS, n, k;
	char b[4][32], v[96], t[NET_TEXT_MAX];
	int h, y;

	section(fp, "asns", "Who holds them");
	fprintf(fp, "<div class=\"cards\">"
	        "<div class=\"card\"><b>%s</b><span>distinct ASNs</span></div>"
	        "<div class=\"card\"><b>%s</b><span>held by the largest ASN</span></div>"
	        "<div class=\"card\"><b>%s</b><span>held by the five largest</span></div>"
	        "<div class=\"card\"><b>%.3f</b><span>HHI (0 spread out \xe2\x80\xa6 1 one network)</span></div>"
	        "</div>\n",
	        fmt_count((double)a->nasn, b[0], sizeof(b[0])), fmt_pct(a->top1, b[1], sizeof(b[1])),
	        fmt_pct(a->top5, b[2], sizeof(b[2])), a->hhi);
	n = a->nasn < max ? a->nasn : max;
	if (n + (a->no_asn.n > 0) > 0) {
		h = (int)(n + (a->no_asn.n > 0)) * (CH_LABEL + CH_BAR + CH_GAP + 8) + 4;
		fputs("<figure>\n", fp);
		svg_open(fp, h, "ASN concentration", "The largest autonomous systems by share of unique entries", CH_X0);
		y = 0;
		for (k = 0; k < n; k++) {
			const struct agg_asn *x = &a->asns[k];
			snprintf(t, sizeof(t), "AS%lu", (unsigned long)x->asn);
			svg_row_label(fp, y, t, x->org ? x->org : "(no name)", NULL);
			y += CH_LABEL;
			snprintf(v, sizeof(v), "%s \xc2\xb7 %s", fmt_pct(share_of(x->n, T), b[0], sizeof(b[0])),
			         fmt_count(x->n, b[1], sizeof(b[1])));
			svg_bar(fp, y, share_of(x->n, T), "#1f5fa8", "", v);
			y += CH_BAR + CH_GAP + 8;
		}
		if (a->no_asn.n > 0) {
			svg_row_label(fp, y, "no ASN", "unrouted or special-use", NULL);
			y += CH_LABEL;
			snprintf(v, sizeof(v), "%s \xc2\xb7 %s", fmt_pct(share_of(a->no_asn.n, T), b[0], sizeof(b[0])),
			         fmt_count(a->no_asn.n, b[1], sizeof(b[1])));
			svg_bar(fp, y, share_of(a->no_asn.n, T), "#8a939d", "", v);
		}
		svg_close(fp);
		fprintf(fp, "<figcaption>Share of unique entries per autonomous system (the %zu largest of %s). "
		        "HHI is the Herfindahl\xe2\x80\x93Hirschman index over entries with an ASN.</figcaption>\n</figure>\n",
		        n, fmt_count((double)a->nasn, b[0], sizeof(b[0])));
		/* Full names and types, which the chart shortens. */
		fputs("<div class=\"tbl\"><table>\n<thead><tr><th>ASN</th><th>Organisation</th><th>Type</th>"
		      "<th class=\"n\">Entries</th><th class=\"n\">Share</th></tr></thead>\n<tbody>\n", fp);
		for (k = 0; k < n; k++) {
			const struct agg_asn *x = &a->asns[k];

			fprintf(fp, "<tr><td class=\"mono\">AS%lu</td><td class=\"w\">", (unsigned long)x->asn);
			markup_text(fp, x->org);
			fprintf(fp, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
			        net_type_label(x->type), fmt_count(x->n, b[0], sizeof(b[0])),
			        fmt_pct(share_of(x->n, T), b[1], sizeof(b[1])));
		}
		if (a->no_asn.n > 0)
			fprintf(fp, "<tr><td>\xe2\x80\x94</td><td>no ASN (unrouted or special-use)</td><td></td>"
			        "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
			        fmt_count(a->no_asn.n, b[0], sizeof(b[0])), fmt_pct(share_of(a->no_asn.n, T), b[1], sizeof(b[1])));
		fputs("</tbody></table></div>\n", fp);
	}
	fprintf(fp, "<p>%s distinct /24 (IPv4) and /48 (IPv6) blocks.", fmt_count((double)a->nclusters, b[0], sizeof(b[0])));
	if (a->ntop_clusters > 0 && a->top_clusters[0].n > 1) {
		fputs(" Largest blocks:", fp);
		for (k = 0; k < a->ntop_clusters && k < 5 && a->top_clusters[k].n > 1; k++)
			fprintf(fp, "%s <span class=\"mono\">%s</span> (%s)", k ? "," : "",
			        agg_cluster_text(a->top_clusters[k].key, t), fmt_count(a->top_clusters[k].n, b[1], sizeof(b[1])));
		fputs(".", fp);
	}
	fputs("</p>\n", fp);
	section_end(fp);
}

static void types(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	double T = a->total.n;
	size_t k, n = 0;
	char b[2][32], v[256], tiers[160];
	int h, y;

	section(fp, "types", "What kind of networks");
	for (k = 0; k < AGG_NTYPES; k++)
		if (a->type[k].n > 0)
			n++;
	if (n > 0) {
		h = (int)n * (CH_LABEL + CH_BAR + CH_GAP + 8) + 4;
		fputs("<figure>\n", fp);
		svg_open(fp, h, "Network types", "Share of unique entries by the kind of network holding them", CH_X0);
		y = 0;
		for (k = 0; k < AGG_NTYPES; k++) {
			if (a->type[k].n == 0)
				continue;
			svg_row_label(fp, y, net_type_label((enum net_type)k), "", NULL);
			y += CH_LABEL;
			snprintf(v, sizeof(v), "%s \xc2\xb7 %s \xc2\xb7 %s", fmt_pct(share_of(a->type[k].n, T), b[0], sizeof(b[0])),
			         fmt_count(a->type[k].n, b[1], sizeof(b[1])),
			         agg_tier_text(a, (enum net_type)k, tiers, sizeof(tiers)));
			svg_bar(fp, y, share_of(a->type[k].n, T),
			        k == NT_UNKNOWN ? "#8a939d" : (k == NT_SPECIAL ? "#9a7d0a" : "#2e8b57"), "", v);
			y += CH_BAR + CH_GAP + 8;
		}
		svg_close(fp);
		fputs("<figcaption>A rented server, a VPN or a Tor exit says nothing about who used it; a home or "
		      "mobile address often belongs to a compromised device.</figcaption>\n</figure>\n", fp);
	}
	if (a->special_total.n > 0) {
		fputs("<h3>Special-use addresses</h3>\n<p>These should never be the source of traffic on the public "
		      "Internet:</p>\n<div class=\"tbl\"><table>\n<thead><tr><th>Class</th><th class=\"n\">Entries</th>"
		      "</tr></thead>\n<tbody>\n", fp);
		for (k = 1; k < AGG_NSPECIAL; k++)
			if (a->special[k].n > 0)
				fprintf(fp, "<tr><td>%s</td><td class=\"n\">%s</td></tr>\n",
				        special_class_name((enum special_class)k), fmt_count(a->special[k].n, b[0], sizeof(b[0])));
		fputs("</tbody></table></div>\n", fp);
	}
	section_end(fp);
}

/* The caveat's figure as people read it: "hosting share: 27.3%". */
static void figure_text(FILE *fp, const struct caveat *cv)
{
	char b[32];
	const char *nm = cv->figure_name, *p;
	size_t l;

	if (cv->figure < 0 || nm == NULL)
		return;
	/* Flags carry 0 as a placeholder: the text already says it all. */
	if (cv->figure == 0 && (strcmp(nm, "fields_missing") == 0 || strcmp(nm, "addresses_published") == 0))
		return;
	l = strlen(nm);
	fputs("<p class=\"fig\">", fp);
	for (p = nm; *p; p++)
		fputc(*p == '_' ? ' ' : *p, fp);
	fputs(": ", fp);
	if (l > 6 && strcmp(nm + l - 6, "_share") == 0)
		fputs(fmt_pct(cv->figure, b, sizeof(b)), fp);
	else if (strcmp(nm, "months_apart") == 0)
		fprintf(fp, "%s months", fmt_count(cv->figure, b, sizeof(b)));
	else
		fputs(fmt_count(cv->figure, b, sizeof(b)), fp);
	fputs("</p>\n", fp);
}

static void caveat_card(FILE *fp, const struct caveat *cv)
{
	const char *p = cv->refs, *semi;

	fprintf(fp, "<div class=\"caveat%s\">\n<h3><span class=\"id\">", cv->always ? " always" : "");
	markup_text(fp, cv->id);
	fputs("</span>", fp);
	markup_text(fp, cv->title);
	fputs("</h3>\n<p>", fp);
	markup_text(fp, cv->text);
	fputs("</p>\n", fp);
	figure_text(fp, cv);
	if (p != NULL && *p) {
		fputs("<ul class=\"refs\">", fp);
		while (p != NULL && *p) {
			semi = strstr(p, "; ");
			fputs("<li>", fp);
			markup_text_n(fp, p, semi ? (size_t)(semi - p) : strlen(p));
			fputs("</li>", fp);
			p = semi ? semi + 2 : NULL;
		}
		fputs("</ul>\n", fp);
	}
	fputs("</div>\n", fp);
}

static void asof_row(FILE *fp, const char *what, unsigned long x, unsigned long n)
{
	fputs("<tr><td>", fp);
	markup_text(fp, what);
	fprintf(fp, "</td><td class=\"num\">%lu</td><td class=\"num\">%.1f%%</td></tr>\n", x,
	        n ? 100.0 * (double)x / (double)n : 0);
}

/* Then and now: the summary, then every entry with a flag. */
static void asof_block(const struct check_report *r, FILE *fp)
{
	const struct asof_summary *m = r->asof_sum;
	size_t k, shown = 0;
	char t[NET_TEXT_MAX], fl[128];

	section(fp, "asof", "Then and now");
	if (r->asof == NULL) {
		fputs("<p>", fp);
		markup_text(fp, r->asof_hint);
		fputs("</p>\n", fp);
		section_end(fp);
		return;
	}
	fprintf(fp, "<p>As of <b>%s</b>, %lu entries compared (special-use left out). Registry: ",
	        asof_date(r->asof), m->n);
	markup_text(fp, asof_used(r->asof, 0));
	fputs("; ", fp);
	markup_text(fp, asof_used(r->asof, 1));
	fputs("; AS names: ", fp);
	markup_text(fp, asof_used(r->asof, 3));
	fputs("; Tor: ", fp);
	markup_text(fp, asof_used(r->asof, 2));
	fputs(".</p>\n<div class=\"tbl\"><table>\n<thead><tr><th>then vs now</th><th>entries</th>"
	      "<th>share</th></tr></thead>\n<tbody>\n", fp);
	asof_row(fp, "changed since (country, holder or type)", m->changed, m->n);
	asof_row(fp, "registry country changed", m->cc_changed, m->n);
	asof_row(fp, "changed holder (origin AS then, ASN now)", m->moved, m->n);
	asof_row(fp, "Tor exit then, not now (or the reverse)", m->type_changed, m->n);
	asof_row(fp, "Tor exit in the week around the date", m->tor_then, m->n);
	asof_row(fp, "not allocated on the date", m->not_allocated, m->n);
	asof_row(fp, "unrouted on the date", m->unrouted, m->n);
	fputs("</tbody></table></div>\n", fp);
	fputs("<h3>Entries with a flag</h3>\n<div class=\"tbl\"><table>\n<thead><tr><th>entry</th>"
	      "<th>registry then</th><th>origin then</th><th>Tor then</th><th>now</th><th>flags</th>"
	      "</tr></thead>\n<tbody>\n", fp);
	for (k = 0; k < ipset_count(r->set) && shown < 200; k++) {
		const struct asof_rec *x = &r->asof_recs[k];
		struct asof_then th;
		struct ga_net n;

		if (!x->compared || x->flags == 0)
			continue;
		shown++;
		asof_then_get(r->asof, x, &th);
		ipset_net(r->set, k, &n);
		fprintf(fp, "<tr><td class=\"mono\">%s</td><td>", net_format(&n, t));
		if (th.reg) {
			markup_text(fp, th.reg->country[0] ? th.reg->country : "--");
			fputc(' ', fp);
			markup_text(fp, th.reg->hist_status ? th.reg->hist_status : "");
			fputc(' ', fp);
			markup_text(fp, th.reg->hist_date ? th.reg->hist_date : "");
		} else {
			fputs("no record", fp);
		}
		fputs("</td><td>", fp);
		if (th.rt) {
			fputs("AS", fp);
			markup_text(fp, th.rt->hist_origins ? th.rt->hist_origins : "");
			if (th.rt->org != NULL) {
				fputs(" (", fp);
				markup_text(fp, th.rt->org);
				fputc(')', fp);
			}
		} else {
			fputs("unrouted", fp);
		}
		fputs("</td><td>", fp);
		if (th.tor) {
			markup_text(fp, th.tor->hist_first_seen ? th.tor->hist_first_seen : "");
			fputs(" \xe2\x80\x93 ", fp);
			markup_text(fp, th.tor->hist_last_seen ? th.tor->hist_last_seen : "");
		}
		fprintf(fp, "</td><td>%s", x->cc_now[0] ? x->cc_now : "--");
		if (x->asn_now)
			fprintf(fp, " AS%lu", (unsigned long)x->asn_now);
		fprintf(fp, "%s</td><td>%s</td></tr>\n", x->tor_now ? " Tor exit" : "",
		        asof_flag_names(x->flags, fl, sizeof(fl)));
	}
	fputs("</tbody></table></div>\n", fp);
	section_end(fp);
}

static void caveats(const struct check_report *r, FILE *fp)
{
	const struct judgement *j = r->j;
	size_t k, n = 0;

	section(fp, "caveats", "Caveats");
	fprintf(fp, "<h3>Triggered by this %s</h3>\n", j->kind == VERDICT_NO_LIST ? "claim" : "list");
	for (k = 0; k < j->ncaveats; k++)
		if (!j->caveats[k].always) {
			caveat_card(fp, &j->caveats[k]);
			n++;
		}
	if (n == 0)
		fputs("<p class=\"muted\">None.</p>\n", fp);
	for (n = 0, k = 0; k < j->ncaveats; k++)
		n += j->caveats[k].always != 0;
	if (n > 0)
		fputs("<h3>True of every list</h3>\n", fp);
	for (k = 0; k < j->ncaveats; k++)
		if (j->caveats[k].always)
			caveat_card(fp, &j->caveats[k]);
	section_end(fp);

	section(fp, "evidence", "What would make this checkable");
	fputs("<ul>\n", fp);
	for (k = 0; judge_evidence_needed[k]; k++) {
		fputs("<li>", fp);
		markup_text(fp, judge_evidence_needed[k]);
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n", fp);
	section_end(fp);
}

static void entries(const struct check_report *r, FILE *fp)
{
	struct aggregate *a = r->agg;
	size_t total = ipset_count(r->set), shown, k, i;
	char b[32], t[NET_TEXT_MAX];
	int cited = a->cited.n > 0;

	section(fp, "entries", "Every entry");
	if (total == 0) {
		fputs("<p>The list holds no usable entry.</p>\n", fp);
		section_end(fp);
		return;
	}
	shown = total < HTML_MAX_ENTRIES ? total : HTML_MAX_ENTRIES;
	legend(a, fp);
	fputs("<div class=\"tbl\"><table>\n<thead><tr><th>Entry</th><th class=\"n\">Line</th><th class=\"n\">Seen</th>", fp);
	if (r->j->weighted)
		fputs("<th class=\"n\">Count</th>", fp);
	for (i = 0; i < a->ncs; i++) {
		struct source_info si;

		source_name_of(a, i, &si);
		fprintf(fp, "<th title=\"");
		markup_text(fp, si.name);
		fprintf(fp, "\">%c</th>", (char)('A' + i));
	}
	if (cited)
		fputs("<th>Cited</th>", fp);
	fputs("<th>ASN</th><th>Organisation</th><th>Type</th><th>Special-use</th></tr></thead>\n<tbody>\n", fp);
	for (k = 0; k < shown; k++) {
		struct ga_net n;
		struct answer ans;
		struct ipset_entry e;
		const struct ipset_entry *rec = report_entry(r, k, &e, &n, &ans);
		const struct net_class nc = ans.type;
		fputs("<tr><td class=\"mono\">", fp);
		markup_text(fp, net_format(&n, t));
		fprintf(fp, "</td><td class=\"n\">%lu</td><td class=\"n\">%lu</td>",
		        (unsigned long)rec->line, (unsigned long)rec->seen);
		if (r->j->weighted)
			fprintf(fp, "<td class=\"n\">%s</td>", fmt_count(rec->weight, b, sizeof(b)));
		for (i = 0; i < a->ncs; i++) {
			const char *cc = answer_country(&ans, a->csrc[i]);

			fputs("<td class=\"mono\">", fp);
			markup_text(fp, cc[0] ? cc : "--");
			fputs("</td>", fp);
		}
		if (cited) {
			fputs("<td class=\"mono\">", fp);
			markup_text_n(fp, rec->cited, rec->cited[0] ? 2 : 0);
			fputs("</td>", fp);
		}
		if (answer_asn(&ans))
			fprintf(fp, "<td class=\"mono\">AS%lu</td>", (unsigned long)answer_asn(&ans));
		else
			fputs("<td>\xe2\x80\x94</td>", fp);
		fputs("<td class=\"w\">", fp);
		markup_text(fp, answer_org(&ans));
		fputs("</td><td class=\"nw\">", fp);
		markup_text(fp, net_type_label(nc.type));
		fputs("</td><td>", fp);
		if (ans.special) {
			markup_text(fp, ans.special->name);
			fputs(" (", fp);
			markup_text(fp, ans.special->rfc);
			fputs(")", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	if (shown < total)
		fprintf(fp, "<p class=\"note\">%s more entries are left out here; <code>--format csv</code> "
		        "lists them all.</p>\n", fmt_count((double)(total - shown), b, sizeof(b)));
	section_end(fp);
}

static void sources(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	size_t i;

	section(fp, "sources", "Data sources");
	fputs("<div class=\"tbl\"><table>\n<thead><tr><th></th><th>Database</th><th>Data</th><th>Date</th>"
	      "<th>Licence</th><th>Attribution</th></tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < sources_count(a->set); i++) {
		struct source_info si;

		source_info(sources_at(a->set, i), &si);
		fputs("<tr><td><b>", fp);
		if (si.label)
			fputc(si.label, fp);
		fputs("</b></td><td class=\"w\">", fp);
		markup_text(fp, si.name);
		if (si.description[0]) {
			fputs("<br><span class=\"note\">", fp);
			markup_text(fp, si.description);
			fputs("</span>", fp);
		}
		fputs("</td><td>", fp);
		if (si.caps & SRC_HAS_COUNTRY)
			fputs("country ", fp);
		if (si.caps & SRC_HAS_ASN)
			fputs("ASN ", fp);
		if (si.caps & SRC_HAS_TYPE)
			fputs("type", fp);
		fputs("</td><td class=\"mono nw\">", fp);
		markup_text(fp, si.data_date);
		fputs("</td><td>", fp);
		markup_text(fp, si.license);
		fputs("</td><td class=\"w\">", fp);
		html_linked(fp, si.attribution);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	section_end(fp);
}

static void footer(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	size_t i;

	/* The attribution the data licences require, in one place. */
	fputs("<footer>\n<p>Data:", fp);
	for (i = 0; i < sources_count(a->set); i++) {
		struct source_info si;

		source_info(sources_at(a->set, i), &si);
		if (si.attribution[0]) {
			fputs(" ", fp);
			html_linked(fp, si.attribution);
			fputs(".", fp);
		}
	}
	fputs("</p>\n<p>Made by geoattr " PACKAGE_VERSION ". The report describes data; it does not say who "
	      "was behind any traffic.</p>\n</footer>\n", fp);
}

/* ----------------------------------------------------------------- map */

/* What a view shows: heading and values, into v and the caller's
 * arrays.  View k < ncs is source k; REPORT_MAP_DISAGREE the entries on
 * which the sources disagree, by each country one of them named. */
static void map_view_of(const struct aggregate *a, int k, struct map_view *v,
                        double *values, char *heading, size_t hlen, char *id)
{
	const struct agg_bin *bins = k == REPORT_MAP_DISAGREE ? a->disagree_cc : a->country[k];
	char b[32], b2[32];
	size_t i;

	for (i = 0; i < WORLDMAP_NCC; i++)
		values[i] = bins[i].n;
	memset(v, 0, sizeof(*v));
	v->value = values;
	v->total = a->total.n;
	if (k == REPORT_MAP_DISAGREE) {
		snprintf(id, 16, "wm-d");
		snprintf(heading, hlen, "Where the sources disagree: %s of the %s entries both place",
		         fmt_count(a->disagree.n, b, sizeof(b)), fmt_count(a->both_answered.n, b2, sizeof(b2)));
		v->what = "entries on which the sources disagree";
		v->scale = MAP_COUNT;
	} else {
		struct source_info si;

		source_name_of(a, (size_t)k, &si);
		snprintf(id, 16, "wm-%d", k);
		snprintf(heading, hlen, "Source %c (%s): share of the %s entries per country", (char)('A' + k),
		         si.name, fmt_count(a->total.n, b, sizeof(b)));
		v->what = "entries";
		v->scale = MAP_SHARE;
	}
	v->id = id;
	v->heading = heading;
}

static void map_draw(const struct check_report *r, const struct worldmap *m, int k,
                     FILE *fp, int standalone)
{
	double *values = xcalloc(WORLDMAP_NCC, sizeof(*values));
	char heading[256], id[16];
	struct map_view v;

	map_view_of(r->agg, k, &v, values, heading, sizeof(heading), id);
	worldmap_svg(m, &v, fp, standalone);
	free(values);
}

void report_svg(const struct check_report *r, const struct worldmap *map, FILE *fp)
{
	map_draw(r, map, r->map_view, fp, 1);
}

/*
 * The map's views, one shown at a time by radio buttons and CSS (no
 * script: a page without scripts still switches, and without CSS, or on
 * paper, every view shows, one after the other).
 */
static void world_map(const struct check_report *r, FILE *fp)
{
	const struct aggregate *a = r->agg;
	int k, nviews = (int)a->ncs, first = r->map_view;

	if (r->map == NULL || a->ncs == 0)
		return;
	if (first == REPORT_MAP_DISAGREE && a->ncs < 2)
		first = 0;
	if (first >= nviews)
		first = 0;
	fputs("<figure class=\"maps\">\n", fp);
	for (k = 0; k <= nviews; k++) {
		int view = k == nviews ? REPORT_MAP_DISAGREE : k;
		struct source_info si;

		if (view == REPORT_MAP_DISAGREE && a->ncs < 2)
			break;
		fprintf(fp, "<input type=\"radio\" name=\"wmv\" id=\"wmv-%d\"%s>", k, view == first ? " checked" : "");
		fprintf(fp, "<label for=\"wmv-%d\">", k);
		if (view == REPORT_MAP_DISAGREE) {
			fputs("Where they disagree", fp);
		} else {
			source_name_of(a, (size_t)k, &si);
			fprintf(fp, "%c ", (char)('A' + k));
			markup_text(fp, si.name);
		}
		fputs("</label>\n", fp);
	}
	for (k = 0; k <= nviews; k++) {
		int view = k == nviews ? REPORT_MAP_DISAGREE : k;

		if (view == REPORT_MAP_DISAGREE && a->ncs < 2)
			break;
		fprintf(fp, "<div class=\"mv\" id=\"mv-%d\">\n", k);
		map_draw(r, r->map, view, fp, 0);
		fputs("</div>\n", fp);
	}
	fputs("<figcaption>Equal Earth projection: areas are true to size. Hover or tap a country for its "
	      "figures; the colour classes are in the legend, the countries too small for this scale "
	      "under it. Shapes: Natural Earth (public domain) via world-atlas.</figcaption>\n</figure>\n", fp);
}

/* The tabs of the map: each radio shows its view.  Written for as many
 * views as a report can have (every country source and the disagreement). */
static void map_css(FILE *fp)
{
	int k;

	fputs(worldmap_css(), fp);
	fputs(".maps input{position:absolute;opacity:0;width:1px;height:1px}"
	      ".maps label{display:inline-block;margin:0 .3em .4em 0;padding:.2em .7em;border:1px solid var(--line);"
	      "border-radius:999px;cursor:pointer;font-size:.9rem}"
	      ".maps input:checked+label{background:var(--acc);border-color:var(--acc);color:#fff}"
	      ".maps input:focus-visible+label{outline:2px solid var(--acc);outline-offset:2px}"
	      ".maps .mv{display:none;margin-top:.3em}\n", fp);
	for (k = 0; k <= AGG_MAX_CSRC; k++)
		fprintf(fp, "%s#wmv-%d:checked~#mv-%d", k ? "," : "", k, k);
	fputs("{display:block}\n"
	      "@media print{.maps label{display:none}.maps .mv{display:block;break-inside:avoid}"
	      ".maps svg.wm{max-width:78%}}\n", fp);
}

/* ---------------------------------------------------------------- page */

void report_html(const struct check_report *r, FILE *fp)
{
	const struct claim *c = r->claim;
	int has_data = r->j->kind != VERDICT_NO_LIST && r->agg->total.n > 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"geoattr " PACKAGE_VERSION "\">\n<title>geoattr check", fp);
	if (c != NULL && c->claimant) {
		fputs(": ", fp);
		markup_text(fp, c->claimant);
	}
	if (c != NULL && c->country[0]) {
		fputs(" \xe2\x80\x94 ", fp);
		markup_text(fp, country_name(c->country) ? country_name(c->country) : c->country);
	}
	fprintf(fp, "</title>\n<style>\n%s", css);
	if (r->map != NULL)
		map_css(fp);
	fputs("</style>\n</head>\n<body>\n<main>\n", fp);

	fputs("<header>\n<h1>Checking a claim against the IP list behind it</h1>\n", fp);
	fputs("<nav><a href=\"#verdict\">Verdict</a><a href=\"#input\">Input</a>", fp);
	if (has_data)
		fputs("<a href=\"#countries\">Countries</a><a href=\"#agreement\">Agreement</a>"
		      "<a href=\"#asns\">Networks</a><a href=\"#types\">Types</a>", fp);
	if (r->asof != NULL || r->asof_hint != NULL)
		fputs("<a href=\"#asof\">Then and now</a>", fp);
	fputs("<a href=\"#caveats\">Caveats</a><a href=\"#evidence\">Evidence needed</a>", fp);
	if (has_data)
		fputs("<a href=\"#entries\">Entries</a>", fp);
	fputs("<a href=\"#sources\">Sources</a></nav>\n</header>\n", fp);

	section(fp, "claim", "The claim and the verdict");
	claim_block(r, fp);
	verdict_block(r, fp);
	section_end(fp);

	accounting(r, fp);
	if (has_data) {
		countries(r, fp);
		agreement(r, fp);
		asns(r, fp);
		types(r, fp);
	}
	if (r->asof != NULL || r->asof_hint != NULL)
		asof_block(r, fp);
	caveats(r, fp);
	if (has_data)
		entries(r, fp);
	sources(r, fp);
	footer(r, fp);
	fputs("</main>\n</body>\n</html>\n", fp);
}
