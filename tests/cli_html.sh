#!/bin/sh
# Command-line tests of `geoattr check --format html`: the page is whole
# and self-contained, everything from input or databases is escaped, the
# bytes are valid UTF-8, and a real browser renders it (when installed).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
D="$TESTS_SRCDIR/data"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 not found"

# pycheck NAME FILE PYTHON-EXPR (over the page text s and its bytes b)
pycheck() {
	"$PY" -c 'import re, sys, html
b = open(sys.argv[1], "rb").read()
s = b.decode("utf-8", "replace")
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3"
	ok $? "$1"
}

# ------------------------------------------------------------ the report
H="$TMP/r.html"
run "$GEOATTR" check --format html -o "$H" --claim PH --claimed-share 75% "$D/check-ph-mixed.txt"
is "$RC" 1 "a rejected line still gives exit 1 with --format html"
[ -s "$H" ]
ok $? "-o writes the report"
[ ! -s "$OUT" ]
ok $? "nothing on standard output with -o"
[ ! -e "$H.tmp" ]
ok $? "no temporary file left behind"
pycheck "valid UTF-8" "$H" 'b.decode("utf-8") is not None'
pycheck "an HTML5 document" "$H" 's.startswith("<!DOCTYPE html>") and s.rstrip().endswith("</html>")'
pycheck "charset and viewport declared" "$H" '"<meta charset=\"utf-8\">" in s and "name=\"viewport\"" in s'

# The verdict is the one the JSON report gives, word for word.
"$GEOATTR" check --format json --claim PH --claimed-share 75% "$D/check-ph-mixed.txt" >"$TMP/r.json" 2>/dev/null
V=$(jget "$TMP/r.json" 'd["verdict"]["text"]')
"$PY" -c 'import html, sys
s = html.unescape(open(sys.argv[1], encoding="utf-8").read())
sys.exit(0 if sys.argv[2] in s else 1)' "$H" "$V"
ok $? "the verdict text is on the page"
has "$H" "Claimed share overstated" "the verdict is named"
has "$H" "45.5%" "the PH share is shown"
has "$H" "75.0%" "the claimed share is shown"
for id in claim verdict input countries agreement asns types caveats evidence entries sources; do
	has "$H" "id=\"$id\"" "section $id"
done
pycheck "charts are inline SVG as wide as the page" "$H" 's.count("<svg") >= 5 and s.count("<svg class=\"chart\" width=\"100%\"") + s.count("<svg class=\"wm\" viewBox=") == s.count("<svg")'
has "$H" "Country shares per source" "country chart"
has "$H" "ASN concentration" "ASN chart"
has "$H" "Network types" "network type chart"
has "$H" "Source agreement" "agreement chart"
has "$H" "HHI" "concentration figures"
has "$H" "AS4775" "largest ASN listed"
has "$H" "check-ph-mixed.txt:14" "the rejected line named FILE:LINE"
has "$H" "not an IP address" "with its reason"
has "$H" "not-an-address" "and its text"
has "$H" "C-HOSTING" "triggered caveats"
has "$H" "C-LASTHOP" "caveats true of every list"
has "$H" "hosting share: 27.3%" "caveat figures"
has "$H" "How to Catch when Proxies Lie" "caveat references"
has "$H" "timestamps of each event" "what would make the claim checkable"
pycheck "every unique entry in the table" "$H" 'all(x in s for x in ("112.198.0.1", "13.250.0.10", "8.8.8.8", "10.0.0.1", "192.0.2.9"))'
has "$H" "RFC 1918" "special-use entries name their RFC"
has "$H" '<a href="https://db-ip.com"' "DB-IP attribution links to db-ip.com"
has "$H" "NRO" "NRO attribution"
has "$H" "RouteViews" "RouteViews attribution"
has "$H" "IPFire" "IPFire attribution"
has "$H" "@media print" "print style"
has "$H" "@media (max-width" "narrow-screen style"
has "$H" "overflow-x:auto" "tables scroll sideways on a phone"

# Self-contained: nothing is fetched, no script runs.
pycheck "no script" "$H" '"<script" not in s.lower()'
pycheck "no external resources" "$H" 'not re.search(r"(src|href)\s*=\s*\"?(https?:)?//", re.sub(r"<a href=\"https?://[^\"]*\"", "", s), re.I) and "<link" not in s.lower() and "@import" not in s and "url(" not in s'
pycheck "http only in links" "$H" '"http" not in re.sub(r"<a href=\"https?://[^\"<>]*\"[^<>]*>[^<]*</a>", "", s)'

# Standard output without -o, and the JSON/HTML accounting agree.
run "$GEOATTR" check --format html "$D/check-ph-mixed.txt"
has "$OUT" "</html>" "without -o the page goes to standard output"

# ------------------------------------------------------------- escaping
cat >"$TMP/evil.csv" <<'EOF'
11.0.0.0/8,64500,"<script>alert(""x"")</script> & 'Co'"
EOF
"$GEOATTR" compile --quiet --columns network,asn,org \
	--attribution "see javascript:alert(1) <img src=x onerror=alert(2)> https://example.org/\"><b>x</b>" \
	-o "$TMP/evil.mmdb" "$TMP/evil.csv"
