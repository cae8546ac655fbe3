/*
 * raw_lookup: the floor for bulk lookups.  One database, one
 * MMDB_lookup_string and one MMDB_get_value per input line, nothing else: no
 * formatting, no special-use table, no second database.  geoattr's bulk rate
 * is reported as a ratio to this.
 *
 * usage: raw_lookup DB.mmdb [asn|country] < addresses
 * Prints "lines N found N values N" on standard output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

int
main(int argc, char **argv)
{
	MMDB_s mmdb;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lines = 0, found = 0, values = 0;
	int want_asn, status;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: raw_lookup DB.mmdb [asn|country]\n");
		return 1;
	}
	want_asn = argc < 3 || strcmp(argv[2], "asn") == 0;
	if (argc == 3 && !want_asn && strcmp(argv[2], "country") != 0) {
		fprintf(stderr, "raw_lookup: %s: want asn or country\n", argv[2]);
		return 1;
	}
	status = MMDB_open(argv[1], MMDB_MODE_MMAP, &mmdb);
	if (status != MMDB_SUCCESS) {
		fprintf(stderr, "raw_lookup: %s: %s\n", argv[1],
		    MMDB_strerror(status));
		return 2;
	}

	while ((len = getline(&line, &cap, stdin)) != -1) {
		MMDB_lookup_result_s res;
		MMDB_entry_data_s data;
		int gai_error, mmdb_error;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		lines++;
		res = MMDB_lookup_string(&mmdb, line, &gai_error, &mmdb_error);
		if (gai_error != 0 || mmdb_error != MMDB_SUCCESS ||
		    !res.found_entry)
			continue;
		found++;
		/*
		 * Fetch one value, as any real tool must; the lookup alone
		 * stops at the tree and never touches the data section.
		 */
		if (want_asn)
			status = MMDB_get_value(&res.entry, &data,
			    "autonomous_system_number", NULL);
		else
			status = MMDB_get_value(&res.entry, &data,
			    "country", "iso_code", NULL);
		if (status == MMDB_SUCCESS && data.has_data)
			values++;
	}
	free(line);
	MMDB_close(&mmdb);
	printf("lines %lu found %lu values %lu\n", lines, found, values);
	return 0;
}
