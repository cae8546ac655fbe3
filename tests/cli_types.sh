#!/bin/sh
# Tiers of network-type knowledge from the command line: embedded provider
# snapshots (dated, replaced by a fresh feed), third-party ASN lists, the
# tier in every format, `sources` listing every tier, and the build-time
# checks that refuse a bad snapshot line or list row with FILE:LINE.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# A Tor exit of the embedded snapshot (2026-03-15) is typed tor, dated.
run "$GEOATTR" lookup --format json 102.130.113.9
ok $RC "lookup of a Tor exit exits 0"
is "$(jget "$OUT" 'd[0]["network_type"]["type"]+"|"+d[0]["network_type"]["basis"]+"|"+d[0]["network_type"]["tier"]')" \
   "tor|tor snapshot of 2026-03-15|provider" "a Tor exit from the embedded snapshot answers tor with the snapshot's date"
run "$GEOATTR" lookup 102.130.113.9
has "$OUT" "Tor exit (tor snapshot of 2026-03-15; tier: provider ranges" "text lookup names the snapshot and tier"

# iCloud Private Relay egress (2026-08-17) and Mullvad relays (2025-10-30)
# from the embedded snapshots answer vpn with their date, IPv4 and IPv6.
run "$GEOATTR" lookup --format json 172.224.226.1 2a02:26f7:b3c0:4000::1 103.124.165.130 2a04:27c0:0:c::f001
ok $RC "lookup of relay and VPN addresses exits 0"
is "$(jget "$OUT" '[e["network_type"]["type"]+"|"+e["network_type"]["basis"]+"|"+e["network_type"]["tier"] for e in d]')" \
   "['vpn|icloud-private-relay snapshot of 2026-08-17|provider', 'vpn|icloud-private-relay snapshot of 2026-08-17|provider', 'vpn|mullvad snapshot of 2025-10-30|provider', 'vpn|mullvad snapshot of 2025-10-30|provider']" \
   "iCloud egress and Mullvad relays answer vpn with the snapshot's date"
run "$GEOATTR" lookup 103.124.165.130
has "$OUT" "VPN (mullvad snapshot of 2025-10-30; tier: provider ranges" "text lookup names the Mullvad snapshot"
has "$OUT" "says Tirana" "the relay's city from the list's locations"
# A Mullvad bridge (an entry point, not an exit) is not typed from the list.
run "$GEOATTR" lookup --format json 146.70.141.154
is "$(jget "$OUT" 'd[0]["network_type"]["tier"]!="provider"')" "True" "a Mullvad bridge is not in the snapshot"
# iCloud egress /31s inside Fastly's ranges: the more specific range answers.
run "$GEOATTR" lookup --format json 146.75.200.24 151.101.1.1
is "$(jget "$OUT" '[(e["network_type"]["type"], e["network_type"]["basis"]) for e in d]')" \
   "[('vpn', 'icloud-private-relay snapshot of 2026-08-17'), ('cdn', 'fastly snapshot of 2024-10-08')]" \
   "an egress range inside a CDN range is vpn; the CDN's own address stays cdn"

# A third-party list answers for a hoster only it knows (AS60404, LiteServer).
run "$GEOATTR" lookup --format json 5.2.64.1
is "$(jget "$OUT" 'd[0]["network_type"]["type"]+"|"+d[0]["network_type"]["tier"]+"|"+d[0]["network_type"]["confidence"]')" \
   "hosting|list|medium" "a list answer is typed hosting, tier list, medium confidence"
has "$OUT" "x4bnet datacenter list" "the list is named as the basis"
# ... and gives way to the curated table: Hurricane Electric is in both lists.
run "$GEOATTR" lookup --format json 216.218.128.1
is "$(jget "$OUT" 'd[0]["network_type"]["type"]+"|"+d[0]["network_type"]["tier"]')" "isp|curated" \
   "Hurricane Electric (in both lists) stays a curated isp"

# The datacenter range list (client9/ipcat, 2019) answers for an address
# whose holder nothing above it knows: AS57972 Angelnet Limited in a range
# ipcat names webexxpurts.com, and an address no source routes today.  It
# gives way to the curated table (Hetzner's 5.9.0.0/16 is an ipcat range
# too), to a curated carrier that bought an ipcat block since (Hyperoptic,
# 89.32.120.0/22) and to a name rule saying carrier (Connect Northwest
# Internet Services, in an ipcat range).
run "$GEOATTR" lookup --format json 5.34.242.10 5.10.64.10 5.9.0.10 89.32.120.10 23.27.15.10
ok $RC "lookup in and around datacenter ranges exits 0"
is "$(jget "$OUT" '[(e["network_type"]["type"], e["network_type"]["tier"], e["network_type"]["confidence"], e["network_type"]["basis"].startswith("ipcat")) for e in d]')" \
   "[('hosting', 'list', 'low', True), ('hosting', 'list', 'low', True), ('hosting', 'curated', 'high', False), ('isp', 'curated', 'high', False), ('isp', 'name-rule', 'low', False)]" \
   "the range list answers below the curated table and ASN lists, and gives way to a carrier's name"
