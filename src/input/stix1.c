/*
 * input/stix1.c - STIX 1.x packages and CybOX observables, as US-CERT,
 * CISA and others still publish them beside STIX 2.
 *
 * What counts as an address: the value of a CybOX Address object
 * (Address_Value, category ipv4-addr, ipv6-addr, ipv4-net, ipv6-net or
 * none), wherever the object sits: an Indicator's Observable, a
 * stand-alone Observable, or inside a Socket Address or Network Connection
 * object.  A value may be a list ("1.2.3.4##comma##5.6.7.8", with
 * apply_condition ANY or ALL): each member is one indicator.  Only the
 * conditions that state the address is the value (Equals, or none) make an
 * item; a value under "DoesNotEqual", "Contains" or "StartsWith" is
 * rejected with that reason, since it does not name one address.
 *
 * Everything else is counted by kind: domain names (DomainName, Hostname,
 * URI of type Domain Name), URLs, e-mail addresses (Address objects of
 * category e-mail), file names and hashes (by their Type, else by length).
 * An object with none of those values counts once as "other", under its
 * xsi:type, so that no object of the package goes unmentioned.
 *
 * What the list says of the entry: an Indicator's Title, Description and
 * Short_Description are read for a cited location ("This IP address is
 * located in Canada."), its Type is the role ("IP Watchlist"), its kill
 * chain phase names the phase, and the first Sighting's timestamp (else
 * the Valid_Time_Position start) the observation date.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "input/xmlcommon.h"
#include "xmlread.h"

#define OBJ_MAX 32      /* objects open at once; deeper ones are not objects */

/* What kind of CybOX object the current Properties element is. */
enum obj {
	OBJ_NONE = 0, OBJ_ADDRESS, OBJ_DOMAIN, OBJ_URI, OBJ_FILE, OBJ_HOST,
	OBJ_OTHER
};

struct s1 {
	struct ex *x;
	struct xml_reader *r;
	struct xpath path;
	struct group g;
	int in_indicator;       /* depth of the open Indicator, or -1 */
	int in_observable;      /* depth of a top-level Observable, or -1 */
	/* The object whose Properties are open (nested objects, such as an
	 * address inside a socket, replace it and restore it). */
	struct {
		enum obj obj;
		char category[32];
		char type[64];      /* xsi:type, for "other" */
		char uri_type[32];
		int values;         /* values seen in this object */
		int depth;
	} o[OBJ_MAX];
	int no;
	/* The leaf being read. */
	int leaf;               /* 0 none; else what it is (enum below) */
	int leaf_depth;
	unsigned long leaf_line;
	char cond[32];
	struct buf text;
	char hash_type[16];     /* the Type of the Hash being read */
	int sighting_seen;
};

enum leaf {
	LF_ADDRESS = 1, LF_DOMAIN, LF_URI, LF_HASH_TYPE, LF_HASH, LF_FILENAME,
	LF_HOST, LF_DESC, LF_ROLE, LF_START_TIME
};

static int is_ns_stix1(const char *ns)
{
	return strstr(ns, "stix.mitre.org") != NULL ||
	    strstr(ns, "cybox.mitre.org") != NULL;
}

static enum obj obj_of(const char *xsi_type)
{
	const char *c = strchr(xsi_type, ':');
	const char *t = c != NULL ? c + 1 : xsi_type;

	if (strcmp(t, "AddressObjectType") == 0)
		return OBJ_ADDRESS;
	if (strcmp(t, "DomainNameObjectType") == 0)
		return OBJ_DOMAIN;
	if (strcmp(t, "URIObjectType") == 0)
		return OBJ_URI;
	if (strcmp(t, "FileObjectType") == 0 ||
	    strcmp(t, "WindowsFileObjectType") == 0 ||
	    strcmp(t, "WindowsExecutableFileObjectType") == 0)
		return OBJ_FILE;
	if (strcmp(t, "HostnameObjectType") == 0)
		return OBJ_HOST;
	return OBJ_OTHER;
}

static int cond_says_is(const char *cond)
{
	return cond[0] == '\0' || strcmp(cond, "Equals") == 0;
}

/* Split a value on "##comma##" (CybOX's list delimiter) into pending
 * entries of the group. */
static void add_values(struct s1 *s, const char *v, size_t n, int kind,
                       const char *why)
{
	static const char delim[] = "##comma##";
	const size_t dl = sizeof delim - 1;
	const char *p = v, *end = v + n, *q;

	for (;;) {
		const char *a, *e;

		for (q = p; q + dl <= end && memcmp(q, delim, dl) != 0; q++)
			;
		if (q + dl > end)
			q = end;
		a = p;
		e = q;
		ex_trim(&a, &e);
		if (a < e)
			grp_add(&s->g, a, (size_t)(e - a), s->leaf_line, kind, why);
		else if (q < end || p == v)
			/* An empty member is an indicator with no value. */
			grp_add(&s->g, "", 0, s->leaf_line, -1,
			    "empty address value");
		if (q == end)
			break;
		p = q + dl;
	}
}

