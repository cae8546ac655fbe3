/*
 * judge.c - claim files, the verdict, and the caveat catalogue.
 *
 * Every caveat names its trigger (a measured figure and a threshold) and
 * a reference a reader can check (../shared/EVIDENCE.md lists them).
 * Thresholds are deliberately simple and documented in geoattr(1).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "jsonout.h"
#include "judge.h"
#include "util.h"

/* ------------------------------------------------------------- caveats */

/* References, as in ../shared/EVIDENCE.md. */
#define REF_LIN "Lin, \"Attribution of Malicious Cyber Incidents\", Hoover Institution Aegis Paper 1607, 2016"
#define REF_RID "Rid & Buchanan, \"Attributing Cyber Attacks\", Journal of Strategic Studies 38(1-2), 2015"
#define REF_SPOOFER "Beverly & Bauer, \"The Spoofer Project\", SRUTI 2005 (CAIDA Spoofer keeps current figures)"
#define REF_ROSSOW "Rossow, \"Amplification Hell\", NDSS 2014"
#define REF_MIRAI "Antonakakis et al., \"Understanding the Mirai Botnet\", USENIX Security 2017"
#define REF_RESIP "Mi et al., \"Resident Evil: Understanding Residential IP Proxy as a Dark Service\", IEEE S&P 2019"
#define REF_VPN "Weinberg, Cho, Christin, Sekar, Gill, \"How to Catch when Proxies Lie\", IMC 2018"
#define REF_TOR "Tor Project, ExoneraTor documentation"
#define REF_CGN "CAIDA, \"Inferring Carrier-Grade NAT Deployment in the Wild\", 2018"
#define REF_POESE "Poese, Uhlig, Kaafar, Donnet, Gueye, \"IP Geolocation Databases: Unreliable?\", ACM SIGCOMM CCR 2011"
#define REF_GHARAIBEH "Gharaibeh et al., \"A Look at Router Geolocation in Public and Commercial Databases\", IMC 2017"
#define REF_WHEREIS "Beverly, Phokeer, Gasser, WHEREIS (registration vs location and IP leasing), 2026"
#define REF_MOBILE "\"Lost in the Prefix\", arXiv 2605.21937 (preprint, unreviewed); Balakrishnan et al., \"Where's that Phone?\", IMC 2009"
#define REF_MAXMIND_REG "MaxMind documentation: registered, represented and located country"
#define REF_PROJECT "geoattr's own measurement: the two embedded country sources disagree on about 2% of random IPv4 addresses"
#define REF_APT1 "Mandiant, APT1 report, 2013 (attribution rested on far more than IP country)"
#define REF_ODNI "ODNI, \"A Guide to Cyber Attribution\", 2018"
#define REF_SENTINEL "SentinelLabs, \"China's Cyber Revenge: Why the PRC Fails to Back Its Claims of Western Espionage\", 2024"
#define REF_NRO_STATS "NRO, RIR Statistics Exchange Format (the registries' daily delegated files, archived by each RIR)"
#define REF_PFX2AS "CAIDA, Routeviews Prefix-to-AS mappings (pfx2as), from RouteViews BGP tables"
#define REF_COLLECTOR "Tor Project, CollecTor exit lists (TorDNSEL) and ExoneraTor documentation"
#define REF_RFC "IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs of each block)"

const char *const judge_evidence_needed[] = {
	"the addresses themselves, as a file others can check",
	"timestamps of each event (addresses change hands; databases drift)",
	"destination ports and protocols (scanning, reflection and intrusion look different)",
	"volumes per address (one busy scanner is not a national campaign)",
	"samples of the traffic or malware, with hashes",
	"infrastructure overlaps with known actors (certificates, domains, reused servers)",
	"how the list was filtered and who collected it",
	NULL
};

static void add_caveat(struct judgement *j, const char *id, const char *title,
                       int always, double figure, const char *figure_name,
                       const char *refs, const char *fmt, ...)
    GA_PRINTF(8, 9);

static void add_caveat(struct judgement *j, const char *id, const char *title,
                       int always, double figure, const char *figure_name,
                       const char *refs, const char *fmt, ...)
{
	struct caveat *c;
	va_list ap;
	struct buf b;
	char tmp[2048];

	j->caveats = xrealloc(j->caveats, (j->ncaveats + 1) * sizeof(*c));
	c = &j->caveats[j->ncaveats++];
	c->id = id;
	c->title = title;
	c->always = always;
	c->figure = figure;
	c->figure_name = figure_name;
	c->refs = refs;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_adds(&b, tmp);
	c->text = b.data ? b.data : xstrdup("");
}

