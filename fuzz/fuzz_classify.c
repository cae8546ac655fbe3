/* FUZZ_SOURCES: src/classify.c src/classify_index.c src/typeidx.c src/asnlist.c src/rangelist.c src/addr.c src/csvread.c src/util.c */
/*
 * fuzz_classify.c - libFuzzer target for the organisation-name rules and
 * the classifier's CSV loader.
 *
 * The first input byte picks the path; the rest is the data:
 *   even: the bytes are an organisation name (and a feed type) for
 *         classify(), with a classifier loaded at start-up from a tiny
 *         CSV written to a temporary directory;
 *   odd:  the bytes are an asn-types.csv, loaded from a file.
 * Any broken invariant calls abort() so that libFuzzer keeps the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct classifier *cl;
static char dir[64], asn_path[128], any_path[128], in_path[128], dc_path[128], vpn_path[128], bad_path[128], range_path[128];

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, fp) != n)
		abort();
	if (fclose(fp) != 0)
		abort();
}

static void cleanup(void)
{
	classify_free(cl);
	unlink(asn_path);
	unlink(any_path);
	unlink(in_path);
	unlink(dc_path);
	unlink(vpn_path);
	unlink(bad_path);
	unlink(range_path);
	rmdir(dir);
}

static void init(void)
{
	static const char asn[] =
	    "asn,type,name,basis\n"
	    "13335,cdn,Cloudflare,operator: CDN\n"
	    "16509,hosting,Amazon,operator: cloud provider\n"
	    "7922,isp,Comcast,operator: cable ISP\n";
	static const char any[] =
	    "network,type,operator,service,basis\n"
	    "8.8.8.0/24,cdn,Google,Public DNS,operator documentation\n"
	    "2001:4860:4860::/48,cdn,Google,Public DNS,operator docs\n";
	char err[256];

	snprintf(dir, sizeof(dir), "/tmp/fuzz-classify.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(asn_path, sizeof(asn_path), "%s/asn-types.csv", dir);
	snprintf(any_path, sizeof(any_path), "%s/anycast-prefixes.csv", dir);
	snprintf(in_path, sizeof(in_path), "%s/input.csv", dir);
	write_file(asn_path, asn, sizeof(asn) - 1);
	write_file(any_path, any, sizeof(any) - 1);
	snprintf(dc_path, sizeof(dc_path), "%s/x4bnet-datacenter-ASN.txt", dir);
	snprintf(vpn_path, sizeof(vpn_path), "%s/x4bnet-vpn-ASN.txt", dir);
	snprintf(bad_path, sizeof(bad_path), "%s/bad-asn-list.csv", dir);
	write_file(dc_path, "AS64510 # DC\n", 13);
	write_file(vpn_path, "AS64511 # VPN\n", 14);
	write_file(bad_path, "ASN,Entity\n64510,\"DC, ZZ\"\n", 26);
	snprintf(range_path, sizeof(range_path), "%s/ipcat-datacenters.csv", dir);
	write_file(range_path, "203.0.113.0,203.0.113.255,Example DC,\n", 38);
	if ((cl = classify_load(dir, err, sizeof(err))) == NULL ||
	    classify_asn_count(cl) != 3)
		abort();
	atexit(cleanup);
}

static void sane(const struct net_class *nc)
{
	if ((unsigned)nc->type >= NT_COUNT || (unsigned)nc->conf > CONF_HIGH)
		abort();
	if (nc->basis == NULL || nc->detail == NULL)
		abort();
	/* Unknown, and only unknown, carries no confidence. */
	if ((nc->type == NT_UNKNOWN) != (nc->conf == CONF_NONE))
		abort();
}

static void org_path(const char *org, size_t len)
{
	struct net_class a, b, u;
	char *upper;
	size_t i;

	/* Name rules with and without data agree: no address and no ASN
	 * leave only the names to decide. */
	classify(cl, NULL, 0, 0, org, NULL, NULL, &a);
	classify(NULL, NULL, 0, 0, org, NULL, NULL, &b);
	sane(&a);
	sane(&b);
	if (a.type != b.type || a.conf != b.conf)
		abort();
	if (a.type != NT_UNKNOWN) {
		if (strcmp(a.basis, "name rule") != 0 ||
		    (a.conf != CONF_LOW && a.conf != CONF_MEDIUM))
			abort();
	}

	/* ASCII case does not matter. */
	upper = malloc(len + 1);
	if (upper == NULL)
		abort();
	for (i = 0; i <= len; i++)
		upper[i] = org[i] >= 'a' && org[i] <= 'z' ?
		    (char)(org[i] - 'a' + 'A') : org[i];
	classify(cl, NULL, 0, 0, upper, NULL, NULL, &u);
	if (u.type != a.type || u.conf != a.conf)
		abort();
	free(upper);

	/* In a datacenter range, the range answers unless the name says
	 * carrier, university or government. */
	{
		struct ga_addr in = { 4, { 203, 0, 113, 5 } };

		classify(cl, &in, 0, 0, org, NULL, NULL, &a);
		sane(&a);
		if (a.tier == TIER_LIST) {
			if (a.type != NT_HOSTING || a.conf != CONF_LOW || strcmp(a.detail, "Example DC") != 0)
				abort();
		} else if (a.tier != TIER_NAME || (a.type != NT_ISP && a.type != NT_MOBILE &&
		                                   a.type != NT_EDU && a.type != NT_GOV)) {
			abort();
		}
	}

	/* A curated ASN always wins over the name. */
	classify(cl, NULL, 0, 7922, org, NULL, NULL, &a);
	if (a.type != NT_ISP || a.conf != CONF_HIGH)
		abort();

	/* The same bytes as a feed type: a known type or no evidence. */
	classify(cl, NULL, 0, 16509, NULL, org, "fuzz", &a);
	sane(&a);
	if (strcmp(a.basis, "feed fuzz") != 0 &&
	    (a.type != NT_HOSTING || strcmp(a.basis, "curated ASN") != 0))
		abort();
}

static void csv_path(const uint8_t *data, size_t size)
{
	struct classifier *c;
	struct net_class nc;
	char err[512];

	write_file(in_path, data, size);
	err[0] = '\0';
	c = classify_load_files(in_path, any_path, err, sizeof(err));
	if (c == NULL) {
		/* An error, not a crash, and the message names the file. */
		if (strncmp(err, in_path, strlen(in_path)) != 0)
			abort();
		return;
	}
	classify(c, NULL, 0, 1, NULL, NULL, NULL, &nc);
	sane(&nc);
	classify(c, NULL, 0, 4294967295u, NULL, NULL, NULL, &nc);
	sane(&nc);
	classify_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *org;

	if (cl == NULL)
		init();
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		csv_path(data + 1, size - 1);
		return 0;
	}
	/* Names are C strings: the copy ends at the first NUL, as a name
	 * read from an MMDB or CSV would. */
	org = malloc(size);
	if (org == NULL)
		abort();
	memcpy(org, data + 1, size - 1);
	org[size - 1] = '\0';
	org_path(org, strlen(org));
	free(org);
	return 0;
}
