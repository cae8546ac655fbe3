#!/usr/bin/python3
"""make-samples.py - build the teaching lists in samples/lists/.

Every list is CONSTRUCTED: addresses are drawn, with a fixed seed, from
real networks in the data geoattr embeds (geo/asn-*.csv.xz for the ranges
each AS announces, geo/asn-types.csv for what kind of network each curated
AS is, geo/anycast-prefixes.csv for anycast services).  Which country an
address lands in is asked of the built geoattr binary (`lookup --format
csv`), so a list keeps only addresses that show the effect it is meant to
show with the databases as they are.  Nothing here is observed attack data.

Usage: samples/make-samples.py [--geoattr BIN] [--srcdir DIR] [--out DIR]

The same data, seed and binary give byte-identical files.  Standard
library only.
"""
import argparse
import csv
import io
import ipaddress
import json
import os
import random
import subprocess
import sys
import textwrap

SEED = 20260617          # the date of the embedded data, easy to remember
LABEL = ("# CONSTRUCTED for teaching by samples/make-samples.py (seed %d): "
         "not observed attack data." % SEED)

# Networks each list draws from, by AS number.  The names only make the
# comments readable; the type always comes from geo/asn-types.csv.
CLOUD = {
    "Amazon AWS": [16509, 14618],
    "Google Cloud": [396982, 15169],
    "Alibaba Cloud": [45102, 37963, 134963],
    "Tencent Cloud": [132203, 45090],
    "DigitalOcean": [14061],
    "OVHcloud": [16276],
    "Hetzner": [24940, 213230],
}
VPN = {
    "M247": [9009],
    "DataCamp": [60068, 212238],
    "PacketHub": [147049],
    "Proton": [62371, 199218, 208172, 209103],
    "Mullvad": [216025],
}
# (carrier, ASNs, the country the carrier serves): an address is kept only
# when source A places it there, so the list is "what it says on the tin".
RESIDENTIAL = [
    ("PLDT", [9299], "PH"),
    ("Globe Telecom", [132199, 4775], "PH"),
    ("Smart Communications", [10139], "PH"),
    ("China Telecom", [4134, 4812], "CN"),
    ("China Unicom", [4837, 17621], "CN"),
    ("China Mobile", [9808, 24400, 56040], "CN"),
    ("Comcast", [7922], "US"),
    ("Charter Spectrum", [20115, 11427], "US"),
    ("Verizon Wireless", [22394, 6167], "US"),
    ("T-Mobile USA", [21928], "US"),
    ("Rostelecom", [12389], "RU"),
    ("MTS", [8359], "RU"),
]
# Root servers' well-known IPv4 addresses (root-servers.org); each must sit
# in a prefix of geo/anycast-prefixes.csv or the script stops.
ROOTS = [
    ("a", "198.41.0.4"), ("b", "170.247.170.2"), ("c", "192.33.4.12"),
    ("d", "199.7.91.13"), ("e", "192.203.230.10"), ("f", "192.5.5.241"),
    ("g", "192.112.36.4"), ("h", "198.97.190.53"), ("i", "192.36.148.17"),
    ("j", "192.58.128.30"), ("k", "193.0.14.129"), ("l", "199.7.83.42"),
    ("m", "202.12.27.33"),
]
# Special-use blocks: (prefix, what it is, how many addresses to draw).
SPECIAL = [
    ("10.0.0.0/8", "private, RFC 1918", 3),
    ("172.16.0.0/12", "private, RFC 1918", 2),
    ("192.168.0.0/16", "private, RFC 1918", 3),
    ("100.64.0.0/10", "shared CGNAT space, RFC 6598", 3),
    ("127.0.0.0/8", "loopback, RFC 1122", 2),
    ("169.254.0.0/16", "link-local, RFC 3927", 2),
    ("192.0.2.0/24", "documentation TEST-NET-1, RFC 5737", 2),
    ("198.51.100.0/24", "documentation TEST-NET-2, RFC 5737", 2),
    ("203.0.113.0/24", "documentation TEST-NET-3, RFC 5737", 2),
    ("198.18.0.0/15", "benchmarking, RFC 2544", 1),
    ("224.0.0.0/4", "multicast, RFC 5771", 2),
    ("240.0.0.0/4", "reserved class E, RFC 1112", 2),
    ("0.0.0.0/8", "'this network', RFC 791", 1),
    ("fc00::/7", "unique local (private IPv6), RFC 4193", 2),
    ("fe80::/10", "IPv6 link-local, RFC 4291", 1),
    ("2001:db8::/32", "IPv6 documentation, RFC 3849", 2),
    ("ff00::/8", "IPv6 multicast, RFC 4291", 1),
]
SPECIAL_FIXED = [
    ("255.255.255.255", "limited broadcast, RFC 919"),
    ("::1", "IPv6 loopback, RFC 4291"),
    ("192.168.1.1", "private, RFC 1918 (a home router's usual address)"),
]