run "$GEOATTR" lookup 5.34.242.10
has "$OUT" "cloud/hosting (ipcat datacenter ranges of 2019-02-20; tier: third-party lists; low confidence: webexxpurts.com)" \
   "text lookup names the range list, its date and the range's name"
printf '5.34.242.10\n5.9.0.10\n23.27.15.10\n' > "$TMP/r.txt"
run "$GEOATTR" check -f json "$TMP/r.txt"
is "$(jget "$OUT" '[(t["type"], {k: v["count"] for k, v in t["by_tier"].items()}) for t in d["network_types"]]')" \
   "[('hosting', {'curated': 1, 'list': 1}), ('isp', {'name-rule': 1})]" "check counts the range answer in the list tier"
run "$GEOATTR" check -f csv "$TMP/r.txt"
has "$OUT" "hosting,ipcat datacenter ranges of 2019-02-20,low,list," "CSV row names the range list as basis"

# check: per-type shares split by tier, in text and JSON; CSV has the tier.
printf '102.130.113.9\n5.2.64.1\n216.218.128.1\n8.8.8.8\n' > "$TMP/l.txt"
run "$GEOATTR" check -f json "$TMP/l.txt"
is "$(jget "$OUT" '{t["type"]: sorted(t["by_tier"]) for t in d["network_types"]}')" \
   "{'hosting': ['list'], 'tor': ['provider'], 'cdn': ['curated'], 'isp': ['curated']}" "by_tier per type"
run "$GEOATTR" check --ascii "$TMP/l.txt"
has "$OUT" "third-party lists" "text report names the tier of a type figure"
printf '102.130.113.9\n102.130.113.9\n5.2.64.1\n' > "$TMP/m.txt"
run "$GEOATTR" check -f json "$TMP/m.txt"
is "$(jget "$OUT" '[(t["type"], t["count"], {k: v["count"] for k, v in t["by_tier"].items()}) for t in d["network_types"]]')" \
   "[('hosting', 1, {'list': 1}), ('tor', 1, {'provider': 1})]" "tier counts reconcile with type counts"
run "$GEOATTR" check -f csv "$TMP/l.txt"
has "$OUT" "type_confidence,type_tier" "CSV header has type_tier"
has "$OUT" ",high,provider," "CSV row carries the tier"

run "$GEOATTR" check -f html "$TMP/l.txt"
has "$OUT" "third-party lists" "HTML report names the tier of a type figure"
has "$OUT" "provider ranges" "HTML report names the provider tier"

# sources lists every tier with its date, size and licence.
run "$GEOATTR" sources
has "$OUT" "snapshot-tor               2026-03-15" "sources lists the Tor snapshot with its date"
has "$OUT" "x4bnet datacenter list     2026-08-22" "sources lists a third-party list with its date"
has "$OUT" "bad-asn-list               2026-03-18" "sources lists bad-asn-list"
has "$OUT" "ipcat datacenter ranges    2019-02-20, 3429 ranges, MIT (client9/ipcat" "sources lists the range list with date, size and licence"
has "$OUT" "snapshot-icloud            2026-08-17, " "sources lists the iCloud snapshot with its date"
has "$OUT" "snapshot-mullvad           2025-10-30, " "sources lists the Mullvad snapshot with its date"
has "$OUT" "Mullvad's public relay list, no licence stated" "... with its terms"
run "$GEOATTR" sources -f json
is "$(jget "$OUT" 'sorted(set(t["tier"] for t in d["type_tiers"]))')" "['curated', 'list', 'name-rule', 'provider']" "JSON type_tiers"
is "$(jget "$OUT" '[(t["rows"], t["unit"]) for t in d["type_tiers"] if t["name"] == "ipcat datacenter ranges"]')" \
   "[(3429, 'ranges')]" "JSON counts the range list in ranges"

