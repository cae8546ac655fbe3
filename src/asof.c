/*
 * asof.c - see asof.h.  The set's files are opened through the source
 * engine like any database; they are never part of today's source set,
 * so nothing of "then" leaks into the figures of "now".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asof.h"
#include "histupdate.h"
#include "util.h"

struct asof_set {
	char date[11];
	uint32_t day;               /* the date as YYYYMMDD */
	char *dir;
	struct source_set *set;     /* registry, routing, tor: in that order */
	char *used[4];              /* registry, routing, Tor, AS names */
};

static const char *const part_file[3] = { "registry", "routing", "tor" };

/* Where sets are looked for: $GEOATTR_ASOF_DIR (the demo points it at
 * its own directory), else the user data directory.  Newly allocated. */
static char *sets_dir(void)
{
	const char *e = getenv("GEOATTR_ASOF_DIR");

	return e != NULL && e[0] != '\0' ? xstrdup(e) : sources_user_dir();
}

int asof_installed(const char *date)
{
	char *dir = sets_dir(), *set, *p;
	struct stat sb;
	int ok;

	if (dir == NULL)
		return 0;
	set = hist_set_dir(dir, date);
	p = xasprintf("%s/registry.mmdb", set);
	ok = stat(p, &sb) == 0;
	free(p);
	free(set);
	free(dir);
	return ok;
}

struct asof_set *asof_open(const char *date, char *err, size_t errlen)
{
	struct asof_set *s;
	char *dir = sets_dir();
	int i;

	if (dir == NULL) {
		errbuf_set(err, errlen, "no data directory (set XDG_DATA_HOME or HOME)");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	snprintf(s->date, sizeof(s->date), "%s", date);
	s->day = (uint32_t)strtoul(date, NULL, 10) * 10000 + (uint32_t)strtoul(date + 5, NULL, 10) * 100 +
	         (uint32_t)strtoul(date + 8, NULL, 10);
	s->dir = hist_set_dir(dir, date);
	free(dir);
	for (i = 0; i < 3; i++) {
		char *p = xasprintf("%s/%s.mmdb", s->dir, part_file[i]);
		struct stat sb;
		struct source_info si;

		if (s->set == NULL)
			s->set = sources_new();
		if (stat(p, &sb) != 0) {
			errbuf_set(err, errlen, "no historical data for %s is installed "
			           "(%s missing): geoattr update --as-of %s gets it", date, p, date);
			free(p);
			asof_close(s);
			return NULL;
		}
		if (sources_add_file(s->set, p, 0) != 0 || sources_count(s->set) != (size_t)i + 1) {
			errbuf_set(err, errlen, "%s: unreadable; geoattr update --as-of %s "
			           "builds it again", p, date);
			free(p);
			asof_close(s);
			return NULL;
		}
		source_info(sources_at(s->set, (size_t)i), &si);
		/* The description reads "... as of DATE: WHAT"; keep WHAT. */
		s->used[i] = xstrdup(strstr(si.description, ": ") ? strstr(si.description, ": ") + 2
		                                                  : si.description);
		if (i == 1) {
			/* "ROUTING; AS names: NAMES" (sets before the names: none) */
			char *cut = strstr(s->used[1], "; AS names: ");

			if (cut != NULL) {
				s->used[3] = xstrdup(cut + 12);
				*cut = '\0';
			} else {
				s->used[3] = xstrdup("not in this set (installed before AS names were read)");
			}
		}
		free(p);
	}
	return s;
}

void asof_close(struct asof_set *s)
{
	int i;

	if (s == NULL)
		return;
	sources_free(s->set);
	for (i = 0; i < 4; i++)
		free(s->used[i]);
	free(s->dir);
	free(s);
}

const char *asof_date(const struct asof_set *s)
{
	return s->date;
}

const char *asof_used(const struct asof_set *s, int part)
{
	return part >= 0 && part < 4 && s->used[part] ? s->used[part] : "";
}

const char *asof_dir(const struct asof_set *s)
{
	return s->dir;
}

void asof_lookup(struct asof_set *s, const struct ga_addr *a, struct asof_rec *r)
{
	struct src_walk w;
	struct ga_net block;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&w, 0, sizeof(w));
		if (source_lookup_ref(sources_at_mut(s->set, (size_t)i), a, &r->then[i], &block, &w) != 1)
			r->then[i] = 0;
	}
}

void asof_then_get(const struct asof_set *s, const struct asof_rec *r, struct asof_then *out)
{
	out->reg = source_entry_of(sources_at_mut(s->set, 0), r->then[0]);
	out->rt = source_entry_of(sources_at_mut(s->set, 1), r->then[1]);
	out->tor = source_entry_of(sources_at_mut(s->set, 2), r->then[2]);
}

/* Is asn one of the origins RouteViews saw (all of a multi-origin
 * "a_b" or an AS set "a,b")?  Then the holder has not changed. */
