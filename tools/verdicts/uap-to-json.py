#!/usr/bin/env python3
"""Converts ua-parser/uap-core's regexes.yaml into the compact JSON the verdict engine embeds.

Usage: python3 tools/verdicts/uap-to-json.py path/to/regexes.yaml COMMIT > MailTracker.Core/Tracking/Verdicts/Data/uap-core/regexes.json

Keeps the user-agent and OS parsers whole, and of the device parsers only those that name a device 'Spider'
(uap-core's mark for bots), since the engine needs the device only to tell machines apart.
"""
import json
import sys

import yaml


def main() -> None:
    source, commit = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        data = yaml.safe_load(f)

    def pick(entry, keys):
        return {k: entry[k] for k in keys if k in entry}

    out = {
        "source": "https://github.com/ua-parser/uap-core/blob/%s/regexes.yaml" % commit,
        "licence": "Apache-2.0 (see LICENSE beside this file)",
        "user_agent_parsers": [pick(e, ["regex", "regex_flag", "family_replacement", "v1_replacement"]) for e in data["user_agent_parsers"]],
        "os_parsers": [pick(e, ["regex", "regex_flag", "os_replacement"]) for e in data["os_parsers"]],
        "spider_parsers": [pick(e, ["regex", "regex_flag"]) for e in data["device_parsers"] if e.get("device_replacement") == "Spider"],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