static double pct(double x)
{
	return 100.0 * x;
}

static double share_of(const struct agg_bin *b, const struct agg_bin *total,
                       int weighted)
{
	double t = weighted ? total->w : total->n;

	return t > 0 ? (weighted ? b->w : b->n) / t : 0;
}

static void list_caveats(const struct aggregate *a, const struct claim *c,
                         const struct ex_stats *ex, long data_month,
                         struct judgement *j)
{
	const struct agg_bin *T = &a->total;
	double hosting = share_of(&a->type[NT_HOSTING], T, 0);
	double resid = share_of(&a->type[NT_ISP], T, 0);
	double mobile = share_of(&a->type[NT_MOBILE], T, 0);
	double vpn = a->type[NT_VPN].n, tor = a->type[NT_TOR].n;
	double cdn = a->type[NT_CDN].n;
	double unknown = share_of(&a->type[NT_UNKNOWN], T, 0);
	double dis = a->both_answered.n > 0 ? a->disagree.n / a->both_answered.n : 0;
	double shared = a->special[SPECIAL_SHARED].n;
	long claim_month;

	if (T->n == 0)
		goto always;
	if (hosting >= 0.10)
		add_caveat(j, "C-HOSTING", "rentable servers", 0, hosting, "hosting_share", REF_VPN,
		    "%.1f%% of the entries (%.0f of %.0f) sit in cloud, VPS or hosting networks: "
		    "anyone, anywhere, can rent such a server by the hour, and VPN exits cluster there.",
		    pct(hosting), a->type[NT_HOSTING].n, T->n);
	if (resid + mobile >= 0.30)
		add_caveat(j, "C-RESIDENTIAL", "home and mobile connections", 0, resid + mobile,
		    "residential_share", REF_MIRAI "; " REF_RESIP,
		    "%.1f%% are residential or mobile ISP addresses: attack traffic from such addresses "
		    "typically comes from compromised devices in botnets (Mirai peaked near 600,000 devices) "
		    "or from residential proxy services renting them out, not from their owners.",
		    pct(resid + mobile));
	if (mobile >= 0.05 || shared > 0)
		add_caveat(j, "C-CGNAT", "shared addresses", 0, mobile >= 0.05 ? mobile : shared,
		    mobile >= 0.05 ? "mobile_share" : "shared_space_count", REF_CGN "; " REF_MOBILE,
		    mobile >= 0.05
		    ? "%.1f%% are mobile carrier addresses: carriers put thousands of customers behind one "
		      "address (carrier-grade NAT, seen in about 4,100 networks), mobile addresses change "
		      "within minutes, and their geolocation is off by about 180-200 km on median."
		    : "%.0f entries are in the shared address space 100.64.0.0/10 (RFC 6598), which "
		      "carriers use behind carrier-grade NAT: such an address cannot name one subscriber.",
		    mobile >= 0.05 ? pct(mobile) : shared);
	if (vpn > 0)
		add_caveat(j, "C-VPN", "VPN exits", 0, vpn, "vpn_count", REF_VPN,
		    "%.0f entries belong to VPN providers: a VPN exit shows where the provider rents its "
		    "server, and a third of the VPN servers studied were not even in the country advertised.",
		    vpn);
	if (tor > 0)
		add_caveat(j, "C-TOR", "Tor exits", 0, tor, "tor_count", REF_TOR,
		    "%.0f entries are Tor exit relays: traffic leaving a Tor exit comes from a Tor user "
		    "anywhere in the world, not from the relay's operator.", tor);
	if (cdn > 0)
		add_caveat(j, "C-ANYCAST", "anycast and CDN addresses", 0, cdn, "cdn_count", REF_POESE,
		    "%.0f entries are CDN or anycast addresses (public DNS resolvers, CDN edges): the same "
		    "address is served from many countries at once, so a single country is meaningless, and "
		    "a resolver address in a log usually means it answered queries, not that it attacked.",
		    cdn);
	if (a->special_total.n > 0)
		add_caveat(j, "C-SPECIAL", "special-use addresses", 0, a->special_total.n,
		    "special_use_count", REF_RFC,
		    "%.0f entries (%.1f%%) are special-use addresses (private, documentation, loopback, "
		    "shared, reserved ...) that cannot be the source of traffic across the Internet: the "
		    "list mixes internal logs, placeholders or examples with observations.",
		    a->special_total.n, pct(share_of(&a->special_total, T, 0)));
	if (a->placeholder.n > 0)
		add_caveat(j, "C-PLACEHOLDER", "made-up-looking entries", 0, a->placeholder.n,
		    "placeholder_count", REF_RFC,
		    "%.0f entries look made up or are not host addresses (1.2.3.4-like sequences, "
		    "repeated octets such as 111.111.111.111, or x.y.z.0 and x.y.z.255): a list of "
		    "observed sources rarely has them; ask how it was produced.", a->placeholder.n);
	if (a->disagree.n > 0)
		add_caveat(j, "C-DISAGREE", "the databases disagree", 0, dis, "disagreement_share",
		    REF_POESE "; " REF_PROJECT,
		    "the country sources disagree on %.0f of the %.0f entries both place (%.1f%%): "
		    "geolocation is an estimate, reliable at country level at best.",
		    a->disagree.n, a->both_answered.n, pct(dis));
	if (c != NULL && c->date != NULL && data_month >= 0 &&
	    claim_parse_month(c->date, &claim_month) == 0 &&
	    labs(data_month - claim_month) >= 6) {
		long d = data_month - claim_month;

		j->months_apart = d;
		add_caveat(j, "C-AGE", "addresses change hands", 0, (double)labs(d), "months_apart",
		    REF_WHEREIS,
		    "the databases are %ld months %s than the claim: blocks are sold, leased and "
		    "re-announced, so where an address is placed today may not be where it was then.",
		    labs(d), d > 0 ? "newer" : "older");
	}
	if (a->nasn > 0 && a->top1 >= 0.5)
		add_caveat(j, "C-CONCENTRATION", "one network dominates", 0, a->top1, "top1_asn_share",
		    REF_RID,
		    "one network, AS%lu%s%s, holds %.1f%% of the entries: the list says more about that "
		    "operator's customers (or one rented machine pool) than about a country.",
		    (unsigned long)a->asns[0].asn, a->asns[0].org ? " " : "",
		    a->asns[0].org ? a->asns[0].org : "", pct(a->top1));
	if (a->max_cluster >= 10 && T->n >= 20 && a->max_cluster / T->n >= 0.2)
		add_caveat(j, "C-CLUSTER", "addresses cluster", 0, a->max_cluster / T->n,
		    "largest_block_share", REF_RID,
		    "%.0f entries (%.1f%%) fall in a single /24 or /48 block: that is one network, "
		    "often one provider's server range, counted many times.",
		    a->max_cluster, pct(a->max_cluster / T->n));
	if (T->n < 30)
		add_caveat(j, "C-SMALL", "a small list", 0, T->n, "unique_entries", REF_RID,
		    "only %.0f unique entries: shares of so few move by several points with each address.",
		    T->n);
	if (unknown >= 0.25)
		add_caveat(j, "C-UNKNOWN-TYPE", "network type unknown", 0, unknown, "unknown_type_share",
		    REF_GHARAIBEH,
		    "the kind of network is unknown for %.1f%% of the entries: the type figures above are "
		    "a lower bound for every type.", pct(unknown));
	if (a->cited.n > 0) {
		double m = a->cited.n > 0 ? a->cited_match[0].n / a->cited.n : 0;

		if (m < 0.95)
			add_caveat(j, "C-CITED", "cited locations differ", 0, 1 - m, "cited_mismatch_share",
			    REF_POESE,
			    "the locations cited in the list differ from source A for %.1f%% of the %.0f "
			    "entries that carry one: the claimant used another database, an older one, or "
			    "registration data.", pct(1 - m), a->cited.n);
	}
	if (ex != NULL && !ex->has_time && !ex->has_ports)
		add_caveat(j, "C-NOCONTEXT", "addresses without context", 0, 0, "fields_missing",
		    REF_ODNI,
		    "the list carries no timestamps, ports or protocols: nothing ties an address to an "
		    "event, and nothing separates scanning or reflection from intrusion.");

