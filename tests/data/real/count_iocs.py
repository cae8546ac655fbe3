#!/usr/bin/env python3
"""Independent reference counts of the indicators in the real IOC files here.

Usage: python3 count_iocs.py [FILE...]   (default: every data file in this
directory except README.md and this script)

For each file it prints the number of IPv4 and IPv6 address values (once per
occurrence, and distinct), and the number of each other indicator kind:
domain, url, md5, sha1, sha256, email, filename, other.

Written only with the Python standard library (xml.etree, json, csv,
ipaddress); it shares no code with geoattr, so its numbers can be used as
ground truth for the C readers' accounting.

Rules, per format:
  STIX 1.x   every cybox:Properties element is one observable. AddressObj
             values are split on the "##comma##" delimiter; each part is
             ipv4/ipv6 when it parses as an address, email when
             category="e-mail", else other. DomainNameObj / HostnameObj ->
             domain, URIObj -> url, FileObj hashes -> md5/sha1/sha256 by
             their Type, FileObj File_Name/File_Path -> filename, anything
             else -> other.
  OpenIOC    every IndicatorItem is one indicator, classified by its
             Context/@search and Content/@type (1.0 and 1.1 namespaces).
  MISP JSON  every attribute of Event.Attribute and of Event.Object[].Attribute,
             accepting both {"Event":...} and {"response":[{"Event":...}]}.
             ip-src/ip-dst and the address half of ip-*|port and domain|ip
             count as addresses; "link" (a reference to a report) is other.
             An IP item whose Content is empty (MISP's OpenIOC export does
             this) is not counted, only noted as empty-address-value.
  CSV        the type column (TYPE / type / entity_type / Indicator_type)
             decides (Sophos "Description" and "#..." rows
             are noted, not counted); a file with FQDN and IP columns instead (FireEye NBIs)
             counts each non-empty cell. Defanged "[.]" is refanged first.
"""
import csv
import io
import ipaddress
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

KINDS = ["domain", "url", "md5", "sha1", "sha256", "email", "filename", "other"]


class Tally:
    def __init__(self):
        self.v4 = []
        self.v6 = []
        self.kinds = Counter()
        self.notes = Counter()

    def addr(self, value, fallback="other"):
        """Count value as an address if it parses as one, else as fallback."""
        v = refang(value.strip())
        if not v:
            # e.g. MISP's OpenIOC export writes <Content type="IP"></Content>
            self.notes["empty-address-value"] += 1
            return
        try:
            ip = ipaddress.ip_address(v)
        except ValueError:
            self.kinds[fallback] += 1
            self.notes["not-an-address(%s)" % fallback] += 1
            return
        (self.v4 if ip.version == 4 else self.v6).append(str(ip))

    def kind(self, k):
        self.kinds[k] += 1

    def report(self):
        out = {
            "ipv4": len(self.v4), "ipv4_distinct": len(set(self.v4)),
            "ipv6": len(self.v6), "ipv6_distinct": len(set(self.v6)),
        }
        for k in KINDS:
            out[k] = self.kinds.get(k, 0)
        return out


def refang(s):
    return s.replace("[.]", ".").replace("[:]", ":").replace("hxxp", "http")


def local(tag):
    return tag.rsplit("}", 1)[-1]


XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


# ---------------------------------------------------------------- STIX 1.x
def count_stix(root, t):
    for props in root.iter():
        if local(props.tag) != "Properties":
            continue
        xtype = props.get(XSI_TYPE, "")
        otype = xtype.split(":")[-1]
        if otype == "AddressObjectType":
            cat = props.get("category", "")
            for av in props:
                if local(av.tag) != "Address_Value" or av.text is None:
                    continue
                delim = av.get("delimiter", "##comma##")
                for part in av.text.split(delim):
                    if cat == "e-mail":
                        t.kind("email")
                    else:
                        t.addr(part)
        elif otype == "DomainNameObjectType" or otype == "HostnameObjectType":
            t.kind("domain")
        elif otype == "URIObjectType":
            t.kind("url")
        elif otype == "FileObjectType":
            hashes = [h for h in props.iter() if local(h.tag) == "Hash"]
            for h in hashes:
                name = ""
                for c in h:
                    if local(c.tag) == "Type" and c.text:
                        name = c.text.strip().lower().replace("-", "")
                t.kind(name if name in ("md5", "sha1", "sha256") else "other")
            named = [c for c in props if local(c.tag) in ("File_Name", "File_Path")]
            if named:
                t.kind("filename")
            if not hashes and not named:
                t.kind("other")
        elif otype == "EmailMessageObjectType":
            # its addresses are AddressObj children counted above only when
            # typed as Properties; here the header addresses are plain
            # elements, so count the message once as email
            t.kind("email")
        else:
            t.kind("other")
            t.notes["stix-other(%s)" % otype] += 1


