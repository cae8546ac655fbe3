/* FUZZ_SOURCES: src/extract.c src/input/common.c src/input/list.c src/input/csv.c src/input/json.c src/input/stix2.c src/input/text.c src/input/indicator.c src/input/xmlcommon.c src/input/stix1.c src/input/openioc.c src/input/misp.c src/input/pdf.c src/xmlread.c src/pdftext.c src/dynlib.c src/addr.c src/csvread.c src/country.c src/jsonout.c src/util.c */
/* FUZZ_LIBS: jansson libxml-2.0 poppler-glib */
/*
 * fuzz_openioc.c - libFuzzer target for the reader of OpenIOC 1.0 and 1.1 documents: the whole
 * input is read as that format (and once more with detection, which must
 * agree or fall back).  The invariants are in fuzz_reader.h.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_copy_read(data, size, EX_OPENIOC);
	fuzz_copy_read(data, size, EX_AUTO);
	return 0;
}
