/*
 * input/openioc.c - OpenIOC 1.0 (schemas.mandiant.com/2010/ioc) and 1.1
 * (openioc.org/schemas/OpenIOC_1.1).
 *
 * Each IndicatorItem pairs a Context (what is searched: "PortItem/
 * remoteIP", "Network/DNS", "FileItem/Md5sum") with a Content (the value,
 * with a type such as "IP", "string", "md5").  An item is an address when
 * its content type is IP or its search ends in an address term (remoteIP,
 * localIP, IP, IPv4Address, IPv6Address, ...), and only when its condition
 * says the value is the address ("is", "isnot" with negate is not): a
 * "contains" or "starts-with" on an address is a pattern, not an address,
 * and is rejected with that reason.  Every other item is counted by kind,
 * from the search term first (FileItem/Md5sum is an MD5 whatever its
 * content type) and the value's shape last.
 *
 * OpenIOC has no per-item description in 1.0, so a cited location comes
 * only from a 1.1 parameter on the item ("comment", "note"); the IOC's
 * own description speaks for the whole document and is not given to each
 * address.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"
#include "input/xmlcommon.h"
#include "xmlread.h"

struct item {
	char id[128];
	char search[128];
	char ctype[32];
	char cond[32];
	int negate;
	unsigned long line;
	struct buf content;
	int have;
};

struct oi {
	struct ex *x;
	struct xml_reader *r;
	struct xpath path;
	struct group g;
	/* Items wait until the document ends, because 1.1 parameters that
	 * describe them come after the criteria. */
	struct item *items;
	size_t n, cap;
	int in_item, in_content, in_param_value;
	char param_ref[128], param_name[32];
	struct buf param;
	/* id -> comment text, for 1.1 */
	struct { char id[128]; char *text; } *notes;
	size_t nnotes, capnotes;
};

static int ends_ci(const char *s, const char *w)
{
	size_t n = strlen(s), k = strlen(w), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (tolower((unsigned char)s[n - k + i]) != tolower((unsigned char)w[i]))
			return 0;
	return n == k || s[n - k - 1] == '/' || s[n - k - 1] == '.';
}

static int is_addr_search(const char *search, const char *ctype)
{
	static const char *const terms[] = {
		"remoteIP", "localIP", "IP", "IPv4Address", "IPv6Address",
		"IPAddress", "RemoteAddress", "LocalAddress", "SourceIP",
		"DestinationIP", "DestIP", "SrcIP", "ClientIP", "ServerIP", NULL
	};
	int i;

	if (strcasecmp(ctype, "IP") == 0)
		return 1;
	for (i = 0; terms[i] != NULL; i++)
		if (ends_ci(search, terms[i]))
			return 1;
	return 0;
}

/* The kind an item's search names, or -1. */
static int kind_of_search(const char *search)
{
	static const struct { const char *term; enum ex_kind k; } t[] = {
		{ "Md5sum", EXK_MD5 }, { "Sha1sum", EXK_SHA1 },
		{ "Sha256sum", EXK_SHA256 }, { "Sha512sum", EXK_SHA512 },
		{ "FileName", EXK_FILENAME }, { "FullPath", EXK_FILENAME },
		{ "FilePath", EXK_FILENAME }, { "Path", EXK_FILENAME },
		{ "DNS", EXK_DOMAIN }, { "Host", EXK_DOMAIN },
		{ "RecordName", EXK_DOMAIN }, { "HostName", EXK_DOMAIN },
		{ "Domain", EXK_DOMAIN }, { "URI", EXK_URL }, { "URL", EXK_URL },
		{ "From", EXK_EMAIL }, { "To", EXK_EMAIL }, { "Sender", EXK_EMAIL },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (ends_ci(search, t[i].term))
			return (int)t[i].k;
	return -1;
}

static const char *note_of(const struct oi *o, const char *id)
{
	size_t i;

	for (i = 0; id[0] && i < o->nnotes; i++)
		if (strcmp(o->notes[i].id, id) == 0)
			return o->notes[i].text;
	return NULL;
}

static void emit_items(struct oi *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		struct item *it = &o->items[i];
		const char *v = it->content.data != NULL ? it->content.data : "";
		const char *note = note_of(o, it->id);
		int kind, is_addr;

		if (!it->have)
			continue;
		if (note != NULL)
			grp_text(&o->g.desc, note, strlen(note));
		if (it->search[0])
			grp_text(&o->g.role, it->search, strlen(it->search));
		if (is_addr_search(it->search, it->ctype)) {
			const char *why = NULL;

			if (it->negate)
				why = "negated: says where it is not";
			else if (it->cond[0] && strcasecmp(it->cond, "is") != 0 &&
			    strcasecmp(it->cond, "equal") != 0)
				why = strcasecmp(it->cond, "isnot") == 0 ?
				    "condition isnot: says where it is not" :
				    "condition is not \"is\": not one address";
			grp_add(&o->g, v, it->content.len, it->line, -1, why);
		} else {
			kind = kind_of_search(it->search);
			if (kind < 0)
				kind = ex_kind_of_type(it->ctype, strlen(it->ctype),
				    &is_addr);
			if (kind < 0)
				kind = (int)ex_kind_of_value(v, it->content.len);
			grp_add(&o->g, v, it->content.len, it->line, kind, NULL);
		}
		grp_emit(o->x, &o->g);
	}
}

