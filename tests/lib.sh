# lib.sh - shared setup for the command-line tests (sourced).
# Each test prints TAP: `ok N - what` / `not ok N - what`, then the plan.
set -u
: "${GEOATTR:?run through make check (GEOATTR is the binary under test)}"
: "${TESTS_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}"
T_N=0
T_FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/geoattr-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Databases are the build tree's embedded ones (found because the binary
# runs uninstalled); keep the user's own out of the way.
export XDG_DATA_HOME="$TMP/xdg"
export HOME="$TMP/home"
unset GEOATTR_DB_PATH

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

# run CMD...: stdout to $OUT, stderr to $ERR, exit status to $RC.
OUT="$TMP/out"
ERR="$TMP/err"
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "# got:  $1"
		echo "# want: $2"
	fi
}

# has FILE PATTERN DESCRIPTION (fixed string)
has() {
	if grep -qF -- "$2" "$1"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "# '$2' not in $1:"
		sed 's/^/#   /' "$1" | head -20
	fi
}

hasnt() {
	if grep -qF -- "$2" "$1"; then
		ok 1 "$3"
		echo "# '$2' unexpectedly in $1"
	else
		ok 0 "$3"
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAIL" -eq 0 ]
}

# jq is not assumed: JSON fields are read with python3's json module.
jget() {   # jget FILE PYTHON-EXPR (over variable d)
	"${PYTHON3:-python3}" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# start_feedserver ROOT PORTFILE [ARGS...]: tests/feedserver.py serving ROOT
# on 127.0.0.1, logging to $LOG; sets SPORT (empty if it did not start) and
# adds the server to $PIDS, which the caller's EXIT trap kills.
start_feedserver() {
	fs_root=$1 fs_pf=$2
	shift 2
	"${PYTHON3:-python3}" "$TESTS_SRCDIR/feedserver.py" "$fs_root" --lifetime 120 \
		--log "$LOG" "$@" >"$fs_pf" 2>>"$TMP/server.err" &
	PIDS="${PIDS:-} $!"
	wait_port "$fs_pf"
}

# wait_port PORTFILE: wait up to 10 s for a server to print its port on
# the first line of PORTFILE; sets SPORT (empty if it never did).
wait_port() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	SPORT=$(head -n 1 "$1")
}

# start_rdap_server: a self-signed certificate ($TMP/s.pem, $TMP/s.key) and
# tests/rdapserver.py on 127.0.0.1 with TLS, logging requests to $LOG.
# Sets SPID and SPORT; skips the whole test when python3, openssl or the
# server is missing.  The caller's EXIT trap kills $SPID.
start_rdap_server() {
	PY=${PYTHON3:-python3}
	command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
	command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"
	LOG="$TMP/server.log"
	# RDAP queries are https only, so the server gets a certificate of
	# its own, trusted through --cacert alone.
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/s.key" -out "$TMP/s.pem" \
		-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
		skip_all "openssl cannot make a test certificate"
	: >"$LOG"
	"$PY" "$TESTS_SRCDIR/rdapserver.py" "$TESTS_SRCDIR/data/rdap" --tls "$TMP/s.pem" "$TMP/s.key" \
		--lifetime 120 --log "$LOG" >"$TMP/port" 2>"$TMP/server.err" &
	SPID=$!
	wait_port "$TMP/port"
	[ -n "$SPORT" ] || skip_all "the test server did not start"
}

# The headless browser of the rendering tests, or "" (they then skip).
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
# chromium_run SECONDS ARGS...: CHROMIUM headless, with nothing that could
# reach the network; its output goes to $TMP/chr.log.
chromium_run() {
	_secs=$1
	shift
	timeout "$_secs" "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --hide-scrollbars \
		--user-data-dir="$TMP/chr" "$@" >"$TMP/chr.log" 2>&1
}