# ---------------------------------------------------------------- OpenIOC
IP_SEARCH = re.compile(r"(remoteIP|localIP|RemoteIP|LocalIP|/IP$|Destination$|"
                       r"Gateway$|Network/IP)", re.I)
DOMAIN_SEARCH = re.compile(r"(Network/DNS|DnsEntryItem/|/hostname$|/Host$)", re.I)
URL_SEARCH = re.compile(r"(UrlHistoryItem/URL|Network/URI|/URL$|/uri$)", re.I)


def count_openioc(root, t):
    for item in root.iter():
        if local(item.tag) != "IndicatorItem":
            continue
        ctx = cont = None
        for c in item:
            if local(c.tag) == "Context":
                ctx = c
            elif local(c.tag) == "Content":
                cont = c
        search = ctx.get("search", "") if ctx is not None else ""
        ctype = (cont.get("type", "") if cont is not None else "").lower()
        value = (cont.text or "") if cont is not None else ""
        s_low = search.lower()
        if ctype == "ip" or IP_SEARCH.search(search):
            t.addr(value)
        elif ctype in ("md5", "sha1", "sha256"):
            t.kind(ctype)
        elif s_low.endswith("md5sum") or s_low.endswith("/md5"):
            t.kind("md5")
        elif s_low.endswith("sha1sum") or s_low.endswith("/sha1"):
            t.kind("sha1")
        elif s_low.endswith("sha256sum") or s_low.endswith("/sha256"):
            t.kind("sha256")
        elif DOMAIN_SEARCH.search(search):
            t.kind("domain")
        elif URL_SEARCH.search(search):
            t.kind("url")
        elif s_low.startswith("email/") or "email" in s_low:
            t.kind("email")
        elif s_low.endswith("/filename") or s_low.endswith("/fullpath"):
            t.kind("filename")
        else:
            t.kind("other")
            t.notes["openioc-other(%s)" % search] += 1


# ---------------------------------------------------------------- MISP
MISP_SIMPLE = {
    "domain": "domain", "hostname": "domain",
    "url": "url", "uri": "url",
    "md5": "md5", "sha1": "sha1", "sha256": "sha256",
    "email": "email", "email-src": "email", "email-dst": "email",
    "filename": "filename",
}


def misp_event(doc):
    if isinstance(doc, dict) and "Event" in doc:
        return doc["Event"]
    if isinstance(doc, dict) and "response" in doc:
        r = doc["response"]
        return r[0]["Event"] if isinstance(r, list) else r["Event"]
    raise ValueError("no MISP Event")


def count_misp_attr(a, t):
    typ = a.get("type", "")
    val = a.get("value", "")
    if typ in ("ip-src", "ip-dst"):
        t.addr(val)
    elif typ in ("ip-src|port", "ip-dst|port"):
        t.addr(val.rsplit("|", 1)[0])
    elif typ == "domain|ip":
        d, ip = val.split("|", 1)
        t.kind("domain")
        t.addr(ip)
    elif typ in ("hostname|port",):
        t.kind("domain")
    elif typ.startswith("filename|"):
        t.kind("filename")
        h = typ.split("|", 1)[1]
        t.kind(h if h in ("md5", "sha1", "sha256") else "other")
    elif typ in MISP_SIMPLE:
        t.kind(MISP_SIMPLE[typ])
    else:
        t.kind("other")
        t.notes["misp-other(%s)" % typ] += 1
    if a.get("comment"):
        t.notes["attributes-with-comment"] += 1
    if a.get("first_seen"):
        t.notes["attributes-with-first_seen"] += 1