# A fresh feed replaces the snapshot of the same name: the exit is gone
# from it, so the snapshot must not answer any more.
printf '185.220.101.1\n' > "$TMP/exits.txt"
run "$GEOATTR" update -q --url "tor=$TMP/exits.txt" tor
ok $RC "update tor from a local file"
run "$GEOATTR" lookup --format json 102.130.113.9
is "$(jget "$OUT" 'd[0]["network_type"]["type"]!="tor" and d[0]["network_type"]["tier"]!="provider"')" "True" "with feed-tor installed, the tor snapshot no longer answers"
run "$GEOATTR" lookup --format json 185.220.101.1
is "$(jget "$OUT" 'd[0]["network_type"]["basis"]')" "feed tor" "the fresh feed answers"
run "$GEOATTR" sources -f json
is "$(jget "$OUT" '[t["replaced_by"] for t in d["type_tiers"] if t["name"].startswith("snapshot-")].count("tor")')" 5 \
   "sources says the five Tor snapshots are replaced by the downloaded feed"
run "$GEOATTR" sources
has "$OUT" "snapshot-tor               2026-03-15, replaced by the downloaded feed-tor" "... in text too"
# ... and so for the iCloud and Mullvad snapshots.
printf '17.253.0.0/31,US,US-CA,Cupertino,\n' > "$TMP/icloud.csv"
run "$GEOATTR" update -q --url "icloud=$TMP/icloud.csv" --url "mullvad=$TOP_SRCDIR/tests/data/feeds/mullvad-app-relays.json" icloud mullvad
ok $RC "update icloud and mullvad from local files"
run "$GEOATTR" lookup --format json 172.224.226.1 17.253.0.1 103.124.165.130 185.213.154.68
is "$(jget "$OUT" '[e["network_type"]["basis"] if e["network_type"]["tier"]=="provider" else "-" for e in d]')" \
   "['-', 'feed icloud-private-relay', '-', 'feed mullvad']" \
   "fresh feeds answer; the icloud and mullvad snapshots no longer do"
run "$GEOATTR" sources
has "$OUT" "snapshot-mullvad           2025-10-30, replaced by the downloaded feed-mullvad" "sources says the Mullvad snapshot is replaced"
rm -rf "$XDG_DATA_HOME"

# Build-time checks: a snapshot with a bad line fails with FILE:LINE and
# writes nothing; a list row with a malformed ASN fails the type check.
printf '192.0.2.1\n198.51.100.7x\n' > "$TMP/bad-exits.txt"
mkdir -p "$TMP/snap"
run "$GEOATTR" update --snapshot 2026-03-15 --dir "$TMP/snap" --url "tor=$TMP/bad-exits.txt" tor
[ "$RC" -ne 0 ]; ok $? "a snapshot with a bad line fails"
has "$ERR" "$TMP/bad-exits.txt:2: " "the failure names FILE:LINE"
[ ! -e "$TMP/snap/snapshot-tor.mmdb" ]; ok $? "nothing is written"
# ... the same for a geofeed (iCloud) line and a Mullvad relay.
printf '172.224.226.0/27,GB,GB-EN,London,\n172.224.226.32/33,GB,GB-SC,Aberdeen,\n' > "$TMP/bad-icloud.csv"
run "$GEOATTR" update --snapshot 2026-08-17 --dir "$TMP/snap" --url "icloud=$TMP/bad-icloud.csv" icloud
[ "$RC" -ne 0 ]; ok $? "an iCloud snapshot with a bad line fails"
has "$ERR" "$TMP/bad-icloud.csv:2: " "... naming FILE:LINE"
[ ! -e "$TMP/snap/snapshot-icloud.mmdb" ]; ok $? "... and writes nothing"
printf '{"locations":{},"wireguard":{"relays":[{"location":"se-got","ipv4_addr_in":"192.0.2.1"},{"location":"se-got","ipv4_addr_in":"192.0.2.1/40"}]}}' > "$TMP/bad-mullvad.json"
run "$GEOATTR" update --snapshot 2025-10-30 --dir "$TMP/snap" --url "mullvad=$TMP/bad-mullvad.json" mullvad
[ "$RC" -ne 0 ]; ok $? "a Mullvad snapshot with a bad relay fails"
has "$ERR" "$TMP/bad-mullvad.json: wireguard.relays[1].ipv4_addr_in: " "... naming the file and the relay"
[ ! -e "$TMP/snap/snapshot-mullvad.mmdb" ]; ok $? "... and writes nothing"
run "$GEOATTR" update --snapshot 2026-13-45 --dir "$TMP/snap" --url "tor=$TMP/exits.txt" tor
is "$RC" 2 "a malformed snapshot date is a usage error"
# Merging snapshots: where two providers overlap, the more specific
# range answers (a Tor exit inside a hosting range is a Tor exit).
printf '104.16.250.0/24\n' > "$TMP/cf.txt"
printf '104.16.250.77\n' > "$TMP/exits2.txt"
rm -rf "$TMP/snap2"; mkdir -p "$TMP/snap2"
run "$GEOATTR" update -q --snapshot 2024-10-29 --dir "$TMP/snap2" --url "cloudflare=$TMP/cf.txt" cloudflare
ok $RC "a cloudflare snapshot builds"
run "$GEOATTR" update -q --snapshot 2026-03-15 --dir "$TMP/snap2" --url "tor=$TMP/exits2.txt" tor
ok $RC "a tor snapshot builds"
run "$GEOATTR" update -q --merge-snapshots --dir "$TMP/snap2" "$TMP/snap2/snapshot-cloudflare.mmdb" "$TMP/snap2/snapshot-tor.mmdb"
ok $RC "the two merge into snapshots.mmdb"
run "$GEOATTR" lookup --format json --db "$TMP/snap2/snapshots.mmdb" 104.16.250.77 104.16.250.78
is "$(jget "$OUT" '[(e["network_type"]["type"], e["network_type"]["basis"]) for e in d]')" \
   "[('tor', 'tor snapshot of 2026-03-15'), ('cdn', 'cloudflare snapshot of 2024-10-29')]" \
   "the exit inside the CDN range is a Tor exit; its neighbour is the CDN's"
