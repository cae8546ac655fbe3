#!/bin/sh
# Command-line tests of the world map: the shapes cover every country
# Natural Earth has at 1:110m and rebuild byte for byte; check and lookup
# write well-formed, escaped SVG for each view; the HTML report carries
# the views; a real browser draws them differently for different lists;
# and the report prints on A4 and Letter with nothing cut off.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
D="$TESTS_SRCDIR/data"
TOP="${TOP_SRCDIR:-$TESTS_SRCDIR/..}"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"
TABLE="$GEOATTR_GEO/world-paths.tsv"
TOPO="$TOP/geo/world-atlas/countries-110m.json.xz"
[ -s "$TABLE" ] || skip_all "no built path table ($TABLE)"

# skip N WHY: the next N tests are skipped.
skip() {
	i=0
	while [ $i -lt "$1" ]; do
		T_N=$((T_N + 1))
		echo "ok $T_N - $2 # SKIP $3"
		i=$((i + 1))
	done
}

# ------------------------------------------------------------- shapes
# Every shape in the TopoJSON with an ISO number has a row under the
# alpha-2 code that number has in ISO 3166-1 (Debian's iso-codes, read
# independently of geoattr's table), and nothing else is coloured.
ISO=/usr/share/iso-codes/json/iso_3166-1.json
if [ -r "$ISO" ]; then
	"$PY" - "$TOPO" "$TABLE" "$ISO" >"$TMP/shapes.out" 2>&1 <<'EOF'
import json, lzma, sys
topo = json.loads(lzma.open(sys.argv[1]).read())
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")
        if l[:1] not in ("#", "g")]
iso = {c["numeric"]: c["alpha_2"] for c in json.load(open(sys.argv[3]))["3166-1"]}
by_cc = {r[0]: r for r in rows if r[0] != "--"}
bad = []
for g in topo["objects"]["countries"]["geometries"]:
    if "id" not in g:
        continue
    cc = iso.get(g["id"])
    if cc is None or cc not in by_cc or by_cc[cc][1] != g["id"]:
        bad.append((g["id"], g["properties"]["name"], cc))
print("missing", bad)
print("rows", len(rows), "coded", len(by_cc))
sys.exit(1 if bad else 0)
EOF
	ok $? "every numbered Natural Earth shape has a path under its ISO alpha-2 code"
	[ $? -eq 0 ] || sed 's/^/#   /' "$TMP/shapes.out"
else
	skip 1 "every numbered Natural Earth shape has a path under its ISO alpha-2 code" "iso-codes not installed"
fi
has "$TABLE" "$(printf 'XK\t-\tKosovo\tM')" "Kosovo keyed by name as XK"
[ "$(grep -c "$(printf '^--\t')" "$TABLE")" -eq 2 ]
ok $? "only N. Cyprus and Somaliland stay uncoded"
grep -q "$(printf '^--\t-\tN. Cyprus\t')" "$TABLE" && grep -q "$(printf '^--\t-\tSomaliland\t')" "$TABLE"
ok $? "the uncoded shapes are named"

# A second conversion gives the same bytes.
if [ -x "$GEOATTR_GEO/../src/geoattr-worldpaths" ] && command -v xz >/dev/null 2>&1; then
	xz -dc "$TOPO" >"$TMP/topo.json"
	"$GEOATTR_GEO/../src/geoattr-worldpaths" "$TMP/topo.json" "$TMP/again.tsv" 2>"$TMP/again.err"
	ok $? "the converter runs again"
	cmp -s "$TABLE" "$TMP/again.tsv"
	ok $? "and writes the table byte for byte as the build did"
	[ "$(grep -c 'no code in the country table' "$TMP/again.err")" -eq 2 ]
	ok $? "it reports the two shapes without a code"
else
	skip 3 "the path table rebuilds byte for byte" "converter or xz not found"
fi

# ---------------------------------------------------------------- svg
XMLLINT=$(command -v xmllint || true)
wellformed() {   # wellformed FILE WHAT
	if [ -n "$XMLLINT" ]; then
		"$XMLLINT" --noout "$1" 2>"$TMP/xmllint.err"
		ok $? "$2 is well-formed XML"
		[ -s "$TMP/xmllint.err" ] && sed 's/^/#   /' "$TMP/xmllint.err" | head -5
	else
		skip 1 "$2 is well-formed XML" "xmllint not installed"
	fi
	return 0
}