	/* Always: why a source address is not an origin. */
always:
	add_caveat(j, "C-LASTHOP", "the last hop, not the origin", 1, -1, NULL, REF_LIN "; " REF_RID,
	    "a source address shows the last machine a packet came from; the person behind it may be "
	    "anywhere, relaying through proxies, VPNs, Tor or hijacked machines.");
	add_caveat(j, "C-SPOOF", "spoofed and reflected traffic", 1, -1, NULL, REF_SPOOFER "; " REF_ROSSOW,
	    "about a quarter of networks tested let hosts forge source addresses, and reflection "
	    "attacks make innocent servers the visible sources.");
	add_caveat(j, "C-REGISTRATION", "registration is not location", 1, -1, NULL,
	    REF_MAXMIND_REG "; " REF_WHEREIS,
	    "databases mix where a block is registered, where it is announced and where it is used; "
	    "leased blocks, multinational carriers and VPN servers make these differ.");
	add_caveat(j, "C-ATTRIBUTION", "attribution is a judgement", 1, -1, NULL,
	    REF_RID "; " REF_APT1 "; " REF_ODNI,
	    "attributing an operation to a state rests on tradecraft, malware, infrastructure reuse "
	    "and intent, weighed with stated confidence; an IP country is at most one small input.");
}

/* ------------------------------------------------------------- verdict */