static int origin_has(const struct src_entry *rt, uint32_t asn)
{
	const char *p = rt->hist_origins;
	uint64_t v;

	if (p == NULL)
		return rt->asn == asn;
	while (*p) {
		size_t n = strcspn(p, "_,");

		if (parse_u64(p, n, 0, UINT32_MAX, &v) == 0 && v == asn)
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* strcmp() of a borrowed string of n bytes (no NUL among them) with z. */
static int cmp_n(const char *p, size_t n, const char *z)
{
	size_t m = strlen(z);
	int c = memcmp(p, z, n < m ? n : m);

	return c != 0 ? c : n < m ? -1 : n > m;
}

#define PRE_REGISTRY_BITS ASOF_PRE_NOT_ALLOCATED
#define PRE_ROUTING_BITS (ASOF_PRE_ROUTED | ASOF_PRE_MULTI)

void asof_prepare_from(const struct asof_set *s, const src_ref *refs, struct asof_pre *p,
                       const src_ref *last_refs, const struct asof_pre *last)
{
	struct src_hist_brief reg, rt;

	p->bits = 0;
	if (last != NULL && last_refs[0] == refs[0]) {
		p->bits |= last->bits & PRE_REGISTRY_BITS;
		p->cc[0] = last->cc[0];
		p->cc[1] = last->cc[1];
	} else {
		int have_reg = source_hist_brief(sources_at_mut(s->set, 0), refs[0], &reg) == 0;

		/* A block dated after the day (a file of a later day used as
		 * the fallback) had not been given out on the day either.  A
		 * date not written YYYY-MM-DD is compared as written. */
		if (!have_reg || !reg.given ||
		    (reg.date != NULL && (reg.day ? reg.day > s->day
		                                  : cmp_n(reg.date, reg.date_len, s->date) > 0)))
			p->bits |= ASOF_PRE_NOT_ALLOCATED;
		p->cc[0] = have_reg ? reg.country[0] : '\0';
		p->cc[1] = have_reg && reg.country[0] ? reg.country[1] : '\0';
	}
	if (last != NULL && last_refs[1] == refs[1]) {
		p->bits |= last->bits & PRE_ROUTING_BITS;
		p->asn = last->asn;
	} else {
		p->asn = 0;
		if (source_hist_brief(sources_at_mut(s->set, 1), refs[1], &rt) == 0) {
			p->bits |= ASOF_PRE_ROUTED;
			p->asn = rt.asn;
			if (rt.multi)
				p->bits |= ASOF_PRE_MULTI;
		}
	}
	if (refs[2] != 0)
		p->bits |= ASOF_PRE_TOR;
}

void asof_prepare(const struct asof_set *s, const src_ref *refs, struct asof_pre *p)
{
	asof_prepare_from(s, refs, p, NULL, NULL);
}

void asof_compare_pre(const struct asof_set *s, const struct asof_pre *p, struct asof_rec *r)
{
	unsigned f = 0;

	r->cc_then = p->cc[0] != '\0';
	if (!r->compared) {
		r->flags = 0;
		return;
	}
	if (p->bits & ASOF_PRE_NOT_ALLOCATED)
		f |= ASOF_NOT_ALLOCATED;
	/* The first origin is p->asn (update --as-of writes it so): a single
	 * origin, or the first one matching, needs no look at the route. */
	if (!(p->bits & ASOF_PRE_ROUTED))
		f |= ASOF_UNROUTED;
	else if (r->asn_now != 0 && p->asn != r->asn_now &&
	         (!(p->bits & ASOF_PRE_MULTI) ||
	          !origin_has(source_entry_of(sources_at_mut(s->set, 1), r->then[1]), r->asn_now)))
		f |= ASOF_MOVED;
	if (p->cc[0] && r->cc_now[0] && (p->cc[0] != r->cc_now[0] || p->cc[1] != r->cc_now[1]))
		f |= ASOF_CC_CHANGED;
	if (((p->bits & ASOF_PRE_TOR) != 0) != (r->tor_now != 0))
		f |= ASOF_TYPE_CHANGED;
	r->flags = (unsigned char)f;
}

void asof_compare(const struct asof_set *s, struct asof_rec *r)
{
	struct asof_pre p;

	asof_prepare(s, r->then, &p);
	asof_compare_pre(s, &p, r);
}

void asof_count(struct asof_summary *sum, const struct asof_rec *r)
{
	if (!r->compared)
		return;
	sum->n++;
	sum->not_allocated += (r->flags & ASOF_NOT_ALLOCATED) != 0;
	sum->unrouted += (r->flags & ASOF_UNROUTED) != 0;
	sum->moved += (r->flags & ASOF_MOVED) != 0;
	sum->cc_changed += (r->flags & ASOF_CC_CHANGED) != 0;
	sum->type_changed += (r->flags & ASOF_TYPE_CHANGED) != 0;
	sum->holder_base += r->then[1] != 0 && r->asn_now != 0;
	sum->cc_base += r->cc_then && r->cc_now[0];
	sum->tor_then += r->then[2] != 0;
	sum->tor_now += r->tor_now != 0;
	sum->changed += (r->flags & (ASOF_MOVED | ASOF_CC_CHANGED | ASOF_TYPE_CHANGED)) != 0;
}

const char *asof_flag_names(unsigned f, char *buf, size_t n)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ ASOF_NOT_ALLOCATED, "not-allocated" },
		{ ASOF_UNROUTED, "unrouted" },
		{ ASOF_MOVED, "changed-holder" },
		{ ASOF_CC_CHANGED, "changed-country" },
		{ ASOF_TYPE_CHANGED, "changed-type" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? "," : "", names[i].name);

			if (w < 0 || (size_t)w >= n - used)
				break;
			used += (size_t)w;
		}
	return buf;
}

struct source_set *asof_sources(struct asof_set *s)
{
	return s->set;
}
