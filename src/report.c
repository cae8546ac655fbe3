/*
 * report.c - text, JSON and CSV renderings of a check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "jsonout.h"
#include "report.h"
#include "util.h"

/* ------------------------------------------------------------- helpers */

struct style {
	const char *bold, *dim, *warn, *off;
};

static struct style style_of(const struct check_report *r)
{
	struct style s = { "", "", "", "" };

	if (r->color) {
		s.bold = "\033[1m";
		s.dim = "\033[2m";
		s.warn = "\033[33m";
		s.off = "\033[0m";
	}
	return s;
}

static void bar(FILE *fp, double share, int width, int unicode)
{
	static const char *const eighths[] = {
		"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
		"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89"
	};
	int cells = (int)(share * width * 8 + 0.5), used = 0;

	if (cells > width * 8)
		cells = width * 8;
	if (unicode) {
		for (; cells >= 8; cells -= 8, used++)
			fputs("\xe2\x96\x88", fp);
		if (cells > 0) {
			fputs(eighths[cells], fp);
			used++;
		}
	} else {
		for (cells = (int)(share * width + 0.5); cells > 0 && used < width; cells--, used++)
			fputc('#', fp);
	}
	for (; used < width; used++)
		fputc(' ', fp);
}

static const char *label_of(const struct aggregate *a, size_t i)
{
	static char l[2];

	(void)a;
	l[0] = (char)('A' + i);
	l[1] = '\0';
	return l;
}

static void source_line(FILE *fp, const struct aggregate *a)
{
	size_t i;

	for (i = 0; i < sources_count(a->set); i++) {
		struct source_info si;

		source_info(sources_at(a->set, i), &si);
		if (i > 0)
			fputs(" \xc2\xb7 ", fp);
		if (si.label)
			fprintf(fp, "%c %s %s", si.label, si.name, si.data_date[0] ? si.data_date : "");
		else
			fprintf(fp, "%s %s %s", (si.caps & SRC_HAS_ASN) ? "ASN" : "", si.name,
			        si.data_date[0] ? si.data_date : "");
	}
}

const struct ipset_entry *report_entry(const struct check_report *r, size_t k,
                                       struct ipset_entry *rec, struct ga_net *n,
                                       struct answer *ans)
{
	ipset_get(r->set, k, rec);
	ipset_net(r->set, k, n);
	resolve_net(r->agg->set, n, ans);
	answer_classify(r->agg->cls, ans);
	return rec;
}

/* ---------------------------------------------------------------- text */

const char *report_place(const char *file, unsigned long line, int page,
                         char *out, size_t n)
{
	if (page)
		snprintf(out, n, "%s: page %lu", file, line);
	else
		snprintf(out, n, "%s:%lu", file, line);
	return out;
}

/*
 * What the input held besides the addresses checked: "indicators: 876
 * IPv4, 24 MD5, 10 domains, 1 URL -- only addresses are checked", and the
 * locations the list cites itself.  Nothing a list holds goes unnamed.
 */
static void indicator_line(FILE *fp, const struct input_stats *in)
{
	const struct ex_stats *e = &in->ex;
	char b1[32];
	int k, first = 1;

	if (in->failed)
		return;
	if (e->others > 0) {
		fprintf(fp, "           indicators:");
		if (e->accepted_v4 > 0)
			fprintf(fp, " %s IPv4", fmt_count((double)e->accepted_v4, b1, sizeof b1)), first = 0;
		if (e->accepted > e->accepted_v4)
			fprintf(fp, "%s %s IPv6", first ? "" : ",",
			        fmt_count((double)(e->accepted - e->accepted_v4), b1, sizeof b1)), first = 0;
		if (e->rejected > 0)
			fprintf(fp, "%s %s unreadable addresses", first ? "" : ",",
			        fmt_count((double)e->rejected, b1, sizeof b1)), first = 0;
		for (k = 0; k < EXK_COUNT; k++)
			if (e->other[k] > 0) {
				fprintf(fp, "%s %s %s", first ? "" : ",", fmt_count((double)e->other[k], b1, sizeof b1),
				        e->other[k] == 1 ? extract_kind_name((enum ex_kind)k) :
				        extract_kind_plural((enum ex_kind)k));
				first = 0;
			}
		fprintf(fp, "\n           only addresses are checked%s\n",
		        e->other[EXK_DOMAIN] + e->other[EXK_URL] + e->other[EXK_EMAIL] > 0 ?
		        "; domains and URLs are never resolved (that would contact them)" : "");
	}
	if (e->cited_items > 0 || e->cited_unread > 0) {
		fprintf(fp, "           %s entr%s a location%s", fmt_count((double)e->cited_items, b1, sizeof b1),
		        e->cited_items == 1 ? "y cites" : "ies cite",
		        e->cited_from_text ? " in their own text (\"located in ...\")" : "");
		if (!e->cited_from_text && e->cited_column[0])
			fprintf(fp, " in column \"%s\"", e->cited_column);
		if (e->cited_unread > 0)
			fprintf(fp, "; %s more name a place that is no country we know",
			        fmt_count((double)e->cited_unread, b1, sizeof b1));
		fputc('\n', fp);
	}
}

/* "Of 248 entries whose location the list itself cites, A agrees for 120;
 * 100 are placed elsewhere; 28 are not placed", with examples. */
static void cited_text(FILE *fp, const struct check_report *r)
{
	const struct aggregate *a = r->agg;
	char b1[32], b2[32], b3[32], b4[32], t[NET_TEXT_MAX];
	size_t i, k;

	fprintf(fp, "  Of %s entr%s whose location the list itself cites:\n", fmt_count(a->cited.n, b1, sizeof b1),
	        a->cited.n == 1 ? "y" : "ies");
	for (i = 0; i < a->ncs; i++) {
		double else_n = a->cited.n - a->cited_match[i].n - a->cited_nodata[i].n;

		fprintf(fp, "    %s agrees for %s (%.1f%%); %s are placed elsewhere; %s not placed\n",
		        label_of(a, i), fmt_count(a->cited_match[i].n, b2, sizeof b2),
		        100 * a->cited_match[i].n / a->cited.n, fmt_count(else_n, b3, sizeof b3),
		        fmt_count(a->cited_nodata[i].n, b4, sizeof b4));
	}
	for (k = 0; k < a->nmismatches && k < 3; k++) {
		struct ga_net n;

		ipset_net(r->set, a->mismatches[k].rec, &n);
		fprintf(fp, "    e.g. %s cited %s,", net_format(&n, t), a->mismatches[k].cited);
		for (i = 0; i < a->ncs; i++)
			fprintf(fp, " %s %s", label_of(a, i), a->mismatches[k].cc[i][0] ? a->mismatches[k].cc[i] : "--");
		fputc('\n', fp);
	}
}