run "$GEOATTR" update -q --merge-snapshots --dir "$TMP/snap2"
is "$RC" 2 "--merge-snapshots without databases is a usage error"
mkdir -p "$TMP/types"
cp "$TOP_SRCDIR"/geo/asn-types.csv "$TOP_SRCDIR"/geo/anycast-prefixes.csv "$TOP_SRCDIR"/geo/x4bnet-vpn-ASN.txt \
   "$TOP_SRCDIR"/geo/bad-asn-list.csv "$TMP/types/"
{ head -3 "$TOP_SRCDIR/geo/x4bnet-datacenter-ASN.txt"; echo "ASx12 # broken"; } > "$TMP/types/x4bnet-datacenter-ASN.txt"
run "$GEOATTR" sources --check-types "$TMP/types"
is "$RC" 1 "sources --check-types fails on a malformed list row"
has "$ERR" "x4bnet-datacenter-ASN.txt:4: the ASN is not a number from 1 to 4294967295" "and names FILE:LINE"
cp "$TOP_SRCDIR/geo/x4bnet-datacenter-ASN.txt" "$TMP/types/"
{ head -2 "$TOP_SRCDIR/geo/ipcat-datacenters.csv"; echo "5.9.0.0,5.9.255.x,Broken,"; } > "$TMP/types/ipcat-datacenters.csv"
run "$GEOATTR" sources --check-types "$TMP/types"
is "$RC" 1 "sources --check-types fails on a malformed range row"
has "$ERR" "ipcat-datacenters.csv:3: end \"5.9.255.x\"" "and names FILE:LINE"
cp "$TOP_SRCDIR/geo/ipcat-datacenters.csv" "$TMP/types/"
run "$GEOATTR" sources --check-types "$TMP/types"
ok $RC "the real tables pass the check"

# The type index: written from the checked files, read in their place.
run "$GEOATTR" sources --check-types "$TMP/types" --type-index "$TMP/types/types.idx"
ok $RC "sources --check-types DIR --type-index FILE writes the index"
is "$(head -c 8 "$TMP/types/types.idx")" "GATYPIX1" "the index starts with its magic"
run "$GEOATTR" sources --type-index "$TMP/types/other.idx"
is "$RC" 2 "--type-index without --check-types is a usage error"
{ head -2 "$TOP_SRCDIR/geo/ipcat-datacenters.csv"; echo "5.9.0.0,5.9.255.x,Broken,"; } > "$TMP/types/ipcat-datacenters.csv"
run "$GEOATTR" sources --check-types "$TMP/types"
is "$RC" 1 "the check reads the files, not the index made before they broke"
cp "$TOP_SRCDIR/geo/ipcat-datacenters.csv" "$TMP/types/"
if [ -f "$TOP_SRCDIR/geo/types.idx" ]; then
	run "$GEOATTR" sources --format json
	is "$(jget "$OUT" 'd["type_index"]')" "True" "sources says the type tables come from the index"
	run "$GEOATTR" sources
	has "$OUT" "read from the type index" "and says so in text"
fi

done_testing
