/*
 * worldpaths_main.c - geoattr-worldpaths, a program the build runs (it is
 * not installed): TOPOJSON in, the world map's path table out.
 *
 *   geoattr-worldpaths countries-110m.json world-paths.tsv
 *
 * Shapes that map to no country code are reported on standard error and
 * kept uncoloured; only data that cannot be converted fails (status 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "worldpaths.h"

int main(int argc, char **argv)
{
	struct buf out, notes;
	char err[512], *json, *line, *nl;
	size_t len;
	int rc = 1;

	msg_progname = "geoattr-worldpaths";
	if (argc != 3) {
		fprintf(stderr, "Usage: geoattr-worldpaths TOPOJSON OUTPUT\n");
		return 2;
	}
	if (file_read_all(argv[1], &json, &len) != 0) {
		msg_error(argv[1], "cannot read: %s", strerror(errno));
		return 1;
	}
	buf_init(&out);
	buf_init(&notes);
	if (worldpaths_convert(json, len, &out, &notes, err, sizeof(err)) != 0) {
		msg_error(argv[1], "%s", err);
		goto done;
	}
	buf_addc(&notes, '\0');
	for (line = notes.data; line != NULL && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		msg_warn(argv[1], "%s (drawn, never coloured)", line);
	}
	if (file_write_all(argv[2], out.data, out.len, 0644) != 0) {
		msg_error(argv[2], "cannot write: %s", strerror(errno));
		unlink(argv[2]);
		goto done;
	}
	rc = 0;
done:
	buf_free(&out);
	buf_free(&notes);
	free(json);
	return rc;
}