def die(msg):
    sys.stderr.write("make-samples.py: %s\n" % msg)
    sys.exit(1)


# ------------------------------------------------------------------ data

def load_types(path):
    """asn -> (type, name) from geo/asn-types.csv."""
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[int(row["asn"])] = (row["type"], row["name"])
    return out


def load_ranges(srcdir, wanted):
    """asn -> sorted list of (start, end, version) for the wanted ASNs."""
    out = {}
    for name in ("asn-ipv4.csv.xz", "asn-ipv6.csv.xz"):
        path = os.path.join(srcdir, "geo", name)
        try:
            text = subprocess.run(["xz", "-dc", path], check=True,
                                  stdout=subprocess.PIPE).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            die("%s: %s" % (path, e))
        for row in csv.reader(io.StringIO(text.decode("utf-8"))):
            asn = int(row[2])
            if asn not in wanted:
                continue
            lo = ipaddress.ip_address(row[0])
            hi = ipaddress.ip_address(row[1])
            out.setdefault(asn, []).append((int(lo), int(hi), lo.version))
    for v in out.values():
        v.sort()
    return out


def load_anycast(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(ipaddress.ip_network(r["network"]), r["operator"], r["service"])
                for r in csv.DictReader(f)]


class Geoattr:
    """Asks the built binary where addresses are, using only the embedded
    databases so that a user's own files cannot change the lists."""

    def __init__(self, binary, geodir):
        self.cmd = [binary, "lookup", "--format", "csv"]
        dbs = [os.path.join(geodir, n) for n in (
            "ip-location-db-country.mmdb", "ipfire-country.mmdb",
            "ip-location-db-asn.mmdb")]
        if all(os.path.exists(d) for d in dbs):
            self.cmd.append("--no-default-db")
            for d in dbs:
                self.cmd += ["--db", d]
        else:
            sys.stderr.write("make-samples.py: %s has no embedded databases; "
                             "using geoattr's own discovery\n" % geodir)
        self.cmd.append("-")
        self.cache = {}

    def lookup(self, addrs):
        todo = [a for a in addrs if a not in self.cache]
        if todo:
            p = subprocess.run(self.cmd, input="\n".join(todo) + "\n",
                               stdout=subprocess.PIPE, text=True)
            if p.returncode not in (0, 1):
                die("geoattr lookup failed (exit %d)" % p.returncode)
            rows = list(csv.DictReader(io.StringIO(p.stdout)))
            ccols = [k for k in rows[0] if k.startswith("country_")] if rows else []
            for r in rows:
                cc = [r[k] for k in ccols]
                self.cache[r["input"]] = {
                    "special": r["special_use"],
                    "asn": int(r["asn"]) if r["asn"] else 0,
                    "A": cc[0] if cc else "",
                    "B": cc[1] if len(cc) > 1 else "",
                    "org": r["org"],
                }
        return [self.cache.get(a) for a in addrs]


# ------------------------------------------------------------- sampling

def random_in(rng, lo, hi, version):
    """A random address in [lo, hi] that looks like a host: IPv4 avoids .0
    and .255 where the range allows; IPv6 takes a random /64 in the range
    and a small interface id, as servers and routers commonly use."""
    if version == 4:
        for _ in range(8):
            a = rng.randrange(lo, hi + 1)
            if hi - lo < 4 or a & 0xff not in (0, 255):
                break
        return str(ipaddress.IPv4Address(a))
    if hi - lo >= 1 << 64:
        net = rng.randrange(lo >> 64, (hi >> 64) + 1)
        return str(ipaddress.IPv6Address((net << 64) | rng.randrange(1, 0x10000)))
    return str(ipaddress.IPv6Address(rng.randrange(lo, hi + 1)))


