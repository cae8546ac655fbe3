#!/bin/sh
# bench/feeds_coverage.sh - how much of each provider's published address
# space geoattr types correctly without feeds (embedded ASN data and
# asn-types.csv alone) and with the feed installed; then the time and peak
# memory of `geoattr update` of every feed from a local test server.
#
#   bench/feeds_coverage.sh
#
# Ground truth: real snapshots of what AWS, Google Cloud, Oracle,
# DigitalOcean and Linode publish, in bench/data/groundtruth/ (provenance in
# its README); Cloudflare and Fastly from the test fixtures in
# tests/data/feeds/.  The first address of every published prefix is
# classified with `geoattr check -f csv`.  Writes to bench/out/feeds/;
# prints a table, then what the misses of each provider are.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
GEOATTR=${GEOATTR:-$top/src/geoattr}
PY=${PYTHON3:-python3}
FIX=$top/tests/data/feeds
OUT=$top/bench/out/feeds
GT=$OUT/gt
rm -rf "$OUT"
mkdir -p "$OUT/xdg" "$OUT/home" "$GT"
for f in "$top"/bench/data/groundtruth/*.xz; do
	xz -dc "$f" >"$GT/$(basename "$f" .xz)" || exit 1
done
# AWS and Oracle are kept as prefix lists; for the "with the feed" column
# they are put back into their providers' JSON shapes so that `update`
# reads them with the real parsers.
"$PY" - "$GT" <<'EOF'
import json, os, sys
d = sys.argv[1]
def lines(*names):
    return [l.strip() for n in names for l in open(os.path.join(d, n)) if l.strip()]
v4, v6 = lines("aws-ipv4.txt"), lines("aws-ipv6.txt")
json.dump(dict(syncToken="0", createDate="2026-11-01-00-00-00",
               prefixes=[dict(ip_prefix=p, region="GLOBAL", service="AMAZON") for p in v4],
               ipv6_prefixes=[dict(ipv6_prefix=p, region="GLOBAL", service="AMAZON") for p in v6]),
          open(os.path.join(d, "aws-ip-ranges.json"), "w"))
json.dump(dict(last_updated_timestamp="2026-11-01T00:00:00.000000",
               regions=[dict(region="unknown", cidrs=[dict(cidr=p, tags=["OCI"]) for p in lines("oracle-ipv4.txt")])]),
          open(os.path.join(d, "oracle-public_ip_ranges.json"), "w"))
EOF
export XDG_DATA_HOME="$OUT/xdg" HOME="$OUT/home"
unset GEOATTR_DB_PATH
[ -x "$GEOATTR" ] || { echo "build geoattr first (make)" >&2; exit 1; }

# first_addrs FORMAT FILE: the first address of each prefix, one a line.
first_addrs() {
	"$PY" - "$1" "$2" <<'EOF'
import csv, ipaddress, json, sys
fmt, path = sys.argv[1], sys.argv[2]
nets = []
if fmt == "aws":
    d = json.load(open(path))
    nets = [p["ip_prefix"] for p in d["prefixes"]] + [p["ipv6_prefix"] for p in d.get("ipv6_prefixes", [])]
elif fmt == "gcp":
    d = json.load(open(path))
    nets = [p.get("ipv4Prefix") or p.get("ipv6Prefix") for p in d["prefixes"]]
elif fmt == "oracle":
    d = json.load(open(path))
    nets = [c["cidr"] for r in d["regions"] for c in r["cidrs"]]
elif fmt == "fastly":
    d = json.load(open(path))
    nets = d["addresses"] + d.get("ipv6_addresses", [])
elif fmt == "geofeed":
    for row in csv.reader(open(path)):
        if row and not row[0].startswith("#"):
            nets.append(row[0])
elif fmt == "lines":
    for p in path.split(","):
        nets += [l.strip() for l in open(p) if l.strip() and not l.startswith("#")]
seen = set()
for n in nets:
    a = str(ipaddress.ip_network(n, strict=False).network_address)
    if a not in seen:
        seen.add(a)
        print(a)
EOF
}

# share TYPES CSV: percentage of rows whose network_type is in TYPES.
share() {
	"$PY" - "$1" "$2" <<'EOF'
import csv, sys
types = set(sys.argv[1].split(","))
rows = list(csv.DictReader(open(sys.argv[2])))
hit = sum(1 for r in rows if r["network_type"] in types)
print("%d/%d %.1f%%" % (hit, len(rows), 100.0 * hit / len(rows) if rows else 0))
EOF
}

# provider feed format ground-truth types
set -- \
	aws aws "$GT/aws-ip-ranges.json" hosting,cdn \
	google gcp "$GT/gcp-cloud.json" hosting \
	oracle oracle "$GT/oracle-public_ip_ranges.json" hosting \
	digitalocean geofeed "$GT/digitalocean-geofeed.csv" hosting \
	linode geofeed "$GT/linode-geofeed.csv" hosting \
	cloudflare lines "$FIX/cloudflare-ips-v4.txt,$FIX/cloudflare-ips-v6.txt" cdn \
	fastly fastly "$FIX/fastly-public-ip-list.json" cdn

urls=
printf '%-14s %-10s %-20s %-20s\n' provider types "embedded only" "with the feed" | tee "$OUT/results.txt"
while [ $# -ge 4 ]; do
	name=$1 fmt=$2 fix=$3 types=$4
	shift 4
	src=$fix
	first_addrs "$fmt" "$src" >"$OUT/$name.addrs"
	"$GEOATTR" check -f csv --no-default-db --db "$top/geo/ip-location-db-asn.mmdb" \
		"$OUT/$name.addrs" >"$OUT/$name.embedded.csv" 2>"$OUT/$name.err"
	if [ "$name" = cloudflare ]; then
		uargs="--url cloudflare=$FIX/cloudflare-ips-v4.txt --url cloudflare=$FIX/cloudflare-ips-v6.txt"
	else
		uargs="--url $name=$src"
	fi
	urls="$urls $uargs"
	# shellcheck disable=SC2086 # option list
	"$GEOATTR" update -q --dir "$OUT/feeds-$name" $uargs "$name" || exit 1
	GEOATTR_DB_PATH="$OUT/feeds-$name" "$GEOATTR" check -f csv --no-default-db \
		--db "$top/geo/ip-location-db-asn.mmdb" "$OUT/$name.addrs" \
		>"$OUT/$name.feed.csv" 2>>"$OUT/$name.err"
	printf '%-14s %-10s %-20s %-20s\n' "$name" "$types" \
		"$(share "$types" "$OUT/$name.embedded.csv")" \
		"$(share "$types" "$OUT/$name.feed.csv")" | tee -a "$OUT/results.txt"
done

# What the embedded data says of the prefixes it does not type as the
# provider's: no holder at all (unannounced space), or another holder.
echo "misses (embedded only): the five largest causes per provider" | tee -a "$OUT/results.txt"
for f in "$OUT"/*.embedded.csv; do
	"$PY" - "$f" <<'EOF' | tee -a "$OUT/results.txt"
import collections, csv, os, sys
name = os.path.basename(sys.argv[1]).split(".")[0]
want = {"aws": "hosting,cdn", "cloudflare": "cdn", "fastly": "cdn"}.get(name, "hosting").split(",")
c = collections.Counter()
for r in csv.DictReader(open(sys.argv[1])):
    if r["network_type"] not in want:
        c["no holder in any source" if not r["asn"] else "AS%s %s (%s)" % (r["asn"], r["org"], r["network_type"])] += 1
for k, v in c.most_common(5):
    print("  %-13s %5d  %s" % (name, v, k))
EOF
done

# --- update of every feed from the local test server ---
# serve DIR: tests/feedserver.py on 127.0.0.1 serving DIR; sets URL to
# its /f/ route.  Every server started is killed on exit.
spids=
serve() {
	pf=$OUT/port.$(basename "$1")
	"$PY" "$top/tests/feedserver.py" "$1" --lifetime 300 >"$pf" 2>/dev/null &
	spids="$spids $!"
	# shellcheck disable=SC2064 # the list as it is now
	trap "kill $spids 2>/dev/null" EXIT
	i=0
	while [ ! -s "$pf" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	URL="http://127.0.0.1:$(head -n 1 "$pf")/f"
}

# timed LABEL CMD...: run CMD under /usr/bin/time, report its wall time
# and peak memory after LABEL.
timed() {
	label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$OUT/time" "$@"
	echo "$label: $(awk '{print $1 " s, peak RSS " $2 " KiB"}' "$OUT/time")" | tee -a "$OUT/results.txt"
}

if [ -x /usr/bin/time ]; then
	serve "$FIX"
	F=$URL
	all="--url aws=$F/aws-ip-ranges.json --url google=$F/gcp-cloud.json
	     --url oracle=$F/oracle-public_ip_ranges.json
	     --url cloudflare=$F/cloudflare-ips-v4.txt --url cloudflare=$F/cloudflare-ips-v6.txt
	     --url fastly=$F/fastly-public-ip-list.json --url digitalocean=$F/digitalocean-geofeed.csv
	     --url linode=$F/linode-geofeed.csv --url icloud=$F/icloud-egress.csv
	     --url tor=$F/tor-exits.txt --url mullvad=$F/mullvad-relays.json
	     --url protonvpn=$F/proton-logicals.json --azure $FIX/azure-servicetags.json"
	# shellcheck disable=SC2086
	timed "update, 12 feeds (fixtures) from 127.0.0.1" "$GEOATTR" update -q --dir "$OUT/all" $all
	# The same at the real feeds' sizes: AWS ~10k prefixes, a geofeed
	# of 300k lines (iCloud Private Relay publishes about that many).
	"$PY" - "$OUT/big" <<'EOF'
import ipaddress, json, os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
pre = [dict(ip_prefix="%d.%d.%d.0/24" % (3 + i // 65536, (i // 256) % 256, i % 256),
            region="us-east-1", service="EC2", network_border_group="us-east-1") for i in range(8000)]
p6 = [dict(ipv6_prefix="2600:1f%02x:%x::/48" % (i // 4096 % 256, i % 4096), region="eu-west-1",
           service="EC2", network_border_group="eu-west-1") for i in range(3000)]
json.dump(dict(syncToken="1", createDate="2026-01-01-00-00-00", prefixes=pre, ipv6_prefixes=p6),
          open(os.path.join(d, "aws-big.json"), "w"), indent=2)
with open(os.path.join(d, "geofeed-big.csv"), "w") as fp:
    for i in range(300000):
        if i % 2:
            fp.write("172.%d.%d.%d/28,GB,GB-EN,London,\n" % (224 + i // 65536 % 8, i // 256 % 256, (i % 256) // 16 * 16))
        else:
            fp.write("2a02:26f7:%x:%x::/64,US,US-CA,Los Angeles,\n" % (i // 65536, i % 65536))
EOF
	serve "$OUT/big"
	G=$URL
	timed "update, AWS 11k prefixes + geofeed 300k lines from 127.0.0.1" \
		"$GEOATTR" update -q --dir "$OUT/allbig" \
		--url aws="$G/aws-big.json" --url icloud="$G/geofeed-big.csv" aws icloud
	# A whole database download (update dbip-city): a DB-IP-shaped file
	# with a city per range, built from the embedded country ranges.
	"$PY" - "$top" "$OUT/big/city.csv" <<'EOF'
import lzma, sys
top, out = sys.argv[1], sys.argv[2]
with open(out, "w") as fp:
    for f in ("geo-whois-asn-country-ipv4.csv.xz", "geo-whois-asn-country-ipv6.csv.xz"):
        for i, line in enumerate(lzma.open(top + "/geo/" + f, "rt")):
            fp.write("%s,City %d of %s\n" % (line.rstrip("\n"), i % 50000, line.rsplit(",", 1)[1].strip()))
EOF
	"$GEOATTR" compile -q -f range-csv -c start,end,country,city -t DBIP-City-Lite \
		-o "$OUT/big/dbip.mmdb" "$OUT/big/city.csv"
	gzip -9 -c "$OUT/big/dbip.mmdb" >"$OUT/big/dbip.mmdb.gz"
	timed "update dbip-city, $(wc -c <"$OUT/big/dbip.mmdb.gz") bytes gzip -> $(wc -c <"$OUT/big/dbip.mmdb") bytes" \
		"$GEOATTR" update -q --dir "$OUT/db" --url dbip-city="$G/dbip.mmdb.gz" dbip-city
else
	echo "/usr/bin/time not found: update timing skipped"
fi
