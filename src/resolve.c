/*
 * resolve.c - look a network up in every source.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "jsonout.h"
#include "resolve.h"
#include "util.h"

_Static_assert(sizeof(struct net_class) <= SRC_MEMO_SIZE,
               "a network type fits an entry's memo");

void answer_begin(struct answer *ans, const struct ga_net *net, size_t nsrc)
{
	ans->net = *net;
	ans->nsrc = nsrc < RESOLVE_MAX_SOURCES ? nsrc : RESOLVE_MAX_SOURCES;
	ans->asn_src = -1;
	ans->asn = 0;
	ans->partial = 0;
	ans->disagree = 0;
	ans->typed = 0;
}

void answer_take_hit(const struct source_set *set, struct answer *ans,
                     size_t i, const char **first_cc)
{
	const struct src_hit *h = &ans->hit[i];

	if (h->e == NULL)
		return;
	/* A single address is in the block that answered for it. */
	if (ans->net.kind != NET_ADDR && !net_contains(&h->block, &ans->net.hi))
		ans->partial = 1;
	if (ans->asn_src < 0 && h->e->asn != 0) {
		ans->asn_src = (int)i;
		ans->asn = h->e->asn;
	}
	if ((source_caps(sources_at(set, i)) & SRC_HAS_COUNTRY) && h->e->country[0]) {
		if (*first_cc == NULL)
			*first_cc = h->e->country;
		else if (strcmp(*first_cc, h->e->country) != 0)
			ans->disagree = 1;
	}
}

void resolve_net(struct source_set *set, const struct ga_net *net,
                 struct answer *ans)
{
	size_t i;
	const char *first_cc = NULL;

	answer_begin(ans, net, sources_count(set));
	ans->special_partial = 0;
	ans->special = special_lookup_net(net, &ans->special_partial);
	for (i = 0; i < ans->nsrc; i++) {
		if (source_lookup(sources_at_mut(set, i), &net->lo, &ans->hit[i]) <= 0)
			ans->hit[i].e = NULL;
		answer_take_hit(set, ans, i, &first_cc);
	}
}

int answer_feed(const struct answer *a)
{
	size_t i;

	for (i = 0; i < a->nsrc; i++) {
		const struct src_entry *e = a->hit[i].e;

		if (e != NULL && (e->net_type || e->provider || e->region))
			return (int)i;
	}
	return -1;
}

void answer_type(const struct classifier *cls, const struct answer *a,
                 struct net_class *out)
{
	int f = answer_feed(a);
	const struct src_entry *fe = f >= 0 ? a->hit[f].e : NULL;
	int special = a->special != NULL && !a->special_partial;

	memset(out, 0, sizeof(*out));
	if (cls == NULL) {
		/* No type data: special-use is still known, the rest is not. */
		out->type = special ? NT_SPECIAL : NT_UNKNOWN;
		out->conf = special ? CONF_HIGH : CONF_NONE;
		out->tier = special ? TIER_SPECIAL : TIER_NONE;
		out->basis = special ? "special-use registry" : "no type data";
		out->detail = "";
		return;
	}
	if (classify_by_address(cls, &a->net.lo, special,
	                        fe != NULL ? fe->net_type : NULL,
	                        fe != NULL ? fe->provider : NULL, out))
		return;
	if (a->asn_src < 0) {
		classify_owner(cls, 0, NULL, out);
		classify_by_range(cls, &a->net.lo, out);
		return;
	}
	{
		/* The holder's type is the same for every address of this
		 * database record: work it out once, lock-free across threads.
		 * The first to claim the entry's memo writes it and then
		 * publishes it; the others meanwhile work out their own. */
		struct src_entry *e = (struct src_entry *)a->hit[a->asn_src].e;
		unsigned char state = atomic_load_explicit(&e->memo_state, memory_order_acquire);

		if (state == 2) {
			memcpy(out, e->owner_memo, sizeof(*out));
		} else {
			unsigned char expected = 0;

			classify_owner(cls, e->asn, e->org, out);
			if (state == 0 &&
			    atomic_compare_exchange_strong_explicit(&e->memo_state, &expected, 1,
			                                            memory_order_acquire,
			                                            memory_order_relaxed)) {
				memcpy(e->owner_memo, out, sizeof(*out));
				atomic_store_explicit(&e->memo_state, 2, memory_order_release);
			}
		}
		/* A datacenter range is the address's, not the record's: never
		 * memoised with the holder's answer. */
		classify_by_range(cls, &a->net.lo, out);
	}
}

void answer_classify(const struct classifier *cls, struct answer *a)
{
	answer_type(cls, a, &a->type);
	a->typed = 1;
}

