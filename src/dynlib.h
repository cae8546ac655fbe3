/*
 * dynlib.h - load a shared library on first use.
 *
 * libxml2 and poppler are needed only for STIX 1.x, OpenIOC and PDF
 * input, yet linking them pulls some fifty shared objects into every
 * process, and the loader's work on them made a one-address lookup six
 * times slower.  Their adapters (xmlread.c, pdftext.c) therefore load
 * them when a document of theirs is first read.  Headers are still those
 * of the -dev packages, so types and constants are checked at build
 * time; only the functions are found at run time, by name.
 *
 * Ownership: a loaded library stays loaded for the life of the process.
 */
#ifndef GEOATTR_DYNLIB_H
#define GEOATTR_DYNLIB_H

#include <stddef.h>

/* One function wanted: its name and where to store its address. */
struct dynsym {
	const char *name;
	void **slot;
};

/*
 * Load the library named by environment variable env if set (for tests
 * and unusual installs), else soname, and fill every slot.  Returns 0, or
 * -1 with "cannot load NAME: reason" (or a missing symbol) in err; the
 * first outcome is remembered, so later calls cost nothing.  *state is
 * the caller's static int, 0 before the first call.
 */
int dynlib_load(int *state, const char *soname, const char *env,
                const struct dynsym *syms, size_t nsyms, char *err, size_t errlen);

#endif
