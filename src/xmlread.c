/*
 * xmlread.c - streaming XML events over libxml2's SAX2 push parser.
 *
 * The document is pushed to libxml2 in chunks; its callbacks queue the
 * events of one chunk (names, attributes and text copied into an arena),
 * and xml_next() hands them out one by one before pushing the next chunk.
 * No tree is ever built, and the input is never copied whole: memory is
 * one chunk's events, whatever the size of the file.  (The pull reader,
 * xmlTextReader, built a node per element and copied the whole input
 * first: twice the time and the file's size again in memory.)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

#include "dynlib.h"
#include "util.h"
#include "xmlread.h"

#ifndef LIBXML2_SONAME
#define LIBXML2_SONAME "libxml2.so.2"
#endif

/* libxml2, loaded on first use (dynlib.h says why). */
static struct {
	int (*sax_version)(xmlSAXHandler *, int);
	xmlParserCtxtPtr (*create_push)(xmlSAXHandlerPtr, void *, const char *, int, const char *);
	int (*use_options)(xmlParserCtxtPtr, int);
	int (*parse_chunk)(xmlParserCtxtPtr, const char *, int, int);
	void (*free_doc)(xmlDocPtr);
	void (*free_ctxt)(xmlParserCtxtPtr);
} L;

static int libxml2_loaded(char *err, size_t errlen)
{
	static int state;
	const struct dynsym syms[] = {
		{ "xmlSAXVersion", (void **)&L.sax_version },
		{ "xmlCreatePushParserCtxt", (void **)&L.create_push },
		{ "xmlCtxtUseOptions", (void **)&L.use_options },
		{ "xmlParseChunk", (void **)&L.parse_chunk },
		{ "xmlFreeDoc", (void **)&L.free_doc },
		{ "xmlFreeParserCtxt", (void **)&L.free_ctxt },
	};

	return dynlib_load(&state, LIBXML2_SONAME, "GEOATTR_LIBXML2_LIB", syms,
	    sizeof syms / sizeof syms[0], err, errlen);
}

/* The parser's current line (what xmlSAX2GetLineNumber() reads). */
static unsigned long ctx_line(xmlParserCtxtPtr c)
{
	return c != NULL && c->input != NULL && c->input->line > 0 ?
	    (unsigned long)c->input->line : 1;
}

#define CHUNK (256 * 1024)

struct qattr {
	size_t local, uri, value;       /* arena offsets */
};

struct qev {
	enum xml_event type;
	size_t name, ns, text, len;     /* arena offsets; TEXT: text/len */
	size_t attr0, nattr;            /* START: its attributes in attrs[] */
	int depth;
	unsigned long line;
};

struct xml_reader {
	xmlParserCtxtPtr ctx;
	xmlSAXHandler sax;
	const char *p, *end;            /* what is left to push */
	int pushed_all;
	struct qev *q;
	size_t nq, capq, head;
	struct qattr *attrs;
	size_t nattrs, capattrs;
	struct buf arena;
	const struct qev *cur;          /* the event last handed out */
	int depth;
	char first_err[256];
	unsigned long err_line;
	int failed;
	int no_lib;             /* libxml2 could not be loaded */
};

/* ------------------------------------------------------------ the queue */

static size_t keep(struct xml_reader *x, const char *s, size_t n)
{
	size_t off = x->arena.len;

	buf_add(&x->arena, s, n);
	buf_addc(&x->arena, '\0');
	return off;
}

static const char *at(const struct xml_reader *x, size_t off)
{
	return x->arena.data + off;
}

static struct qev *push_ev(struct xml_reader *x, enum xml_event type)
{
	struct qev *e;

