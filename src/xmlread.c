/*
 * xmlread.c - streaming XML events over libxml2's xmlTextReader.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "util.h"
#include "xmlread.h"

struct xml_reader {
	xmlTextReaderPtr r;
	char first_err[256];    /* libxml2's first error, as we word it */
	unsigned long err_line;
	int pending_end;        /* an END to report for an empty element */
	char end_name[256];
	int end_depth;
	unsigned long end_line;
};

/* libxml2 reports here instead of printing; the first error is kept. */
static void on_error(void *arg, xmlErrorPtr e)
{
	struct xml_reader *x = arg;
	size_t n;

	if (e == NULL || x->first_err[0] || e->level < XML_ERR_ERROR)
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
	x->err_line = e->line > 1 ? (unsigned long)e->line : 0;
}

struct xml_reader *xml_open(const char *buf, size_t len)
{
	struct xml_reader *x = xcalloc(1, sizeof(*x));
	/* No NOENT (entities stay references), no DTDLOAD/DTDATTR (nothing
	 * is fetched), NONET; HUGE is left off so libxml2 keeps its limits. */
	int opts = XML_PARSE_NONET | XML_PARSE_NOXINCNODE | XML_PARSE_COMPACT;

	if (len > INT_MAX)
		len = INT_MAX;  /* libxml2 takes an int; the rest is cut off and fails */
	x->r = xmlReaderForMemory(buf, (int)len, NULL, NULL, opts);
	if (x->r != NULL)
		xmlTextReaderSetStructuredErrorHandler(x->r, on_error, x);
	else
		snprintf(x->first_err, sizeof x->first_err, "the XML parser could not start");
	return x;
}

void xml_close(struct xml_reader *x)
{
	if (x == NULL)
		return;
	xmlFreeTextReader(x->r);
	free(x);
}

static const char *cstr(const xmlChar *s)
{
	return s != NULL ? (const char *)s : "";
}

int xml_next(struct xml_reader *x, struct xml_ev *ev, char *err, size_t errlen)
{
	int rc, t;

	memset(ev, 0, sizeof(*ev));
	if (x->r == NULL) {
		errbuf_set(err, errlen, "line 1: %s", x->first_err);
		return -1;
	}
	if (x->pending_end) {
		x->pending_end = 0;
		ev->type = XML_EV_END;
		ev->name = x->end_name;
		ev->ns = "";
		ev->depth = x->end_depth;
		ev->line = x->end_line;
		return 1;
	}
	for (;;) {
		rc = xmlTextReaderRead(x->r);
		if (rc != 1 || x->first_err[0]) {
			if (rc == 0 && !x->first_err[0])
				return 0;
			errbuf_set(err, errlen, "line %lu: %s",
			    x->err_line ? x->err_line :
			    (unsigned long)xmlTextReaderGetParserLineNumber(x->r),
			    x->first_err[0] ? x->first_err : "malformed XML");
			return -1;
		}
		t = xmlTextReaderNodeType(x->r);
		{
			/* The node's own line: the parser's position runs
			 * ahead of the node by up to a buffer. */
			xmlNodePtr node = xmlTextReaderCurrentNode(x->r);
			long ln = node != NULL ? xmlGetLineNo(node) : -1;

			ev->line = ln > 0 ? (unsigned long)ln :
			    (unsigned long)xmlTextReaderGetParserLineNumber(x->r);
		}
		ev->depth = xmlTextReaderDepth(x->r);
		switch (t) {
		case XML_READER_TYPE_ELEMENT:
			ev->type = XML_EV_START;
			ev->name = cstr(xmlTextReaderConstLocalName(x->r));
			ev->ns = cstr(xmlTextReaderConstNamespaceUri(x->r));
			ev->empty = xmlTextReaderIsEmptyElement(x->r) == 1;
			if (ev->empty) {
				/* Readers want an END for every START. */
				snprintf(x->end_name, sizeof x->end_name, "%s", ev->name);
				x->end_depth = ev->depth;
				x->end_line = ev->line;
				x->pending_end = 1;
			}
			return 1;
		case XML_READER_TYPE_END_ELEMENT:
			ev->type = XML_EV_END;
			ev->name = cstr(xmlTextReaderConstLocalName(x->r));
			ev->ns = cstr(xmlTextReaderConstNamespaceUri(x->r));
			return 1;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			ev->type = XML_EV_TEXT;
			ev->text = cstr(xmlTextReaderConstValue(x->r));
			ev->len = strlen(ev->text);
			return 1;
		default:
			/* Comments, processing instructions, the DTD and entity
			 * references carry no indicator: skipped, never expanded. */
			continue;
		}
	}
}

int xml_attr(struct xml_reader *x, const char *local, const char *ns,
             char *out, size_t cap)
{
	int found = 0;

	if (cap > 0)
		out[0] = '\0';
	if (xmlTextReaderHasAttributes(x->r) != 1)
		return 0;
	if (xmlTextReaderMoveToFirstAttribute(x->r) != 1)
		return 0;
	do {
		const char *name = cstr(xmlTextReaderConstLocalName(x->r));
		const char *uri = cstr(xmlTextReaderConstNamespaceUri(x->r));

		if (strcmp(name, local) == 0 && strcmp(uri, ns != NULL ? ns : "") == 0) {
			if (cap > 0)
				snprintf(out, cap, "%s", cstr(xmlTextReaderConstValue(x->r)));
			found = 1;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(x->r) == 1);
	xmlTextReaderMoveToElement(x->r);
	return found;
}