S="$TMP/a.svg"
run "$GEOATTR" check --format svg -o "$S" "$D/check-ph-mixed.txt"
is "$RC" 1 "check --format svg: exit 1 for the rejected line, as other formats"
[ -s "$S" ] && [ ! -s "$OUT" ]
ok $? "-o writes the SVG, nothing on standard output"
wellformed "$S" "check --format svg"
has "$S" '<svg xmlns="http://www.w3.org/2000/svg"' "an SVG document"
has "$S" "Source A (ip-location-db): share of the 11 entries per country" "view A by default"
has "$S" "<title>Philippines (PH): 5 of 11 entries, 45.5%</title>" "PH path titled with count and share"
has "$S" "<title>United States (US): 1 of 11 entries, 9.1%</title>" "US path titled"
has "$S" "<title>France (FR): none</title>" "a country without entries says so"
has "$S" "Not on the map: SG Singapore 27.3% (3)" "Singapore, too small to draw, listed with its figure"
[ "$(grep -c '<path class="s[0-6]"' "$S")" -eq 175 ]
ok $? "175 coded country paths"
"$PY" -c 'import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
paths = re.findall(r"<path class=\"[sc]\d\" d=\"[^\"]*\"><title>[^<]+</title></path>", s)
sys.exit(0 if len(paths) == 175 and s.count("<path class=\"na\"") == 2 and s.count("<path") == 178 else 1)' "$S"
ok $? "every country path has its <title>"

run "$GEOATTR" check --format svg --map-source b "$D/check-ph-mixed.txt"
has "$OUT" "Source B (ipfire)" "--map-source b: the second source"
run "$GEOATTR" check --format svg --map-source disagree "$TOP/samples/lists/disagreement.txt"
is "$RC" 0 "--map-source disagree"
cp "$OUT" "$TMP/d.svg"
wellformed "$TMP/d.svg" "the disagreement map"
has "$OUT" "Where the sources disagree: 40 of the 40 entries both place" "disagreement heading with the count"
grep -q '<title>United States (US): [0-9][0-9]* entries on which the sources disagree</title>' "$OUT"
ok $? "countries titled with the number of disagreeing entries"
run "$GEOATTR" check --format svg --map-source Q "$D/check-ph-mixed.txt"
is "$RC" 2 "--map-source Q is a usage error"
run "$GEOATTR" check --format svg --map-source C "$D/check-ph-mixed.txt"
is "$RC" 2 "--map-source C: no third source"
has "$ERR" "no country source with that letter" "and says why"
run "$GEOATTR" check --format svg --no-map "$D/check-ph-mixed.txt"
is "$RC" 2 "--no-map with --format svg is a usage error"

# Names from a database are escaped in the SVG.
printf '11.0.0.0/8,US\n12.0.0.0/8,DE\n' >"$TMP/evil.csv"
"$GEOATTR" compile --quiet --columns network,country --source-name "<b>ev&l</b> 'db' \"x\"" \
	--type geoattr-Country -o "$TMP/evil.mmdb" "$TMP/evil.csv"
printf '11.1.1.1\n12.1.1.1\n12.2.2.2\n' >"$TMP/evil.txt"
run "$GEOATTR" check --no-default-db --db "$TMP/evil.mmdb" --format svg -o "$TMP/evil.svg" "$TMP/evil.txt"
ok $RC "a source with markup in its name maps"
wellformed "$TMP/evil.svg" "the map of a hostile source name"
has "$TMP/evil.svg" "&lt;b&gt;ev&amp;l&lt;/b&gt; &#39;db&#39; &quot;x&quot;" "the name shown as text"
hasnt "$TMP/evil.svg" "<b>" "no raw markup from the name"
has "$TMP/evil.svg" "<title>Germany (DE): 2 of 3 entries, 66.7%</title>" "counted from that source"

# lookup --format svg: a plain list.
run "$GEOATTR" lookup --format svg - <"$TOP/samples/lists/disagreement.txt"
is "$RC" 0 "lookup --format svg -"
cp "$OUT" "$TMP/l.svg"
wellformed "$TMP/l.svg" "lookup's map"
has "$OUT" "share of the 40 addresses per country" "lookup counts the addresses"
run "$GEOATTR" lookup --format svg --map-source disagree 8.8.8.8 not-an-ip 10.0.0.1
is "$RC" 1 "lookup --format svg: a rejected argument gives exit 1"
has "$OUT" "</svg>" "and still the map"
has "$OUT" "Where the sources disagree: 0 of the" "no disagreement among these"

