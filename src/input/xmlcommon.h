/*
 * input/xmlcommon.h - shared by the XML readers (stix1.c, openioc.c).
 *
 * An XML indicator format groups values under one description (a STIX
 * Indicator, an OpenIOC item), and the description, type and dates may
 * come after the values they describe; so values wait in a group and are
 * handed on when the group ends, with what the group said of them.
 *
 * Ownership: a group owns its pending copies until grp_emit() or
 * grp_reset(); grp_free() on a zeroed group is a no-op.
 */
#ifndef GEOATTR_INPUT_XMLCOMMON_H
#define GEOATTR_INPUT_XMLCOMMON_H

#include "input/input.h"
#include "util.h"
#include "xmlread.h"

#define XP_MAX 48

/* The element path, for "in /STIX_Package/Indicators/Indicator". */
struct xpath {
	char names[XP_MAX][48];
	int depth;
};

void xp_push(struct xpath *p, const char *name);
void xp_pop(struct xpath *p);
/* The name `up` levels above the innermost (0: the innermost), or "". */
const char *xp_at(const struct xpath *p, int up);
int xp_has(const struct xpath *p, const char *name);
void xp_text(const struct xpath *p, char *out, size_t cap);

/*
 * Walk the document r reads (the caller opens and closes it, so that its
 * callbacks may ask xml_attr()): root_ok() decides on the first element whether it is
 * the format's (else err = "line L: not WHAT (root element <X>)" and -1);
 * start() sees each element before it joins the path, end() after it has
 * left; text() every piece of character data.  Returns 0, -1 for a
 * document of another kind, or -2 for broken XML with err = "line L:
 * what in /PATH"; the callbacks have seen everything before the break.
 */
struct xml_walk {
	int (*root_ok)(const struct xml_ev *ev);
	const char *what;       /* "a STIX 1.x package" */
	void (*start)(void *ctx, const struct xml_ev *ev);
	void (*end)(void *ctx, const struct xml_ev *ev);
	void (*text)(void *ctx, const struct xml_ev *ev);
};
int xml_walk(struct ex *x, struct xml_reader *r, const struct xml_walk *w,
             struct xpath *path, void *ctx, char *err, size_t errlen);

struct pending {
	char *text;
	size_t len;
	unsigned long line;
	int kind;               /* enum ex_kind, or -1 for an address */
	const char *why;        /* a rejection reason (static), or NULL */
};

struct group {
	struct pending *p;
	size_t n, cap;
	struct buf desc, role, phase, observed;
};

void grp_add(struct group *g, const char *s, size_t n, unsigned long line,
             int kind, const char *why);
/* Append text to one of the group's fields, bounded. */
void grp_text(struct buf *b, const char *s, size_t n);
/* Hand every pending value on (address, other or rejection), with the
 * cited location the description states, then reset. */
void grp_emit(struct ex *x, struct group *g);
void grp_reset(struct group *g);
void grp_free(struct group *g);

#endif
