#!/bin/sh
# cli_rdap.sh - RDAP lookups against a real HTTPS server on 127.0.0.1
# (tests/rdapserver.py) whose bootstrap files point at itself.  The
# assertions are in `test_rdap --net` (the lookup API is not on the
# command line yet); this script makes the certificate, runs the server
# and kills it on exit.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"
PROBE="$(dirname "$GEOATTR")/../tests/test_rdap"
[ -x "$PROBE" ] || skip_all "tests/test_rdap not built"
LOG="$TMP/server.log"
SPID=

# Kill only the server this test started, then clean up.
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

# RDAP queries are https only, so the server gets a certificate of its
# own, trusted through cacert alone.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/s.key" -out "$TMP/s.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
	skip_all "openssl cannot make a test certificate"

: >"$LOG"
"$PY" "$TESTS_SRCDIR/rdapserver.py" "$TESTS_SRCDIR/data/rdap" --tls "$TMP/s.pem" "$TMP/s.key" \
	--lifetime 120 --log "$LOG" >"$TMP/port" 2>"$TMP/server.err" &
SPID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
SPORT=$(head -n 1 "$TMP/port")
[ -n "$SPORT" ] || skip_all "the test server did not start"

"$PROBE" --net "https://127.0.0.1:$SPORT" "$TMP/s.pem" "$LOG" "$TMP"
rc=$?
if [ -s "$TMP/server.err" ]; then
	sed 's/^/# server: /' "$TMP/server.err" | head -20
fi
exit $rc