static void leaf_end(struct s1 *s)
{
	const char *v = s->text.data != NULL ? s->text.data : "";
	size_t n = s->text.len;
	int kind;

	if (s->no > 0)
		s->o[s->no - 1].values++;
	switch (s->leaf) {
	case LF_ADDRESS: {
		const char *cat = s->no > 0 ? s->o[s->no - 1].category : "";

		if (strcmp(cat, "e-mail") == 0) {
			add_values(s, v, n, EXK_EMAIL, NULL);
		} else if (cat[0] == '\0' || strncmp(cat, "ipv4", 4) == 0 ||
		    strncmp(cat, "ipv6", 4) == 0 || strcmp(cat, "cidr") == 0) {
			add_values(s, v, n, -1, cond_says_is(s->cond) ? NULL :
			    strcmp(s->cond, "DoesNotEqual") == 0 ?
			    "condition DoesNotEqual: says where it is not" :
			    "condition is not Equals: not one address");
		} else {
			add_values(s, v, n, EXK_OTHER, NULL);   /* mac, asn ... */
		}
		break;
	}
	case LF_DOMAIN:
	case LF_HOST:
		add_values(s, v, n, EXK_DOMAIN, NULL);
		break;
	case LF_URI: {
		const char *t = s->no > 0 ? s->o[s->no - 1].uri_type : "";

		add_values(s, v, n, strcmp(t, "Domain Name") == 0 ?
		    EXK_DOMAIN : EXK_URL, NULL);
		break;
	}
	case LF_HASH_TYPE:
		if (s->no > 0)
			s->o[s->no - 1].values--;       /* not a value */
		snprintf(s->hash_type, sizeof s->hash_type, "%.*s",
		    (int)(n < 15 ? n : 15), v);
		break;
	case LF_HASH: {
		int is_addr;

		kind = ex_kind_of_type(s->hash_type, strlen(s->hash_type),
		    &is_addr);
		if (kind < 0)
			kind = (int)ex_kind_of_value(v, n);
		add_values(s, v, n, kind, NULL);
		break;
	}
	case LF_FILENAME:
		add_values(s, v, n, EXK_FILENAME, NULL);
		break;
	case LF_DESC:
		grp_text(&s->g.desc, v, n);
		break;
	case LF_ROLE:
		if (s->g.role.len == 0)
			grp_text(&s->g.role, v, n);
		break;
	case LF_START_TIME:
		if (s->g.observed.len == 0)
			grp_text(&s->g.observed, v, n);
		break;
	}
	s->leaf = 0;
	buf_reset(&s->text);
}

static void on_start(void *ctx, const struct xml_ev *ev)
{
	struct s1 *s = ctx;
	const char *nm = ev->name;
	char attr[64];

	if (strcmp(nm, "Indicator") == 0 && s->in_indicator < 0 &&
	    !xp_has(&s->path, "Related_Indicators")) {
		s->in_indicator = ev->depth;
		return;
	}
	if (strcmp(nm, "Observable") == 0 && s->in_indicator < 0 &&
	    s->in_observable < 0) {
		s->in_observable = ev->depth;
		return;
	}
	xml_attr(s->r, "type", XML_NS_XSI, attr, sizeof attr);
	if (strcmp(nm, "Properties") == 0 || strcmp(nm, "IP_Address") == 0 ||
	    (attr[0] && strstr(attr, "ObjectType") != NULL)) {
		/* An object opens: Properties, or an element typed as an
		 * object (an e-mail's From, a socket's IP_Address). */
		if (s->no < OBJ_MAX) {
			int k = s->no;

			s->o[k].obj = strcmp(nm, "IP_Address") == 0 && !attr[0] ?
			    OBJ_ADDRESS : obj_of(attr);
			snprintf(s->o[k].type, sizeof s->o[k].type, "%s",
			    attr[0] ? attr : nm);
			xml_attr(s->r, "category", NULL, s->o[k].category,
			    sizeof s->o[k].category);
			xml_attr(s->r, "type", NULL, s->o[k].uri_type,
			    sizeof s->o[k].uri_type);
			s->o[k].values = 0;
			s->o[k].depth = ev->depth;
			s->no++;
		}
		return;
	}
	if (s->leaf)
		return;
	s->leaf_line = ev->line;
	s->cond[0] = '\0';
	if (strcmp(nm, "Address_Value") == 0) {
		s->leaf = LF_ADDRESS;
		xml_attr(s->r, "condition", NULL, s->cond, sizeof s->cond);
	} else if (s->no > 0 && strcmp(nm, "Value") == 0 &&
	    s->o[s->no - 1].obj == OBJ_DOMAIN) {
		s->leaf = LF_DOMAIN;
	} else if (s->no > 0 && strcmp(nm, "Value") == 0 &&
	    s->o[s->no - 1].obj == OBJ_URI) {
		s->leaf = LF_URI;
	} else if (strcmp(nm, "Hostname_Value") == 0) {
		s->leaf = LF_HOST;
	} else if (strcmp(nm, "Type") == 0 && strcmp(xp_at(&s->path, 0),
	    "Hash") == 0) {
		s->leaf = LF_HASH_TYPE;
	} else if (strcmp(nm, "Simple_Hash_Value") == 0 ||
	    strcmp(nm, "Fuzzy_Hash_Value") == 0) {
		s->leaf = LF_HASH;
	} else if (s->no > 0 && s->o[s->no - 1].obj == OBJ_FILE &&
	    (strcmp(nm, "File_Name") == 0 || strcmp(nm, "File_Path") == 0)) {
		s->leaf = LF_FILENAME;
	} else if ((strcmp(nm, "Description") == 0 ||
	    strcmp(nm, "Title") == 0 ||
	    strcmp(nm, "Short_Description") == 0) &&
	    (s->in_indicator >= 0 || s->in_observable >= 0)) {
		s->leaf = LF_DESC;
	} else if (strcmp(nm, "Type") == 0 && s->in_indicator >= 0 &&
	    ev->depth == s->in_indicator + 1) {
		s->leaf = LF_ROLE;
	} else if (strcmp(nm, "Kill_Chain_Phase") == 0 &&
	    s->in_indicator >= 0) {
		if (xml_attr(s->r, "name", NULL, attr, sizeof attr) &&
		    s->g.phase.len == 0)
			grp_text(&s->g.phase, attr, strlen(attr));
	} else if (strcmp(nm, "Sighting") == 0 && s->in_indicator >= 0 &&
	    !s->sighting_seen) {
		if (xml_attr(s->r, "timestamp", NULL, attr, sizeof attr)) {
			buf_reset(&s->g.observed);
			grp_text(&s->g.observed, attr, strlen(attr));
			s->sighting_seen = 1;
		}
	} else if (strcmp(nm, "Start_Time") == 0 && s->in_indicator >= 0 &&
	    xp_has(&s->path, "Valid_Time_Position") && !s->sighting_seen) {
		s->leaf = LF_START_TIME;
	}
	if (s->leaf)
		s->leaf_depth = ev->depth;
}

