/*
 * main.c - geoattr's entry point: global options and dispatch to the
 * subcommand table.  This is the only place that exits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

static const struct cmd *const commands[] = {
	&cmd_check,
	&cmd_lookup,
	&cmd_sources,
	&cmd_compile,
	&cmd_update,
	&cmd_demo,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "Usage: geoattr [--version] [--help] COMMAND [ARGS]\n"
	    "\n"
	    "Sanity-check attribution claims built on IP addresses: where the\n"
	    "databases place them, who holds them, what kind of network they are.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-9s %s\n", commands[i]->name,
		        commands[i]->summary);
	fprintf(fp,
	    "\n"
	    "Run `geoattr COMMAND --help` for a command's options; see geoattr(1).\n"
	    "Exit status: 0 ok, 1 some input rejected, 2 usage, 3 rejected under\n"
	    "--strict, 4 no database, 5 file error, 6 network error.\n");
}

int cmd_print_help(const char *text)
{
	fputs(text, stdout);
	return GA_EXIT_OK;
}

int cmd_usage_error(const char *cmdname, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_verror(cmdname, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'geoattr %s --help'.\n", cmdname);
	return GA_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return GA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return GA_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("geoattr %s\n", PACKAGE_VERSION);
		return GA_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i]->name) == 0) {
			rc = commands[i]->run(argc - 1, argv + 1);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				msg_error("stdout", "write error");
				if (rc == GA_EXIT_OK)
					rc = GA_EXIT_IO;
			}
			exit(rc);
		}
	}
	msg_error(NULL, "'%s' is not a command", argv[1]);
	fprintf(stderr, "Try 'geoattr --help'.\n");
	return GA_EXIT_USAGE;
}
