/*
 * cmd_sources.c - `geoattr sources`: the databases in use, their dates,
 * sizes, licences and the attribution each licence requires.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asof.h"
#include "classify.h"
#include "cmd.h"
#include "dbopts.h"
#include "histupdate.h"
#include "jsonout.h"
#include "source.h"
#include "util.h"

static const char sources_help[] =
"Usage: geoattr sources [OPTIONS]\n"
"\n"
"List the databases geoattr uses, in the order it found them: type, date of\n"
"the data, build date, number of networks, licence and the attribution the\n"
"licence requires.  Country sources are labelled A, B, ... as in reports.\n"
"Then the tiers of network-type knowledge, in order of trust: provider\n"
"ranges (downloaded feeds, else embedded snapshots), the curated table,\n"
"third-party ASN lists, organisation-name rules; each with date, size and\n"
"licence.\n"
"\n"
"Options:\n"
"  -f, --format FORMAT   text (default) or json\n"
"      --paths           also list the directories searched, in order\n"
"      --check-types DIR read DIR's type tables (curated ASNs, anycast\n"
"                        prefixes, third-party lists) whole and report the\n"
"                        first bad row as FILE:LINE (the build runs this)\n"
"      --type-index FILE with --check-types: then write the tables to FILE,\n"
"                        the type index that spares later runs reading\n"
"                        them (the build and `make install` write\n"
"                        DIR/types.idx; it is used while DIR's files still\n"
"                        match it)\n"
"      --db FILE         also use this MaxMind DB file (repeatable)\n"
"      --no-default-db   use only --db files and $GEOATTR_DB_PATH\n"
"  -h, --help            show this help\n";

static const char *caps_text(unsigned caps, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s",
	         caps & SRC_HAS_COUNTRY ? "country " : "",
	         caps & SRC_HAS_CITY ? "city " : "",
	         caps & SRC_HAS_ASN ? "asn " : "",
	         caps & SRC_HAS_TYPE ? "network-type " : "");
	if (buf[0] && buf[strlen(buf) - 1] == ' ')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

static const char *epoch_date(uint64_t epoch, char *buf, size_t n)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, n, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, n, "?");
	return buf;
}

/* Networks per member (feed and date) of the merged snapshots: a
 * record's provider says "... snapshot of DATE". */
#define MAX_MEMBERS 32
struct member_count {
	char key[MAX_MEMBERS][48];
	uint64_t n[MAX_MEMBERS];
	size_t k;
};

static void count_member(void *ctx, const struct ga_net *net, const struct src_entry *e)
{
	struct member_count *m = ctx;
	const char *d;
	char key[48];
	size_t i;

	(void)net;
	if (e->feed == NULL || e->provider == NULL ||
	    (d = strstr(e->provider, " snapshot of ")) == NULL)
		return;
	snprintf(key, sizeof(key), "%s %s", e->feed, d + 13);
	for (i = 0; i < m->k && strcmp(m->key[i], key) != 0; i++)
		;
	if (i == m->k && m->k < MAX_MEMBERS)
		snprintf(m->key[m->k++], sizeof(m->key[0]), "%s", key);
	if (i < m->k)
		m->n[i]++;
}

/* The terms of each embedded snapshot: what the provider states, and the
 * licence of the archive the copy came from where that is not the
 * provider (provenance: geo/snapshots/README.md). */
static const struct {
	const char *feed;
	const char *license;
} snapshot_licenses[] = {
	{ "icloud", "Apple's public egress list, no licence stated; country-only "
	            "compile by NextDNS (MIT)" },
	{ "mullvad", "Mullvad's public relay list, no licence stated; copy from "
	             "Mullvad's app repository (GPL-3.0)" },
};

static const char *snapshot_license(const char *feed)
{
	size_t i;

	for (i = 0; i < sizeof(snapshot_licenses) / sizeof(snapshot_licenses[0]); i++)
		if (strcmp(snapshot_licenses[i].feed, feed) == 0)
			return snapshot_licenses[i].license;
	return "published by the provider for public use; no licence stated";
}

/* One line (or JSON row) per provider of the merged snapshots database:
 * "snapshot-tor  2026-03-15, 1,174 networks", or "replaced by feed-tor". */