static void on_end(void *ctx, const struct xml_ev *ev)
{
	struct s1 *s = ctx;
	const char *nm = ev->name;

	if (s->leaf && ev->depth == s->leaf_depth) {
		leaf_end(s);
		return;
	}
	if (s->no > 0 && ev->depth == s->o[s->no - 1].depth) {
		s->no--;
		if (s->o[s->no].values == 0 &&
		    s->o[s->no].obj != OBJ_ADDRESS)
			/* An object with no value we read: count it once. */
			grp_add(&s->g, s->o[s->no].type, strlen(s->o[s->no].type),
			    ev->line, EXK_OTHER, NULL);
		else if (s->no > 0)
			s->o[s->no - 1].values += s->o[s->no].values;
		return;
	}
	if (strcmp(nm, "Indicator") == 0 && ev->depth == s->in_indicator) {
		grp_emit(s->x, &s->g);
		s->in_indicator = -1;
		s->sighting_seen = 0;
		return;
	}
	if (strcmp(nm, "Observable") == 0 && ev->depth == s->in_observable) {
		grp_emit(s->x, &s->g);
		s->in_observable = -1;
	}
}

static int s1_root(const struct xml_ev *ev)
{
	return is_ns_stix1(ev->ns) && (strcmp(ev->name, "STIX_Package") == 0 ||
	    strcmp(ev->name, "Observables") == 0);
}

static void s1_text(void *ctx, const struct xml_ev *ev)
{
	struct s1 *s = ctx;

	if (!s->leaf)
		return;
	if (s->text.len + ev->len > EX_LINE_MAX) {
		/* A value this long is no indicator: refuse it rather than
		 * hold it. */
		grp_add(&s->g, ev->text, EX_REJECT_MAX, s->leaf_line, -1, R_LONG);
		s->leaf = 0;
		buf_reset(&s->text);
	} else {
		buf_add(&s->text, ev->text, ev->len);
	}
}

int ex_read_stix1(struct ex *x, char *err, size_t errlen)
{
	static const struct xml_walk walk = {
		s1_root, "a STIX 1.x package", on_start, on_end, s1_text
	};
	struct s1 s;
	int ret;

	memset(&s, 0, sizeof s);
	s.x = x;
	s.in_indicator = s.in_observable = -1;
	s.r = xml_open(x->base, (size_t)(x->end - x->base));
	ret = xml_walk(x, s.r, &walk, &s.path, &s, err, errlen);
	/* What was read before a break is still counted; the file is named
	 * unusable with where it broke. */
	if (ret != -1)
		grp_emit(x, &s.g);
	grp_free(&s.g);
	buf_free(&s.text);
	xml_close(s.r);
	return ret == 0 ? 0 : -1;
}