# ---------------------------------------------------------------- html
H="$TMP/r.html"
"$GEOATTR" check --format html -o "$H" --claim PH --claimed-share 75% "$D/check-ph-mixed.txt" 2>/dev/null
[ "$(grep -c '<svg class="wm"' "$H")" -eq 3 ]
ok $? "the report holds three map views (A, B, disagreement)"
[ "$(grep -c '<input type="radio" name="wmv"' "$H")" -eq 3 ] && grep -q 'id="wmv-0" checked' "$H"
ok $? "three tabs, A shown first"
hasnt "$H" "<script" "the tabs need no script"
has "$H" "#wmv-2:checked~#mv-2" "CSS switches the views"
has "$H" "@media print{.maps label{display:none}.maps .mv{display:block" "print shows every view"
has "$H" "prefers-color-scheme:dark" "the map follows a dark colour scheme"
"$GEOATTR" check --format html --map-source disagree -o "$TMP/rd.html" "$D/check-ph-mixed.txt" 2>/dev/null
grep -q 'id="wmv-2" checked' "$TMP/rd.html"
ok $? "--map-source disagree opens the report on that view"
"$GEOATTR" check --format html --no-map -o "$TMP/nomap.html" "$D/check-ph-mixed.txt" 2>/dev/null
hasnt "$TMP/nomap.html" '<svg class="wm"' "--no-map leaves the map out"
hasnt "$TMP/nomap.html" "svg.wm" "and its style"

