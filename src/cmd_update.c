/*
 * cmd_update.c - `geoattr update`: download the address lists providers
 * publish (clouds, CDNs, VPNs, Tor exits, RFC 8805 geofeeds) and compile
 * each into DIR/feed-NAME.mmdb, which the source engine then reads as a
 * network-type source.
 *
 * Safety: a feed file is replaced only after its new data downloaded in
 * full, parsed and compiled (the writer renames a finished .tmp), so a
 * failure of any kind leaves the previous file byte for byte.  The ETag
 * and Last-Modified of each download are kept in DIR/feed-NAME.etag for
 * conditional requests.  This is the only command that uses the network.
 */
/* strptime() */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "cmd.h"
#include "dbinstall.h"
#include "feeds.h"
#include "fetch.h"
#include "histupdate.h"
#include "mmdbw.h"
#include "snapmerge.h"
#include "source.h"
#include "util.h"

static const char update_help[] =
"Usage: geoattr update [OPTIONS] [FEED...]\n"
"\n"
"Download the address ranges that providers publish and compile each feed\n"
"into DIR/feed-FEED.mmdb (DIR is $XDG_DATA_HOME/geoattr, else\n"
"~/.local/share/geoattr), where lookup, check and sources find it.  With no\n"
"FEED, every default feed and every --geofeed/--azure feed is updated.\n"
"This is the only command that uses the network.\n"
"\n"
"Feeds (type, source):\n"
"  aws            hosting  Amazon Web Services ip-ranges.json (CloudFront: cdn)\n"
"  google         hosting  Google Cloud cloud.json\n"
"  oracle         hosting  Oracle Cloud public_ip_ranges.json\n"
"  cloudflare     cdn      Cloudflare ips-v4 and ips-v6\n"
"  fastly         cdn      Fastly public-ip-list\n"
"  digitalocean   hosting  DigitalOcean RFC 8805 geofeed\n"
"  linode         hosting  Linode/Akamai RFC 8805 geofeed\n"
"  icloud         vpn      Apple iCloud Private Relay egress ranges (RFC 8805);\n"
"                          a relay hides its user like a VPN, so it is typed vpn\n"
"                          with provider icloud-private-relay\n"
"  tor            tor      Tor Project torbulkexitlist (exit addresses)\n"
"  mullvad        vpn      Mullvad relay list (www/relays/all/, or app/v1/relays\n"
"                          through --url); bridges, which carry no exit\n"
"                          traffic, are left out\n"
"  protonvpn      vpn      Proton VPN logical server list (exit addresses)\n"
"  azure          hosting  Azure service tags, only with --azure\n"
"\n"
"Databases, downloaded only when named (installed as DIR/FILE, where lookup,\n"
"check and sources find them as further country/ASN sources):\n"
"  dbip-city      DB-IP IP to City Lite, monthly .mmdb.gz (CC BY 4.0);\n"
"                 this month's file, else last month's; about 130 MB\n"
"  ipinfo-lite    IPinfo Lite country and ASN MMDB; needs a free IPinfo\n"
"                 token in $IPINFO_TOKEN or --ipinfo-token\n"
"A database replaces the installed one only after it decompressed, opened\n"
"and answered sample lookups (DB-IP's must also be of type DBIP-City-Lite).\n"
"\n"
"Historical data (\"as of the claim date\"), only with --as-of:\n"
"      --as-of DATE      instead of the feeds, download the public archives of\n"
"                        DATE (YYYY-MM-DD): the five RIRs' delegated statistics,\n"
"                        CAIDA's RouteViews prefix-to-AS file and the Tor\n"
"                        Project's CollecTor exit lists, compiled into\n"
"                        DIR/asof-YYYYMMDD/{registry,routing,tor}.mmdb for\n"
"                        check --as-of and lookup --as-of; the origin ASes'\n"
"                        names from CAIDA's AS Organizations file nearest\n"
"                        DATE within 100 days (quarterly files), else the\n"
"                        set goes without names and says so\n"
"      --tor-window DAYS exits seen within DAYS either side (default 7, 1-15)\n"
"      --max-shift DAYS  an archive missing for DATE may be replaced by the\n"
"                        nearest within DAYS (default 3, 0-14)\n"
"      --base-url URL    fetch the archives from URL instead of their hosts\n"
"                        (the archive's path is appended; also\n"
"                        $GEOATTR_HIST_BASE_URL); without a scheme, a local\n"
"                        directory holding the archives under their names\n"
"\n"
"Options:\n"
"      --list            show each feed, whether it is installed, its age and\n"
"                        URL; no network\n"
"      --offline         no network at all: the same status as --list\n"
"      --url NAME=URL    download feed NAME from URL instead (repeat for a\n"
"                        feed of several files, such as cloudflare); a URL\n"
"                        without a scheme is read as a local file\n"
"      --geofeed NAME=URL  also update this RFC 8805 geofeed as feed NAME\n"
"      --type TYPE       network type of --geofeed feeds (default hosting):\n"
"                        hosting, vpn, tor, cdn, mobile, isp, edu, gov,\n"
"                        enterprise\n"
"      --azure FILE|URL  Azure service tags JSON (its URL changes weekly)\n"
"      --dir DIR         write the feeds to DIR\n"
"      --merge-snapshots merge the snapshot databases given as arguments into\n"
"                        DIR/snapshots.mmdb (the build's last snapshot step)\n"
"      --snapshot DATE   build an embedded snapshot instead (the build uses\n"
"                        this): DIR/snapshot-FEED.mmdb, dated DATE unless the\n"
"                        data states a date, no conditional request, and any\n"
"                        invalid entry fails with its FILE:LINE\n"
"      --timeout SECONDS whole-download limit per file (default 30)\n"
"      --max-size BYTES  largest download accepted (default 64M for feeds,\n"
"                        1G for databases and archives, also their\n"
"                        decompressed size;\n"
"                        K, M, G suffixes)\n"
"      --ipinfo-token TOKEN  the IPinfo token (else $IPINFO_TOKEN); sent only\n"
"                        to the ipinfo-lite URL and never printed\n"
"      --cacert FILE     trust the certificates in FILE (PEM) instead of the\n"
"                        system's; verification itself is always on\n"
"  -q, --quiet           report failures only\n"
"  -h, --help            show this help\n"
"\n"
"Exit status: 0 every feed updated or up to date, 6 a download failed\n"
"(its previous file is kept), 2 usage, 5 the directory is not writable.\n";