void judge(const struct aggregate *a, const struct claim *c,
           const struct ex_stats *ex, long data_month, struct judgement *j)
{
	struct buf b;
	size_t i, k;
	const char *name;
	char cc[3];
	double best = -1;
	int weighted;

	memset(j, 0, sizeof(*j));
	j->months_apart = LONG_MIN;
	buf_init(&b);
	weighted = ex != NULL && ex->has_counts && a->total.w != a->total.n;
	j->weighted = weighted;

	if (c != NULL && c->no_list) {
		j->kind = VERDICT_NO_LIST;
		buf_printf(&b, "No address list was published with this claim, so nothing in it can be "
		           "checked: no database can confirm or refute it.");
		j->verdict = b.data;
		add_caveat(j, "C-NOLIST", "no list published", 0, 0, "addresses_published", REF_SENTINEL,
		    "the claimant published no addresses: the claim cannot be verified by anyone else.");
		list_caveats(a, c, NULL, data_month, j);
		return;
	}
	if (a->total.n == 0) {
		j->kind = VERDICT_EMPTY;
		buf_printf(&b, "The list holds no usable address, so it supports no statement about where "
		           "anything came from.");
		j->verdict = b.data;
		list_caveats(a, c, ex, data_month, j);
		return;
	}

	j->lo = 2;
	j->hi = -1;
	if (c != NULL && c->country[0]) {
		size_t idx = agg_cc_index(c->country);

		name = country_name(c->country);
		for (i = 0; i < a->ncs; i++) {
			j->share[i] = a->total.n > 0 ? a->country[i][idx].n / a->total.n : 0;
			j->share_w[i] = a->total.w > 0 ? a->country[i][idx].w / a->total.w : 0;
			if (j->share[i] < j->lo) j->lo = j->share[i];
			if (j->share[i] > j->hi) j->hi = j->share[i];
			if (weighted) {
				if (j->share_w[i] < j->lo) j->lo = j->share_w[i];
				if (j->share_w[i] > j->hi) j->hi = j->share_w[i];
			}
		}
		buf_printf(&b, "%.1f%% of the %.0f entries geolocate to %s (%s) by source A",
		           pct(j->share[0]), a->total.n, c->country, name ? name : "?");
		for (i = 1; i < a->ncs; i++)
			buf_printf(&b, ", %.1f%% by source %c", pct(j->share[i]), (int)('A' + i));
		if (weighted) {
			buf_printf(&b, "; weighted by the list's counts, %.1f%%", pct(j->share_w[0]));
			for (i = 1; i < a->ncs; i++)
				buf_printf(&b, " / %.1f%%", pct(j->share_w[i]));
		}
		buf_printf(&b, ".");
		if (a->type[NT_HOSTING].n > 0)
			buf_printf(&b, " %.1f%% of all entries are in hosting networks.",
			           pct(a->type[NT_HOSTING].n / a->total.n));
		if (c->share >= 0) {
			if (c->share > j->hi + JUDGE_TOLERANCE) {
				j->kind = VERDICT_OVERSTATED;
				buf_printf(&b, " The claimed %.0f%% is above what the list shows (at most %.1f%%).",
				           pct(c->share), pct(j->hi));
			} else if (c->share < j->lo - JUDGE_TOLERANCE) {
				j->kind = VERDICT_UNDERSTATED;
				buf_printf(&b, " The claimed %.0f%% is below what the list shows (at least %.1f%%).",
				           pct(c->share), pct(j->lo));
			} else {
				j->kind = VERDICT_CONSISTENT;
				if (j->hi - j->lo < 0.001)
					buf_printf(&b, " The claimed %.0f%% is within %.0f points of what the list shows.",
					           pct(c->share), pct(JUDGE_TOLERANCE));
				else
					buf_printf(&b, " The claimed %.0f%% is within what the list shows, which ranges "
					           "from %.1f%% to %.1f%% depending on the source%s.", pct(c->share),
					           pct(j->lo), pct(j->hi), weighted ? " and on weighting by counts" : "");
			}
		} else {
			j->kind = VERDICT_COUNTRY_ONLY;
		}
		buf_printf(&b, " This says where the addresses are registered or announced, not who "
		           "operated them.");
	} else {
		j->kind = VERDICT_NO_CLAIM;
		/* Describe: the largest country by source A. */
		for (k = 0; k < AGG_NODATA; k++)
			if (a->ncs > 0 && a->country[0][k].n > best) {
				best = a->country[0][k].n;
				agg_cc_code(k, cc);
			}
		if (a->ncs > 0 && best > 0) {
			name = country_name(cc);
			buf_printf(&b, "No country was claimed. The largest share by source A is %s (%s), "
			           "%.1f%% of the %.0f entries.", cc, name ? name : "?",
			           pct(best / a->total.n), a->total.n);
		} else {
			buf_printf(&b, "No country was claimed, and no country source placed these entries.");
		}
		buf_printf(&b, " Where an address is registered or announced does not say who operated it.");
	}
	j->verdict = b.data;
	list_caveats(a, c, ex, data_month, j);
}