static void print_members(struct source *s, struct jv *arr)
{
	const char *p = source_snapshot_members(s);
	struct member_count m;

	memset(&m, 0, sizeof(m));
	source_each_network(s, count_member, &m);
	while (p != NULL && *p) {
		char feed[32], date[16], name[48];
		uint64_t n = 0;
		size_t i;
		int gone = 0;

		if (sscanf(p, "%31s %15[^;]", feed, date) != 2)
			break;
		for (i = 0; i < m.k; i++) {
			char key[48];

			snprintf(key, sizeof(key), "%s %s", feed, date);
			if (strcmp(m.key[i], key) == 0)
				n = m.n[i];
		}
		gone = source_snapshot_is_replaced(s, feed);
		snprintf(name, sizeof(name), "snapshot-%s", feed);
		if (arr != NULL) {
			struct jv *o = jv_object();

			jv_set(o, "tier", jv_str(type_tier_name(TIER_PROVIDER)));
			jv_set(o, "name", jv_str(name));
			jv_set(o, "date", jv_str(date));
			jv_set(o, "networks", jv_int((long long)n));
			jv_set(o, "license", jv_str(snapshot_license(feed)));
			jv_set(o, "replaced_by", gone ? jv_str(feed) : jv_null());
			jv_push(arr, o);
		} else if (gone) {
			printf("  1 provider ranges   %-26s %s, replaced by the downloaded feed-%s\n", name, date, feed);
		} else {
			printf("  1 provider ranges   %-26s %s, %llu networks; %s\n", name, date,
			       (unsigned long long)n, snapshot_license(feed));
		}
		p = strchr(p, ';');
		if (p != NULL)
			p += strspn(p, "; ");
	}
}

/* The tiers of type knowledge below the provider ranges (which are
 * listed with the databases above them). */
static void print_tiers(const struct classifier *cls, struct source_set *set,
                        struct jv *top)
{
	const struct classify_list_info *li;
	struct jv *arr = top ? jv_array() : NULL, *o;
	size_t i, nfeeds = 0;

	if (!top)
		printf("\nNetwork-type knowledge, in order of trust\n");
	for (i = 0; set != NULL && i < sources_count(set); i++) {
		struct source_info si;

		source_info(sources_at(set, i), &si);
		if (!(si.caps & SRC_HAS_TYPE))
			continue;
		nfeeds++;
		if (source_snapshot_members(sources_at(set, i)) != NULL) {
			print_members(sources_at_mut(set, i), arr);
			continue;
		}
		if (top) {
			o = jv_object();
			jv_set(o, "tier", jv_str(type_tier_name(TIER_PROVIDER)));
			jv_set(o, "name", jv_str(si.name));
			jv_set(o, "date", si.data_date[0] ? jv_str(si.data_date) : jv_null());
			jv_set(o, "networks", jv_int((long long)source_count_networks(sources_at(set, i))));
			jv_set(o, "license", jv_str(si.license));
			jv_push(arr, o);
		} else {
			printf("  1 provider ranges   %-26s %s, %llu networks\n", si.name,
			       si.data_date[0] ? si.data_date : "undated",
			       (unsigned long long)source_count_networks(sources_at(set, i)));
		}
	}
	if (!top && nfeeds == 0)
		printf("  1 provider ranges   none (geoattr update installs them)\n");
	if (top) {
		o = jv_object();
		jv_set(o, "tier", jv_str(type_tier_name(TIER_CURATED)));
		jv_set(o, "name", jv_str("asn-types.csv"));
		jv_set(o, "rows", jv_int((long long)classify_asn_count(cls)));
		jv_set(o, "license", jv_str("geoattr project data; each row states its basis"));
		jv_push(arr, o);
	} else {
		printf("  2 curated           %-26s %zu ASNs, each with its basis (geoattr project)\n",
		       "asn-types.csv", classify_asn_count(cls));
	}
	for (i = 0; (li = classify_list(cls, i)) != NULL; i++) {
		if (top) {
			o = jv_object();
			jv_set(o, "tier", jv_str(type_tier_name(TIER_LIST)));
			jv_set(o, "name", jv_str(li->name));
			jv_set(o, "file", jv_str(li->file));
			jv_set(o, "date", jv_str(li->date));
			jv_set(o, "rows", jv_int((long long)li->rows));
			jv_set(o, "unit", jv_str(li->unit));
			jv_set(o, "license", jv_str(li->license));
			jv_set(o, "origin", jv_str(li->origin));
			jv_push(arr, o);
		} else {
			printf("  3 third-party list  %-26s %s, %zu %s, %s (%s)\n", li->name, li->date,
			       li->rows, li->unit, li->license, li->origin);
		}
	}
	if (top) {
		o = jv_object();
		jv_set(o, "tier", jv_str(type_tier_name(TIER_NAME)));
		jv_set(o, "name", jv_str("organisation-name rules"));
		jv_set(o, "license", jv_str("geoattr project"));
		jv_push(arr, o);
		jv_set(top, "type_tiers", arr);
		jv_set(top, "type_index", jv_bool(classify_indexed(cls)));
	} else {
		printf("  4 name rules        %-26s built in (low or medium confidence)\n",
		       "organisation-name rules");
		printf("  (tables 2 and 3 %s)\n", classify_indexed(cls)
		       ? "read from the type index types.idx beside them"
		       : "parsed from their files: no current type index beside them");
	}
}

