/*
 * cmd.h - the subcommand table.  Each command lives in its own
 * cmd_NAME.c, defines one `const struct cmd cmd_NAME`, and is listed in
 * main.c.  A command parses its own options and returns an enum ga_exit.
 */
#ifndef GEOATTR_CMD_H
#define GEOATTR_CMD_H

#include "exitcodes.h"

struct cmd {
	const char *name;
	const char *summary;                 /* one line for `geoattr --help` */
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
};

extern const struct cmd cmd_check;
extern const struct cmd cmd_lookup;
extern const struct cmd cmd_sources;
extern const struct cmd cmd_compile;
extern const struct cmd cmd_update;
extern const struct cmd cmd_demo;

/* Shared option parsing help: print `text` to stdout (for --help). */
int cmd_print_help(const char *text);
/* The argument of --map-source: a country source's letter ("A", "b")
 * gives its index, "disagree" REPORT_MAP_DISAGREE (report.h).  Returns
 * 0, or -1 for anything else. */
int cmd_map_source(const char *arg, int *view);
/* Misuse: message on stderr with a pointer to --help; returns GA_EXIT_USAGE. */
int cmd_usage_error(const char *cmdname, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