/* --- as of the claim date: then and now --- */

static double share_u(unsigned long x, unsigned long n)
{
	return n ? 100.0 * (double)x / (double)n : 0;
}

static void text_asof_summary(const struct check_report *r, FILE *fp, const char *bold,
                              const char *off)
{
	const struct asof_summary *m = r->asof_sum;

	fprintf(fp, "\n%sThen and now%s   as of %s, %lu entries compared (special-use left out)\n",
	        bold, off, asof_date(r->asof), m->n);
	fprintf(fp, "  changed since (country, holder or type)  %6lu  %5.1f%%\n", m->changed,
	        share_u(m->changed, m->n));
	fprintf(fp, "    registry country then -> country now   %6lu  %5.1f%%  of %lu with both\n",
	        m->cc_changed, share_u(m->cc_changed, m->cc_base), m->cc_base);
	fprintf(fp, "    origin AS then -> ASN now              %6lu  %5.1f%%  of %lu with both\n",
	        m->moved, share_u(m->moved, m->holder_base), m->holder_base);
	fprintf(fp, "    Tor exit then <-> now                  %6lu  %5.1f%%\n", m->type_changed,
	        share_u(m->type_changed, m->n));
	fprintf(fp, "  Tor exits then (the week around it)      %6lu  %5.1f%%   now %lu\n", m->tor_then,
	        share_u(m->tor_then, m->n), m->tor_now);
	fprintf(fp, "  not allocated on the day                 %6lu  %5.1f%%\n", m->not_allocated,
	        share_u(m->not_allocated, m->n));
	fprintf(fp, "  unrouted on the day                      %6lu  %5.1f%%\n", m->unrouted,
	        share_u(m->unrouted, m->n));
}

/* org_now: the ASN source's organisation now, or NULL. */
static void text_asof_entry(const struct asof_set *s, const struct asof_rec *x,
                            const char *org_now, FILE *fp)
{
	char fl[128];
	struct asof_then t;

	if (!x->compared)
		return;
	asof_then_get(s, x, &t);
	fprintf(fp, "      then: ");
	if (t.reg != NULL)
		fprintf(fp, "%s %s%s%s (%s)", t.reg->country[0] ? t.reg->country : "--",
		        t.reg->hist_status ? t.reg->hist_status : "?",
		        t.reg->hist_date ? " " : "", t.reg->hist_date ? t.reg->hist_date : "",
		        t.reg->hist_registry ? t.reg->hist_registry : "?");
	else
		fprintf(fp, "-- no registry record");
	if (t.rt != NULL) {
		fprintf(fp, " \xc2\xb7 AS%s", t.rt->hist_origins ? t.rt->hist_origins : "?");
		if (t.rt->org != NULL)
			fprintf(fp, " (%s)", t.rt->org);
	} else
		fprintf(fp, " \xc2\xb7 unrouted");
	if (t.tor != NULL)
		fprintf(fp, " \xc2\xb7 Tor exit %s .. %s", t.tor->hist_first_seen ? t.tor->hist_first_seen : "?",
		        t.tor->hist_last_seen ? t.tor->hist_last_seen : "?");
	fprintf(fp, "   now: %s", x->cc_now[0] ? x->cc_now : "--");
	if (x->asn_now)
		fprintf(fp, " \xc2\xb7 AS%lu", (unsigned long)x->asn_now);
	if (x->asn_now && org_now != NULL && org_now[0])
		fprintf(fp, " (%s)", org_now);
	if (x->tor_now)
		fprintf(fp, " \xc2\xb7 Tor exit");
	if (x->flags)
		fprintf(fp, "   [%s]", asof_flag_names(x->flags, fl, sizeof(fl)));
	fputc('\n', fp);
}