static const struct option sources_options[] = {
	{ "check-types", required_argument, NULL, 'T' },
	{ "db", required_argument, NULL, DBOPT_DB },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-default-db", no_argument, NULL, DBOPT_NO_DEFAULT },
	{ "paths", no_argument, NULL, 'p' },
	{ "type-index", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 }
};

static int run_sources(int argc, char **argv)
{
	struct dbopts dbo;
	struct source_set *set;
	int ch, json = 0, paths = 0, rc;
	size_t i, nd;
	const char *dirs[8];
	char caps[64], built[16];
	struct jv *arr = NULL, *top = NULL;
	const char *check_dir = NULL, *index_out = NULL;

	dbopts_init(&dbo);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:hT:", sources_options, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0) json = 1;
			else if (strcmp(optarg, "text") == 0) json = 0;
			else {
				dbopts_release(&dbo);
				return cmd_usage_error("sources", "unknown format '%s' (text, json)", optarg);
			}
			break;
		case 'h':
			dbopts_release(&dbo);
			return cmd_print_help(sources_help);
		case 'p':
			paths = 1;
			break;
		case 'T':
			check_dir = optarg;
			break;
		case 'I':
			index_out = optarg;
			break;
		case DBOPT_DB:
		case DBOPT_NO_DEFAULT:
			dbopts_take(&dbo, ch, optarg);
			break;
		default:
			dbopts_release(&dbo);
			fprintf(stderr, "Try 'geoattr sources --help'.\n");
			return GA_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		dbopts_release(&dbo);
		return cmd_usage_error("sources", "unexpected argument '%s'", argv[optind]);
	}
	if (index_out != NULL && check_dir == NULL) {
		dbopts_release(&dbo);
		return cmd_usage_error("sources", "--type-index needs --check-types DIR");
	}
	if (check_dir != NULL) {
		char err[512];
		/* The CSV files themselves, never an index made from them. */
		struct classifier *c = classify_load_csv(check_dir, err, sizeof(err));

		dbopts_release(&dbo);
		if (c == NULL) {
			msg_error("sources", "%s", err);
			return GA_EXIT_PARTIAL;
		}
		rc = GA_EXIT_OK;
		if (index_out != NULL &&
		    classify_write_index(c, check_dir, index_out, err, sizeof(err)) != 0) {
			msg_error("sources", "%s", err);
			rc = GA_EXIT_PARTIAL;
		}
		classify_free(c);
		return rc;
	}
	nd = sources_search_dirs(dirs, 8);
	rc = dbopts_open(&dbo, &set);
	dbopts_release(&dbo);
	if (json) {
		top = jv_object();
		arr = jv_array();
	}
	for (i = 0; rc == GA_EXIT_OK && i < sources_count(set); i++) {
		struct source_info si;
		uint64_t nets;

		source_info(sources_at(set, i), &si);
		nets = source_count_networks(sources_at(set, i));
		epoch_date(si.build_epoch, built, sizeof(built));
		if (json) {
			struct jv *o = jv_object();

			jv_set(o, "name", jv_str(si.name));
			jv_set(o, "label", si.label ? jv_strn(&si.label, 1) : jv_null());
			jv_set(o, "path", jv_str(si.path));
			jv_set(o, "database_type", jv_str(si.type));
			jv_set(o, "provides", jv_str(caps_text(si.caps, caps, sizeof(caps))));
			jv_set(o, "description", jv_str(si.description));
			jv_set(o, "data_date", si.data_date[0] ? jv_str(si.data_date) : jv_null());
			jv_set(o, "build_date", jv_str(built));
			jv_set(o, "build_epoch", jv_int((long long)si.build_epoch));
			jv_set(o, "networks", jv_int((long long)nets));
			jv_set(o, "node_count", jv_int(si.node_count));
			jv_set(o, "record_size", jv_int(si.record_size));
			jv_set(o, "ip_version", jv_int(si.ip_version));
			jv_set(o, "license", si.license[0] ? jv_str(si.license) : jv_null());
			jv_set(o, "attribution", si.attribution[0] ? jv_str(si.attribution) : jv_null());
			if (source_snapshot_members(sources_at(set, i)) != NULL) {
				jv_set(o, "snapshots", jv_str(source_snapshot_members(sources_at(set, i))));
				jv_set(o, "replaced", source_snapshot_replaced(sources_at(set, i)) ?
				       jv_str(source_snapshot_replaced(sources_at(set, i))) : jv_null());
			}
			jv_push(arr, o);
			continue;
		}
		if (i > 0)
			putchar('\n');
		if (si.label)
			printf("[%c] %s\n", si.label, si.name);
		else
			printf("    %s\n", si.name);
		printf("    file         %s\n", si.path);
		printf("    type         %s (%s)\n", si.type, caps_text(si.caps, caps, sizeof(caps)));
		if (si.description[0])
			printf("    description  %s\n", si.description);
		printf("    data date    %s\n", si.data_date[0] ? si.data_date : "unknown");
		printf("    built        %s\n", built);
		printf("    networks     %llu (%lu nodes, %d-bit records, IPv%d tree)\n",
		       (unsigned long long)nets, (unsigned long)si.node_count,
		       si.record_size, si.ip_version);
		printf("    licence      %s\n", si.license[0] ? si.license : "unknown: check the file's origin");
		if (si.attribution[0])
			printf("    attribution  %s\n", si.attribution);
	}
	if (rc == GA_EXIT_OK) {
		char err[512];
		struct classifier *cls = classify_load(sources_embedded_dir(), err, sizeof(err));

		if (cls == NULL && sources_source_geo_dir() != NULL)
			cls = classify_load(sources_source_geo_dir(), err, sizeof(err));
		if (cls == NULL)
			msg_warn("sources", "network types unavailable: %s", err);
		else
			print_tiers(cls, set, top);
		classify_free(cls);
	}
	{
		/* The historical sets are not sources of "now": listed apart. */
		char *ud = sources_user_dir(), **dates;
		size_t nd2 = 0, q;

		dates = ud ? hist_set_dates(ud, &nd2) : NULL;
		if (json) {
			struct jv *h = jv_array();

			for (q = 0; q < nd2; q++) {
				struct jv *o = jv_object();
				char *sd = hist_set_dir(ud, dates[q]);

				jv_set(o, "date", jv_str(dates[q]));
				jv_set(o, "dir", jv_str(sd));
				{
					/* What each part holds, as check reports it. */
					char why[512];
					struct asof_set *as = asof_open(dates[q], why, sizeof(why));

					jv_set(o, "registry_used", as ? jv_str(asof_used(as, 0)) : jv_null());
					jv_set(o, "routing_used", as ? jv_str(asof_used(as, 1)) : jv_null());
					jv_set(o, "as_names_used", as ? jv_str(asof_used(as, 3)) : jv_null());
					jv_set(o, "tor_used", as ? jv_str(asof_used(as, 2)) : jv_null());
					asof_close(as);
				}
				jv_push(h, o);
				free(sd);
			}
			jv_set(top, "as_of_sets", h);
		} else if (rc == GA_EXIT_OK) {
			printf("\nHistorical data for check --as-of and lookup --as-of\n");
			if (nd2 == 0 || hist_list(ud) == 0)
				printf("  none installed: geoattr update --as-of DATE installs the archives of a day\n");
		}
		for (q = 0; q < nd2; q++)
			free(dates[q]);
		free(dates);
		free(ud);
	}
	if (paths && !json) {
		printf("%sSearched, in order: --db files, $GEOATTR_DB_PATH", rc == GA_EXIT_OK ? "\n" : "");
		for (i = 0; i < nd; i++)
			printf(", %s", dirs[i]);
		printf("\n");
	}
	if (json) {
		struct jv *d = jv_array();

		for (i = 0; i < nd; i++)
			jv_push(d, jv_str(dirs[i]));
		jv_set(top, "sources", arr);
		jv_set(top, "search_path", d);
		jv_dump(top, stdout, JV_PRETTY);
		jv_free(top);
	}
	if (rc == GA_EXIT_OK)
		sources_free(set);
	return rc;
}

const struct cmd cmd_sources = {
	"sources", "list the databases in use with their dates and licences",
	run_sources
};
