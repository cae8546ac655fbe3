/*
 * snapmerge.c - one database of every embedded provider snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmdbw.h"
#include "snapmerge.h"
#include "source.h"
#include "util.h"

struct piece {
	struct ga_net net;
	char *type, *provider, *region, *feed;
	char date[11];          /* the member's date */
};

struct pieces {
	struct piece *v;
	size_t n, cap;
	const char *feed;       /* the member being read */
	const char *date;
};

static void take(void *ctx, const struct ga_net *net, const struct src_entry *e)
{
	struct pieces *p = ctx;
	struct piece *x;

	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	x = &p->v[p->n++];
	x->net = *net;
	x->type = xstrdup(e->net_type != NULL ? e->net_type : "hosting");
	x->provider = e->provider != NULL ? xstrdup(e->provider) : NULL;
	x->region = e->region != NULL ? xstrdup(e->region) : NULL;
	x->feed = xstrdup(e->feed != NULL ? e->feed : p->feed);
	snprintf(x->date, sizeof(x->date), "%s", p->date);
}

/* Shorter prefixes first, so a more specific one is painted over them;
 * on the same prefix, later names first, so the first name is last, and
 * of one feed's several dates the older first, so the newest answers. */
static int by_len(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	int c;

	if (x->net.prefix_len != y->net.prefix_len)
		return x->net.prefix_len < y->net.prefix_len ? -1 : 1;
	if (x->net.lo.family != y->net.lo.family)
		return x->net.lo.family < y->net.lo.family ? -1 : 1;
	c = memcmp(x->net.lo.bytes, y->net.lo.bytes, 16);
	if (c != 0)
		return c;
	if ((c = strcmp(x->feed, y->feed)) != 0)
		return -c;
	return strcmp(x->date, y->date);
}

int snapshots_merge(const char *out, char *const *in, size_t n,
                    char *err, size_t errlen)
{
	struct source_set *set = sources_new();
	struct pieces p;
	struct buf members, attribution;
	struct mmdbw *w = NULL;
	struct mmdbw_enc *e = NULL;
	char *tmp = NULL, newest[11] = "";
	size_t i;
	int st = MMDBW_OK, ret = -1;

	memset(&p, 0, sizeof(p));
	buf_init(&members);
	buf_init(&attribution);
	for (i = 0; i < n; i++) {
		struct source *s;
		struct source_info si;
		const char *name;

		if (sources_add_file(set, in[i], 0) != 0) {
			errbuf_set(err, errlen, "%s: cannot open", in[i]);
			goto out;
		}
		s = sources_at_mut(set, sources_count(set) - 1);
		source_info(s, &si);
		name = strncmp(si.name, "snapshot-", 9) == 0 ? si.name + 9 : si.name;
		p.feed = name;
		p.date = si.data_date;
		if (source_each_network(s, take, &p) != 0) {
			errbuf_set(err, errlen, "%s: corrupt search tree", in[i]);
			goto out;
		}
		buf_printf(&members, "%s%s %s", members.len ? "; " : "", name, si.data_date);
		if (si.attribution[0])
			buf_printf(&attribution, "%s%s", attribution.len ? "; " : "", si.attribution);
		if (strcmp(si.data_date, newest) > 0)
			snprintf(newest, sizeof(newest), "%s", si.data_date);
	}
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), by_len);
	w = mmdbw_new(6);
	e = mmdbw_enc_new();
	for (i = 0; i < p.n && st == MMDBW_OK; i++) {
		const struct piece *x = &p.v[i];
		uint32_t h;

		mmdbw_enc_map(e, 2u + (x->provider != NULL) + (x->region != NULL));
		mmdbw_enc_kv(e, "network_type", x->type);
		if (x->provider != NULL)
			mmdbw_enc_kv(e, "provider", x->provider);
		if (x->region != NULL)
			mmdbw_enc_kv(e, "region", x->region);
		mmdbw_enc_kv(e, "geoattr_feed", x->feed);
		h = mmdbw_data_add(w, e);
		st = mmdbw_insert_prefix(w, &x->net.lo, x->net.prefix_len, h);
	}
	if (st == MMDBW_OK) {
		char *d = xasprintf("Provider-published ranges and the Tor exit list, "
		                    "snapshots embedded at build time: %s", members.data ? members.data : "");

		mmdbw_meta_type(w, "geoattr-Feed");
		mmdbw_meta_extra(w, "geoattr_keys", "network_type provider region geoattr_feed");
		mmdbw_meta_description(w, "en", d);
		free(d);
		mmdbw_meta_extra(w, "geoattr_source", "snapshots");
		mmdbw_meta_extra(w, "geoattr_license", "published by the providers for public use; no licence stated");
		mmdbw_meta_extra(w, "geoattr_attribution", attribution.data ? attribution.data : "");
		mmdbw_meta_extra(w, "geoattr_data_date", newest[0] ? newest : "unknown");
		mmdbw_meta_extra(w, "geoattr_snapshots", members.data ? members.data : "");
		tmp = xasprintf("%s.tmp", out);
		st = mmdbw_write_file(w, tmp);
	}
	if (st != MMDBW_OK) {
		errbuf_set(err, errlen, "cannot write %s: %s%s%s", out, mmdbw_strerror(st),
		           st == MMDBW_ERR_IO ? ": " : "", st == MMDBW_ERR_IO ? strerror(errno) : "");
		if (tmp != NULL)
			unlink(tmp);
		goto out;
	}
	if (rename(tmp, out) != 0) {
		errbuf_set(err, errlen, "cannot write %s: %s", out, strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < p.n; i++) {
		free(p.v[i].type);
		free(p.v[i].provider);
		free(p.v[i].region);
		free(p.v[i].feed);
	}
	free(p.v);
	free(tmp);
	buf_free(&members);
	buf_free(&attribution);
	mmdbw_free(w);
	mmdbw_enc_free(e);
	sources_free(set);
	return ret;
}