void report_text(const struct check_report *r, FILE *fp)
{
	struct style s = style_of(r);
	struct aggregate *a = r->agg;
	const struct claim *c = r->claim;
	const struct judgement *j = r->j;
	char b1[32], b2[32], b3[32], t[NET_TEXT_MAX], tiers[160];
	size_t i, k, rows[64], nrows;
	unsigned long items = 0, acc = 0, dup = 0, rej = 0, lines = 0;
	double T = a->total.n;

	/* Claim */
	fprintf(fp, "%sClaim%s      ", s.bold, s.off);
	if (c != NULL && (c->statement || c->country[0])) {
		if (c->statement)
			fprintf(fp, "\"%s\"", c->statement);
		else
			fprintf(fp, "traced to %s", country_name(c->country) ? country_name(c->country) : c->country);
		if (c->claimant)
			fprintf(fp, " \xe2\x80\x94 %s", c->claimant);
		if (c->share >= 0)
			fprintf(fp, " \xe2\x80\x94 claimed share %.0f%%", 100 * c->share);
		if (c->date)
			fprintf(fp, " \xe2\x80\x94 dated %s", c->date);
		fputc('\n', fp);
		if (c->source)
			fprintf(fp, "           source: %s\n", c->source);
	} else {
		fprintf(fp, "none given (the list is described, not judged)\n");
	}

	/* Input accounting */
	for (i = 0; i < r->ninputs; i++) {
		const struct input_stats *in = &r->inputs[i];

		fprintf(fp, "%sInput%s      %s (%s): ", s.bold, s.off, in->name,
		        extract_format_name(in->ex.format));
		if (in->failed) {
			fprintf(fp, "unusable: %s\n", in->error);
			/* What was read before the break is in the figures. */
			if (in->ex.items + in->ex.others > 0)
				fprintf(fp, "           read before it: %s entries \xe2\x86\x92 %s accepted, %s rejected; %s other indicators\n",
				        fmt_count((double)in->ex.items, b1, sizeof b1), fmt_count((double)in->ex.accepted, b2, sizeof b2),
				        fmt_count((double)in->ex.rejected, b3, sizeof b3), fmt_count((double)in->ex.others, t, sizeof t));
			items += in->ex.items;
			acc += in->ex.accepted;
			rej += in->ex.rejected;
			continue;
		}
		{
			char b4[32];

			/* One buffer per figure: printf reads them all at once. */
			fprintf(fp, "%s %s, %s entries \xe2\x86\x92 %s accepted (%s duplicate%s merged), %s rejected\n",
			        fmt_count((double)(in->ex.format == EX_PDF ? in->ex.pages : in->ex.lines), b1, sizeof b1),
			        in->ex.format == EX_PDF ? (in->ex.pages == 1 ? "page" : "pages") : "lines",
			        fmt_count((double)in->ex.items, b2, sizeof b2),
			        fmt_count((double)in->ex.accepted, b3, sizeof b3),
			        fmt_count((double)in->duplicates, t, sizeof t), in->duplicates == 1 ? "" : "s",
			        fmt_count((double)in->ex.rejected, b4, sizeof b4));
		}
		indicator_line(fp, in);
		items += in->ex.items;
		acc += in->ex.accepted;
		dup += in->duplicates;
		rej += in->ex.rejected;
		lines += in->ex.lines;
	}
	if (r->ninputs > 1)
		fprintf(fp, "           total: %lu entries = %lu accepted + %lu rejected; %lu unique\n",
		        items, acc, rej, (unsigned long)ipset_count(r->set));
	for (i = 0; i < r->nrejections && i < r->max_rejections; i++)
		fprintf(fp, "           %s%s: %s%s  (%.60s)\n", s.warn,
		        report_place(r->rejections[i].file, r->rejections[i].line, r->rejections[i].page,
		                     t, sizeof t),
		        r->rejections[i].why, s.off, r->rejections[i].text);
	if (r->nrejections > r->max_rejections)
		fprintf(fp, "           \xe2\x80\xa6 %zu more rejected (all in --format json)\n",
		        r->nrejections - r->max_rejections);
	fprintf(fp, "%sSources%s    ", s.bold, s.off);
	source_line(fp, a);
	fputc('\n', fp);
	if (r->asof != NULL)
		fprintf(fp, "%sAs of%s      %s: registry %s; %s; AS names %s; Tor %s\n", s.bold, s.off,
		        asof_date(r->asof), asof_used(r->asof, 0), asof_used(r->asof, 1),
		        asof_used(r->asof, 3), asof_used(r->asof, 2));
	else if (r->asof_hint != NULL)
		fprintf(fp, "%sAs of%s      %s\n", s.bold, s.off, r->asof_hint);

	if (j->kind == VERDICT_NO_LIST || T == 0)
		goto verdict;

	/* Countries */
	fprintf(fp, "\n%sWhere the databases place them%s%s", s.bold, s.off,
	        j->weighted ? "   (unique entries; weighted figures in JSON)" : "");
	fprintf(fp, "\n  %-26s %-20s", "", "");
	for (i = 0; i < a->ncs; i++)
		fprintf(fp, " %7s", label_of(a, i));
	fputc('\n', fp);
	nrows = agg_top_countries(a, rows, r->top < 64 ? r->top : 64);
	{
		double shown[AGG_MAX_CSRC] = { 0 };

		for (k = 0; k < nrows; k++) {
			char cc[3];
			const char *nm;

			agg_cc_code(rows[k], cc);
			nm = rows[k] == AGG_NODATA ? "no data" : country_name(cc);
			fprintf(fp, "  %-2s %-23.23s ", rows[k] == AGG_NODATA ? "--" : cc, nm ? nm : "?");
			bar(fp, a->ncs ? a->country[0][rows[k]].n / T : 0, 20, r->unicode);
			for (i = 0; i < a->ncs; i++) {
				fprintf(fp, " %6.1f%%", 100 * a->country[i][rows[k]].n / T);
				shown[i] += a->country[i][rows[k]].n;
			}
			fputc('\n', fp);
		}
		if (a->ncs > 0 && shown[0] < T) {
			fprintf(fp, "  %-47s", "\xe2\x80\xa6 the rest");
			for (i = 0; i < a->ncs; i++)
				fprintf(fp, " %6.1f%%", 100 * (T - shown[i]) / T);
			fputc('\n', fp);
		}
	}
	if (a->both_answered.n > 0)
		fprintf(fp, "  Sources disagree on %s of %s entries both place (%.1f%%)\n",
		        fmt_count(a->disagree.n, b1, sizeof b1), fmt_count(a->both_answered.n, b2, sizeof b2),
		        100 * a->disagree.n / a->both_answered.n);
	if (a->cited.n > 0)
		cited_text(fp, r);

	/* ASNs */
	fprintf(fp, "\n%sWho holds them%s   %s ASNs \xc2\xb7 top 1 holds %.1f%% \xc2\xb7 top 5 hold %.1f%% \xc2\xb7 HHI %.3f\n",
	        s.bold, s.off, fmt_count((double)a->nasn, b1, sizeof b1), 100 * a->top1, 100 * a->top5, a->hhi);
	for (k = 0; k < a->nasn && k < r->top; k++) {
		const struct agg_asn *x = &a->asns[k];

		snprintf(t, sizeof(t), "AS%lu", (unsigned long)x->asn);
		fprintf(fp, "  %-10s %-38.38s %-13s %6.1f%%\n", t, x->org ? x->org : "(no name)",
		        net_type_name(x->type), 100 * x->n / T);
	}
	if (a->no_asn.n > 0)
		fprintf(fp, "  %-10s %-38s %-13s %6.1f%%\n", "-", "no ASN (unrouted or special-use)", "",
		        100 * a->no_asn.n / T);
	fprintf(fp, "  %s distinct /24 (IPv4) and /48 (IPv6) blocks", fmt_count((double)a->nclusters, b1, sizeof b1));
	if (a->ntop_clusters > 0)
		fprintf(fp, "; largest %s with %s entr%s", agg_cluster_text(a->top_clusters[0].key, t),
		        fmt_count(a->top_clusters[0].n, b2, sizeof b2), a->top_clusters[0].n == 1 ? "y" : "ies");
	fputc('\n', fp);

	/* Types */
	fprintf(fp, "\n%sWhat kind of networks%s\n", s.bold, s.off);
	for (k = 0; k < AGG_NTYPES; k++) {
		if (a->type[k].n == 0)
			continue;
		fprintf(fp, "  %-24s ", net_type_label((enum net_type)k));
		bar(fp, a->type[k].n / T, 20, r->unicode);
		fprintf(fp, " %6.1f%%  %-8s %s%s%s\n", 100 * a->type[k].n / T, fmt_count(a->type[k].n, b1, sizeof b1),
		        s.dim, agg_tier_text(a, (enum net_type)k, tiers, sizeof tiers), s.off);
	}
	if (a->special_total.n > 0) {
		fprintf(fp, "  special-use:");
		for (k = 1; k < AGG_NSPECIAL; k++)
			if (a->special[k].n > 0)
				fprintf(fp, " %s %s", special_class_name((enum special_class)k),
				        fmt_count(a->special[k].n, b1, sizeof b1));
		fputc('\n', fp);
	}
	if (r->asof != NULL)
		text_asof_summary(r, fp, s.bold, s.off);

verdict:
	fprintf(fp, "\n%sVerdict%s    %s\n", s.bold, s.off, j->verdict ? j->verdict : "");

	fprintf(fp, "\n%sCaveats (triggered by this list)%s\n", s.bold, s.off);
	for (k = 0; k < j->ncaveats; k++)
		if (!j->caveats[k].always)
			fprintf(fp, "  %s[%s]%s %s\n      %s%s%s\n", s.warn, j->caveats[k].id, s.off,
			        j->caveats[k].text, s.dim, j->caveats[k].refs, s.off);
	fprintf(fp, "%sAlways%s\n", s.bold, s.off);
	for (k = 0; k < j->ncaveats; k++)
		if (j->caveats[k].always)
			fprintf(fp, "  [%s] %s\n      %s%s%s\n", j->caveats[k].id, j->caveats[k].text,
			        s.dim, j->caveats[k].refs, s.off);
	fprintf(fp, "%sWhat would make this checkable%s\n", s.bold, s.off);
	for (k = 0; judge_evidence_needed[k]; k++)
		fprintf(fp, "  - %s\n", judge_evidence_needed[k]);

	if (r->details && T > 0) {
		fprintf(fp, "\n%sEntries%s\n", s.bold, s.off);
		for (k = 0; k < ipset_count(r->set); k++) {
			struct ga_net n;
			struct answer ans;
			struct ipset_entry e;
			const struct ipset_entry *rec = report_entry(r, k, &e, &n, &ans);

			fprintf(fp, "  %-39s x%-5lu", net_format(&n, t), (unsigned long)rec->seen);
			for (i = 0; i < a->ncs; i++)
				fprintf(fp, " %-2s", answer_country(&ans, a->csrc[i])[0] ? answer_country(&ans, a->csrc[i]) : "--");
			if (answer_asn(&ans))
				fprintf(fp, "  AS%-7lu %-28.28s", (unsigned long)answer_asn(&ans),
				        answer_org(&ans) ? answer_org(&ans) : "");
			else
				fprintf(fp, "  %-38s", "-");
			fprintf(fp, " %s%s%s", net_type_name(ans.type.type),
			        ans.special ? " " : "", ans.special ? ans.special->rfc : "");
			{
				/* What the provider itself says, beside the databases. */
				int f = answer_feed(&ans);

				if (f >= 0 && ans.hit[f].e->region != NULL)
					fprintf(fp, "  (%s says %s)", ans.hit[f].e->provider ?
					        ans.hit[f].e->provider : "provider", ans.hit[f].e->region);
			}
			if (rec->note) {
				const char *role, *phase, *obs;

				ipset_note_get(r->set, rec->note, &role, &phase, &obs);
				fprintf(fp, "  [list:%s%s%s%s%s%s]", role[0] ? " " : "", role,
				        phase[0] ? " " : "", phase, obs[0] ? " " : "", obs);
			}
			if (rec->cited[0])
				fprintf(fp, "  cited %.2s", rec->cited);
			fputc('\n', fp);
			if (r->asof_recs != NULL)
				text_asof_entry(r->asof, &r->asof_recs[k], answer_org(&ans), fp);
		}
	}
	if (r->details && r->nothers > 0) {
		size_t total = 0;

		for (i = 0; i < r->ninputs; i++)
			total += r->inputs[i].ex.others;
		fprintf(fp, "\n%sOther indicators%s (counted, not looked up)\n", s.bold, s.off);
		for (k = 0; k < r->nothers; k++)
			fprintf(fp, "  %-34s %-15s %s\n",
			        report_place(r->others[k].file, r->others[k].line, r->others[k].page, t, sizeof t),
			        extract_kind_name(r->others[k].kind), r->others[k].text);
		if (total > r->nothers)
			fprintf(fp, "  \xe2\x80\xa6 %zu more not kept for listing (counted above)\n", total - r->nothers);
	}
	/* Attribution the data licences require. */
	fprintf(fp, "\n%sData:", s.dim);
	for (i = 0; i < sources_count(a->set); i++) {
		struct source_info si;

		source_info(sources_at(a->set, i), &si);
		if (si.attribution[0])
			fprintf(fp, " %s.", si.attribution);
	}
	fprintf(fp, "%s\n", s.off);
}