#define MAX_URLS 2

struct feed {
	char *name;
	enum feed_format fmt;
	const char *net_type;
	const char *provider;
	const char *what;         /* the provider's document, for the description */
	char *urls[MAX_URLS];
	int nurls;
	int url_overridden;
	int is_default;
	int selected;
	/* Databases (is_db): installed as DIR/file after dbinstall() checked
	 * them; urls[] are alternatives tried in order on 404, not parts. */
	int is_db;
	const char *file;
	const char *db_type;      /* database_type prefix expected, or NULL */
	const char *token;        /* appended as token=... to remote URLs, never shown */
};

struct defeed {
	const char *name;
	enum feed_format fmt;
	const char *net_type;
	const char *provider;
	const char *what;
	const char *url[MAX_URLS];
};

static const struct defeed default_feeds[] = {
	{ "aws", FEED_AWS, "hosting", "aws", "Amazon Web Services IP address ranges",
	  { "https://ip-ranges.amazonaws.com/ip-ranges.json", NULL } },
	{ "google", FEED_GCP, "hosting", "google-cloud", "Google Cloud IP address ranges",
	  { "https://www.gstatic.com/ipranges/cloud.json", NULL } },
	{ "oracle", FEED_ORACLE, "hosting", "oracle-cloud", "Oracle Cloud public IP ranges",
	  { "https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json", NULL } },
	{ "cloudflare", FEED_LINES, "cdn", "cloudflare", "Cloudflare IP ranges",
	  { "https://www.cloudflare.com/ips-v4", "https://www.cloudflare.com/ips-v6" } },
	{ "fastly", FEED_FASTLY, "cdn", "fastly", "Fastly public IP list",
	  { "https://api.fastly.com/public-ip-list", NULL } },
	{ "digitalocean", FEED_GEOFEED, "hosting", "digitalocean", "DigitalOcean geofeed",
	  { "https://digitalocean.com/geo/google.csv", NULL } },
	{ "linode", FEED_GEOFEED, "hosting", "linode", "Linode (Akamai) geofeed",
	  { "https://geoip.linode.com/", NULL } },
	{ "icloud", FEED_GEOFEED, "vpn", "icloud-private-relay",
	  "Apple iCloud Private Relay egress IP ranges",
	  { "https://mask-api.icloud.com/egress-ip-ranges.csv", NULL } },
	{ "tor", FEED_LINES, "tor", "tor", "Tor Project exit address list",
	  { "https://check.torproject.org/torbulkexitlist", NULL } },
	{ "mullvad", FEED_MULLVAD, "vpn", "mullvad", "Mullvad VPN relay list",
	  { "https://api.mullvad.net/www/relays/all/", NULL } },
	{ "protonvpn", FEED_PROTON, "vpn", "protonvpn", "Proton VPN server list",
	  { "https://api.protonvpn.ch/vpn/logicals", NULL } },
};
#define NDEFAULT (sizeof(default_feeds) / sizeof(default_feeds[0]))

/* Whole databases.  DB-IP names its monthly file by year and month
 * (url YYYY-MM url_tail); the file of a new month appears some days
 * into it, so last month's is the fallback. */
static const struct dbdef {
	const char *name;
	const char *file;
	const char *db_type;
	const char *what;
	const char *url;
	const char *url_tail;     /* after YYYY-MM for monthly files */
	int monthly;
	int needs_token;
} default_dbs[] = {
	{ "dbip-city", "dbip-city-lite.mmdb", "DBIP-City-Lite",
	  "DB-IP IP to City Lite database",
	  "https://download.db-ip.com/free/dbip-city-lite-", ".mmdb.gz", 1, 0 },
	/* No type check: IPinfo does not document its database_type, and
	 * refusing a good file would be worse than the checks that remain. */
	{ "ipinfo-lite", "ipinfo_lite.mmdb", NULL,
	  "IPinfo Lite database",
	  "https://ipinfo.io/data/ipinfo_lite.mmdb", NULL, 0, 1 },
};
#define NDB (sizeof(default_dbs) / sizeof(default_dbs[0]))

struct update_opts {
	const char *dir;
	long timeout;
	size_t max_size;
	size_t db_max_size;
	const char *cacert;
	int quiet;
	int progress;
	/* --snapshot DATE: build an embedded snapshot (see the help). */
	const char *snapshot;
};

/* Where feed or database f is installed in dir (newly allocated). */
static char *installed_path(const char *dir, const struct feed *f)
{
	return f->is_db ? xasprintf("%s/%s", dir, f->file)
	                : xasprintf("%s/feed-%s.mmdb", dir, f->name);
}