def candidates(rng, ranges, asns, n, v6share=0.0):
    """n addresses drawn from the ranges of asns: a range is chosen
    uniformly (not by size), so small regional blocks get their turn."""
    out = []
    v4 = [(a, r) for a in asns for r in ranges.get(a, []) if r[2] == 4]
    v6 = [(a, r) for a in asns for r in ranges.get(a, []) if r[2] == 6]
    if not v4 and not v6:
        die("no ranges for AS%s" % ",".join(map(str, asns)))
    for _ in range(n):
        pool = v6 if v6 and (not v4 or rng.random() < v6share) else v4
        asn, (lo, hi, ver) = pool[rng.randrange(len(pool))]
        out.append((random_in(rng, lo, hi, ver), asn))
    return out


def select(ga, cands, n, keep, per_group, group):
    """Keep up to n candidates that pass keep(info), round-robin over
    group(addr, asn, info) so that no network or country crowds out the
    rest; per_group caps each group."""
    infos = ga.lookup([a for a, _ in cands])
    groups = {}
    seen = set()
    for (addr, asn), info in zip(cands, infos):
        if info is None or addr in seen or info["special"]:
            continue
        if info["asn"] != asn or not keep(info):
            continue
        seen.add(addr)
        groups.setdefault(group(addr, asn, info), []).append((addr, asn, info))
    out = []
    depth = 0
    keys = sorted(groups)
    while len(out) < n and depth < per_group:
        for k in keys:
            if depth < len(groups[k]) and len(out) < n:
                out.append(groups[k][depth])
        depth += 1
    return out


def pick(rng, ga, ranges, asns, n, keep=lambda i: True, per_group=2,
         by_country=True, v6share=0.0, factor=12):
    """n addresses of asns passing keep; draws more candidates until it
    has them or gives up loudly."""
    for attempt in range(4):
        cands = candidates(rng, ranges, asns, n * factor * (attempt + 1), v6share)
        got = select(ga, cands, n, keep, per_group * (attempt + 1),
                     (lambda a, s, i: (i["A"], s)) if by_country
                     else (lambda a, s, i: (s,)))
        if len(got) >= n:
            return got
    die("only %d of %d addresses found in AS%s" % (len(got), n,
        ",".join(map(str, asns))))


def asn_text(info):
    return "AS%d" % info["asn"] if info["asn"] else "no AS in the data"


def note(types, asn, info, extra=""):
    t, name = types.get(asn, ("type not curated", info["org"]))
    s = "AS%d %s, %s, A %s, B %s" % (asn, name, t, info["A"] or "-", info["B"] or "-")
    return (extra + ": " if extra else "") + s.replace("  ", " ")


# -------------------------------------------------------------- writing

LEGEND = ("After each address: why it is here, its AS with the name and type "
          "geo/asn-types.csv gives, and where sources A (ip-location-db) and B "
          "(IPFire) placed it when this file was generated.")


def write_list(path, shows, rows, how, legend=LEGEND):
    """rows: (address, comment).  Comments use ASCII and no ';' so that
    every reader treats them alike."""
    width = max(len(a) for a, _ in rows) + 2
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(LABEL + "\n")
        for line in textwrap.wrap("Shows: " + shows, 76):
            f.write("# %s\n" % line)
        for line in how:
            f.write("# %s\n" % line)
        for line in textwrap.wrap(legend, 76) if legend else []:
            f.write("# %s\n" % line)
        for addr, comment in rows:
            f.write(("%-*s# %s\n" % (width, addr, comment.replace(";", ","))) if comment
                    else addr + "\n")