static void on_start(void *ctx, const struct xml_ev *ev)
{
	struct oi *o = ctx;
	const char *nm = ev->name;
	char v[64];

	/* The root's last-modified dates the IOC, not a sighting: it is not
	 * taken as an observation date. */
	if (ev->depth == 0)
		return;
	if (strcmp(nm, "IndicatorItem") == 0) {
		struct item *it;

		o->items = xgrow(o->items, &o->cap, o->n + 1, sizeof(*o->items));
		it = &o->items[o->n++];
		memset(it, 0, sizeof(*it));
		xml_attr(o->r, "id", NULL, it->id, sizeof it->id);
		xml_attr(o->r, "condition", NULL, it->cond, sizeof it->cond);
		if (xml_attr(o->r, "negate", NULL, v, sizeof v))
			it->negate = strcasecmp(v, "true") == 0;
		it->line = ev->line;
		o->in_item = 1;
		return;
	}
	if (o->in_item && strcmp(nm, "Context") == 0) {
		xml_attr(o->r, "search", NULL, o->items[o->n - 1].search,
		    sizeof o->items[0].search);
		return;
	}
	if (o->in_item && strcmp(nm, "Content") == 0) {
		xml_attr(o->r, "type", NULL, o->items[o->n - 1].ctype,
		    sizeof o->items[0].ctype);
		o->items[o->n - 1].have = 1;
		o->items[o->n - 1].line = ev->line;
		o->in_content = 1;
		return;
	}
	if (strcmp(nm, "param") == 0) {
		xml_attr(o->r, "ref-id", NULL, o->param_ref, sizeof o->param_ref);
		xml_attr(o->r, "name", NULL, o->param_name, sizeof o->param_name);
		return;
	}
	if (strcmp(nm, "value") == 0 && o->param_ref[0]) {
		o->in_param_value = 1;
		buf_reset(&o->param);
	}
}

static void on_end(void *ctx, const struct xml_ev *ev)
{
	struct oi *o = ctx;
	const char *nm = ev->name;

	if (strcmp(nm, "IndicatorItem") == 0) {
		o->in_item = 0;
	} else if (strcmp(nm, "Content") == 0) {
		o->in_content = 0;
	} else if (strcmp(nm, "value") == 0 && o->in_param_value) {
		o->in_param_value = 0;
		if (strcasecmp(o->param_name, "comment") == 0 ||
		    strcasecmp(o->param_name, "note") == 0 ||
		    strcasecmp(o->param_name, "description") == 0) {
			o->notes = xgrow(o->notes, &o->capnotes, o->nnotes + 1,
			    sizeof(*o->notes));
			snprintf(o->notes[o->nnotes].id, sizeof o->notes[0].id,
			    "%s", o->param_ref);
			o->notes[o->nnotes].text = xstrndup(o->param.data != NULL ?
			    o->param.data : "", o->param.len);
			o->nnotes++;
		}
	} else if (strcmp(nm, "param") == 0) {
		o->param_ref[0] = o->param_name[0] = '\0';
	}
}

static void oi_free(struct oi *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		buf_free(&o->items[i].content);
	free(o->items);
	for (i = 0; i < o->nnotes; i++)
		free(o->notes[i].text);
	free(o->notes);
	buf_free(&o->param);
	grp_free(&o->g);
	xml_close(o->r);
}

static int oi_root(const struct xml_ev *ev)
{
	return strcmp(ev->name, "ioc") == 0 || strcmp(ev->name, "OpenIOC") == 0;
}

static void oi_text(void *ctx, const struct xml_ev *ev)
{
	struct oi *o = ctx;

	if (o->in_content && o->n > 0) {
		struct buf *b = &o->items[o->n - 1].content;

		if (b->len + ev->len <= EX_LINE_MAX)
			buf_add(b, ev->text, ev->len);
	} else if (o->in_param_value) {
		if (o->param.len + ev->len <= 8192)
			buf_add(&o->param, ev->text, ev->len);
	}
}

int ex_read_openioc(struct ex *x, char *err, size_t errlen)
{
	static const struct xml_walk walk = {
		oi_root, "an OpenIOC document", on_start, on_end, oi_text
	};
	struct oi o;
	int ret;

	memset(&o, 0, sizeof o);
	o.x = x;
	o.r = xml_open(x->base, (size_t)(x->end - x->base));
	ret = xml_walk(x, o.r, &walk, &o.path, &o, err, errlen);
	if (ret != -1)
		emit_items(&o);
	oi_free(&o);
	return ret == 0 ? 0 : -1;
}