/* Where the embedded snapshot of feed f is written. */
static char *snapshot_path(const char *dir, const struct feed *f)
{
	return xasprintf("%s/snapshot-%s.mmdb", dir, f->name);
}

static int valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static struct feed *find_feed(struct feed *v, size_t n, const char *name,
                              size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i].name) == len && memcmp(v[i].name, name, len) == 0)
			return &v[i];
	return NULL;
}

static void feed_add_url(struct feed *f, const char *url)
{
	/* The first --url for a feed replaces its default list. */
	if (!f->url_overridden) {
		int i;

		for (i = 0; i < f->nurls; i++)
			free(f->urls[i]);
		f->nurls = 0;
		f->url_overridden = 1;
	}
	if (f->nurls < MAX_URLS)
		f->urls[f->nurls++] = xstrdup(url);
}

/* "123", "64K", "64M", "1G" -> bytes. */
static int parse_size(const char *s, size_t *out)
{
	size_t n = strlen(s);
	uint64_t v, mul = 1;

	if (n > 0 && (s[n - 1] == 'K' || s[n - 1] == 'k'))
		mul = 1024;
	else if (n > 0 && (s[n - 1] == 'M' || s[n - 1] == 'm'))
		mul = 1024 * 1024;
	else if (n > 0 && (s[n - 1] == 'G' || s[n - 1] == 'g'))
		mul = 1024 * 1024 * 1024;
	if (mul != 1)
		n--;
	if (parse_u64(s, n, 1, (uint64_t)1 << 40, &v) != 0)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

/* --- state sidecar: one "URL\tETAG\tLAST-MODIFIED" line per URL --- */

struct validators {
	char *etag[MAX_URLS];
	char *lastmod[MAX_URLS];
};

static void validators_free(struct validators *v)
{
	int i;

	for (i = 0; i < MAX_URLS; i++) {
		free(v->etag[i]);
		free(v->lastmod[i]);
		v->etag[i] = v->lastmod[i] = NULL;
	}
}

static char *field_dup(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '-') ? NULL : xstrndup(s, n);
}

static void state_read(const char *path, const struct feed *f,
                       struct validators *v)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int i;

	if (file_read_all(path, &buf, &len) != 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2;

		if (line[0] == '#' || t1 == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		for (i = 0; i < f->nurls; i++) {
			if ((size_t)(t1 - line) != strlen(f->urls[i]) ||
			    memcmp(line, f->urls[i], (size_t)(t1 - line)) != 0)
				continue;
			free(v->etag[i]);
			free(v->lastmod[i]);
			v->etag[i] = field_dup(t1 + 1, (size_t)(t2 - t1 - 1));
			v->lastmod[i] = field_dup(t2 + 1, strlen(t2 + 1));
		}
	}
	free(buf);
}