def count_misp(doc, t):
    ev = misp_event(doc)
    for a in ev.get("Attribute", []):
        count_misp_attr(a, t)
    t.notes["event-attributes"] = len(ev.get("Attribute", []))
    t.notes["objects"] = len(ev.get("Object", []))
    for o in ev.get("Object", []):
        for a in o.get("Attribute", []):
            count_misp_attr(a, t)
            t.notes["object-attributes"] += 1


# ---------------------------------------------------------------- CSV
CSV_TYPES = {
    # JAR-16-20296A
    "ipv4addr": "ip", "ipv6addr": "ip", "fqdn": "domain", "url": "url",
    "md5hash": "md5", "sha1hash": "sha1", "sha256hash": "sha256",
    "emailaddr": "email", "filename": "filename",
    # Volexity
    "ipaddress": "ip", "hostname": "domain", "domain": "domain",
    "md5": "md5", "sha1": "sha1", "sha256": "sha256",
    "email-sender": "email", "emailsender": "email", "file": "filename",
    # Sophos
    "ip": "ip", "ipv4": "ip", "ipv6": "ip",
}


def count_csv(text, t):
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    low = [h.lower() for h in header]
    tcol = None
    for name in ("type", "entity_type", "indicator_type"):
        if name in low:
            tcol = low.index(name)
            break
    if tcol is not None:
        vcol = 0
        for name in ("indicator_value", "value", "data"):
            if name in low:
                vcol = low.index(name)
                break
        for r in rows[1:]:
            if len(r) <= max(tcol, vcol) or not "".join(r).strip():
                t.notes["csv-blank-or-short-rows"] += 1
                continue
            typ = r[tcol].strip().lower()
            if typ == "description" or typ.startswith("#"):
                # Sophos files carry a "Description" row and free-text notes
                t.notes["csv-non-indicator-rows"] += 1
                continue
            k = CSV_TYPES.get(typ)
            if k == "ip":
                t.addr(r[vcol])
            elif k:
                t.kind(k)
            else:
                t.kind("other")
                t.notes["csv-other(%s)" % r[tcol].strip()[:30]] += 1
        return
    if "fqdn" in low and "ip" in low:
        f, i = low.index("fqdn"), low.index("ip")
        extra = [k for k, h in enumerate(low) if h == "target"]
        for r in rows[1:]:
            if r[f].strip():
                t.kind("domain")
            if r[i].strip():
                t.addr(r[i])
            for k in extra:
                if r[k].strip():
                    t.kind("domain")
                    t.notes["csv-target-column-domains"] += 1
        return
    raise ValueError("unknown CSV shape: %r" % header)


# ---------------------------------------------------------------- driver
def count_file(path):
    data = open(path, "rb").read()
    t = Tally()
    name = os.path.basename(path)
    if name.endswith(".json"):
        count_misp(json.loads(data.decode("utf-8")), t)
        fmt = "MISP JSON"
    elif name.endswith(".csv"):
        count_csv(data.decode("utf-8-sig"), t)
        fmt = "CSV"
    else:
        root = ET.fromstring(data)
        ns = root.tag.split("}")[0].lstrip("{") if root.tag.startswith("{") else ""
        if local(root.tag) == "STIX_Package":
            count_stix(root, t)
            fmt = "STIX " + root.get("version", "?")
        elif local(root.tag) in ("ioc", "OpenIOC"):
            count_openioc(root, t)
            fmt = "OpenIOC " + ("1.1" if "OpenIOC_1.1" in ns else "1.0")
        else:
            raise ValueError("unknown XML root " + root.tag)
    return fmt, t


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    files = argv[1:] or sorted(
        os.path.join(here, f) for f in os.listdir(here)
        if os.path.isfile(os.path.join(here, f))
        and f not in ("README.md", os.path.basename(__file__)))
    for path in files:
        fmt, t = count_file(path)
        r = t.report()
        print("%s [%s]" % (os.path.basename(path), fmt))
        print("  ipv4 %d (distinct %d)  ipv6 %d (distinct %d)" % (
            r["ipv4"], r["ipv4_distinct"], r["ipv6"], r["ipv6_distinct"]))
        print("  " + "  ".join("%s %d" % (k, r[k]) for k in KINDS))
        if t.notes:
            print("  notes: " + ", ".join("%s=%d" % kv for kv in sorted(t.notes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
