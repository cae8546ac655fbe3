/*
 * cmd_compile.c - `geoattr compile`: build a MaxMind DB from range data.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compile.h"
#include "util.h"

static const char compile_help[] =
"Usage: geoattr compile [OPTIONS] -o OUT.mmdb FILE...\n"
"\n"
"Build a MaxMind DB file from range data.  FILE may be - for standard input.\n"
"\n"
"Input formats (--from):\n"
"  range-csv   start,end,values...   (addresses, or IPv4 as decimal integers)\n"
"  cidr-csv    network,values...     (CIDR prefixes, single addresses or LO-HI)\n"
"  tor         Tor's geoip/geoip6 files: start,end,CC with # comments\n"
"  auto        guess from the first row (default)\n"
"CSV follows RFC 4180: quoted fields may hold commas, quotes (\"\") and newlines.\n"
"\n"
"Options:\n"
"  -o, --output FILE      the database to write (replaced atomically)\n"
"  -f, --from FORMAT      input format, as above\n"
"  -c, --columns LIST     what each column holds, e.g. start,end,country or\n"
"                         network,asn,org; names other than start, end, network,\n"
"                         country, asn, org become string fields; - ignores\n"
"      --header           the first row names the columns\n"
"      --no-header        the first row is data\n"
"      --tab              fields are separated by tabs\n"
"      --ipv4             write an IPv4-only database (default: IPv6 tree\n"
"                         holding IPv4 under ::/96 and ::ffff:0:0/96)\n"
"      --record-size N    24, 28 or 32 (default: the smallest that fits)\n"
"  -t, --type NAME        database_type metadata (default geoattr)\n"
"      --description TEXT description metadata (English)\n"
"      --source-name NAME short name of the source, shown by `geoattr sources`\n"
"      --license TEXT     licence of the data\n"
"      --attribution TEXT attribution the licence requires\n"
"      --data-date DATE   date of the data (YYYY-MM-DD)\n"
"      --list-keys        list in the metadata the fields records hold\n"
"                         (geoattr_keys), which geoattr reads faster; other\n"
"                         readers ignore it, except Python's maxminddb C\n"
"                         extension 2.1, which crashes on any extra metadata\n"
"      --strict           stop at the first bad row and write nothing\n"
"  -q, --quiet            no summary on standard error\n"
"  -h, --help             show this help\n"
"\n"
"Overlapping ranges: a later row wins over exactly the addresses it covers.\n"
"Every bad row is reported as FILE:LINE: reason; rows whose value means\n"
"unknown (country ??, ZZ or empty; AS0) are counted and left out.\n"
"Exit status: 0 ok, 1 some rows rejected (database still written),\n"
"2 usage, 3 rejected under --strict, 5 file error.\n";

enum {
	OPT_HEADER = 256, OPT_NO_HEADER, OPT_TAB, OPT_IPV4, OPT_RECORD_SIZE,
	OPT_DESCRIPTION, OPT_SOURCE_NAME, OPT_LICENSE, OPT_ATTRIBUTION,
	OPT_DATA_DATE, OPT_STRICT, OPT_LIST_KEYS
};

static const struct option compile_options[] = {
	{ "attribution", required_argument, NULL, OPT_ATTRIBUTION },
	{ "columns", required_argument, NULL, 'c' },
	{ "data-date", required_argument, NULL, OPT_DATA_DATE },
	{ "description", required_argument, NULL, OPT_DESCRIPTION },
	{ "from", required_argument, NULL, 'f' },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "help", no_argument, NULL, 'h' },
	{ "ipv4", no_argument, NULL, OPT_IPV4 },
	{ "license", required_argument, NULL, OPT_LICENSE },
	{ "list-keys", no_argument, NULL, OPT_LIST_KEYS },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "record-size", required_argument, NULL, OPT_RECORD_SIZE },
	{ "source-name", required_argument, NULL, OPT_SOURCE_NAME },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "tab", no_argument, NULL, OPT_TAB },
	{ "type", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

static int run_compile(int argc, char **argv)
{
	struct compile_opts o;
	struct compile_stats st;
	const char *out = NULL;
	int ch, rc;

	compile_opts_init(&o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:f:ho:qt:", compile_options,
	                         NULL)) != -1) {
		switch (ch) {
		case 'c': o.columns = optarg; break;
		case 'f':
			if (strcmp(optarg, "range-csv") == 0 || strcmp(optarg, "csv") == 0)
				o.format = COMPILE_RANGE_CSV;
			else if (strcmp(optarg, "cidr-csv") == 0)
				o.format = COMPILE_CIDR_CSV;
			else if (strcmp(optarg, "tor") == 0)
				o.format = COMPILE_TOR;
			else if (strcmp(optarg, "auto") == 0)
				o.format = COMPILE_AUTO;
			else
				return cmd_usage_error("compile", "unknown input format '%s'", optarg);
			break;
		case 'h': return cmd_print_help(compile_help);
		case 'o': out = optarg; break;
		case 'q': o.quiet = 1; break;
		case 't': o.type = optarg; break;
		case OPT_HEADER: o.header = 1; break;
		case OPT_NO_HEADER: o.header = 0; break;
		case OPT_TAB: o.sep = '\t'; break;
		case OPT_IPV4: o.ip_version = 4; break;
		case OPT_RECORD_SIZE: {
			uint64_t v;

			if (parse_u64(optarg, strlen(optarg), 24, 32, &v) ||
			    (v != 24 && v != 28 && v != 32))
				return cmd_usage_error("compile", "--record-size must be 24, 28 or 32");
			o.record_size = (int)v;
			break;
		}
		case OPT_DESCRIPTION: o.description = optarg; break;
		case OPT_SOURCE_NAME: o.source_name = optarg; break;
		case OPT_LIST_KEYS: o.list_keys = 1; break;
		case OPT_LICENSE: o.license = optarg; break;
		case OPT_ATTRIBUTION: o.attribution = optarg; break;
		case OPT_DATA_DATE: o.data_date = optarg; break;
		case OPT_STRICT: o.strict = 1; break;
		default:
			fprintf(stderr, "Try 'geoattr compile --help'.\n");
			return GA_EXIT_USAGE;
		}
	}
	if (out == NULL)
		return cmd_usage_error("compile", "no output file: give -o OUT.mmdb");
	if (optind >= argc)
		return cmd_usage_error("compile", "no input files (use - for standard input)");
	rc = compile_run(&o, (const char *const *)argv + optind,
	                 (size_t)(argc - optind), out, &st);
	if (!o.quiet && (rc == GA_EXIT_OK || rc == GA_EXIT_PARTIAL))
		fprintf(stderr,
		        "geoattr: compile: %llu records: %llu stored, %llu unknown skipped, "
		        "%llu rejected; %llu overlapped earlier rows; %zu distinct values, "
		        "%lu nodes, %d-bit records, %llu bytes -> %s\n",
		        (unsigned long long)st.records, (unsigned long long)st.stored,
		        (unsigned long long)st.unknown, (unsigned long long)st.rejected,
		        (unsigned long long)st.overlaps, st.distinct,
		        (unsigned long)st.nodes, st.record_size,
		        (unsigned long long)st.bytes, out);
	return rc;
}

const struct cmd cmd_compile = {
	"compile", "build a MaxMind DB from CSV ranges, CIDR lists or Tor geoip files",
	run_compile
};