static int state_write(const char *path, const struct feed *f,
                       const struct validators *v)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *fp = fopen(tmp, "w");
	int i, rc = 0;

	if (fp == NULL) {
		free(tmp);
		return -1;
	}
	fprintf(fp, "# geoattr feed state: URL, ETag, Last-Modified (tab-separated)\n");
	for (i = 0; i < f->nurls; i++)
		fprintf(fp, "%s\t%s\t%s\n", f->urls[i],
		        v->etag[i] ? v->etag[i] : "-",
		        v->lastmod[i] ? v->lastmod[i] : "-");
	if (fclose(fp) != 0 || rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") as YYYY-MM-DD. */
static int http_date(const char *s, char out[11])
{
	struct tm tm;
	const char *end;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S", &tm);
	if (end == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		return -1;
	return 0;
}

static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		snprintf(out, 11, "unknown");
}

/* --- compile --- */

static int compile_feed(const struct feed *f, const struct feed_data *d,
                        const char *date, int snapshot, const char *path,
                        char *err, size_t errlen)
{
	struct mmdbw *w = mmdbw_new(6);
	struct mmdbw_enc *e = mmdbw_enc_new();
	/* A snapshot's records carry its date in the provider's name, so
	 * every answer from it says how old it is ("tor snapshot of
	 * 2024-03-12"). */
	char *provider = snapshot ? xasprintf("%s snapshot of %s", f->provider, date)
	                          : xstrdup(f->provider);
	char *s;
	size_t i;
	int st = MMDBW_OK;

	for (i = 0; i < d->n && st == MMDBW_OK; i++) {
		const struct feed_entry *x = &d->v[i];
		uint32_t n = 2, h;

		n += x->region != NULL;
		n += snapshot;
		n += x->country[0] != '\0';
		n += x->service != NULL;
		n += x->city != NULL;
		mmdbw_enc_map(e, n);
		mmdbw_enc_kv(e, "network_type", x->net_type ? x->net_type : f->net_type);
		mmdbw_enc_kv(e, "provider", provider);
		if (x->region != NULL)
			mmdbw_enc_kv(e, "region", x->region);
		/* Snapshots are merged into one database (snapshots.mmdb):
		 * each record names its feed, so that a fresh download of that
		 * feed can set its records aside. */
		if (snapshot)
			mmdbw_enc_kv(e, "geoattr_feed", f->name);
		/* Not "country": that would make the feed a country source,
		 * and a provider's word is not geolocation evidence. */
		if (x->country[0] != '\0')
			mmdbw_enc_kv(e, "feed_country", x->country);
		if (x->service != NULL)
			mmdbw_enc_kv(e, "service", x->service);
		if (x->city != NULL)
			mmdbw_enc_kv(e, "city_name", x->city);
		h = mmdbw_data_add(w, e);
		st = mmdbw_insert_prefix(w, &x->start, x->len, h);
	}
	if (st == MMDBW_OK) {
		mmdbw_meta_type(w, "geoattr-Feed");
		s = snapshot ? xasprintf("%s (%s, provider %s), snapshot of %s embedded "
		                         "at build time", f->what, f->net_type, f->provider, date)
		             : xasprintf("%s (%s, provider %s), fetched by geoattr update",
		                         f->what, f->net_type, f->provider);
		mmdbw_meta_description(w, "en", s);
		free(s);
		s = xasprintf("%s-%s", snapshot ? "snapshot" : "feed", f->name);
		mmdbw_meta_extra(w, "geoattr_source", s);
		free(s);
		s = xasprintf("published by the provider for public use (%s); "
		              "no licence stated", f->what);
		mmdbw_meta_extra(w, "geoattr_license", s);
		free(s);
		s = xasprintf("%s, %s", f->what, f->urls[0]);
		mmdbw_meta_extra(w, "geoattr_attribution", s);
		free(s);
		mmdbw_meta_extra(w, "geoattr_data_date", date);
		mmdbw_meta_extra(w, "geoattr_url", f->urls[0]);
		mmdbw_meta_extra(w, "geoattr_network_type", f->net_type);
		mmdbw_meta_extra(w, "geoattr_keys", "network_type provider region "
		                 "geoattr_feed feed_country service city_name");
		st = mmdbw_write_file(w, path);
	}
	if (st != MMDBW_OK)
		snprintf(err, errlen, "cannot write %s: %s%s%s", path,
		         mmdbw_strerror(st), st == MMDBW_ERR_IO ? ": " : "",
		         st == MMDBW_ERR_IO ? strerror(errno) : "");
	mmdbw_free(w);
	mmdbw_enc_free(e);
	free(provider);
	return st == MMDBW_OK ? 0 : -1;
}

static int is_remote(const char *url)
{
	return strstr(url, "://") != NULL;
}

/* Replace every copy of the token in s by "<token>": curl's messages
 * may quote the URL, and a token must not reach a terminal or a log. */
static void redact(char *s, size_t size, const char *token)
{
	size_t tl = token ? strlen(token) : 0;
	char *p;

	if (tl == 0)
		return;
	while ((p = strstr(s, token)) != NULL) {
		char *rest = xstrdup(p + tl);

		snprintf(p, size - (size_t)(p - s), "<token>%s", rest);
		free(rest);
	}
}

/* Download (or read) url i of f into r.  Returns an enum fetch_status. */
static int get_one(const struct feed *f, int i, const struct update_opts *uo,
                   const struct validators *v, int conditional,
                   struct fetch_result *r)
{
	struct fetch_opts fo;
	size_t max = f->is_db ? uo->db_max_size : uo->max_size;
	char *url;
	int st;

	if (!is_remote(f->urls[i])) {
		memset(r, 0, sizeof(*r));
		if (file_read_all(f->urls[i], &r->data, &r->len) != 0) {
			snprintf(r->err, sizeof(r->err), "%s: %s", f->urls[i],
			         strerror(errno));
			return FETCH_ERR_TRANSFER;
		}
		if (r->len > max) {
			snprintf(r->err, sizeof(r->err),
			         "%s: larger than the limit of %zu bytes (--max-size)",
			         f->urls[i], max);
			fetch_result_free(r);
			return FETCH_ERR_TOO_BIG;
		}
		return FETCH_OK;
	}
	memset(&fo, 0, sizeof(fo));
	fo.timeout = uo->timeout;
	fo.max_size = max;
	fo.cacert = uo->cacert;
	fo.progress = uo->progress;
	fo.label = f->name;
	if (conditional) {
		fo.etag = v->etag[i];
		fo.last_modified = v->lastmod[i];
	}
	url = f->token == NULL ? xstrdup(f->urls[i])
	    : xasprintf("%s%ctoken=%s", f->urls[i],
	                strchr(f->urls[i], '?') ? '&' : '?', f->token);
	st = fetch_get(url, &fo, r);
	redact(r->err, sizeof(r->err), f->token);
	free(url);
	return st;
}

/* Update a database: the first of its URLs that exists (a 404 moves on
 * to the next), installed by dbinstall().  Returns 0 or -1 (reported). */
static int update_db(const struct feed *f, const struct update_opts *uo)
{
	char *path = installed_path(uo->dir, f);
	char *spath = xasprintf("%s/db-%s.etag", uo->dir, f->name);
	struct fetch_result r;
	struct validators v, nv;
	struct dbinstall_info info;
	struct stat stt;
	char err[512], why[400];
	int st = FETCH_ERR_TRANSFER, i, rc = -1, conditional;

	memset(&r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	memset(&nv, 0, sizeof(nv));
	err[0] = '\0';
	conditional = stat(path, &stt) == 0;
	if (conditional)
		state_read(spath, f, &v);
	for (i = 0; i < f->nurls; i++) {
		fetch_result_free(&r);
		st = get_one(f, i, uo, &v, conditional, &r);
		if (st == FETCH_ERR_HTTP && r.http_code == 404 && i + 1 < f->nurls)
			continue;
		break;
	}
	if (st == FETCH_NOT_MODIFIED) {
		if (!uo->quiet)
			printf("%s: up to date (%s)\n", f->name, path);
		rc = 0;
		goto out;
	}
	if (st != FETCH_OK) {
		snprintf(err, sizeof(err), "%s%s%s", r.err, f->nurls > 1 ? " at " : "",
		         f->nurls > 1 ? f->urls[i] : "");
		goto out;
	}
	if (dbinstall(r.data, r.len, uo->db_max_size, path, f->db_type, &info,
	              why, sizeof(why)) != 0) {
		snprintf(err, sizeof(err), "%s: %s", f->urls[i], why);
		goto out;
	}
	/* Only the URL that answered keeps its validators. */
	nv.etag[i] = r.etag ? xstrdup(r.etag) : NULL;
	nv.lastmod[i] = r.last_modified ? xstrdup(r.last_modified) : NULL;
	if (state_write(spath, f, &nv) != 0)
		msg_warn("update", "%s: cannot write %s: %s (the next update "
		         "downloads in full)", f->name, spath, strerror(errno));
	if (!uo->quiet)
		printf("%s: installed %s, %s built %s, %llu networks, %zu bytes%s\n",
		       f->name, path, info.type, info.date,
		       (unsigned long long)info.networks, info.bytes,
		       info.was_gzip ? " (decompressed)" : "");
	rc = 0;
out:
	if (rc != 0) {
		redact(err, sizeof(err), f->token);
		msg_error("update", "%s: %s; previous data kept", f->name, err);
	}
	fetch_result_free(&r);
	validators_free(&v);
	validators_free(&nv);
	free(path);
	free(spath);
	return rc;
}

/* Update one feed.  Returns 0 (updated or up to date) or -1 (reported). */
static int update_feed(const struct feed *f, const struct update_opts *uo)
{
	char *path = uo->snapshot ? snapshot_path(uo->dir, f) : installed_path(uo->dir, f);
	char *spath = xasprintf("%s/feed-%s.etag", uo->dir, f->name);
	/* A snapshot names its file, so a bad line reads FILE:LINE. */
	char *where = uo->snapshot && f->nurls == 1 ? xstrdup(f->urls[0])
	                                            : xasprintf("update: %s", f->name);
	struct fetch_result r[MAX_URLS];
	struct validators v, nv;
	struct feed_data d;
	struct stat stt;
	char date[11], err[512];
	int st[MAX_URLS], i, rc = -1, unchanged = 0, conditional;

	memset(r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	memset(&nv, 0, sizeof(nv));
	feed_data_init(&d);
	err[0] = '\0';
	/* Without the compiled file a 304 would leave us with nothing.  A
	 * snapshot is always built whole. */
	conditional = !uo->snapshot && stat(path, &stt) == 0;
	if (conditional)
		state_read(spath, f, &v);
	for (i = 0; i < f->nurls; i++) {
		st[i] = get_one(f, i, uo, &v, conditional, &r[i]);
		if (st[i] == FETCH_NOT_MODIFIED)
			unchanged++;
		else if (st[i] != FETCH_OK) {
			snprintf(err, sizeof(err), "%s%s%s", r[i].err,
			         f->nurls > 1 ? " at " : "", f->nurls > 1 ? f->urls[i] : "");
			goto out;
		}
	}
	if (unchanged == f->nurls) {
		if (!uo->quiet)
			printf("%s: up to date\n", f->name);
		rc = 0;
		goto out;
	}
	/* Part of a multi-file feed changed: the rest is needed again to
	 * compile the whole, so fetch it without conditions. */
	for (i = 0; i < f->nurls; i++) {
		if (st[i] != FETCH_NOT_MODIFIED)
			continue;
		fetch_result_free(&r[i]);
		st[i] = get_one(f, i, uo, &v, 0, &r[i]);
		if (st[i] != FETCH_OK) {
			snprintf(err, sizeof(err), "%s at %s", r[i].err, f->urls[i]);
			goto out;
		}
	}
	for (i = 0; i < f->nurls; i++) {
		if (feed_parse(f->fmt, r[i].data, r[i].len, where, &d) != 0) {
			snprintf(err, sizeof(err), "%s%s%s", d.err,
			         f->nurls > 1 ? " at " : "", f->nurls > 1 ? f->urls[i] : "");
			goto out;
		}
		nv.etag[i] = r[i].etag ? xstrdup(r[i].etag) : NULL;
		nv.lastmod[i] = r[i].last_modified ? xstrdup(r[i].last_modified) : NULL;
	}
	/* A snapshot is embedded data: one bad line fails the build, with
	 * that line, rather than be skipped. */
	if (uo->snapshot && d.rejected > 0) {
		snprintf(err, sizeof(err), "%s (%lu invalid entr%s in a snapshot)", d.first_bad,
		         d.rejected, d.rejected == 1 ? "y" : "ies");
		goto out;
	}
	/* The feed's own date; else the snapshot's stated date; else when
	 * the server says it last changed; else today, the day we saw it. */
	if (d.date[0])
		memcpy(date, d.date, sizeof(date));
	else if (uo->snapshot)
		snprintf(date, sizeof(date), "%s", uo->snapshot);
	else if (http_date(r[0].last_modified, date) != 0)
		today(date);
	if (compile_feed(f, &d, date, uo->snapshot != NULL, path, err, sizeof(err)) != 0)
		goto out;
	if (!uo->snapshot && state_write(spath, f, &nv) != 0)
		msg_warn(where, "cannot write %s: %s (the next update downloads in full)",
		         spath, strerror(errno));
	if (!uo->quiet)
		printf("%s: updated, %zu prefixes (%lu invalid entries skipped), "
		       "data of %s\n", f->name, d.n, d.rejected, date);
	rc = 0;
out:
	if (rc != 0)
		msg_error("update", "%s: %s; previous data kept", f->name, err);
	for (i = 0; i < f->nurls; i++)
		fetch_result_free(&r[i]);
	validators_free(&v);
	validators_free(&nv);
	feed_data_free(&d);
	free(path);
	free(spath);
	free(where);
	return rc;
}

static void age_text(time_t then, char *buf, size_t n)
{
	long long s = (long long)(time(NULL) - then);

	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, n, "%llds", s);
	else if (s < 7200)
		snprintf(buf, n, "%lldmin", s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%lldh", s / 3600);
	else
		snprintf(buf, n, "%lldd", s / 86400);
}

static void list_feeds(const struct feed *v, size_t n, const char *dir)
{
	size_t i;
	int j;

	printf("%-14s %-8s %-10s %-8s %-11s %s\n", "FEED", "TYPE", "STATE", "AGE",
	       "DATA", "URL");
	for (i = 0; i < n; i++) {
		const struct feed *f = &v[i];
		char *path = installed_path(dir, f);
		char age[32] = "-", data[16] = "-";
		const char *state = "missing";
		struct stat stt;

		if (!f->selected) {
			free(path);
			continue;
		}
		if (stat(path, &stt) == 0) {
			struct source_set *set = sources_new();
			struct source_info si;

			state = "installed";
			age_text(stt.st_mtime, age, sizeof(age));
			if (sources_add_file(set, path, 1) == 0) {
				source_info(sources_at(set, 0), &si);
				snprintf(data, sizeof(data), "%s",
				         si.data_date && si.data_date[0] ? si.data_date : "-");
			} else {
				state = "unreadable";
			}
			sources_free(set);
		}
		printf("%-14s %-8s %-10s %-8s %-11s %s%s\n", f->name, f->net_type,
		       state, age, data, f->nurls > 0 ? f->urls[0]
		       : f->is_db ? "(needs $IPINFO_TOKEN or --ipinfo-token)"
		       : "(no URL: give --azure or --url)",
		       f->token && f->nurls > 0 ? "?token=<token>" : "");
		for (j = 1; j < f->nurls; j++)
			printf("%-14s %-8s %-10s %-8s %-11s %s\n", "", "", "", "", "",
			       f->urls[j]);
		free(path);
	}
}

enum {
	OPT_LIST = 256, OPT_OFFLINE, OPT_URL, OPT_GEOFEED, OPT_TYPE, OPT_AZURE,
	OPT_DIR, OPT_TIMEOUT, OPT_MAXSIZE, OPT_CACERT, OPT_IPINFO_TOKEN,
	OPT_SNAPSHOT, OPT_MERGE, OPT_ASOF, OPT_TORWIN, OPT_MAXSHIFT, OPT_BASEURL
};

static const struct option update_options[] = {
	{ "as-of", required_argument, NULL, OPT_ASOF },
	{ "azure", required_argument, NULL, OPT_AZURE },
	{ "base-url", required_argument, NULL, OPT_BASEURL },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "dir", required_argument, NULL, OPT_DIR },
	{ "geofeed", required_argument, NULL, OPT_GEOFEED },
	{ "help", no_argument, NULL, 'h' },
	{ "ipinfo-token", required_argument, NULL, OPT_IPINFO_TOKEN },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "max-shift", required_argument, NULL, OPT_MAXSHIFT },
	{ "max-size", required_argument, NULL, OPT_MAXSIZE },
	{ "merge-snapshots", no_argument, NULL, OPT_MERGE },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "tor-window", required_argument, NULL, OPT_TORWIN },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "url", required_argument, NULL, OPT_URL },
	{ NULL, 0, NULL, 0 }
};