void judgement_release(struct judgement *j)
{
	size_t i;

	for (i = 0; i < j->ncaveats; i++)
		free(j->caveats[i].text);
	free(j->caveats);
	free(j->verdict);
	memset(j, 0, sizeof(*j));
}

/* ------------------------------------------------------------- as of */

static double frac(unsigned long x, unsigned long n)
{
	return n ? (double)x / (double)n : 0;
}

void judge_asof(struct judgement *j, const struct asof_summary *s, const char *date)
{
	size_t k;

	if (s->n == 0)
		return;
	if (s->tor_then > 0)
		add_caveat(j, "C-TOR-THEN", "Tor exits on the claim date", 0, frac(s->tor_then, s->n),
		    "tor_then_share", REF_COLLECTOR "; " REF_TOR,
		    "%lu of %lu entries (%.1f%%) were Tor exits in the week around %s (%lu are "
		    "today): traffic from an exit comes from any Tor user, not from the relay's "
		    "operator or its country.", s->tor_then, s->n, pct(frac(s->tor_then, s->n)),
		    date, s->tor_now);
	if (s->not_allocated > 0)
		add_caveat(j, "C-NOT-ALLOCATED", "not allocated on the claim date", 0,
		    frac(s->not_allocated, s->n), "not_allocated_share", REF_NRO_STATS "; " REF_SPOOFER,
		    "%lu of %lu entries (%.1f%%) were in blocks no registry had given out on %s: "
		    "traffic from them was spoofed, misattributed, or the list was not made on "
		    "that date.", s->not_allocated, s->n, pct(frac(s->not_allocated, s->n)), date);
	if (s->moved > 0 || s->cc_changed > 0)
		add_caveat(j, "C-MOVED", "changed hands since the claim", 0, frac(s->changed, s->n),
		    "changed_share", REF_PFX2AS "; " REF_WHEREIS,
		    "since %s, %lu of %lu routed entries changed origin AS and %lu of %lu changed "
		    "registry country: today's holder and country are not the ones the claim "
		    "saw.", date, s->moved, s->holder_base, s->cc_changed, s->cc_base);
	/* C-AGE: measured, not guessed from the dates. */
	for (k = 0; k < j->ncaveats; k++)
		if (strcmp(j->caveats[k].id, "C-AGE") == 0)
			break;
	if (k == j->ncaveats) {
		add_caveat(j, "C-AGE", "addresses change hands", 0, 0, "changed_share", REF_WHEREIS, "-");
		k = j->ncaveats - 1;
	}
	free(j->caveats[k].text);
	j->caveats[k].text = xasprintf(
	    "measured against the archives of %s: %lu of %lu entries changed origin AS since, "
	    "%lu changed registry country, %lu changed type; %lu were Tor exits that week, "
	    "%lu were not allocated and %lu not routed on that day.", date, s->moved, s->n,
	    s->cc_changed, s->type_changed, s->tor_then, s->not_allocated, s->unrouted);
	j->caveats[k].figure = frac(s->changed, s->n);
	j->caveats[k].figure_name = "changed_share";
	j->caveats[k].refs = REF_NRO_STATS "; " REF_PFX2AS "; " REF_COLLECTOR "; " REF_WHEREIS;
}
