#!/usr/bin/env python3
"""Write <out>.env.json for one (fixture, scenario): machine, versions, load, and per tool its
status, exact command, prepare step, peak RSS and file count (from <out>.rss.txt).

Usage: record.py <out> <tools.tsv> key=value...   (keys "version.<tool>" group into "versions")
"""
import json
import re
import sys
from datetime import date
from pathlib import Path

MACHINE_KEYS = ("nproc", "memory", "cpu", "kernel", "scratch_fs", "hyperfine_version")


def parse_rss(path: Path) -> dict:
    """Map tool -> (peak RSS in KiB, regular files in node_modules) from GNU time -v blocks."""
    found, tool = {}, None
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        header = re.match(r"## (\S+) files=(\d*)", line)
        if header:
            tool = header.group(1)
            found[tool] = {"files": int(header.group(2)) if header.group(2) else None}
            continue
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
        if rss and tool:
            found[tool]["peak_rss_kb"] = int(rss.group(1))
        code = re.search(r"Exit status: (\d+)", line)
        if code and tool:
            found[tool]["exit_status"] = int(code.group(1))
    return found


def main() -> None:
    out, tsv, *pairs = sys.argv[1:]
    fields = dict(pair.split("=", 1) for pair in pairs)
    record = {
        "date": date.today().isoformat(),
        "machine": {k: fields.pop(k) for k in MACHINE_KEYS if k in fields},
        "versions": {
            k.removeprefix("version."): fields.pop(k)
            for k in list(fields)
            if k.startswith("version.")
        },
    }
    record["lade_source"] = fields.pop("lade_source", "unknown")
    record["lade_build"] = fields.pop("lade_build", "unknown")
    record.update(fields)
    rss = parse_rss(Path(out + ".rss.txt"))
    record["tools"] = []
    for line in Path(tsv).read_text().splitlines():
        tool, status, command, prepare = line.split("\t")
        entry = {"tool": tool, "status": status, "command": command, "prepare": prepare}
        entry.update(rss.get(tool, {}))
        record["tools"].append(entry)
    Path(out + ".env.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
