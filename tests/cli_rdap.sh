#!/bin/sh
# cli_rdap.sh - RDAP lookups against a real HTTPS server on 127.0.0.1
# (tests/rdapserver.py) whose bootstrap files point at itself.  The
# assertions are in `test_rdap --net` (the lookup API is not on the
# command line yet); this script makes the certificate, runs the server
# and kills it on exit.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PROBE="$(dirname "$GEOATTR")/../tests/test_rdap"
[ -x "$PROBE" ] || skip_all "tests/test_rdap not built"
SPID=
# Kill only the server this test started, then clean up.
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT
start_rdap_server

"$PROBE" --net "https://127.0.0.1:$SPORT" "$TMP/s.pem" "$LOG" "$TMP"
rc=$?
if [ -s "$TMP/server.err" ]; then
	sed 's/^/# server: /' "$TMP/server.err" | head -20
fi
exit $rc
