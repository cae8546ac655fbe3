/* FUZZ_SOURCES: src/extract.c src/input/common.c src/input/list.c src/input/csv.c src/input/json.c src/input/stix2.c src/input/text.c src/input/indicator.c src/input/xmlcommon.c src/input/stix1.c src/input/openioc.c src/input/misp.c src/input/pdf.c src/xmlread.c src/pdftext.c src/dynlib.c src/addr.c src/csvread.c src/country.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson libxml-2.0 poppler-glib */
/*
 * fuzz_extract.c - libFuzzer target for extract_buffer(): the first input
 * byte picks the format (auto or any reader), the rest is the input.
 * The invariants are in fuzz_reader.h.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_copy_read(data + 1, size - 1, (enum ex_format)(data[0] % EX_FORMAT_COUNT));
	return 0;
}