ok $? "a database with markup in its names compiles"
printf '11.1.1.1\n' >"$TMP/evil.txt"
cat >"$TMP/claim.json" <<EOF
{
  "claimant": "Ministry <i>of</i> Tests",
  "date": "2024-02-07",
  "statement": "attacks traced to <b>\"quoted\"</b> & 'single' addresses",
  "claimed_country": "US",
  "claimed_share": 0.5,
  "source": "javascript:alert(3)",
  "addresses": "$TMP/evil.txt"
}
EOF
E="$TMP/evil.html"
run "$GEOATTR" check --db "$TMP/evil.mmdb" --format html -o "$E" --claim-file "$TMP/claim.json"
ok $RC "check with the hostile database and claim"
pycheck "no raw <script> anywhere" "$E" '"<script" not in s.lower()'
pycheck "no raw <b>, <i> or <img> from the input" "$E" '"<b>\"" not in s and "<b>x" not in s and "<i>" not in s and "<img" not in s'
has "$E" '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;' "the organisation name shown as text"
has "$E" '&lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; &#39;single&#39;' "the claim statement shown as text"
has "$E" 'Ministry &lt;i&gt;of&lt;/i&gt; Tests' "the claimant shown as text"
has "$E" '&lt;img src=x onerror=alert(2)&gt;' "the attribution shown as text"
pycheck "only http(s) links" "$E" 'all(h.startswith(("https://", "http://", "#")) for h in re.findall(r"href=\"([^\"]*)\"", s))'
pycheck "a link never leaves its attribute" "$E" '"<a href=\"https://example.org/\"" in s and "/\"><b>" not in s and "&quot;&gt;&lt;b&gt;x" in s'
pycheck "valid UTF-8 with hostile names" "$E" 'b.decode("utf-8") is not None'

# Bytes that are not UTF-8 (a binary list, a file name in another
# encoding) become U+FFFD.
BIN="$TMP/bin$(printf '\377\300\257')name.txt"
printf '8.8.8.8\n1.1.1.1\nbad\377\376<b>x\200y \355\240\200 \364\220\200\200\001\n' >"$BIN"
B="$TMP/bin.html"
run "$GEOATTR" check --format html -i list -o "$B" "$BIN"
is "$RC" 1 "a list with a binary line is partly rejected"
pycheck "binary input still gives valid UTF-8" "$B" 'b.decode("utf-8") is not None'
pycheck "invalid bytes in a file name replaced by U+FFFD" "$B" '"bin\ufffd\ufffd\ufffdname.txt" in b.decode("utf-8")'
pycheck "the binary line shown escaped" "$B" '"&lt;b&gt;x" in s and "<b>x" not in s'
pycheck "no control characters" "$B" 'not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", b.decode("utf-8"))'

# Long lists: the per-entry table stops at 5,000 rows and says so.
"$PY" -c 'print("\n".join("11.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(6000)))' >"$TMP/long.txt"
run "$GEOATTR" check --format html -o "$TMP/long.html" "$TMP/long.txt"
ok $RC "a 6,000-entry list renders"
has "$TMP/long.html" "1,000 more entries are left out" "the left-out rows are counted"
pycheck "5,000 rows in the entry table" "$TMP/long.html" 's[s.index("id=\"entries\""):].count("<tr><td class=\"mono\">") == 5000'

# A claim with no list still makes a whole page.
run "$GEOATTR" check --format html --claim-file "$TESTS_SRCDIR/../samples/claims/antiy-2024.json"
ok $RC "a claim with no list renders"
has "$OUT" "No address list was published" "no-list verdict on the page"
has "$OUT" "C-NOLIST" "no-list caveat on the page"
has "$OUT" "id=\"evidence\"" "evidence needed on the page"

# ------------------------------------------------------------ rendering
# A real browser draws the page: something is drawn, on a desktop and on
# a phone width.  The browser is started with nothing that could reach the
# network.
# render HTML PNG WIDTH,HEIGHT
render() {
	chromium_run 90 --screenshot="$2" --window-size="$3" "file://$1"
}
# drawn PNG: more than a few colours in the image (a blank or failed
# render is one colour).  The PNG is decoded with the standard library.
drawn() {
	"$PY" - "$1" <<'EOF'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
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
colours, prev, i = set(), bytearray(stride), 0
for row in range(min(h, 1200)):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        up = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + up) & 255
        elif f == 3:
            line[x] = (line[x] + ((a + up) >> 1)) & 255
        elif f == 4:
            p = a + up - c
            pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
    if row % 4 == 0:
        for x in range(0, stride, bpp * 2):
            colours.add(bytes(line[x:x + 3]))
    prev = line
sys.exit(0 if len(colours) > 20 else 1)
EOF
}
if [ -z "$CHROMIUM" ]; then
	for what in "desktop render written" "desktop render is not blank" \
	    "phone render written" "phone render is not blank"; do
		T_N=$((T_N + 1))
		echo "ok $T_N - $what # SKIP chromium not installed"
	done
else
	render "$H" "$TMP/desk.png" 1200,2400
	[ -s "$TMP/desk.png" ] && [ "$(wc -c <"$TMP/desk.png")" -gt 20000 ]
	ok $? "desktop render written"
	[ -s "$TMP/chr.log" ] && [ ! -s "$TMP/desk.png" ] && sed 's/^/#   /' "$TMP/chr.log" | tail -5
	drawn "$TMP/desk.png"
	ok $? "desktop render is not blank"
	# A browser window is never narrower than about 500 pixels, so the
	# phone's 390-pixel viewport is an iframe.
	printf '<!DOCTYPE html><title>phone</title><body style="margin:0"><iframe src="r.html" style="width:390px;height:2000px;border:0"></iframe>\n' >"$TMP/phone.html"
	render "$TMP/phone.html" "$TMP/phone.png" 500,2000
	[ -s "$TMP/phone.png" ] && [ "$(wc -c <"$TMP/phone.png")" -gt 20000 ]
	ok $? "phone render written"
	drawn "$TMP/phone.png"
	ok $? "phone render is not blank"
fi
done_testing
