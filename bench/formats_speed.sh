#!/bin/bash
# How fast the published-format readers are against the plain-list reader
# on the same addresses (issue 11: a 50 MB STIX 1.x file and a 500-page PDF
# at no less than 0.5x the plain list's rate), with peak memory.  By hand:
#
#   bench/formats_speed.sh [RUNS]      (default 5 rounds)
#
# Inputs, made once into bench/out/: seeded IPv4 addresses
# (bench/gen_addrs.py, no repeats); a 50 MB STIX 1.x package built from the
# real US-CERT TA17-164A package, one indicator per address as US-CERT
# publishes them; an HTML table of 30,000 defanged addresses with a cited
# location per row, printed to PDF by headless Chromium (~550 A4 pages);
# and the plain lists of exactly the addresses each holds.  Each round runs
# `check` on a format and on its plain list back to back, alternating the
# order; rate = addresses / wall seconds, so the ratio is list time over
# format time.  Peak resident memory is GNU time's %M.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
OUT=$HERE/out
PY=/usr/bin/python3
RUNS=${1:-5}
GEOATTR=${GEOATTR:-$TOP/src/geoattr}
mkdir -p "$OUT"

ADDRS=$OUT/fmt-addrs.txt
[ -s "$ADDRS" ] || "$PY" "$HERE/gen_addrs.py" 200000 --seed 11 --v6-share 0 --repeat-share 0 -o "$ADDRS"
STIX=$OUT/fmt-50mb.stix.xml
if [ ! -s "$STIX" ]; then
	n=$("$PY" "$HERE/gen_formats.py" stix "$ADDRS" "$STIX" 50)
	head -n "$n" "$ADDRS" > "$OUT/fmt-stix-list.txt"
fi
PDF=$OUT/fmt-report.pdf
if [ ! -s "$PDF" ]; then
	chrome=$(command -v chromium || command -v chromium-browser) || { echo "chromium needed for the PDF"; exit 2; }
	n=$("$PY" "$HERE/gen_formats.py" html "$ADDRS" "$OUT/fmt-report.html" 30000)
	head -n "$n" "$ADDRS" > "$OUT/fmt-pdf-list.txt"
	"$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	    --print-to-pdf="$PDF" "$OUT/fmt-report.html" >/dev/null 2>&1
fi

# one FILE: "seconds kilobytes" of one check run
one() {
	/usr/bin/time -f '%e %M' -o "$OUT/fmt-time" "$GEOATTR" check "$1" >/dev/null 2>&1
	cat "$OUT/fmt-time"
}

measure() {   # measure LABEL FORMAT-FILE LIST-FILE
	local ratios=() i f l fs fm ls lm
	for ((i = 0; i < RUNS; i++)); do
		if ((i % 2)); then l=$(one "$3"); f=$(one "$2"); else f=$(one "$2"); l=$(one "$3"); fi
		read -r fs fm <<<"$f"
		read -r ls lm <<<"$l"
		ratios+=("$(echo "$ls / $fs" | bc -l)")
		printf '%s round %d: format %.2f s %d KB, list %.2f s %d KB, rate ratio %.3f\n' \
		    "$1" "$i" "$fs" "$fm" "$ls" "$lm" "${ratios[-1]}"
	done
	printf '%s: rate ratio min %.3f median %.3f max %.3f (goal: at least 0.5)\n' "$1" \
	    "$(printf '%s\n' "${ratios[@]}" | sort -n | head -1)" \
	    "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
	    "$(printf '%s\n' "${ratios[@]}" | sort -n | tail -1)"
}

"$GEOATTR" check "$STIX" >/dev/null 2>&1   # warm the page cache
measure "STIX 1.x $(($(wc -c <"$STIX") / 1000000)) MB, $(wc -l <"$OUT/fmt-stix-list.txt") addresses" "$STIX" "$OUT/fmt-stix-list.txt"
measure "PDF $(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages/ {print $2}') pages, $(wc -l <"$OUT/fmt-pdf-list.txt") addresses" "$PDF" "$OUT/fmt-pdf-list.txt"