# ------------------------------------------------------------ rendering
chrome() {
	chromium_run 120 "$@"
}
# mapcount PNG: pixels in the colours of the share classes s1..s6 (the
# map's filled countries: no other part of the page uses them), and
# whether the image is drawn at all (more than 20 colours).
mapcount() {
	"$PY" - "$1" <<'EOF'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(b):
    n, kind = struct.unpack(">I4s", b[pos:pos + 8])
    data = b[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", data[:10])
        assert depth == 8 and ctype in (2, 6)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += data
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
want = {bytes.fromhex(x) for x in ("d3e2f1", "a6c4e4", "73a0d0", "467bb8", "265795", "0e3366")}
prev, i, count, colours = bytearray(stride), 0, 0, set()
for row in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    if f == 1:
        for x in range(bpp, stride):
            line[x] = (line[x] + line[x - bpp]) & 255
    elif f == 2:
        for x in range(stride):
            line[x] = (line[x] + prev[x]) & 255
    elif f == 3:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
    elif f == 4:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            c = prev[x - bpp] if x >= bpp else 0
            up = prev[x]
            p = a + up - c
            pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        count += px in want
        if row % 8 == 0:
            colours.add(px)
    prev = line
print(count, len(colours))
EOF
}
if [ -z "$CHROMIUM" ]; then
	skip 6 "map renders" "chromium not installed"
else
	# Two lists whose top countries differ: the US (a large shape) and
	# the Philippines (a small one).
	grep -v '^#' "$TOP/samples/lists/three-quarters.txt" | head -60 >"$TMP/us.txt"
	grep -E '^(112\.198|49\.145|120\.28|180\.190)' "$D/check-ph-mixed.txt" >"$TMP/ph.txt"
	for l in us ph; do
		"$GEOATTR" check --format html -o "$TMP/$l.html" "$TMP/$l.txt" 2>/dev/null
		chrome --screenshot="$TMP/$l.png" --window-size=1200,2600 "file://$TMP/$l.html"
		mapcount "$TMP/$l.png" >"$TMP/$l.count"
	done
	read -r US_PX US_COL <"$TMP/us.count"
	read -r PH_PX PH_COL <"$TMP/ph.count"
	echo "# map pixels: US list $US_PX, PH list $PH_PX; colours $US_COL, $PH_COL"
	[ "${US_COL:-0}" -gt 20 ] && [ "${PH_COL:-0}" -gt 20 ]
	ok $? "desktop renders are not blank"
	[ "${PH_PX:-0}" -gt 0 ]
	ok $? "the PH list colours its country on the map"
	[ "${US_PX:-0}" -gt $((3 * ${PH_PX:-0})) ]
	ok $? "different top countries, different map pixels (US list far more)"
	# A phone: a 390-pixel viewport in an iframe (a window is wider).
	printf '<!DOCTYPE html><title>phone</title><body style="margin:0"><iframe src="us.html" style="width:390px;height:3600px;border:0"></iframe>\n' >"$TMP/phone.html"
	chrome --screenshot="$TMP/phone.png" --window-size=500,3600 "file://$TMP/phone.html"
	mapcount "$TMP/phone.png" >"$TMP/phone.count"
	read -r P_PX P_COL <"$TMP/phone.count"
	echo "# phone: map pixels $P_PX, colours $P_COL"
	[ "${P_COL:-0}" -gt 20 ]
	ok $? "phone render is not blank"
	[ "${P_PX:-0}" -gt 0 ] && [ "$P_PX" -lt "$US_PX" ]
	ok $? "the phone draws the map, smaller"
	# The standalone SVG draws too.
	chrome --screenshot="$TMP/svg.png" --window-size=1000,640 "file://$S"
	read -r S_PX S_COL <<EOF
$(mapcount "$TMP/svg.png")
EOF
	[ "${S_PX:-0}" -gt 0 ] && [ "${S_COL:-0}" -gt 20 ]
	ok $? "the standalone SVG renders with its countries filled"
fi

# ------------------------------------------------------------- printing
if [ -z "$CHROMIUM" ] || ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	skip 8 "the report prints" "chromium or poppler-utils not installed"
else
	"$GEOATTR" check --format html -o "$TMP/p.html" --claim-file "$TOP/samples/claims/constructed-ph.json" 2>/dev/null
	"$GEOATTR" check --format json --claim-file "$TOP/samples/claims/constructed-ph.json" >"$TMP/p.json" 2>/dev/null
	V=$(jget "$TMP/p.json" 'd["verdict"]["text"]')
	for paper in A4 letter; do
		sed "s|</head>|<style>@page{size:$paper}</style></head>|" "$TMP/p.html" >"$TMP/p-$paper.html"
		chrome --no-pdf-header-footer --print-to-pdf="$TMP/p-$paper.pdf" "file://$TMP/p-$paper.html"
		pdfinfo "$TMP/p-$paper.pdf" >"$TMP/info" 2>&1
		PAGES=$(sed -n 's/^Pages: *//p' "$TMP/info")
		SIZE=$(sed -n 's/^Page size: *//p' "$TMP/info")
		echo "# $paper: $PAGES pages, $SIZE"
		case $paper in
		A4) want='594.9[0-9]* x 841.9[0-9]* pts' ;;
		*) want='612 x 792 pts' ;;
		esac
		echo "$SIZE" | grep -Eq "$want"
		ok $? "$paper: the PDF has $paper pages"
		[ "${PAGES:-0}" -ge 3 ] && [ "${PAGES:-0}" -le 25 ]
		ok $? "$paper: a sensible page count ($PAGES)"
		pdftotext "$TMP/p-$paper.pdf" - | tr -s ' \n' '  ' >"$TMP/p.txt"
		printf '%s' "$V" | tr -s ' \n' '  ' >"$TMP/v.txt"
		grep -qF -- "$(cat "$TMP/v.txt")" "$TMP/p.txt"
		ok $? "$paper: the text layer holds the verdict"
		# Nothing printed past the paper's edge: every word's box lies
		# inside its page, and the entry table's last column is there.
		pdftotext -bbox "$TMP/p-$paper.pdf" - | "$PY" -c 'import re, sys
s = sys.stdin.read()
bad = 0
for page in re.findall(r"<page width=\"([\d.]+)\".*?</page>", s, re.S):
    pass
for m in re.finditer(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", s, re.S):
    w = float(m.group(1))
    for x0, x1 in re.findall(r"xMin=\"([-\d.]+)\" yMin=\"[-\d.]+\" xMax=\"([-\d.]+)\"", m.group(3)):
        bad += float(x0) < 0 or float(x1) > w
sys.exit(0 if bad == 0 and "Special-use" in s and "RFC" in s else 1)'
		ok $? "$paper: no text beyond the page edge; wide tables whole"
	done
fi
done_testing