/* ---------------------------------------------------------------- JSON */

static struct jv *bin_json(const struct agg_bin *b, const struct agg_bin *t)
{
	struct jv *o = jv_object();

	jv_set(o, "count", jv_int((long long)llround(b->n)));
	jv_set(o, "share", jv_real(t->n > 0 ? b->n / t->n : 0));
	jv_set(o, "weighted", jv_real(b->w));
	jv_set(o, "weighted_share", jv_real(t->w > 0 ? b->w / t->w : 0));
	return o;
}

static struct jv *entry_json(const struct check_report *r, size_t k)
{
	struct ga_net n;
	struct answer ans;
	struct ipset_entry e;
	const struct ipset_entry *rec = report_entry(r, k, &e, &n, &ans);
	char t[NET_TEXT_MAX];
	struct jv *o;

	o = answer_to_json(r->agg->set, &ans, net_format(&n, t));
	jv_set(o, "line", jv_int(rec->line));
	jv_set(o, "seen", jv_int(rec->seen));
	jv_set(o, "weight", jv_real(rec->weight));
	if (rec->cited[0])
		jv_set(o, "cited_country", jv_strn(rec->cited, 2));
	if (rec->note) {
		const char *role, *phase, *obs;

		ipset_note_get(r->set, rec->note, &role, &phase, &obs);
		if (role[0])
			jv_set(o, "cited_role", jv_str(role));
		if (phase[0])
			jv_set(o, "cited_phase", jv_str(phase));
		if (obs[0])
			jv_set(o, "cited_observed", jv_str(obs));
	}
	return o;
}