uint32_t answer_asn(const struct answer *a)
{
	return a->asn_src >= 0 ? a->asn : 0;
}

const char *answer_org(const struct answer *a)
{
	return a->asn_src >= 0 ? a->hit[a->asn_src].e->org : NULL;
}

const char *answer_country(const struct answer *a, size_t i)
{
	return i < a->nsrc && a->hit[i].e ? a->hit[i].e->country : "";
}

static struct jv *special_json(const struct answer *a)
{
	struct jv *o;

	if (a->special == NULL)
		return jv_null();
	o = jv_object();
	jv_set(o, "class", jv_str(special_class_name(a->special->cls)));
	jv_set(o, "name", jv_str(a->special->name));
	jv_set(o, "prefix", jv_str(a->special->prefix));
	jv_set(o, "rfc", jv_str(a->special->rfc));
	jv_set(o, "globally_reachable", a->special->global < 0 ? jv_null()
	                                : jv_bool(a->special->global));
	jv_set(o, "partial", jv_bool(a->special_partial));
	return o;
}

struct jv *answer_to_json(const struct source_set *set, const struct answer *a,
                          const char *input)
{
	struct jv *o = jv_object(), *countries = jv_array();
	char text[NET_TEXT_MAX];
	size_t i;

	jv_set(o, "input", jv_str(input));
	if (a->net.kind == NET_ADDR) {
		jv_set(o, "address", jv_str(addr_format(&a->net.lo, text)));
	} else {
		jv_set(o, "address", jv_null());
		jv_set(o, "query_network", jv_str(net_format(&a->net, text)));
	}
	jv_set(o, "ip_version", jv_int(a->net.lo.family));
	jv_set(o, "special_use", special_json(a));
	if (a->asn_src >= 0) {
		jv_set(o, "network", jv_str(net_format(&a->hit[a->asn_src].block, text)));
		jv_set(o, "asn", jv_int(answer_asn(a)));
		jv_set(o, "org", jv_str(answer_org(a)));
	} else {
		jv_set(o, "network", jv_null());
		jv_set(o, "asn", jv_null());
		jv_set(o, "org", jv_null());
	}
	for (i = 0; i < a->nsrc; i++) {
		const struct source *s = sources_at(set, i);
		const struct src_entry *e = a->hit[i].e;
		struct source_info si;
		struct jv *c;

		if (!(source_caps(s) & SRC_HAS_COUNTRY))
			continue;
		source_info(s, &si);
		c = jv_object();
		jv_set(c, "source", jv_str(si.name));
		jv_set(c, "label", jv_strn(&si.label, 1));
		if (e != NULL && e->country[0]) {
			jv_set(c, "country", jv_str(e->country));
			jv_set(c, "country_name", jv_str(country_name(e->country)));
			jv_set(c, "network", jv_str(net_format(&a->hit[i].block, text)));
		} else {
			jv_set(c, "country", jv_null());
		}
		if (e != NULL && e->registered[0] && strcmp(e->registered, e->country) != 0)
			jv_set(c, "registered_country", jv_str(e->registered));
		if (e != NULL && e->city != NULL)
			jv_set(c, "city", jv_str(e->city));
		if (e != NULL && e->has_location) {
			jv_set(c, "latitude", jv_real(e->latitude));
			jv_set(c, "longitude", jv_real(e->longitude));
			if (e->accuracy_km)
				jv_set(c, "accuracy_radius_km", jv_int(e->accuracy_km));
		}
		jv_push(countries, c);
	}
	jv_set(o, "countries", countries);
	jv_set(o, "sources_agree", jv_bool(!a->disagree));
	if (a->net.kind != NET_ADDR)
		jv_set(o, "network_split", jv_bool(a->partial));
	if (a->typed) {
		struct jv *t = jv_object();

		jv_set(t, "type", jv_str(net_type_name(a->type.type)));
		jv_set(t, "basis", jv_str(a->type.basis));
		jv_set(t, "tier", jv_str(type_tier_name(a->type.tier)));
		jv_set(t, "confidence", jv_str(confidence_name(a->type.conf)));
		jv_set(t, "detail", jv_str(a->type.detail ? a->type.detail : ""));
		jv_set(o, "network_type", t);
	}
	i = (size_t)answer_feed(a);
	if (answer_feed(a) >= 0) {
		const struct src_entry *e = a->hit[i].e;
		struct jv *p = jv_object();

		jv_set(p, "source", jv_str(source_name(sources_at(set, i))));
		jv_set(p, "provider", jv_str(e->provider));
		jv_set(p, "region", jv_str(e->region));
		jv_set(p, "network", jv_str(net_format(&a->hit[i].block, text)));
		jv_set(o, "provider_says", p);
	}
	return o;
}
