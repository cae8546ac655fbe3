/*
 * exitcodes.h - the exit statuses of geoattr, documented in geoattr(1).
 * Commands return one of these; only main() calls exit.
 */
#ifndef GEOATTR_EXITCODES_H
#define GEOATTR_EXITCODES_H

enum ga_exit {
	GA_EXIT_OK = 0,        /* ran, every input accepted */
	GA_EXIT_PARTIAL = 1,   /* ran, but some inputs were rejected (each reported) */
	GA_EXIT_USAGE = 2,     /* bad command line */
	GA_EXIT_STRICT = 3,    /* input rejected under --strict; nothing produced */
	GA_EXIT_NODB = 4,      /* no usable database */
	GA_EXIT_IO = 5,        /* a file could not be read or written */
	GA_EXIT_NETWORK = 6,   /* a download failed (update) */
	GA_EXIT_INTERNAL = 70  /* out of memory or a bug */
};

#endif
