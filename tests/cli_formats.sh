#!/bin/sh
# Indicator lists as they are published: an advisory CSV (JAR-16-20296A,
# whole), STIX 1.x, OpenIOC 1.0 and 1.1, MISP events and vendor CSVs
# (real files, tests/data/real/README.md has their provenance and counts
# made by an independent script), a PDF report made here with a table
# across two pages, and broken input of each kind.  Every indicator is
# accounted for; cited locations are compared.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

REAL="$TESTS_SRCDIR/data/real"
PY=${PYTHON3:-python3}

# ------------------------------------------------------------ the advisory CSV
JAR="$REAL/jar-16-20296.csv"
run "$GEOATTR" check -f json -d "$JAR"
ok $RC "JAR-16-20296A CSV checks (exit 0: nothing rejected)"
F='d["input"]["files"][0]'
is "$(jget "$OUT" "$F[\"format\"], $F[\"lines\"], $F[\"items\"], $F[\"accepted\"], $F[\"rejected\"]")" \
   "('csv', 956, 876, 876, 0)" "956 lines: 876 address indicators, all accepted"
is "$(jget "$OUT" "{k: v for k, v in $F[\"indicators\"].items() if v}")" \
   "{'ipv4': 876, 'domain': 10, 'url': 1, 'md5': 24}" "the type column counts the other indicators by kind"
is "$(jget "$OUT" "$F[\"other_indicators\"], len(d[\"other_indicators\"])")" "(35, 35)" \
   "35 other indicators, every one listed with --details"
is "$(jget "$OUT" "$F[\"entries_citing_a_country\"], $F[\"entries_citing_no_known_country\"], $F[\"cited_from_text\"], $F[\"has_roles\"]")" \
   "(248, 0, True, True)" "248 locations cited in the rows' prose are read, none lost"
is "$(jget "$OUT" '[(e["cited_country"], e["cited_role"], e["cited_phase"]) for e in d["entries"] if e["address"] == "185.12.46.178"]')" \
   "[('SZ', 'IP_WATCHLIST', 'C2')]" "\"located in Swaziland.\" is SZ; role and phase kept per entry"
is "$(jget "$OUT" '[e.get("cited_country") for e in d["entries"] if e["address"] == "167.114.35.70"]')" \
   "['CA']" "\"located in Canada.\" is CA"
is "$(jget "$OUT" 'all(v["agree"] + v["elsewhere"] + v["not_placed"] == d["cited"]["entries_with_cited_location"] for v in d["cited"]["by_source"].values())')" \
   "True" "per source: agree + elsewhere + not placed = the 248 cited"
is "$(jget "$OUT" 'sorted({o["kind"] for o in d["other_indicators"]})')" "['domain', 'md5', 'url']" \
   "listed other indicators carry their kind"
A_AGREE=$(jget "$OUT" 'd["cited"]["by_source"]["A"]["agree"]')
run "$GEOATTR" check --ascii "$JAR"
has "$OUT" "indicators: 876 IPv4, 10 domains, 1 URL, 24 MD5" "text: the accounting of every indicator"
has "$OUT" "domains and URLs are never resolved (that would contact them)" "text: says why domains are not looked up"
has "$OUT" "248 entries cite a location in their own text" "text: the cited locations are counted"
has "$OUT" "Of 248 entries whose location the list itself cites:" "text: the cited-location comparison is stated"
has "$OUT" "A agrees for $A_AGREE (" "text: the agreement figure is the JSON one"
has "$OUT" "[C-CITED]" "the cited-location caveat fires on the real list"
run "$GEOATTR" check -f html "$JAR"
has "$OUT" "holds 10 domains, 1 URL, 24 MD5: counted, never looked up" "HTML: the other indicators are accounted for"
has "$OUT" "Of 248 entries whose location the list itself cites: Source A agrees for $A_AGREE (" "HTML: the cited-location comparison"
run "$GEOATTR" check -f csv "$JAR"
has "$OUT" ",cited_country,sources_agree,cited_role,cited_phase,cited_observed" "CSV has the list's own notes"
has "$OUT" "185.12.46.178," "CSV lists the entries"
grep '^185\.12\.46\.178,' "$OUT" | grep -q ',SZ,.*,IP_WATCHLIST,C2,'
ok $? "CSV row carries cited SZ, role and phase"

# The same list cut down to ip,claimed_location, most cells empty.
printf 'ip,claimed_location\n185.12.46.178,Swaziland\n167.114.35.70,\n5.56.133.23,\n46.102.152.132,\n' > "$TMP/two.csv"
run "$GEOATTR" check -f json "$TMP/two.csv"
is "$(jget "$OUT" "$F[\"has_cited_location\"], $F[\"cited_location_column\"], $F[\"entries_citing_a_country\"]")" \
   "(True, 'claimed_location', 1)" "a location column is recognised by name though most cells are empty"

# ------------------------------------------------------------ real files, each format
# file | format | IPv4 | other kinds (counts from tests/data/real/count_iocs.py)
while IFS='|' read -r file fmt v4 kinds; do
	[ -n "$file" ] || continue
	run "$GEOATTR" check -f json "$REAL/$file"
	got=$(jget "$OUT" "$F[\"format\"], $F[\"indicators\"][\"ipv4\"], {k: v for k, v in $F[\"indicators\"].items() if v and k not in ('ipv4', 'unreadable_addresses')}")
	is "$got" "('$fmt', $v4, $kinds)" "$file: read as $fmt, every indicator counted"
	is "$(jget "$OUT" "$F[\"items\"] == $F[\"accepted\"] + $F[\"rejected\"] and d[\"input\"][\"unique\"] <= $F[\"accepted\"]")" "True" \
	   "$file: entries = accepted + rejected"
done <<'EOF'
us-cert-ta17-164a.stix.xml|stix1|13|{'filename': 6}
citizenlab-201909-missinglink.stix.xml|stix1|12|{'domain': 6, 'url': 6, 'email': 2, 'sha256': 3}
fireeye-apt17-blackcoffee.ioc|openioc|11|{'domain': 2, 'md5': 10, 'other': 2}
citizenlab-201905-endlessmayfly.ioc|openioc|2|{'md5': 4}
citizenlab-201909-missinglink.ioc|openioc|0|{'domain': 15, 'sha256': 1, 'other': 1}
fireeye-sunburst-compromise-indicators.ioc|openioc|0|{'domain': 12, 'md5': 5}
eset-telebots.misp.json|misp|9|{'domain': 3, 'md5': 6, 'sha1': 6, 'sha256': 6, 'other': 5}
eset-moustachedbouncer.misp.json|misp|11|{'domain': 6, 'url': 6, 'email': 4, 'md5': 3, 'sha1': 3, 'sha256': 3, 'filename': 3, 'other': 28}
eset-sshdoor-mimban.misp.json|misp|1|{'domain': 1, 'sha1': 7, 'other': 2}
volexity-2020-12-14-darkhalo.csv|csv|11|{'domain': 12}
sophos-cve-2022-3236.csv|csv|25|{'domain': 2, 'sha256': 34, 'filename': 25, 'other': 1}
fireeye-sunburst-nbis.csv|csv|10|{'domain': 16}
EOF

# The Citizen Lab OpenIOC export has twelve IP items with empty content:
# address indicators with no address, rejected by name, not dropped.
run "$GEOATTR" check -f json "$REAL/citizenlab-201909-missinglink.ioc"
is "$(jget "$OUT" "$F[\"rejected\"], sorted({r[\"reason\"] for r in d[\"rejected\"]})")" "(12, ['empty address'])" \
   "empty IP items in OpenIOC are rejected with a reason"
# STIX 1: the e-mail in an AddressObj (category e-mail) is not an address.
run "$GEOATTR" check -f json -d "$REAL/citizenlab-201909-missinglink.stix.xml"
is "$(jget "$OUT" '[o["value"] for o in d["other_indicators"] if o["kind"] == "email"][0]')" "antmoving.online@gmail.com" \
   "an AddressObj of category e-mail counts as an e-mail address"
# MISP: the role, phase and date of an attribute are kept.
run "$GEOATTR" check -f json -d "$REAL/eset-sshdoor-mimban.misp.json"
is "$(jget "$OUT" '[(e["cited_role"], e["cited_phase"]) for e in d["entries"]]')" "[('ip-dst|port', 'Network activity')]" \
   "MISP ip-dst|port: the port is dropped, type and category kept"
# Lines point at the value in the file.
ln=$(jget "$OUT" 'd["entries"][0]["line"]')
addr=$(jget "$OUT" 'd["entries"][0]["address"]')
sed -n "${ln}p" "$REAL/eset-sshdoor-mimban.misp.json" | grep -qF "\"$addr|"
ok $? "a MISP entry's line is the line of its value"
run "$GEOATTR" check -f json -d "$REAL/fireeye-apt17-blackcoffee.ioc"
ln=$(jget "$OUT" 'd["entries"][0]["line"]')
addr=$(jget "$OUT" 'd["entries"][0]["address"]')
sed -n "${ln}p" "$REAL/fireeye-apt17-blackcoffee.ioc" | grep -qF ">$addr<"
ok $? "an OpenIOC entry's line is the line of its Content"

# STIX 1 written here: a ##comma## list, a negated condition, a cited
# location in the indicator's description, a sighting date.
cat > "$TMP/s1.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
  xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2"
  xmlns:DomainNameObj="http://cybox.mitre.org/objects#DomainNameObject-1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:stixCommon="http://stix.mitre.org/common-1" version="1.1.1">
 <stix:Indicators>
  <stix:Indicator id="x:indicator-1" xsi:type="indicator:IndicatorType">
   <indicator:Type>IP Watchlist</indicator:Type>
   <indicator:Description>These IP addresses are located in the Netherlands.</indicator:Description>
   <indicator:Observable id="x:Observable-1"><cybox:Object id="x:Address-1">
    <cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">
     <AddressObj:Address_Value condition="Equals" apply_condition="ANY">192.0.2.10##comma##192.0.2.11##comma##198.51.100.12</AddressObj:Address_Value>
    </cybox:Properties></cybox:Object></indicator:Observable>
   <indicator:Sightings><indicator:Sighting timestamp="2016-11-02T10:00:00Z"/></indicator:Sightings>
  </stix:Indicator>
  <stix:Indicator id="x:indicator-2" xsi:type="indicator:IndicatorType">
   <indicator:Observable id="x:Observable-2"><cybox:Object id="x:Address-2">
    <cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">
     <AddressObj:Address_Value condition="DoesNotEqual">203.0.113.7</AddressObj:Address_Value>
    </cybox:Properties></cybox:Object></indicator:Observable>
  </stix:Indicator>
  <stix:Indicator id="x:indicator-3" xsi:type="indicator:IndicatorType">
   <indicator:Observable id="x:Observable-3"><cybox:Object id="x:Domain-3">
    <cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType"><DomainNameObj:Value>bad.example</DomainNameObj:Value></cybox:Properties>
   </cybox:Object></indicator:Observable>
  </stix:Indicator>
 </stix:Indicators>
</stix:STIX_Package>
XML
run "$GEOATTR" check -f json -d "$TMP/s1.xml"
is "$(jget "$OUT" "$F[\"format\"], $F[\"items\"], $F[\"accepted\"], $F[\"rejected\"], $F[\"indicators\"][\"domain\"]")" \
   "('stix1', 4, 3, 1, 1)" "STIX 1: a ##comma## list is three indicators; DoesNotEqual is rejected; the domain counted"
is "$(jget "$OUT" 'sorted((e["address"], e.get("cited_country"), e.get("cited_role"), e.get("cited_observed")) for e in d["entries"])')" \
   "[('192.0.2.10', 'NL', 'IP Watchlist', '2016-11-02T10:00:00Z'), ('192.0.2.11', 'NL', 'IP Watchlist', '2016-11-02T10:00:00Z'), ('198.51.100.12', 'NL', 'IP Watchlist', '2016-11-02T10:00:00Z')]" \
   "STIX 1: the description's location, the indicator type and the sighting date reach every member"
is "$(jget "$OUT" 'd["rejected"][0]["reason"]')" "condition DoesNotEqual: says where it is not" \
   "the rejection says why"

# MISP and OpenIOC 1.1 written here: a cited location in an attribute's
# comment, in an object's comment, in an item's comment parameter.
cat > "$TMP/m.json" <<'JSON'
{"Event": {"info": "test event", "uuid": "5b6f4a3c-0000-4000-8000-000000000001", "date": "2019-05-14",
 "Attribute": [
  {"type": "ip-dst", "category": "Network activity", "value": "192.0.2.20", "comment": "C2 server hosted in Romania"},
  {"type": "ip-src|port", "category": "Network activity", "value": "198.51.100.21|8443", "comment": "", "first_seen": "2019-05-01T00:00:00Z"},
  {"type": "domain|ip", "category": "Network activity", "value": "bad.example|203.0.113.22"},
  {"type": "sha256", "category": "Payload delivery", "value": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}],
 "Object": [{"name": "ip-port", "comment": "This server is based in the Czech Republic.",
   "Attribute": [{"type": "ip-dst", "object_relation": "ip", "category": "Network activity", "value": "192.0.2.23"}]}]}}
JSON
run "$GEOATTR" check -f json -d "$TMP/m.json"
is "$(jget "$OUT" "$F[\"format\"], $F[\"accepted\"], $F[\"indicators\"][\"domain\"], $F[\"indicators\"][\"sha256\"]")" \
   "('misp', 4, 1, 1)" "MISP: ip-dst, ip-src|port, the address of domain|ip and an object's ip-dst; the domain and hash counted"
is "$(jget "$OUT" 'sorted((e["address"], e.get("cited_country"), e.get("cited_observed")) for e in d["entries"])')" \
   "[('192.0.2.20', 'RO', '2019-05-14'), ('192.0.2.23', 'CZ', '2019-05-14'), ('198.51.100.21', None, '2019-05-01T00:00:00Z'), ('203.0.113.22', None, '2019-05-14')]" \
   "MISP: cited locations from comments (the object's too), first_seen else the event's date"
cat > "$TMP/o11.ioc" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="x-1" last-modified="2020-01-01T00:00:00">
 <metadata><short_description>test</short_description></metadata>
 <criteria><Indicator id="i-0" operator="OR">
  <IndicatorItem id="it-1" condition="is"><Context document="PortItem" search="PortItem/remoteIP" type="mir"/><Content type="IP">192.0.2.30</Content></IndicatorItem>
  <IndicatorItem id="it-2" condition="contains"><Context document="PortItem" search="PortItem/remoteIP" type="mir"/><Content type="IP">192.0.2.</Content></IndicatorItem>
  <IndicatorItem id="it-3" condition="is"><Context document="FileItem" search="FileItem/Md5sum" type="mir"/><Content type="md5">44d88612fea8a8f36de82e1278abb02f</Content></IndicatorItem>
 </Indicator></criteria>
 <parameters><param id="p-1" ref-id="it-1" name="comment"><value>Server geolocated to Viet Nam</value></param></parameters>
</OpenIOC>
XML
run "$GEOATTR" check -f json -d "$TMP/o11.ioc"
is "$(jget "$OUT" "$F[\"format\"], $F[\"accepted\"], $F[\"rejected\"], $F[\"indicators\"][\"md5\"], d[\"entries\"][0].get(\"cited_country\"), d[\"rejected\"][0][\"reason\"]")" \
   "('openioc', 1, 1, 1, 'VN', 'condition is not \"is\": not one address')" \
   "OpenIOC 1.1: the comment parameter's location, a 'contains' rejected, the hash counted"

# ------------------------------------------------------------ format choice and mismatches
run "$GEOATTR" check -f json -i stix1 "$REAL/eset-sshdoor-mimban.misp.json"
is "$RC" "1" "JSON forced as STIX 1 is an unusable input (exit 1)"
has "$ERR" "eset-sshdoor-mimban.misp.json: line 1:" "the XML parser's complaint is named with FILE: line"
run "$GEOATTR" check -i misp "$TESTS_SRCDIR/data/check-stix.json"
has "$ERR" "not a MISP event" "a STIX 2 bundle forced as MISP says it is not one"
run "$GEOATTR" check -i openioc "$REAL/us-cert-ta17-164a.stix.xml"
has "$ERR" "not an OpenIOC document (root element <STIX_Package>)" "STIX forced as OpenIOC names the root it found"
run "$GEOATTR" check -i pdf "$JAR"
has "$ERR" "not a PDF" "a CSV forced as PDF is refused"

# ------------------------------------------------------------ broken XML
head -c 6000 "$REAL/us-cert-ta17-164a.stix.xml" > "$TMP/cut.xml"
run "$GEOATTR" check -f json "$TMP/cut.xml"
is "$RC" "1" "a STIX file cut short exits 1"
has "$ERR" "cut.xml: line " "the break is named by line"
has "$ERR" " in /STIX_Package/" "... and by the element path"
is "$(jget "$OUT" "$F[\"error\"] is not None and $F[\"items\"] == $F[\"accepted\"] + $F[\"rejected\"] and $F[\"accepted\"] == d[\"input\"][\"unique\"]")" \
   "True" "what was read before the break is counted and reconciles"
run "$GEOATTR" check --ascii "$TMP/cut.xml"
has "$OUT" "read before it:" "the text report gives the figures read before the break"

cat > "$TMP/lol.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:cybox="http://cybox.mitre.org/cybox-2">
<stix:Observables><cybox:Observable><cybox:Description>&lol9;</cybox:Description></cybox:Observable></stix:Observables>
</stix:STIX_Package>
XML
run "$GEOATTR" check "$TMP/lol.xml"
is "$RC" "1" "billion laughs: an unusable input, not a hang or a crash"
has "$ERR" "lol.xml: line " "billion laughs: named with its place"
hasnt "$OUT" "lollollol" "billion laughs: nothing expanded"

cat > "$TMP/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY e SYSTEM "file://$TMP/secret.txt"> ]>
<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:cybox="http://cybox.mitre.org/cybox-2"
  xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<stix:Observables><cybox:Observable><cybox:Object>
<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value>&e;192.0.2.77</AddressObj:Address_Value></cybox:Properties>
</cybox:Object><cybox:Description>&e;</cybox:Description></cybox:Observable></stix:Observables>
</stix:STIX_Package>
XML
echo "203.0.113.99 SECRET-CONTENT" > "$TMP/secret.txt"
run "$GEOATTR" check -f json -d "$TMP/xxe.xml"
hasnt "$OUT" "SECRET-CONTENT" "an external entity is never read into the report"
hasnt "$OUT" "203.0.113.99" "... nor its addresses taken"
is "$(jget "$OUT" '[e["address"] for e in d["entries"]]')" "['192.0.2.77']" "the document's own address is still read"

printf '<?xml version="1.0" encoding="UTF-8"?>\n<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1">\n<stix:Title>\377\376 bad</stix:Title></stix:STIX_Package>\n' > "$TMP/utf.xml"
run "$GEOATTR" check "$TMP/utf.xml"
has "$ERR" "utf.xml: line 3: Input is not proper UTF-8" "invalid UTF-8 in XML: named, one line"
head -c 3000 /dev/urandom > "$TMP/junk.bin"
run "$GEOATTR" check -i stix1 "$TMP/junk.bin"
is "$RC" "1" "binary junk forced as STIX 1: unusable input, exit 1"
has "$ERR" "junk.bin: line " "binary junk: named with a place"

# A spreadsheet is refused by name, not read as binary text.
"$PY" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("xl/workbook.xml", "<workbook/>"); z.close()' "$TMP/iocs.xlsx"
run "$GEOATTR" check "$TMP/iocs.xlsx"
is "$RC" "1" "an XLSX file is an unusable input (exit 1)"
has "$ERR" "iocs.xlsx: a ZIP archive (an XLSX or ODS spreadsheet?): not read; save the sheet as CSV"     "an XLSX file is refused with what to do instead"

# ------------------------------------------------------------ PDF made here
if [ -n "$CHROMIUM" ]; then
	"$PY" - "$TMP/report.html" <<'PYEOF'
import sys
rows = "".join("<tr><td>%d</td><td>198[.]51[.]100[.]%d</td><td>C2 server, located in %s</td></tr>"
               % (i, i, "Canada" if i % 2 else "the Netherlands") for i in range(1, 61))
open(sys.argv[1], "w").write(
    "<html><body><h1>Threat report</h1><p>Version 10.0.0.1 of the tool is not an indicator.</p>"
    "<table border=1><tr><th>#</th><th>Indicator</th><th>Note</th></tr>" + rows + "</table>"
    "<p>Dropper hash 44d88612fea8a8f36de82e1278abb02f, C2 domain evil[.]example[.]com, "
    "payload hxxp://203.0.113.9/a.bin</p></body></html>")
PYEOF
	chromium_run 120 --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" "$TMP/report.html"
fi
if [ -s "$TMP/report.pdf" ]; then
	run "$GEOATTR" check -f json -d "$TMP/report.pdf"
	ok $RC "the PDF report checks (exit 0)"
	is "$(jget "$OUT" "$F[\"format\"], $F[\"pages\"], $F[\"accepted\"], $F[\"rejected\"]")" \
	   "('pdf', 2, 61, 0)" "PDF: the table across two pages gives its 60 defanged addresses, plus the URL's host"
	is "$(jget "$OUT" "{k: v for k, v in $F[\"indicators\"].items() if v and k != 'ipv4'}")" \
	   "{'domain': 1, 'url': 1, 'md5': 1}" "PDF: the hash, defanged domain and URL counted"
	is "$(jget "$OUT" "$F[\"entries_citing_a_country\"]")" "60" "PDF: every table row's cited location read"
	is "$(jget "$OUT" 'sorted({e["line"] for e in d["entries"]})')" "[1, 2]" "PDF: entries carry the page they are on"
	is "$(jget "$OUT" '[e.get("cited_country") for e in d["entries"] if e["address"] in ("198.51.100.1", "198.51.100.2")]')" \
	   "['CA', 'NL']" "PDF: cited locations per row ('the Netherlands' too)"
	hasnt "$OUT" '"10.0.0.1"' "PDF: a version number is not an address"
	run "$GEOATTR" check -d --ascii "$TMP/report.pdf"
	has "$OUT" "report.pdf: page 2 " "the text report names other indicators by page"
	has "$OUT" "(pdf): 2 pages," "the text report counts pages"
	if command -v qpdf >/dev/null 2>&1; then
		qpdf --encrypt secret owner 256 -- "$TMP/report.pdf" "$TMP/enc.pdf"
		run "$GEOATTR" check "$TMP/enc.pdf"
		is "$RC" "1" "an encrypted PDF is an unusable input (exit 1)"
		has "$ERR" "enc.pdf: encrypted: a password is needed" "an encrypted PDF says so"
	else
		echo "ok $((T_N += 1)) - encrypted PDF # SKIP qpdf not installed"
		echo "ok $((T_N += 1)) - encrypted PDF message # SKIP qpdf not installed"
	fi
	head -c 4000 "$TMP/report.pdf" > "$TMP/cut.pdf"
	run "$GEOATTR" check "$TMP/cut.pdf"
	is "$RC" "1" "a PDF cut short is an unusable input"
	has "$ERR" "cut.pdf: not a readable PDF" "a broken PDF is named as such"
else
	for w in "PDF checks" "PDF pages" "PDF kinds" "PDF cited" "PDF page lines" "PDF per-row cited" \
	         "PDF version" "PDF text page" "PDF text pages" "encrypted" "encrypted message" "cut" "cut message"; do
		echo "ok $((T_N += 1)) - $w # SKIP chromium not installed (no PDF to read)"
	done
fi
# libxml2 and poppler are loaded on first use: a plain list never loads
# them, and a missing one is named.
run env GEOATTR_POPPLER_LIB=libpoppler-missing.so.0 "$GEOATTR" check "$REAL/../../../fuzz/corpus/pdf/two-pages.pdf"
is "$RC" "1" "PDF input without poppler: an unusable input"
has "$ERR" "cannot load libpoppler-missing.so.0" "PDF input without poppler: the library is named"
run env GEOATTR_LIBXML2_LIB=libxml2-missing.so.0 "$GEOATTR" check "$REAL/us-cert-ta17-164a.stix.xml"
has "$ERR" "cannot load libxml2-missing.so.0" "STIX 1 input without libxml2: the library is named"
has "$ERR" "(STIX 1.x and OpenIOC input need it)" "... and what needs it"
run env GEOATTR_POPPLER_LIB=libpoppler-missing.so.0 GEOATTR_LIBXML2_LIB=libxml2-missing.so.0 "$GEOATTR" check "$JAR"
is "$RC" "0" "a CSV needs neither library"
if command -v ldd >/dev/null 2>&1; then
	ldd "$GEOATTR" | grep -qE 'libpoppler|libxml2|libbz2|liblzma'
	is "$?" "1" "the binary is not linked against poppler, libxml2, libbz2 or liblzma (loaded when needed)"
fi
printf '%%PDF-1.7\n%s\n' "not a real document" > "$TMP/fake.pdf"
run "$GEOATTR" check "$TMP/fake.pdf"
has "$ERR" "fake.pdf: not a readable PDF" "a PDF header over junk is refused by name"

done_testing