#define MAX_FEEDS 64

static void feeds_release(struct feed *v, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		for (j = 0; j < v[i].nurls; j++)
			free(v[i].urls[j]);
	}
}

static int run_update(int argc, char **argv)
{
	struct feed feeds[MAX_FEEDS];
	struct update_opts uo;
	size_t nf = 0, i, ngeo = 0, nurl = 0;
	const char *geofeeds[MAX_FEEDS], *urlopts[MAX_FEEDS];
	const char *azure = NULL, *gtype = "hosting", *token = NULL;
	char *dir = NULL;
	int ch, list = 0, offline = 0, failed = 0, rc = GA_EXIT_OK, maxset = 0, merge = 0;
	const char *asof = NULL, *base_url = getenv("GEOATTR_HIST_BASE_URL");
	int tor_window = 7, max_shift = 3;
	char why[200];
	uint64_t u;

	memset(feeds, 0, sizeof(feeds));
	memset(&uo, 0, sizeof(uo));
	uo.timeout = 30;
	uo.max_size = (size_t)64 << 20;
	uo.db_max_size = (size_t)1 << 30;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hq", update_options, NULL)) != -1) {
		switch (ch) {
		case 'h':
			return cmd_print_help(update_help);
		case 'q':
			uo.quiet = 1;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_OFFLINE:
			offline = 1;
			break;
		case OPT_URL:
		case OPT_GEOFEED:
			if (strchr(optarg, '=') == NULL ||
			    !valid_name(optarg, (size_t)(strchr(optarg, '=') - optarg)) ||
			    strchr(optarg, '=')[1] == '\0')
				return cmd_usage_error("update", "--%s wants NAME=URL with NAME of "
				                       "a-z, 0-9, '-', '_', got '%s'",
				                       ch == OPT_URL ? "url" : "geofeed", optarg);
			if (ngeo + nurl >= MAX_FEEDS)
				return cmd_usage_error("update", "too many --url/--geofeed options");
			if (ch == OPT_URL)
				urlopts[nurl++] = optarg;
			else
				geofeeds[ngeo++] = optarg;
			break;
		case OPT_TYPE: {
			enum net_type t;

			if (net_type_parse(optarg, strlen(optarg), &t) != 0 ||
			    t == NT_UNKNOWN || t == NT_SPECIAL)
				return cmd_usage_error("update", "unknown --type '%s'", optarg);
			gtype = net_type_name(t);
			break;
		}
		case OPT_AZURE:
			azure = optarg;
			break;
		case OPT_DIR:
			uo.dir = optarg;
			break;
		case OPT_SNAPSHOT: {
			struct tm tm;
			const char *e;

			memset(&tm, 0, sizeof(tm));
			e = strptime(optarg, "%Y-%m-%d", &tm);
			if (e == NULL || *e != '\0' || strlen(optarg) != 10)
				return cmd_usage_error("update", "--snapshot wants a date YYYY-MM-DD, got '%s'", optarg);
			uo.snapshot = optarg;
			break;
		}
		case OPT_MERGE:
			merge = 1;
			break;
		case OPT_TIMEOUT:
			if (parse_u64(optarg, strlen(optarg), 1, 86400, &u) != 0)
				return cmd_usage_error("update", "--timeout wants 1 to 86400 seconds, got '%s'", optarg);
			uo.timeout = (long)u;
			break;
		case OPT_MAXSIZE:
			if (parse_size(optarg, &uo.max_size) != 0)
				return cmd_usage_error("update", "--max-size wants a byte count such as 1048576 or 64M, got '%s'", optarg);
			maxset = 1;
			break;
		case OPT_ASOF:
			if (hist_check_date(optarg, why, sizeof(why)) != 0)
				return cmd_usage_error("update", "--as-of: %s", why);
			asof = optarg;
			break;
		case OPT_TORWIN:
			if (parse_u64(optarg, strlen(optarg), 1, HIST_TOR_WINDOW_MAX, &u) != 0)
				return cmd_usage_error("update", "--tor-window wants 1 to %d days, got '%s'",
				                       HIST_TOR_WINDOW_MAX, optarg);
			tor_window = (int)u;
			break;
		case OPT_MAXSHIFT:
			if (parse_u64(optarg, strlen(optarg), 0, 14, &u) != 0)
				return cmd_usage_error("update", "--max-shift wants 0 to 14 days, got '%s'", optarg);
			max_shift = (int)u;
			break;
		case OPT_BASEURL:
			base_url = optarg;
			break;
		case OPT_IPINFO_TOKEN:
			token = optarg;
			break;
		case OPT_CACERT:
			if (access(optarg, R_OK) != 0) {
				msg_error(optarg, "cannot read --cacert file: %s", strerror(errno));
				return GA_EXIT_IO;
			}
			uo.cacert = optarg;
			break;
		default:
			fprintf(stderr, "Try 'geoattr update --help'.\n");
			return GA_EXIT_USAGE;
		}
	}

	if (merge) {
		/* The build's last snapshot step: DIR/snapshot-*.mmdb given as
		 * arguments become DIR/snapshots.mmdb. */
		char err[512], *out;

		if (uo.dir == NULL || optind >= argc)
			return cmd_usage_error("update", "--merge-snapshots wants --dir DIR and the snapshot databases");
		out = xasprintf("%s/snapshots.mmdb", uo.dir);
		if (snapshots_merge(out, argv + optind, (size_t)(argc - optind), err, sizeof(err)) != 0) {
			msg_error("update", "%s", err);
			rc = GA_EXIT_IO;
		}
		free(out);
		return rc;
	}
	if (maxset)
		uo.db_max_size = uo.max_size;
	if (token == NULL)
		token = getenv("IPINFO_TOKEN");
	if (token != NULL && (token[0] == '\0' || strlen(token) > 200 ||
	                      strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(token)))
		return cmd_usage_error("update", "the IPinfo token must be 1 to 200 "
		                       "letters, digits, '-', '_' or '.'");
	for (i = 0; i < NDEFAULT; i++) {
		const struct defeed *df = &default_feeds[i];
		struct feed *f = &feeds[nf++];
		int j;

		f->name = xstrdup(df->name);
		f->fmt = df->fmt;
		f->net_type = df->net_type;
		f->provider = df->provider;
		f->what = df->what;
		f->is_default = 1;
		for (j = 0; j < MAX_URLS && df->url[j] != NULL; j++)
			f->urls[f->nurls++] = xstrdup(df->url[j]);
	}
	for (i = 0; i < NDB; i++) {
		const struct dbdef *db = &default_dbs[i];
		struct feed *f = &feeds[nf++];

		f->name = xstrdup(db->name);
		f->fmt = FEED_LINES;          /* unused: not parsed as a feed */
		f->net_type = "database";
		f->provider = db->name;
		f->what = db->what;
		f->is_db = 1;
		f->file = db->file;
		f->db_type = db->db_type;
		if (db->monthly) {
			time_t t = time(NULL);
			struct tm tm;

			if (gmtime_r(&t, &tm) != NULL) {
				/* this month's file, then last month's */
				int y = tm.tm_year + 1900, m = tm.tm_mon + 1;

				f->urls[f->nurls++] = xasprintf("%s%04d-%02d%s", db->url, y, m,
				                                 db->url_tail);
				if (--m == 0) {
					m = 12;
					y--;
				}
				f->urls[f->nurls++] = xasprintf("%s%04d-%02d%s", db->url, y, m,
				                                 db->url_tail);
			}
		} else if (!db->needs_token || token != NULL) {
			f->urls[f->nurls++] = xstrdup(db->url);
		}
		if (db->needs_token)
			f->token = token;
	}
	/* Azure publishes no stable URL, so it is a feed only when given. */
	{
		struct feed *f = &feeds[nf++];

		f->name = xstrdup("azure");
		f->fmt = FEED_AZURE;
		f->net_type = "hosting";
		f->provider = "azure";
		f->what = "Azure IP ranges and service tags";
		if (azure != NULL) {
			f->urls[f->nurls++] = xstrdup(azure);
			f->is_default = 1;
		}
	}
	for (i = 0; i < ngeo; i++) {
		const char *eq = strchr(geofeeds[i], '=');
		struct feed *f;

		if (find_feed(feeds, nf, geofeeds[i], (size_t)(eq - geofeeds[i])) != NULL) {
			feeds_release(feeds, nf);
			return cmd_usage_error("update", "--geofeed %.*s: a feed of that name exists",
			                       (int)(eq - geofeeds[i]), geofeeds[i]);
		}
		f = &feeds[nf++];
		f->name = xstrndup(geofeeds[i], (size_t)(eq - geofeeds[i]));
		f->fmt = FEED_GEOFEED;
		f->net_type = gtype;
		f->provider = f->name;
		f->what = "RFC 8805 geofeed";
		f->is_default = 1;
		f->urls[f->nurls++] = xstrdup(eq + 1);
	}
	for (i = 0; i < nurl; i++) {
		const char *eq = strchr(urlopts[i], '=');
		struct feed *f = find_feed(feeds, nf, urlopts[i], (size_t)(eq - urlopts[i]));

		if (f == NULL) {
			feeds_release(feeds, nf);
			return cmd_usage_error("update", "--url: no feed named '%.*s' (see --list)",
			                       (int)(eq - urlopts[i]), urlopts[i]);
		}
		feed_add_url(f, eq + 1);
		if (strcmp(f->name, "azure") == 0)
			f->is_default = 1;
	}
	for (i = optind; i < (size_t)argc; i++) {
		struct feed *f = find_feed(feeds, nf, argv[i], strlen(argv[i]));

		if (f == NULL) {
			feeds_release(feeds, nf);
			return cmd_usage_error("update", "no feed named '%s' (see --list)", argv[i]);
		}
		f->selected = 1;
	}
	for (i = 0; i < nf; i++) {
		if (optind == argc)
			feeds[i].selected = feeds[i].is_default || list || offline;
		if (feeds[i].selected && feeds[i].nurls == 0 && !list && !offline) {
			rc = feeds[i].is_db
			    ? cmd_usage_error("update", "%s needs a token: set IPINFO_TOKEN "
			                      "or give --ipinfo-token", feeds[i].name)
			    : cmd_usage_error("update", "feed '%s' has no URL: give --%s",
			                      feeds[i].name, strcmp(feeds[i].name, "azure") == 0
			                      ? "azure FILE|URL" : "url NAME=URL");
			feeds_release(feeds, nf);
			return rc;
		}
	}

	if (uo.dir == NULL) {
		dir = sources_user_dir();
		if (dir == NULL) {
			feeds_release(feeds, nf);
			msg_error("update", "no data directory: set XDG_DATA_HOME or HOME, or give --dir");
			return GA_EXIT_IO;
		}
		uo.dir = dir;
	}
	if (list || offline) {
		list_feeds(feeds, nf, uo.dir);
		/* A blank line ends the feed table (bash completion reads it). */
		putchar('\n');
		if (hist_list(uo.dir) == 0)
			printf("no historical data: geoattr update --as-of DATE installs a set\n");
		feeds_release(feeds, nf);
		free(dir);
		return GA_EXIT_OK;
	}
	if (dir_make(uo.dir, 0777) != 0 || access(uo.dir, W_OK) != 0) {
		msg_error(uo.dir, "cannot write feeds here: %s", strerror(errno));
		feeds_release(feeds, nf);
		free(dir);
		return GA_EXIT_IO;
	}
	uo.progress = !uo.quiet && isatty(STDERR_FILENO);
	if (fetch_global_init() != 0) {
		msg_error("update", "cannot start libcurl");
		feeds_release(feeds, nf);
		free(dir);
		return GA_EXIT_INTERNAL;
	}
	if (asof != NULL) {
		struct hist_update_opts ho;

		memset(&ho, 0, sizeof(ho));
		ho.dir = uo.dir;
		ho.date = asof;
		ho.base_url = base_url && base_url[0] ? base_url : NULL;
		ho.timeout = uo.timeout;
		ho.max_size = maxset ? uo.max_size : uo.db_max_size;
		ho.cacert = uo.cacert;
		ho.progress = uo.progress;
		ho.quiet = uo.quiet;
		ho.tor_window = tor_window;
		ho.max_shift = max_shift;
		failed = hist_update(&ho) != 0;
		fetch_global_cleanup();
		feeds_release(feeds, nf);
		free(dir);
		return failed ? GA_EXIT_NETWORK : GA_EXIT_OK;
	}
	for (i = 0; i < nf; i++)
		if (feeds[i].selected &&
		    (feeds[i].is_db ? update_db(&feeds[i], &uo)
		                    : update_feed(&feeds[i], &uo)) != 0)
			failed++;
	fetch_global_cleanup();
	feeds_release(feeds, nf);
	free(dir);
	return failed ? GA_EXIT_NETWORK : GA_EXIT_OK;
}

const struct cmd cmd_update = {
	"update", "download provider address feeds (clouds, CDNs, VPNs, Tor)",
	run_update
};
