#!/usr/bin/env python3
"""Derives Kea's defaults (the value Kea uses when a key is absent) per version from Kea's own sources:
the SimpleDefaults tables of src/lib/dhcpsrv/parsers/simple_parser4.cc and of the HA hook's
ha_config_parser.cc, at the release tags keagitops targets. Writes
src/KeaGitOps.Core/Kea/Keys/Data/kea-defaults.json, read by KeaDefaults.

Only tables whose keys Kea fills in where they are absent are taken: the global ones (Dhcp4's own
keys), options and option definitions, interfaces-config, queue control, multi-threading, sanity
checks, the HA relationship, its multi-threading and its peers. Subnet and shared-network keys are
left out on purpose: absent there means "inherited", not "Kea's default". HA keys that only hold in
load-balancing mode (HA_CONFIG_LB_DEFAULTS) are left out too.

Usage: scripts/kea-keys/derive-defaults.py [--mirror DIR]   (default /work/.mirror/isc-projects+kea/repo)
"""
import json
import os
import re
import subprocess
import sys

TAGS = {"2.2": "Kea-2.2.0", "2.6": "Kea-2.6.3", "3.0": "Kea-3.0.4"}
SOURCES = {
    "src/lib/dhcpsrv/parsers/simple_parser4.cc": {
        "GLOBAL4_DEFAULTS": "Dhcp4",
        "OPTION4_DEF_DEFAULTS": "option-def",
        "OPTION4_DEFAULTS": "option-data",
        "IFACE4_DEFAULTS": "interfaces-config",
        "DHCP_QUEUE_CONTROL4_DEFAULTS": "dhcp-queue-control",
        "DHCP_MULTI_THREADING4_DEFAULTS": "multi-threading",
        "SANITY_CHECKS4_DEFAULTS": "sanity-checks",
    },
    "src/hooks/dhcp/high_availability/ha_config_parser.cc": {
        "HA_CONFIG_DEFAULTS": "high-availability",
        "HA_CONFIG_MT_DEFAULTS": "multi-threading",
        "HA_CONFIG_PEER_DEFAULTS": "peers",
    },
}
ENTRY = re.compile(r'\{\s*"([^"]+)"\s*,\s*Element::(\w+)\s*,\s*"([^"]*)"\s*\}')


def table(text, name):
    start = re.search(r"SimpleDefaults\s+(?:\w+::)?" + name + r"\s*=\s*\{", text)
    if not start:
        return None
    end = text.index("};", start.end())
    return ENTRY.findall(text[start.end():end])


def value(kind, text):
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text == "true"
    if kind == "real":
        return float(text)
    return text


def main():
    mirror = sys.argv[sys.argv.index("--mirror") + 1] if "--mirror" in sys.argv else "/work/.mirror/isc-projects+kea/repo"
    found = {}  # (parent, key) -> {version: value}
    for version, tag in TAGS.items():
        for path, tables in SOURCES.items():
            text = subprocess.run(["git", "--git-dir", mirror, "show", f"{tag}:{path}"], check=True, capture_output=True, text=True).stdout
            for name, parent in tables.items():
                for key, kind, raw in table(text, name) or []:
                    values = found.setdefault((parent, key), {})
                    if version in values and values[version] != value(kind, raw):
                        values[version] = None  # two tables disagree under one parent name: no default
                    else:
                        values[version] = value(kind, raw)
    entries = []
    for (parent, key), values in sorted(found.items()):
        known = {v: x for v, x in values.items() if x is not None}
        if len(known) == len(TAGS) and len({json.dumps(x) for x in known.values()}) == 1:
            entries.append({"parent": parent, "key": key, "value": next(iter(known.values()))})
        else:
            for version, x in sorted(known.items()):
                entries.append({"parent": parent, "key": key, "value": x, "version": version})
    out = {
        "generated-by": "scripts/kea-keys/derive-defaults.py",
        "source": ", ".join(f"isc-projects/kea {t}" for t in TAGS.values()) + ": " + ", ".join(f"{p} ({', '.join(t)})" for p, t in SOURCES.items()),
        "defaults": entries,
    }
    target = os.path.join(os.path.dirname(__file__), "..", "..", "src", "KeaGitOps.Core", "Kea", "Keys", "Data", "kea-defaults.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(entries)} defaults written to {os.path.normpath(target)}")


if __name__ == "__main__":
    main()