	x->q = xgrow(x->q, &x->capq, x->nq + 1, sizeof(*x->q));
	e = &x->q[x->nq++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->line = ctx_line(x->ctx);
	return e;
}

static const char *cstr(const xmlChar *s)
{
	return s != NULL ? (const char *)s : "";
}

/* ------------------------------------------------------------ callbacks */

/* libxml2's own SAX2 handlers (start of document, entity declarations)
 * take the parser context as their user data, so ours do too and find the
 * reader in its _private field. */
static struct xml_reader *reader_of(void *ud)
{
	return ((xmlParserCtxtPtr)ud)->_private;
}

static void on_start(void *ud, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **nss,
                     int nattr, int ndefaulted, const xmlChar **attrs)
{
	struct xml_reader *x = reader_of(ud);
	struct qev *e = push_ev(x, XML_EV_START);
	int i;

	(void)prefix;
	(void)nns;
	(void)nss;
	(void)ndefaulted;
	e->name = keep(x, cstr(local), strlen(cstr(local)));
	e->ns = keep(x, cstr(uri), strlen(cstr(uri)));
	e->depth = x->depth++;
	e->attr0 = x->nattrs;
	/* attrs: localname, prefix, URI, value start, value end; 5 each. */
	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;
		struct qattr *qa;

		x->attrs = xgrow(x->attrs, &x->capattrs, x->nattrs + 1, sizeof(*x->attrs));
		qa = &x->attrs[x->nattrs++];
		qa->local = keep(x, cstr(a[0]), strlen(cstr(a[0])));
		qa->uri = keep(x, cstr(a[2]), strlen(cstr(a[2])));
		qa->value = keep(x, (const char *)a[3], (size_t)(a[4] - a[3]));
	}
	e->nattr = (size_t)nattr;
}

static void on_end(void *ud, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
	struct xml_reader *x = reader_of(ud);
	struct qev *e = push_ev(x, XML_EV_END);

	(void)prefix;
	e->name = keep(x, cstr(local), strlen(cstr(local)));
	e->ns = keep(x, cstr(uri), strlen(cstr(uri)));
	e->depth = --x->depth;
}

static void on_text(void *ud, const xmlChar *s, int len)
{
	struct xml_reader *x = reader_of(ud);
	struct qev *e;

	int i;

	if (len <= 0)
		return;
	/* Indentation between elements is most of the text events of a
	 * published file and never part of a value: not queued. */
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
	    s[i] == '\t'); i++)
		;
	if (i == len)
		return;
	e = push_ev(x, XML_EV_TEXT);
	e->text = keep(x, (const char *)s, (size_t)len);
	e->len = (size_t)len;
	e->depth = x->depth;
}

/* An entity reference in content: dropped, never expanded. */
static void on_reference(void *ud, const xmlChar *name)
{
	(void)ud;
	(void)name;
}

/* External entities and DTD subsets: never fetched, whatever the options. */
static xmlParserInputPtr on_resolve(void *ud, const xmlChar *public_id,
                                    const xmlChar *system_id)
{
	(void)ud;
	(void)public_id;
	(void)system_id;
	return NULL;
}

static void on_external_subset(void *ud, const xmlChar *name,
                               const xmlChar *external_id,
                               const xmlChar *system_id)
{
	(void)ud;
	(void)name;
	(void)external_id;
	(void)system_id;
}

/* libxml2 reports here instead of printing; the first error is kept. */
static void on_error(void *ud, xmlErrorPtr e)
{
	struct xml_reader *x = reader_of(ud);
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	x->failed = 1;
	if (x->first_err[0])
		return;
	snprintf(x->first_err, sizeof x->first_err, "%s",
	    e->message != NULL ? e->message : "malformed XML");
	/* One line: libxml2 adds detail lines ("Bytes: 0xFF ..."). */
	x->first_err[strcspn(x->first_err, "\n")] = '\0';
	n = strlen(x->first_err);
	while (n > 0 && (x->first_err[n - 1] == ' ' || x->first_err[n - 1] == '!'))
		x->first_err[--n] = '\0';
	/* Entity errors report the line of the entity's text (often 1);
	 * the document's position says more. */
	x->err_line = e->line > 1 ? (unsigned long)e->line :
	    (x->ctx != NULL ? ctx_line(x->ctx) : 0);
}

/* ------------------------------------------------------------ interface */

struct xml_reader *xml_open(const char *buf, size_t len)
{
	struct xml_reader *x = xcalloc(1, sizeof(*x));
	/* No NOENT (entities stay references), no DTDLOAD/DTDATTR/DTDVALID
	 * (nothing is fetched), NONET; HUGE is left off so libxml2 keeps its
	 * limits on entity amplification and on the length of text. */
	int opts = XML_PARSE_NONET | XML_PARSE_NOXINCNODE | XML_PARSE_NOCDATA;

