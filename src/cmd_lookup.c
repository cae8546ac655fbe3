/*
 * cmd_lookup.c - `geoattr lookup`: every source's answer for addresses,
 * prefixes and ranges given as arguments or on standard input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "country.h"
#include "dbopts.h"
#include "jsonout.h"
#include "resolve.h"
#include "util.h"

static const char lookup_help[] =
"Usage: geoattr lookup [OPTIONS] ADDRESS|PREFIX|RANGE... \n"
"       geoattr lookup [OPTIONS] -        (one per line on standard input)\n"
"\n"
"Show where every database places each address, who holds it (ASN and\n"
"organisation, matched prefix) and whether it is special-use (with its RFC).\n"
"Nothing is sent over the network: lookups use local databases only.\n"
"\n"
"Accepted: IPv4 (192.0.2.1), IPv6 in any RFC 4291 form, ADDR/LEN prefixes,\n"
"LO-HI ranges.  IPv4-mapped IPv6 is looked up as IPv4.  Rejected, with a\n"
"reason: IPv4 octets with leading zeros, zone ids, prefixes with host bits set.\n"
"On standard input, text from # to the end of a line is a comment; blank\nlines are skipped.\n"
"\n"
"Options:\n"
"  -f, --format FORMAT   text (default), json (one array), ndjson (one object\n"
"                        per line), csv\n"
"      --db FILE         also use this MaxMind DB file (repeatable)\n"
"      --no-default-db   use only --db files and $GEOATTR_DB_PATH\n"
"  -h, --help            show this help\n"
"\n"
"Exit status: 0 ok, 1 some inputs rejected (each reported as\n"
"geoattr: INPUT: reason, the rest still answered), 2 usage, 4 no database.\n";

enum lookup_format { FMT_TEXT, FMT_JSON, FMT_NDJSON, FMT_CSV };

struct lookup_ctx {
	struct source_set *set;
	enum lookup_format fmt;
	struct jv *array;         /* FMT_JSON */
	unsigned long rejected;
	unsigned long answered;
	int first_text;
};

static void csv_quote(const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (p = s; *p; p++) {
		if (*p == '"')
			putchar('"');
		putchar(*p);
	}
	putchar('"');
}

static void csv_header(const struct lookup_ctx *c)
{
	size_t i;

	fputs("input,address,ip_version,special_use,special_rfc,network,asn,org", stdout);
	for (i = 0; i < sources_count(c->set); i++) {
		const struct source *s = sources_at(c->set, i);

		if (source_caps(s) & SRC_HAS_COUNTRY) {
			fputs(",country_", stdout);
			csv_quote(source_name(s));
		}
	}
	fputs(",sources_agree,error\n", stdout);
}

static void emit_error(struct lookup_ctx *c, const char *where,
                       const char *input, const char *why)
{
	struct jv *o;
	size_t i;

	c->rejected++;
	msg_error(where, "%s", why);
	switch (c->fmt) {
	case FMT_TEXT:
		break;
	case FMT_JSON:
	case FMT_NDJSON:
		o = jv_object();
		jv_set(o, "input", jv_str(input));
		jv_set(o, "error", jv_str(why));
		if (c->fmt == FMT_JSON)
			jv_push(c->array, o);
		else {
			jv_dump(o, stdout, 0);
			jv_free(o);
		}
		break;
	case FMT_CSV:
		csv_quote(input);
		fputs(",,,,,,,,", stdout);  /* address .. org, up to the first country */
		for (i = 0; i < sources_count(c->set); i++)
			if (source_caps(sources_at(c->set, i)) & SRC_HAS_COUNTRY)
				putchar(',');
		putchar(',');
		csv_quote(why);
		putchar('\n');
		break;
	}
}

static void text_answer(struct lookup_ctx *c, const struct answer *a)
{
	char t[NET_TEXT_MAX];
	size_t i;
	const char *org = answer_org(a);

	if (!c->first_text)
		putchar('\n');
	c->first_text = 0;
	printf("%s\n", net_format(&a->net, t));
	if (a->special != NULL)
		printf("  special   %s%s: %s, %s (%s)\n",
		       a->special_partial ? "partly " : "",
		       special_class_name(a->special->cls), a->special->name,
		       a->special->rfc, a->special->prefix);
	if (a->asn_src >= 0)
		printf("  holder    AS%lu %s  [%s, %s]\n",
		       (unsigned long)answer_asn(a), org ? org : "(no name)",
		       net_format(&a->hit[a->asn_src].block, t),
		       source_name(sources_at(c->set, (size_t)a->asn_src)));
	else
		printf("  holder    no ASN in any source\n");
	for (i = 0; i < a->nsrc; i++) {
		const struct source *s = sources_at(c->set, i);
		const struct src_entry *e = a->hit[i].e;
		struct source_info si;

		if (!(source_caps(s) & SRC_HAS_COUNTRY))
			continue;
		source_info(s, &si);
		if (e == NULL || e->country[0] == '\0') {
			printf("  country   %c %-16s no data\n", si.label, si.name);
			continue;
		}
		printf("  country   %c %-16s %s %s  [%s]", si.label, si.name,
		       e->country, country_name(e->country) ? country_name(e->country) : "",
		       net_format(&a->hit[i].block, t));
		if (e->city != NULL)
			printf("  city %s", e->city);
		if (e->registered[0] && strcmp(e->registered, e->country) != 0)
			printf("  registered %s", e->registered);
		putchar('\n');
	}
	if (a->disagree)
		printf("  note      the sources disagree on the country\n");
	if (a->partial && a->net.kind != NET_ADDR)
		printf("  note      the databases split this network; shown: its first address\n");
}