def write_json(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------- lists

def build(args):
    srcdir = args.srcdir
    types = load_types(os.path.join(srcdir, "geo", "asn-types.csv"))
    anycast = load_anycast(os.path.join(srcdir, "geo", "anycast-prefixes.csv"))
    wanted = set()
    for group in (CLOUD, VPN):
        for asns in group.values():
            wanted.update(asns)
    for _, asns, _ in RESIDENTIAL:
        wanted.update(asns)
    # Extra networks for the three-quarters and mixed lists.
    extra_us_hosting = [8075, 63949, 20473, 36352, 8100]
    extra_cdn = [13335, 20940, 16625, 54113]
    extra_other = [2518, 9644, 9674]
    wanted.update(extra_us_hosting + extra_cdn + extra_other)
    ranges = load_ranges(srcdir, wanted)
    ga = Geoattr(args.geoattr, args.geodir)
    lists = os.path.join(args.out, "lists")
    claims = os.path.join(args.out, "claims")
    os.makedirs(lists, exist_ok=True)
    os.makedirs(claims, exist_ok=True)
    # One generator per list, each seeded from SEED and the list's name,
    # so changing one list does not reshuffle the others.
    def rng_for(name):
        return random.Random("%d:%s" % (SEED, name))

    # cloud-regions: each provider, spread over the countries A puts it in.
    rng = rng_for("cloud-regions")
    rows = []
    for prov in sorted(CLOUD):
        got = pick(rng, ga, ranges, CLOUD[prov], 10, per_group=1, v6share=0.15)
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, prov)))
    write_list(os.path.join(lists, "cloud-regions.txt"),
               "cloud and hosting servers of seven providers in many countries: "
               "anyone can rent one, anywhere, by the hour.",
               rows, ["Up to 10 addresses per provider (AWS, Google Cloud, Alibaba, Tencent,",
                      "DigitalOcean, OVHcloud, Hetzner), one per country where possible."])

    # vpn-hosts: networks that commercial VPNs run their exits from.
    rng = rng_for("vpn-hosts")
    rows = []
    for prov in sorted(VPN):
        n = 4 if prov == "Mullvad" else 8
        got = pick(rng, ga, ranges, VPN[prov], n, per_group=2, v6share=0.15)
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, prov)))
    write_list(os.path.join(lists, "vpn-hosts.txt"),
               "VPN exits: hosting networks VPN services rent (M247, DataCamp, "
               "PacketHub) and VPN providers' own networks (Proton, Mullvad).",
               rows, ["The address of a VPN exit is where the provider rents a server,",
                      "not where the user sits."])

    # residential-mobile: home and mobile carriers, kept only where A
    # places them in the country the carrier serves.
    rng = rng_for("residential-mobile")
    rows = []
    for carrier, asns, cc in RESIDENTIAL:
        got = pick(rng, ga, ranges, asns, 6, keep=lambda i, cc=cc: i["A"] == cc,
                   per_group=6, by_country=False)
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, carrier)))
    write_list(os.path.join(lists, "residential-mobile.txt"),
               "home and mobile connections in PH, CN, US and RU: in attack data "
               "these are usually compromised devices, and mobile carriers put "
               "thousands of users behind one address.",
               rows, ["Six addresses per carrier, kept only where source A places them in",
                      "the carrier's own country."])

    # anycast-resolvers: the services named in geo/anycast-prefixes.csv.
    rows = []
    for net, op, service in anycast:
        if "resolver" not in service and "DNS" not in service:
            continue
        addr = None
        for word in service.replace("(", " ").replace(")", " ").split():
            try:
                a = ipaddress.ip_address(word)
            except ValueError:
                continue
            if a in net:
                addr = str(a)
                break
        if addr is None:
            addr = str(net.network_address + 1)
        rows.append((addr, "%s, %s" % (op, service)))
    for letter, addr in ROOTS:
        a = ipaddress.ip_address(addr)
        hit = [x for x in anycast if a in x[0]]
        if not hit:
            die("%s (%s.root-servers.net) is in no anycast prefix" % (addr, letter))
        if all(addr != r[0] for r in rows):
            rows.append((addr, "%s.root-servers.net, %s" % (letter, hit[0][1])))
    infos = ga.lookup([a for a, _ in rows])
    rows = [(a, "%s, A %s, B %s" % (c, i["A"] or "-", i["B"] or "-"))
            for (a, c), i in zip(rows, infos)]
    write_list(os.path.join(lists, "anycast-resolvers.txt"),
               "anycast services (public DNS resolvers, root servers): one address "
               "answered from many countries at once, so its country means nothing.",
               rows, ["Addresses named by the operators, from geo/anycast-prefixes.csv and",
                      "root-servers.org."],
               legend="After each address: operator and service, and where sources A "
                      "(ip-location-db) and B (IPFire) placed it when this file was generated.")

    # Uniform sample of IPv4 for the disagreement and unrouted examples.
    rng = rng_for("uniform")
    uni = []
    seen = set()
    while len(uni) < 6000:
        a = str(ipaddress.IPv4Address(rng.getrandbits(32)))
        if a not in seen:
            seen.add(a)
            uni.append(a)
    infos = ga.lookup(uni)
    disagree = [(a, i) for a, i in zip(uni, infos)
                if i and not i["special"] and i["A"] and i["B"] and i["A"] != i["B"]]
    unrouted = [(a, i) for a, i in zip(uni, infos)
                if i and not i["special"] and not i["asn"] and not i["A"] and not i["B"]]
    both = sum(1 for i in infos if i and i["A"] and i["B"])

    # special-use: drawn from each block, plus the classics.
    rng = rng_for("special-use")
    rows = []
    for prefix, what, n in SPECIAL:
        net = ipaddress.ip_network(prefix)
        lo, hi = int(net.network_address), int(net.broadcast_address)
        for _ in range(n):
            rows.append((random_in(rng, lo + 1, hi - 1, net.version), what))
    for addr, what in SPECIAL_FIXED:
        rows.append((addr, what))
    for addr, _ in unrouted[:3]:
        rows.append((addr, "announced by no AS and placed by no source (unrouted)"))
    write_list(os.path.join(lists, "special-use.txt"),
               "special-use and unrouted addresses (private, shared CGNAT, loopback, "
               "link-local, documentation, multicast, reserved) that cannot be the "
               "source of traffic across the Internet.",
               rows, ["Addresses drawn from each IANA special-purpose block, and a few",
                      "from a uniform sample that no AS announces."],
               legend="After each address: the block it is in and the RFC defining it.")

    # disagreement: real addresses on which the two sources disagree.
    rng = rng_for("disagreement")
    pool = sorted(disagree, key=lambda x: ipaddress.ip_address(x[0]))
    rng.shuffle(pool)
    rows = [(a, "%s, A %s, B %s" % (asn_text(i), i["A"], i["B"]))
            for a, i in pool[:40]]
    write_list(os.path.join(lists, "disagreement.txt"),
               "addresses the two country sources place in different countries.",
               rows, ["From a uniform sample of %d IPv4 addresses: both sources placed %d," % (len(uni), both),
                      "and disagreed on %d of them (%.1f%%), 40 of which are kept here." %
                      (len(disagree), 100.0 * len(disagree) / max(both, 1))],
               legend="After each address: the AS announcing it and the two sources' answers "
                      "when this file was generated.")

    # registry-vs-location: companies registered in one country whose
    # addresses are placed in another, and disagreements.
    rng = rng_for("registry-vs-location")
    rows = [("8.8.8.8", "Google Public DNS: a US company's anycast address, answered worldwide"),
            ("1.1.1.1", "Cloudflare DNS: a block registered through APNIC (Australia), answered worldwide")]
    home = {"Amazon AWS": "US", "Google Cloud": "US", "DigitalOcean": "US",
            "Alibaba Cloud": "CN", "Tencent Cloud": "CN"}
    for prov in sorted(home):
        got = pick(rng, ga, ranges, CLOUD[prov], 2,
                   keep=lambda i, cc=home[prov]: i["A"] not in ("", cc), per_group=1)
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, "%s, a company registered in %s"
                                    % (prov, home[prov]))))
    for a, i in pool[40:44]:
        rows.append((a, "%s, the sources disagree: A %s, B %s" % (asn_text(i), i["A"], i["B"])))
    write_list(os.path.join(lists, "registry-vs-location.txt"),
               "where a block is registered, where it is located and who operates it "
               "are three different things.",
               rows, ["For `geoattr lookup`: cloud addresses of US and Chinese companies",
                      "placed abroad, anycast resolvers, and addresses the sources disagree on."])

    # three-quarters: exactly 74% of 200 placed in the US by A, nearly all
    # of them rented servers and CDN edges.
    rng = rng_for("three-quarters")
    us = lambda i: i["A"] == "US"
    parts = [
        ("US cloud", CLOUD["Amazon AWS"] + CLOUD["Google Cloud"] + CLOUD["DigitalOcean"]
         + extra_us_hosting + [16276, 45102], 100, us),
        ("US CDN", extra_cdn, 26, us),
        ("US VPN hosting", [9009, 60068, 212238, 147049], 12, us),
        ("US homes", [7922, 20115], 10, us),
        ("CN homes", [4134, 4837], 16, lambda i: i["A"] == "CN"),
        ("RU homes", [12389, 8359], 8, lambda i: i["A"] == "RU"),
        ("DE hosting", [24940], 10, lambda i: i["A"] == "DE"),
        ("FR hosting", [16276], 8, lambda i: i["A"] == "FR"),
        ("JP homes", [2518], 6, lambda i: i["A"] == "JP"),
        ("KR mobile", [9644], 4, lambda i: i["A"] == "KR"),
    ]
    rows = []
    for what, asns, n, keep in parts:
        got = pick(rng, ga, ranges, asns, n, keep=keep, per_group=4, by_country=False)
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, what)))
    rng.shuffle(rows)
    write_list(os.path.join(lists, "three-quarters.txt"),
               "a list where source A places 74% of the addresses in the US, yet "
               "nearly all of those are rented cloud servers, CDN edges and VPN hosts.",
               rows, ["148 of 200 addresses placed in the US by source A: 100 cloud, 26 CDN,",
                      "12 VPN hosting, 10 home connections. The other 52 are homes and servers",
                      "in CN, RU, DE, FR, JP, KR. 'Three quarters came from US IPs' is true",
                      "of this list and says nothing about who operated the machines."])

    # mixed-claim: what a "traced to PH" list can look like.
    rng = rng_for("mixed-claim")
    parts = [
        ("PH home/mobile", [9299, 132199, 4775, 10139], 28, lambda i: i["A"] == "PH"),
        ("cloud in SG/HK/JP", CLOUD["Amazon AWS"] + CLOUD["Alibaba Cloud"] + CLOUD["Tencent Cloud"]
         + CLOUD["DigitalOcean"], 16, lambda i: i["A"] in ("SG", "HK", "JP")),
        ("cloud in Europe", CLOUD["Hetzner"] + CLOUD["OVHcloud"], 8,
         lambda i: i["A"] in ("DE", "FI", "FR", "GB", "PL")),
        ("VPN", [9009, 60068, 212238, 62371, 199218], 10, lambda i: i["A"] != ""),
        ("CN homes", [4837, 17621, 4134], 10, lambda i: i["A"] == "CN"),
        ("US homes", [7922, 21928], 5, lambda i: i["A"] == "US"),
    ]
    rows = []
    for what, asns, n, keep in parts:
        got = pick(rng, ga, ranges, asns, n, keep=keep, per_group=3,
                   by_country=(what != "PH home/mobile"))
        for addr, asn, info in got:
            rows.append((addr, note(types, asn, info, what)))
    rows += [("8.8.8.8", "Google Public DNS (anycast)"), ("1.1.1.1", "Cloudflare DNS (anycast)"),
             ("10.20.30.40", "private, RFC 1918"), ("192.168.0.12", "private, RFC 1918"),
             ("203.0.113.50", "documentation, RFC 5737")]
    rng.shuffle(rows)
    # Repeats as logs have them: merged by check and counted as duplicates.
    rows += [(rows[k][0], "repeated entry") for k in (0, 3, 7, 11)]
    write_list(os.path.join(lists, "mixed-claim.txt"),
               "a list behind a constructed 'traced to the Philippines' claim: PH "
               "home connections mixed with foreign cloud, VPN, CN and US addresses, "
               "resolvers and special-use entries.",
               rows, ["Paired with samples/claims/constructed-ph.json. 82 distinct addresses,",
                      "28 of them PH home and mobile connections, and 4 repeated lines."])
    write_json(os.path.join(claims, "constructed-ph.json"), {
        "claimant": "CONSTRUCTED EXAMPLE (not a real claim)",
        "date": "2026-05-15",
        "statement": "most of the attacks on our servers were traced to IP addresses in the Philippines",
        "claimed_country": "PH",
        "claimed_share": 0.7,
        "source": "constructed for teaching by samples/make-samples.py; no such claim was made",
        "addresses": "../lists/mixed-claim.txt",
        "note": "A made-up claim and list that show what such a list usually holds.",
    })

    # stronger-evidence: events with time, port, protocol, volume and the
    # analyst's notes, modelled on the kind of evidence the APT1 report
    # laid out.  Addresses spread as that report's were: mostly Chinese
    # networks, some US servers, a few elsewhere.
    rng = rng_for("stronger-evidence")
    parts = [
        ("CN", [17621, 4812, 4837], 25, lambda i: i["A"] == "CN"),
        ("US", [36352, 8100, 20473, 63949], 4, lambda i: i["A"] == "US"),
        ("TW", [9674], 1, lambda i: i["A"] == "TW"),
        ("KR", [9644], 1, lambda i: i["A"] == "KR"),
    ]
    hosts = []
    for what, asns, n, keep in parts:
        got = pick(rng, ga, ranges, asns, n, keep=keep, per_group=n, by_country=False)
        hosts += [(addr, what) for addr, _, _ in got]
    events = []
    day0 = 61                      # 2026-03-02, day 61 of 2026, a Monday
    certs = ["C1", "C2", "C3"]
    for k, (addr, where) in enumerate(hosts):
        for _ in range(1 + rng.randrange(3)):
            day = day0 + 7 * rng.randrange(12) + rng.randrange(5)   # Mon-Fri
            hour = rng.randrange(0, 9)     # 08:00-17:00 at UTC+8
            port, proto, what = rng.choice([
                (443, "tcp", "HTTPS beacon to a staging server, TLS certificate %s" % rng.choice(certs)),
                (443, "tcp", "HTTPS beacon, same malware family as sample S%d" % (1 + k % 4)),
                (3389, "tcp", "RDP session to a hop point, operator keyboard layout zh-CN"),
                (22, "tcp", "SSH login with the account seen on day %d" % (1 + k % 7)),
                (80, "tcp", "HTTP download of tool T%d" % (1 + k % 3)),
                (53, "udp", "DNS queries for a domain registered with persona P%d" % (1 + k % 2)),
            ])
            ts = "2026-%02d-%02dT%02d:%02d:%02dZ" % (
                month_day(day) + (hour, rng.randrange(60), rng.randrange(60)))
            nbytes = rng.randrange(2, 800) * (512 if port in (80, 3389) else 64)
            events.append((ts, addr, port, proto, nbytes, what + " (constructed)"))
    events.sort()
    path = os.path.join(lists, "stronger-evidence.csv")
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write(LABEL + "\n")
        f.write("# Shows: what stronger evidence looks like: each event with its time, "
                "port, protocol, volume and the links an analyst drew.\n")
        f.write("# Modelled on the kind of evidence in Mandiant's APT1 report (2013); every "
                "event and note is made up.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["timestamp", "src_ip", "dst_port", "protocol", "bytes", "note"])
        for e in events:
            w.writerow(e)
    write_json(os.path.join(claims, "constructed-apt1-style.json"), {
        "claimant": "CONSTRUCTED EXAMPLE modelled on the kind of evidence in Mandiant's APT1 report (2013)",
        "date": "2026-06-10",
        "statement": "an intrusion set whose hop points are mostly on Chinese networks, linked by shared "
                     "TLS certificates, malware samples, operator accounts, working hours and personas",
        "claimed_country": "CN",
        "claimed_share": 0.83,
        "source": "constructed for teaching by samples/make-samples.py; the share mirrors APT1's "
                  "709 of 849 addresses registered in China, nothing here is from that report",
        "addresses": "../lists/stronger-evidence.csv",
        "note": "Every event is constructed. The point is the shape of the evidence: times, ports, "
                "volumes and links between events, with the IP country as one small input.",
    })
    return 0


def month_day(doy):
    """(month, day) of day-of-year doy (1-based) in 2026, not a leap year."""
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    m = 0
    while doy > lengths[m]:
        doy -= lengths[m]
        m += 1
    return (m + 1, doy)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--geoattr", default=os.path.join(".", "src", "geoattr"),
                    help="the built geoattr binary (default ./src/geoattr)")
    ap.add_argument("--srcdir", default=os.path.dirname(here),
                    help="source tree holding geo/ (default: the script's parent)")
    ap.add_argument("--geodir", default=None,
                    help="directory of the built databases (default: geo/ beside "
                         "the binary's directory)")
    ap.add_argument("--out", default=here,
                    help="where lists/ and claims/ are written (default: samples/)")
    args = ap.parse_args()
    if args.geodir is None:
        args.geodir = os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(args.geoattr))), "geo")
    if not os.access(args.geoattr, os.X_OK):
        die("%s: not an executable (build first, or pass --geoattr)" % args.geoattr)
    return build(args)


if __name__ == "__main__":
    sys.exit(main())
