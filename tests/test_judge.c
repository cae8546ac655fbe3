/*
 * test_judge.c - every caveat of the catalogue fired by its trigger and
 * not fired just below it, on aggregates set up by hand; the verdict
 * kinds; the always-on caveats.
 */
#include <limits.h>
#include <string.h>

#include "judge.h"
#include "tap.h"
#include "util.h"

/* A plain aggregate of n entries, all placed by both sources, nothing
 * special: the caller sets the figure under test. */
static void base(struct aggregate *a, double n)
{
	memset(a, 0, sizeof(*a));
	a->ncs = 2;
	a->total.n = a->total.w = n;
	a->both_answered.n = a->both_answered.w = n;
	a->type[NT_ISP].n = 0;
	a->type[NT_EDU].n = n;          /* a type that triggers nothing */
}

static int fired(const struct aggregate *a, const struct claim *c,
                 const struct ex_stats *ex, long data_month, const char *id)
{
	struct judgement j;
	size_t i;
	int found = 0;

	judge(a, c, ex, data_month, &j);
	for (i = 0; i < j.ncaveats; i++)
		if (strcmp(j.caveats[i].id, id) == 0)
			found = 1;
	judgement_release(&j);
	return found;
}

int main(void)
{
	struct aggregate a;
	struct claim c;
	struct ex_stats ex;
	struct agg_asn top = { 64500, "Example", NT_HOSTING, 0, 0 };
	struct judgement j;

	claim_init(&c);
	memset(&ex, 0, sizeof(ex));
	ex.has_time = 1;

#define PAIR(id, setup_on, setup_off) do { \
		base(&a, 100); setup_on; \
		ok(fired(&a, &c, &ex, -1, id), "%s fires", id); \
		base(&a, 100); setup_off; \
		ok(!fired(&a, &c, &ex, -1, id), "%s does not fire below its trigger", id); \
	} while (0)

	PAIR("C-HOSTING", a.type[NT_HOSTING].n = 10, a.type[NT_HOSTING].n = 9);
	PAIR("C-RESIDENTIAL", (a.type[NT_ISP].n = 20, a.type[NT_MOBILE].n = 10),
	     (a.type[NT_ISP].n = 20, a.type[NT_MOBILE].n = 4));
	PAIR("C-CGNAT", a.type[NT_MOBILE].n = 5, a.type[NT_MOBILE].n = 4);
	PAIR("C-CGNAT", a.special[SPECIAL_SHARED].n = 1, a.special[SPECIAL_SHARED].n = 0);
	PAIR("C-VPN", a.type[NT_VPN].n = 1, a.type[NT_VPN].n = 0);
	PAIR("C-TOR", a.type[NT_TOR].n = 1, a.type[NT_TOR].n = 0);
	PAIR("C-ANYCAST", a.type[NT_CDN].n = 1, a.type[NT_CDN].n = 0);
	PAIR("C-SPECIAL", a.special_total.n = 1, a.special_total.n = 0);
	PAIR("C-PLACEHOLDER", a.placeholder.n = 1, a.placeholder.n = 0);
	PAIR("C-DISAGREE", a.disagree.n = 1, a.disagree.n = 0);
	PAIR("C-CONCENTRATION", (top.n = 50, a.asns = &top, a.nasn = 1, a.top1 = 0.5),
	     (top.n = 49, a.asns = &top, a.nasn = 1, a.top1 = 0.49));
	PAIR("C-CLUSTER", a.max_cluster = 20, a.max_cluster = 19);
	PAIR("C-UNKNOWN-TYPE", (a.type[NT_EDU].n = 75, a.type[NT_UNKNOWN].n = 25),
	     (a.type[NT_EDU].n = 76, a.type[NT_UNKNOWN].n = 24));
	PAIR("C-CITED", (a.cited.n = 10, a.cited_match[0].n = 9),
	     (a.cited.n = 20, a.cited_match[0].n = 19));
	PAIR("C-SMALL", (a.total.n = 29, a.both_answered.n = 29), a.total.n = 30);

	/* Triggers that depend on the claim or the input. */
	base(&a, 100);
	c.date = xstrdup("2024-02-07");
	ok(fired(&a, &c, &ex, 2024 * 12 + 7, "C-AGE"), "C-AGE fires at 6 months");
	ok(!fired(&a, &c, &ex, 2024 * 12 + 6, "C-AGE"), "C-AGE does not fire at 5 months");
	ok(fired(&a, &c, &ex, 2023 * 12 + 7, "C-AGE"), "C-AGE fires for databases older than the claim");
	ok(!fired(&a, &c, &ex, -1, "C-AGE"), "C-AGE needs a known data date");
	ex.has_time = 0;
	ok(fired(&a, &c, &ex, -1, "C-NOCONTEXT"), "C-NOCONTEXT fires without timestamps or ports");
	ex.has_ports = 1;
	ok(!fired(&a, &c, &ex, -1, "C-NOCONTEXT"), "ports alone are context");
	c.no_list = 1;
	ok(fired(&a, &c, NULL, -1, "C-NOLIST"), "C-NOLIST fires without a list");
	ok(fired(&a, &c, NULL, -1, "C-LASTHOP"), "always-on caveats are there without a list too");
	c.no_list = 0;
	ok(!fired(&a, &c, &ex, -1, "C-NOLIST"), "C-NOLIST needs a claim without a list");

	/* Verdict kinds on a hand-made spread: 60 of 100 in PH. */
	base(&a, 100);
	a.country[0][agg_cc_index("PH")].n = 60;
	a.country[1][agg_cc_index("PH")].n = 58;
	memcpy(c.country, "PH", 3);
	c.share = 0.9;
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_OVERSTATED, "90%% claimed, 58-60%% shown: overstated");
	judgement_release(&j);
	c.share = 0.62;
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_CONSISTENT, "62%% claimed: within 5 points");
	judgement_release(&j);
	c.share = 0.5;
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_UNDERSTATED, "50%% claimed: below what the list shows");
	judgement_release(&j);
	c.share = -1;
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_COUNTRY_ONLY, "no share claimed: the country's share is reported");
	ok(strstr(j.verdict, "60.0% of the 100 entries") != NULL, "verdict carries the figure");
	ok(strstr(j.verdict, "not who operated them") != NULL, "verdict says what an address cannot show");
	judgement_release(&j);
	c.country[0] = '\0';
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_NO_CLAIM, "no country: described, not judged");
	judgement_release(&j);
	base(&a, 0);
	judge(&a, &c, &ex, -1, &j);
	is_int(j.kind, VERDICT_EMPTY, "an empty list supports nothing");
	judgement_release(&j);

	/* Placeholder-like addresses. */
	{
		static const char *const yes[] = { "1.2.3.4", "4.3.2.1", "11.22.33.44",
			"111.111.111.111", "12.34.56.78", "203.0.114.0", "198.51.101.255", NULL };
		static const char *const no[] = { "8.8.8.8", "1.1.1.1", "9.9.9.9",
			"112.198.0.1", "13.250.0.10", "2001:db8::1", NULL };
		size_t i;

		for (i = 0; yes[i]; i++) {
			struct ga_addr x;

			addr_parse(yes[i], strlen(yes[i]), &x, NULL);
			ok(agg_placeholder_like(&x), "%s looks made up", yes[i]);
		}
		for (i = 0; no[i]; i++) {
			struct ga_addr x;

			addr_parse(no[i], strlen(no[i]), &x, NULL);
			ok(!agg_placeholder_like(&x), "%s does not", no[i]);
		}
	}
	claim_release(&c);
	return done_testing();
}