struct jv *report_asof_json(const struct asof_set *s, const struct asof_rec *x)
{
	struct jv *o, *f;
	char fl[128], *save = NULL, *tok;
	struct asof_then t;

	if (!x->compared)
		return jv_null();
	asof_then_get(s, x, &t);
	o = jv_object();
	jv_set(o, "registry_country", t.reg && t.reg->country[0] ? jv_str(t.reg->country) : jv_null());
	jv_set(o, "registry_status", t.reg && t.reg->hist_status ? jv_str(t.reg->hist_status) : jv_null());
	jv_set(o, "allocation_date", t.reg && t.reg->hist_date ? jv_str(t.reg->hist_date) : jv_null());
	jv_set(o, "registry", t.reg && t.reg->hist_registry ? jv_str(t.reg->hist_registry) : jv_null());
	jv_set(o, "origin_asn", t.rt ? jv_int((long long)t.rt->asn) : jv_null());
	jv_set(o, "origins", t.rt && t.rt->hist_origins ? jv_str(t.rt->hist_origins) : jv_null());
	jv_set(o, "origin_name", t.rt && t.rt->org ? jv_str(t.rt->org) : jv_null());
	jv_set(o, "tor_exit", jv_bool(t.tor != NULL));
	jv_set(o, "tor_first_seen", t.tor && t.tor->hist_first_seen ? jv_str(t.tor->hist_first_seen) : jv_null());
	jv_set(o, "tor_last_seen", t.tor && t.tor->hist_last_seen ? jv_str(t.tor->hist_last_seen) : jv_null());
	jv_set(o, "country_now", x->cc_now[0] ? jv_str(x->cc_now) : jv_null());
	jv_set(o, "asn_now", x->asn_now ? jv_int((long long)x->asn_now) : jv_null());
	jv_set(o, "tor_exit_now", jv_bool(x->tor_now));
	f = jv_array();
	asof_flag_names(x->flags, fl, sizeof(fl));
	for (tok = strtok_r(fl, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		jv_push(f, jv_str(tok));
	jv_set(o, "flags", f);
	return o;
}

int report_json(const struct check_report *r, FILE *fp)
{
	struct aggregate *a = r->agg;
	const struct judgement *j = r->j;
	const struct claim *c = r->claim;
	struct jv *top = jv_object(), *o, *arr, *x;
	size_t i, k;
	char t[NET_TEXT_MAX], cc[3];
	unsigned long items = 0, acc = 0, dup = 0, rej = 0;
	int rc;

	jv_set(top, "schema", jv_str("geoattr-check/2"));
	/* claim */
	o = jv_object();
	if (c != NULL) {
		jv_set(o, "claimant", jv_str(c->claimant));
		jv_set(o, "date", jv_str(c->date));
		jv_set(o, "statement", jv_str(c->statement));
		jv_set(o, "source", jv_str(c->source));
		jv_set(o, "claimed_country", c->country[0] ? jv_str(c->country) : jv_null());
		jv_set(o, "claimed_share", c->share >= 0 ? jv_real(c->share) : jv_null());
		jv_set(o, "list_published", jv_bool(!c->no_list));
	}
	jv_set(top, "claim", o);

	/* input */
	arr = jv_array();
	for (i = 0; i < r->ninputs; i++) {
		const struct input_stats *in = &r->inputs[i];

		x = jv_object();
		jv_set(x, "name", jv_str(in->name));
		jv_set(x, "format", jv_str(extract_format_name(in->ex.format)));
		jv_set(x, "error", in->failed ? jv_str(in->error) : jv_null());
		jv_set(x, "lines", jv_int((long long)in->ex.lines));
		jv_set(x, "items", jv_int((long long)in->ex.items));
		jv_set(x, "accepted", jv_int((long long)in->ex.accepted));
		jv_set(x, "duplicates", jv_int((long long)in->duplicates));
		jv_set(x, "rejected", jv_int((long long)in->ex.rejected));
		jv_set(x, "address_column", in->ex.address_column[0] ? jv_str(in->ex.address_column) : jv_null());
		jv_set(x, "has_counts", jv_bool(in->ex.has_counts));
		jv_set(x, "has_cited_location", jv_bool(in->ex.has_cited));
		jv_set(x, "has_timestamps", jv_bool(in->ex.has_time));
		jv_set(x, "has_ports", jv_bool(in->ex.has_ports));
		jv_set(x, "cited_location_column", in->ex.cited_column[0] ? jv_str(in->ex.cited_column) : jv_null());
		jv_set(x, "cited_from_text", jv_bool(in->ex.cited_from_text));
		jv_set(x, "entries_citing_a_country", jv_int((long long)in->ex.cited_items));
		jv_set(x, "entries_citing_no_known_country", jv_int((long long)in->ex.cited_unread));
		jv_set(x, "has_roles", jv_bool(in->ex.has_roles));
		if (in->ex.format == EX_PDF)
			jv_set(x, "pages", jv_int((long long)in->ex.pages));
		{
			struct jv *ind = jv_object();
			int kk;

			jv_set(ind, "ipv4", jv_int((long long)in->ex.accepted_v4));
			jv_set(ind, "ipv6", jv_int((long long)(in->ex.accepted - in->ex.accepted_v4)));
			jv_set(ind, "unreadable_addresses", jv_int((long long)in->ex.rejected));
			for (kk = 0; kk < EXK_COUNT; kk++)
				jv_set(ind, extract_kind_key((enum ex_kind)kk), jv_int((long long)in->ex.other[kk]));
			jv_set(x, "indicators", ind);
			jv_set(x, "other_indicators", jv_int((long long)in->ex.others));
		}
		jv_push(arr, x);
		items += in->ex.items;
		acc += in->ex.accepted;
		dup += in->duplicates;
		rej += in->ex.rejected;
	}
	o = jv_object();
	jv_set(o, "files", arr);
	jv_set(o, "items", jv_int((long long)items));
	jv_set(o, "accepted", jv_int((long long)acc));
	jv_set(o, "duplicates", jv_int((long long)dup));
	jv_set(o, "rejected", jv_int((long long)rej));
	jv_set(o, "unique", jv_int((long long)ipset_count(r->set)));
	jv_set(o, "unique_networks", jv_int((long long)a->n_networks));
	jv_set(o, "ipv4", jv_int((long long)a->n_v4));
	jv_set(o, "ipv6", jv_int((long long)a->n_v6));
	jv_set(o, "total_weight", jv_real(a->total.w));
	jv_set(top, "input", o);

	/* sources */
	arr = jv_array();
	for (i = 0; i < sources_count(a->set); i++) {
		struct source_info si;

		source_info(sources_at(a->set, i), &si);
		x = jv_object();
		jv_set(x, "name", jv_str(si.name));
		jv_set(x, "label", si.label ? jv_strn(&si.label, 1) : jv_null());
		jv_set(x, "database_type", jv_str(si.type));
		jv_set(x, "data_date", si.data_date[0] ? jv_str(si.data_date) : jv_null());
		jv_set(x, "license", si.license[0] ? jv_str(si.license) : jv_null());
		jv_set(x, "attribution", si.attribution[0] ? jv_str(si.attribution) : jv_null());
		jv_push(arr, x);
	}
	jv_set(top, "sources", arr);

	/* countries per source */
	o = jv_object();
	for (i = 0; i < a->ncs; i++) {
		arr = jv_array();
		for (k = 0; k < AGG_NCC; k++) {
			if (a->country[i][k].n == 0)
				continue;
			x = bin_json(&a->country[i][k], &a->total);
			agg_cc_code(k, cc);
			jv_set(x, "country", k == AGG_NODATA ? jv_null() : jv_str(cc));
			jv_set(x, "name", k == AGG_NODATA ? jv_str("no data") : jv_str(country_name(cc)));
			jv_push(arr, x);
		}
		jv_set(o, label_of(a, i), arr);
	}
	jv_set(top, "countries", o);

	/* disagreement */
	o = jv_object();
	jv_set(o, "both_answered", jv_int((long long)llround(a->both_answered.n)));
	jv_set(o, "disagree", jv_int((long long)llround(a->disagree.n)));
	jv_set(o, "share", jv_real(a->both_answered.n > 0 ? a->disagree.n / a->both_answered.n : 0));
	arr = jv_array();
	for (k = 0; k < a->ndisagreements; k++) {
		struct ga_net n;
		struct jv *cs = jv_object();

		ipset_net(r->set, a->disagreements[k].rec, &n);
		x = jv_object();
		jv_set(x, "entry", jv_str(net_format(&n, t)));
		for (i = 0; i < a->ncs; i++)
			jv_set(cs, label_of(a, i), jv_str(a->disagreements[k].cc[i]));
		jv_set(x, "countries", cs);
		jv_push(arr, x);
	}
	jv_set(o, "examples", arr);
	jv_set(o, "examples_truncated", jv_bool(a->disagree.n > (double)a->ndisagreements));
	jv_set(top, "disagreement", o);

	/* ASNs */
	o = jv_object();
	jv_set(o, "distinct", jv_int((long long)a->nasn));
	jv_set(o, "hhi", jv_real(a->hhi));
	jv_set(o, "hhi_weighted", jv_real(a->hhi_w));
	jv_set(o, "top1_share", jv_real(a->top1));
	jv_set(o, "top5_share", jv_real(a->top5));
	jv_set(o, "no_asn", bin_json(&a->no_asn, &a->total));
	arr = jv_array();
	for (k = 0; k < a->nasn && k < r->top; k++) {
		struct agg_bin b = { a->asns[k].n, a->asns[k].w };

		x = bin_json(&b, &a->total);
		jv_set(x, "asn", jv_int(a->asns[k].asn));
		jv_set(x, "org", jv_str(a->asns[k].org));
		jv_set(x, "type", jv_str(net_type_name(a->asns[k].type)));
		jv_push(arr, x);
	}
	jv_set(o, "top", arr);
	x = jv_object();
	jv_set(x, "distinct_blocks", jv_int((long long)a->nclusters));
	arr = jv_array();
	for (k = 0; k < a->ntop_clusters; k++) {
		struct jv *cl = jv_object();

		jv_set(cl, "block", jv_str(agg_cluster_text(a->top_clusters[k].key, t)));
		jv_set(cl, "count", jv_int((long long)llround(a->top_clusters[k].n)));
		jv_push(arr, cl);
	}
	jv_set(x, "top", arr);
	jv_set(o, "clusters", x);
	jv_set(top, "asns", o);

	/* types and special use */
	arr = jv_array();
	for (k = 0; k < AGG_NTYPES; k++) {
		if (a->type[k].n == 0)
			continue;
		x = bin_json(&a->type[k], &a->total);
		jv_set(x, "type", jv_str(net_type_name((enum net_type)k)));
		jv_set(x, "label", jv_str(net_type_label((enum net_type)k)));
		{
			struct jv *bt = jv_object();
			size_t q;

			for (q = 0; q < TIER_COUNT; q++)
				if (a->type_tier[k][q].n > 0)
					jv_set(bt, type_tier_name((enum type_tier)q),
					       bin_json(&a->type_tier[k][q], &a->total));
			jv_set(x, "by_tier", bt);
		}
		jv_push(arr, x);
	}
	jv_set(top, "network_types", arr);
	o = jv_object();
	jv_set(o, "total", bin_json(&a->special_total, &a->total));
	arr = jv_array();
	for (k = 1; k < AGG_NSPECIAL; k++) {
		if (a->special[k].n == 0)
			continue;
		x = bin_json(&a->special[k], &a->total);
		jv_set(x, "class", jv_str(special_class_name((enum special_class)k)));
		jv_push(arr, x);
	}
	jv_set(o, "classes", arr);
	jv_set(o, "placeholder_like", bin_json(&a->placeholder, &a->total));
	jv_set(top, "special_use", o);

	/* cited */
	o = jv_object();
	jv_set(o, "entries_with_cited_location", jv_int((long long)llround(a->cited.n)));
	x = jv_object();
	for (i = 0; i < a->ncs; i++)
		jv_set(x, label_of(a, i), jv_real(a->cited.n > 0 ? a->cited_match[i].n / a->cited.n : 0));
	jv_set(o, "match_share", x);
	x = jv_object();
	for (i = 0; i < a->ncs; i++) {
		struct jv *y = jv_object();

		jv_set(y, "agree", jv_int((long long)llround(a->cited_match[i].n)));
		jv_set(y, "elsewhere", jv_int((long long)llround(a->cited.n - a->cited_match[i].n -
		                                                 a->cited_nodata[i].n)));
		jv_set(y, "not_placed", jv_int((long long)llround(a->cited_nodata[i].n)));
		jv_set(x, label_of(a, i), y);
	}
	jv_set(o, "by_source", x);
	arr = jv_array();
	for (k = 0; k < a->nmismatches; k++) {
		struct ga_net n;
		struct jv *cs = jv_object();

		ipset_net(r->set, a->mismatches[k].rec, &n);
		x = jv_object();
		jv_set(x, "entry", jv_str(net_format(&n, t)));
		jv_set(x, "cited", jv_str(a->mismatches[k].cited));
		for (i = 0; i < a->ncs; i++)
			jv_set(cs, label_of(a, i), jv_str(a->mismatches[k].cc[i]));
		jv_set(x, "countries", cs);
		jv_push(arr, x);
	}
	jv_set(o, "mismatches", arr);
	jv_set(top, "cited", o);

	/* verdict */
	o = jv_object();
	{
		static const char *const kinds[] = {
			"no-claim", "no-list", "empty", "country-only", "consistent",
			"overstated", "understated"
		};

		jv_set(o, "kind", jv_str(kinds[j->kind]));
	}
	jv_set(o, "text", jv_str(j->verdict));
	if (c != NULL && c->country[0]) {
		x = jv_object();
		for (i = 0; i < a->ncs; i++)
			jv_set(x, label_of(a, i), jv_real(j->share[i]));
		jv_set(o, "claimed_country_share", x);
		x = jv_object();
		for (i = 0; i < a->ncs; i++)
			jv_set(x, label_of(a, i), jv_real(j->share_w[i]));
		jv_set(o, "claimed_country_share_weighted", x);
		jv_set(o, "tolerance", jv_real(JUDGE_TOLERANCE));
	}
	jv_set(top, "verdict", o);

	/* as of the claim date (schema 2) */
	if (r->asof != NULL) {
		const struct asof_summary *m = r->asof_sum;

		o = jv_object();
		jv_set(o, "date", jv_str(asof_date(r->asof)));
		jv_set(o, "registry_used", jv_str(asof_used(r->asof, 0)));
		jv_set(o, "routing_used", jv_str(asof_used(r->asof, 1)));
		jv_set(o, "as_names_used", jv_str(asof_used(r->asof, 3)));
		jv_set(o, "tor_used", jv_str(asof_used(r->asof, 2)));
		jv_set(o, "compared", jv_int((long long)m->n));
		jv_set(o, "changed", jv_int((long long)m->changed));
		jv_set(o, "changed_share", jv_real(m->n ? (double)m->changed / (double)m->n : 0));
		jv_set(o, "changed_country", jv_int((long long)m->cc_changed));
		jv_set(o, "with_country_then_and_now", jv_int((long long)m->cc_base));
		jv_set(o, "changed_holder", jv_int((long long)m->moved));
		jv_set(o, "with_origin_then_and_asn_now", jv_int((long long)m->holder_base));
		jv_set(o, "changed_type", jv_int((long long)m->type_changed));
		jv_set(o, "tor_exit_then", jv_int((long long)m->tor_then));
		jv_set(o, "tor_exit_then_share", jv_real(m->n ? (double)m->tor_then / (double)m->n : 0));
		jv_set(o, "tor_exit_now", jv_int((long long)m->tor_now));
		jv_set(o, "not_allocated", jv_int((long long)m->not_allocated));
		jv_set(o, "unrouted", jv_int((long long)m->unrouted));
		jv_set(top, "as_of", o);
	} else {
		jv_set(top, "as_of", jv_null());
	}
	jv_set(top, "as_of_hint", r->asof_hint ? jv_str(r->asof_hint) : jv_null());

	arr = jv_array();
	for (k = 0; k < j->ncaveats; k++) {
		const struct caveat *cv = &j->caveats[k];
		struct jv *refs = jv_array();
		const char *p = cv->refs, *semi;

		x = jv_object();
		jv_set(x, "id", jv_str(cv->id));
		jv_set(x, "title", jv_str(cv->title));
		jv_set(x, "always", jv_bool(cv->always));
		jv_set(x, "text", jv_str(cv->text));
		jv_set(x, "figure", cv->figure >= 0 ? jv_real(cv->figure) : jv_null());
		jv_set(x, "figure_name", jv_str(cv->figure_name));
		while (p != NULL && *p) {
			semi = strstr(p, "; ");
			jv_push(refs, jv_strn(p, semi ? (size_t)(semi - p) : strlen(p)));
			p = semi ? semi + 2 : NULL;
		}
		jv_set(x, "references", refs);
		jv_push(arr, x);
	}
	jv_set(top, "caveats", arr);
	arr = jv_array();
	for (k = 0; judge_evidence_needed[k]; k++)
		jv_push(arr, jv_str(judge_evidence_needed[k]));
	jv_set(top, "evidence_needed", arr);

	arr = jv_array();
	for (k = 0; k < r->nrejections; k++) {
		x = jv_object();
		jv_set(x, "file", jv_str(r->rejections[k].file));
		jv_set(x, "line", jv_int((long long)r->rejections[k].line));
		jv_set(x, "text", jv_str(r->rejections[k].text));
		jv_set(x, "reason", jv_str(r->rejections[k].why));
		if (r->rejections[k].page)
			jv_set(x, "page", jv_int((long long)r->rejections[k].line));
		jv_push(arr, x);
	}
	jv_set(top, "rejected", arr);

	if (r->details) {
		arr = jv_array();
		for (k = 0; k < ipset_count(r->set); k++) {
			x = entry_json(r, k);
			if (r->asof_recs != NULL)
				jv_set(x, "then", report_asof_json(r->asof, &r->asof_recs[k]));
			jv_push(arr, x);
		}
		jv_set(top, "entries", arr);
		arr = jv_array();
		for (k = 0; k < r->nothers; k++) {
			x = jv_object();
			jv_set(x, "file", jv_str(r->others[k].file));
			jv_set(x, r->others[k].page ? "page" : "line", jv_int((long long)r->others[k].line));
			jv_set(x, "kind", jv_str(extract_kind_key(r->others[k].kind)));
			jv_set(x, "value", jv_str(r->others[k].text));
			jv_push(arr, x);
		}
		jv_set(top, "other_indicators", arr);
	}
	rc = jv_dump(top, fp, JV_PRETTY);
	jv_free(top);
	return rc;
}

/* ----------------------------------------------------------------- CSV */

static void csv_buf_str(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_csv_field(b, s, strlen(s));
}

void report_asof_csv(struct buf *b, const struct asof_set *s, const struct asof_rec *x)
{
	size_t i;
	char fl[128];
	struct asof_then t;

	buf_printf(b, ",%s", asof_date(s));
	if (!x->compared) {
		/* The date, then every other column empty. */
		for (i = 1; i < REPORT_ASOF_CSV_COLUMNS; i++)
			buf_addc(b, ',');
		return;
	}
	asof_then_get(s, x, &t);
	buf_printf(b, ",%s,%s,%s,", t.reg ? t.reg->country : "",
	           t.reg && t.reg->hist_status ? t.reg->hist_status : "",
	           t.reg && t.reg->hist_date ? t.reg->hist_date : "");
	if (t.rt)
		buf_printf(b, "%lu,", (unsigned long)t.rt->asn);
	else
		buf_addc(b, ',');
	csv_buf_str(b, t.rt ? t.rt->hist_origins : NULL);
	buf_addc(b, ',');
	csv_buf_str(b, t.rt ? t.rt->org : NULL);
	buf_printf(b, ",%s,%s,%s,%s,", t.tor ? "yes" : "no",
	           t.tor && t.tor->hist_first_seen ? t.tor->hist_first_seen : "",
	           t.tor && t.tor->hist_last_seen ? t.tor->hist_last_seen : "",
	           x->cc_now);
	if (x->asn_now)
		buf_printf(b, "%lu", (unsigned long)x->asn_now);
	buf_printf(b, ",%s,", x->tor_now ? "yes" : "no");
	csv_buf_str(b, asof_flag_names(x->flags, fl, sizeof(fl)));
}

void report_csv(const struct check_report *r, FILE *fp)
{
	struct buf more = { 0 };
	struct aggregate *a = r->agg;
	size_t i, k;
	char t[NET_TEXT_MAX];

	fputs("entry,line,seen,weight,special_use,special_rfc,network,asn,org,network_type,type_basis,type_confidence,type_tier", fp);
	for (i = 0; i < a->ncs; i++) {
		struct source_info si;

		source_info(sources_at(a->set, a->csrc[i]), &si);
		fputs(",country_", fp);
		csv_fputs(fp, si.name);
	}
	fputs(",cited_country,sources_agree,cited_role,cited_phase,cited_observed", fp);
	/* As of the claim date: the columns come only with historical data,
	 * so the table without it is what it always was. */
	if (r->asof_recs != NULL)
		fputs(REPORT_ASOF_CSV_HEADER, fp);
	fputc('\n', fp);
	for (k = 0; k < ipset_count(r->set); k++) {
		struct ga_net n;
		struct answer ans;
		struct ipset_entry e;
		const struct ipset_entry *rec = report_entry(r, k, &e, &n, &ans);
		const struct net_class nc = ans.type;

		fprintf(fp, "%s,%lu,%lu,%g,", net_format(&n, t), (unsigned long)rec->line,
		        (unsigned long)rec->seen, rec->weight);
		if (ans.special)
			fprintf(fp, "%s,%s,", special_class_name(ans.special->cls), ans.special->rfc);
		else
			fputs(",,", fp);
		if (answer_asn(&ans)) {
			fprintf(fp, "%s,%lu,", net_format(&ans.hit[ans.asn_src].block, t),
			        (unsigned long)answer_asn(&ans));
			csv_fputs(fp, answer_org(&ans));
		} else {
			fputs(",,", fp);
		}
		fprintf(fp, ",%s,", net_type_name(nc.type));
		csv_fputs(fp, nc.basis);
		fprintf(fp, ",%s,%s", confidence_name(nc.conf), type_tier_name(nc.tier));
		for (i = 0; i < a->ncs; i++)
			fprintf(fp, ",%s", answer_country(&ans, a->csrc[i]));
		fprintf(fp, ",%.2s,%s", rec->cited, ans.disagree ? "no" : "yes");
		{
			const char *role, *phase, *obs;

			ipset_note_get(r->set, rec->note, &role, &phase, &obs);
			fputc(',', fp);
			csv_fputs(fp, role);
			fputc(',', fp);
			csv_fputs(fp, phase);
			fputc(',', fp);
			csv_fputs(fp, obs);
		}
		if (r->asof_recs != NULL) {
			buf_reset(&more);
			report_asof_csv(&more, r->asof, &r->asof_recs[k]);
			fwrite(more.data, 1, more.len, fp);
		}
		fputc('\n', fp);
	}
	buf_free(&more);
}
