/*
 * raw_lookup: the floor for bulk lookups.  One database, one
 * MMDB_lookup_string and one MMDB_get_value per input line, nothing else: no
 * formatting, no special-use table, no second database.  geoattr's bulk rate
 * is reported as a ratio to this.
 *
 * With further databases (speed.sh's figures for information), each
 * line's address is parsed once and looked up in the first database as
 * above and in every further one, where the record found is decoded
 * whole, as geoattr decodes each record it meets: the least work a
 * program consulting the same databases as geoattr can do.
 *
 * usage: raw_lookup DB.mmdb [asn|country [ALSO.mmdb ...]] < addresses
 * Prints "lines N found N values N" on standard output ("also N": records
 * found in the further databases).
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <maxminddb.h>

#define MAX_ALSO 8

static int
open_db(const char *path, MMDB_s *db)
{
	int status = MMDB_open(path, MMDB_MODE_MMAP, db);

	if (status != MMDB_SUCCESS) {
		fprintf(stderr, "raw_lookup: %s: %s\n", path, MMDB_strerror(status));
		return -1;
	}
	return 0;
}

/* The address in every further database: records found. */
static unsigned long
lookup_also(MMDB_s *also, int nalso, const struct sockaddr *sa)
{
	unsigned long found = 0;
	int i;

	for (i = 0; i < nalso; i++) {
		MMDB_lookup_result_s res;
		MMDB_entry_data_list_s *list = NULL;
		int mmdb_error;

		res = MMDB_lookup_sockaddr(&also[i], sa, &mmdb_error);
		if (mmdb_error != MMDB_SUCCESS || !res.found_entry)
			continue;
		if (MMDB_get_entry_data_list(&res.entry, &list) == MMDB_SUCCESS)
			found++;
		MMDB_free_entry_data_list(list);
	}
	return found;
}

int
main(int argc, char **argv)
{
	MMDB_s mmdb, also[MAX_ALSO];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lines = 0, found = 0, values = 0, alsofound = 0;
	int want_asn, status, nalso = 0, i;

	if (argc < 2 || argc > 3 + MAX_ALSO) {
		fprintf(stderr, "usage: raw_lookup DB.mmdb [asn|country [ALSO.mmdb ...]]\n");
		return 1;
	}
	want_asn = argc < 3 || strcmp(argv[2], "asn") == 0;
	if (argc >= 3 && !want_asn && strcmp(argv[2], "country") != 0) {
		fprintf(stderr, "raw_lookup: %s: want asn or country\n", argv[2]);
		return 1;
	}
	if (open_db(argv[1], &mmdb) != 0)
		return 2;
	for (i = 3; i < argc; i++)
		if (open_db(argv[i], &also[nalso++]) != 0)
			return 2;

	while ((len = getline(&line, &cap, stdin)) != -1) {
		MMDB_lookup_result_s res;
		MMDB_entry_data_s data;
		int gai_error, mmdb_error;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		lines++;
		if (nalso > 0) {
			/* Parsed once for every database. */
			struct addrinfo hints, *ai = NULL;

			memset(&hints, 0, sizeof(hints));
			hints.ai_family = AF_UNSPEC;
			hints.ai_flags = AI_NUMERICHOST;
			if (getaddrinfo(line, NULL, &hints, &ai) != 0 || ai == NULL)
				continue;
			alsofound += lookup_also(also, nalso, ai->ai_addr);
			res = MMDB_lookup_sockaddr(&mmdb, ai->ai_addr, &mmdb_error);
			freeaddrinfo(ai);
			gai_error = 0;
		} else {
			res = MMDB_lookup_string(&mmdb, line, &gai_error, &mmdb_error);
		}
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
	for (i = 0; i < nalso; i++)
		MMDB_close(&also[i]);
	if (nalso > 0)
		printf("lines %lu found %lu values %lu also %lu\n", lines, found, values, alsofound);
	else
		printf("lines %lu found %lu values %lu\n", lines, found, values);
	return 0;
}