	if (libxml2_loaded(x->first_err, sizeof x->first_err) != 0) {
		x->failed = 1;
		x->no_lib = 1;
		return x;
	}
	L.sax_version(&x->sax, 2);
	x->sax.startElementNs = on_start;
	x->sax.endElementNs = on_end;
	x->sax.characters = on_text;
	x->sax.cdataBlock = on_text;
	x->sax.ignorableWhitespace = on_text;
	x->sax.reference = on_reference;
	x->sax.resolveEntity = on_resolve;
	x->sax.externalSubset = on_external_subset;
	x->sax.serror = on_error;
	x->sax.error = NULL;
	x->sax.warning = NULL;
	x->sax.fatalError = NULL;
	x->p = buf;
	x->end = buf + len;
	buf_init(&x->arena);
	x->ctx = L.create_push(&x->sax, NULL, NULL, 0, NULL);
	if (x->ctx != NULL)
		x->ctx->_private = x;
	if (x->ctx == NULL) {
		snprintf(x->first_err, sizeof x->first_err, "the XML parser could not start");
		x->failed = 1;
		return x;
	}
	L.use_options(x->ctx, opts);
	return x;
}

void xml_close(struct xml_reader *x)
{
	if (x == NULL)
		return;
	if (x->ctx != NULL) {
		if (x->ctx->myDoc != NULL)
			L.free_doc(x->ctx->myDoc);
		L.free_ctxt(x->ctx);
	}
	free(x->q);
	free(x->attrs);
	buf_free(&x->arena);
	free(x);
}

/* Push the next chunk (or the end); 0 when there is nothing left. */
static int refill(struct xml_reader *x)
{
	size_t n;

	x->nq = x->head = 0;
	x->nattrs = 0;
	buf_reset(&x->arena);
	x->cur = NULL;
	while (x->nq == 0 && !x->pushed_all && !x->failed) {
		n = (size_t)(x->end - x->p);
		if (n > CHUNK)
			n = CHUNK;
		x->pushed_all = x->p + n == x->end;
		if (L.parse_chunk(x->ctx, x->p, (int)n, x->pushed_all) != 0)
			x->failed = 1;
		x->p += n;
	}
	return x->nq > 0;
}

int xml_next(struct xml_reader *x, struct xml_ev *ev, char *err, size_t errlen)
{
	const struct qev *e;

	memset(ev, 0, sizeof(*ev));
	if (x->head == x->nq && !refill(x)) {
		if (!x->failed && x->ctx != NULL && x->ctx->wellFormed)
			return 0;
		if (x->no_lib) {
			errbuf_set(err, errlen, "%s (STIX 1.x and OpenIOC input need it)",
			    x->first_err);
			return -1;
		}
		errbuf_set(err, errlen, "line %lu: %s",
		    x->err_line ? x->err_line : x->ctx != NULL ?
		    ctx_line(x->ctx) : 1,
		    x->first_err[0] ? x->first_err : "malformed XML");
		return -1;
	}
	e = x->cur = &x->q[x->head++];
	ev->type = e->type;
	ev->line = e->line;
	ev->depth = e->depth;
	if (e->type == XML_EV_TEXT) {
		ev->text = at(x, e->text);
		ev->len = e->len;
	} else {
		ev->name = at(x, e->name);
		ev->ns = at(x, e->ns);
	}
	return 1;
}

int xml_attr(struct xml_reader *x, const char *local, const char *ns,
             char *out, size_t cap)
{
	size_t i;

	if (cap > 0)
		out[0] = '\0';
	if (x->cur == NULL || x->cur->type != XML_EV_START)
		return 0;
	for (i = 0; i < x->cur->nattr; i++) {
		const struct qattr *a = &x->attrs[x->cur->attr0 + i];

		if (strcmp(at(x, a->local), local) == 0 &&
		    strcmp(at(x, a->uri), ns != NULL ? ns : "") == 0) {
			if (cap > 0)
				snprintf(out, cap, "%s", at(x, a->value));
			return 1;
		}
	}
	return 0;
}
