/*
 * xmlread.h - a streaming XML reader over a buffer: the one place libxml2
 * is used.
 *
 * The readers of STIX 1.x and OpenIOC walk a document as a stream of
 * start, text and end events (every START has its END, <e/> included),
 * so a 50 MB file takes memory for one chunk's events, not for a tree.  The reader is locked down: it never
 * touches the network or the file system (no external entities, no DTD
 * loading, no XInclude), never substitutes entities into text (an entity
 * reference is dropped, not expanded), and keeps libxml2's limits on
 * entity amplification, so a billion-laughs document ends in an error.
 * libxml2 prints nothing: its first error becomes ours.
 *
 * Ownership: xml_open() borrows buf, which must outlive the reader; the
 * strings in an event are valid until the next xml_next() call.
 */
#ifndef GEOATTR_XMLREAD_H
#define GEOATTR_XMLREAD_H

#include <stddef.h>

struct xml_reader;

enum xml_event { XML_EV_START = 1, XML_EV_TEXT, XML_EV_END };

struct xml_ev {
	enum xml_event type;
	const char *name;       /* START/END: local name (no prefix) */
	const char *ns;         /* START/END: namespace URI, or "" */
	const char *text;       /* TEXT: the text (character data or CDATA) */
	size_t len;
	int depth;              /* 0 for the root element */
	unsigned long line;     /* line of the event (where libxml2 read it) */
};

/* A reader over buf[0..len); never NULL (a parser that cannot start
 * reports so at the first xml_next()). */
struct xml_reader *xml_open(const char *buf, size_t len);
void xml_close(struct xml_reader *r);

/*
 * The next event: 1 with ev filled in, 0 at the end of a well-formed
 * document, -1 on an error with "line L: what" in err.
 */
int xml_next(struct xml_reader *r, struct xml_ev *ev, char *err, size_t errlen);

/* On a START event: attribute `local` in namespace ns (NULL: an
 * attribute without a prefix), copied into out (cap bytes, cut short to
 * fit); 1 if present, else 0 with out = "". */
int xml_attr(struct xml_reader *r, const char *local, const char *ns,
             char *out, size_t cap);
#define XML_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

#endif