static void csv_answer(struct lookup_ctx *c, const struct answer *a,
                       const char *input)
{
	char t[NET_TEXT_MAX];
	size_t i;

	csv_quote(input);
	putchar(',');
	fputs(a->net.kind == NET_ADDR ? addr_format(&a->net.lo, t) : net_format(&a->net, t), stdout);
	printf(",%d,", a->net.lo.family);
	if (a->special != NULL) {
		fputs(special_class_name(a->special->cls), stdout);
		putchar(',');
		fputs(a->special->rfc, stdout);
	} else {
		putchar(',');
	}
	putchar(',');
	if (a->asn_src >= 0) {
		printf("%s,%lu,", net_format(&a->hit[a->asn_src].block, t),
		       (unsigned long)answer_asn(a));
		csv_quote(answer_org(a));
	} else {
		fputs(",,", stdout);
	}
	for (i = 0; i < a->nsrc; i++)
		if (source_caps(sources_at(c->set, i)) & SRC_HAS_COUNTRY) {
			putchar(',');
			fputs(answer_country(a, i), stdout);
		}
	printf(",%s,\n", a->disagree ? "no" : "yes");
}

static void lookup_one(struct lookup_ctx *c, const char *where,
                       const char *s, size_t len)
{
	struct ga_net net;
	struct answer ans;
	const char *why;
	char *input = xstrndup(s, len);
	struct jv *o;

	if (net_parse(s, len, 0, &net, &why) != 0) {
		emit_error(c, where, input, why);
		free(input);
		return;
	}
	resolve_net(c->set, &net, &ans);
	c->answered++;
	switch (c->fmt) {
	case FMT_TEXT:
		text_answer(c, &ans);
		break;
	case FMT_CSV:
		csv_answer(c, &ans, input);
		break;
	case FMT_JSON:
	case FMT_NDJSON:
		o = answer_to_json(c->set, &ans, input);
		if (c->fmt == FMT_JSON)
			jv_push(c->array, o);
		else {
			jv_dump(o, stdout, 0);
			jv_free(o);
		}
		break;
	}
	free(input);
}

static void lookup_stream(struct lookup_ctx *c, FILE *fp, const char *name)
{
	char *line = NULL;
	size_t cap = 0, len, lineno = 0;
	ssize_t n;
	char where[256];
	const char *hash;

	while ((n = getline(&line, &cap, fp)) != -1) {
		const char *p = line;

		lineno++;
		len = (size_t)n;
		/* '#' starts a comment anywhere: no address form contains it. */
		hash = memchr(p, '#', len);
		if (hash != NULL)
			len = (size_t)(hash - p);
		while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r' ||
		                   p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (lineno == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			len -= 3;
		}
		if (len == 0)
			continue;
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		lookup_one(c, where, p, len);
	}
	free(line);
}

static const struct option lookup_options[] = {
	{ "db", required_argument, NULL, DBOPT_DB },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-default-db", no_argument, NULL, DBOPT_NO_DEFAULT },
	{ NULL, 0, NULL, 0 }
};

static int run_lookup(int argc, char **argv)
{
	struct lookup_ctx c;
	struct dbopts dbo;
	int ch, i, rc;
	static char outbuf[1 << 16];

	memset(&c, 0, sizeof(c));
	dbopts_init(&dbo);
	c.first_text = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", lookup_options, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0) c.fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0) c.fmt = FMT_JSON;
			else if (strcmp(optarg, "ndjson") == 0) c.fmt = FMT_NDJSON;
			else if (strcmp(optarg, "csv") == 0) c.fmt = FMT_CSV;
			else
				return cmd_usage_error("lookup", "unknown format '%s' (text, json, ndjson, csv)", optarg);
			break;
		case 'h':
			return cmd_print_help(lookup_help);
		case DBOPT_DB:
		case DBOPT_NO_DEFAULT:
			dbopts_take(&dbo, ch, optarg);
			break;
		default:
			fprintf(stderr, "Try 'geoattr lookup --help'.\n");
			dbopts_release(&dbo);
			return GA_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		dbopts_release(&dbo);
		return cmd_usage_error("lookup", "no addresses given (use - to read standard input)");
	}
	rc = dbopts_open(&dbo, &c.set);
	if (rc != GA_EXIT_OK) {
		dbopts_release(&dbo);
		return rc;
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (c.fmt == FMT_JSON)
		c.array = jv_array();
	if (c.fmt == FMT_CSV)
		csv_header(&c);
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			lookup_stream(&c, stdin, "(stdin)");
		else
			lookup_one(&c, argv[i], argv[i], strlen(argv[i]));
	}
	if (c.fmt == FMT_JSON) {
		jv_dump(c.array, stdout, JV_PRETTY);
		jv_free(c.array);
	}
	sources_free(c.set);
	dbopts_release(&dbo);
	return c.rejected ? GA_EXIT_PARTIAL : GA_EXIT_OK;
}

const struct cmd cmd_lookup = {
	"lookup", "show every database's answer for addresses, prefixes, ranges",
	run_lookup
};
