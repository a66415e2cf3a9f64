"""Build qinqing/registry/standards/data/gbt4754_2017.csv from the transcription next to it.

Input ``gbt4754_2017.txt``: one "code name" per line in the standard's order, transcribed from a
public GB/T 4754-2017 code table (see docs/standards.md for the source). That table, like the
printed standard's own layout, omits a 中类 row when the 中类 is not subdivided: its single 小类
carries the 中类 code plus "0" and the same name (e.g. 0220 造林和更新 under 中类 022). This
script restores those 中类 rows, normalises punctuation, applies the documented name
corrections below, derives parent/section, checks the hierarchy, and writes the CSV.

Usage: python scripts/build_industry_data.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "qinqing" / "registry" / "standards" / "data"
SOURCE = DATA / "gbt4754_2017.txt"
TARGET = DATA / "gbt4754_2017.csv"

LEVELS = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}

# Names where the transcribed table differs from GB/T 4754-2017 as published (and as used by
# most other 2017-based tables); each was checked against several independent copies.
CORRECTIONS = {
    "15": "酒、饮料和精制茶制造业",  # source: "酒、饮料及精制茶制造业"
    "75": "科技推广和应用服务业",  # source: "科技推广和应用服务"
    "87": "广播、电视、电影和录音制作业",  # source: "…和影视录音制作业" (the 2011 name)
}


def normalise(name: str) -> str:
    name = name.strip().replace("(", "（").replace(")", "）").replace("?", "")
    return " ".join(name.split())


def build() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    section = ""
    for number, line in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        code, _, name = line.strip().partition(" ")
        name = CORRECTIONS.get(code, normalise(name))
        if not name or code in seen:
            raise SystemExit(f"line {number}: empty name or duplicate code {code!r}")
        if code.isalpha():
            section = code
            rows.append({"code": code, "name": name, "level": "门类", "parent": "", "section": code})
            seen.add(code)
            continue
        if not code.isdigit() or len(code) not in (2, 3, 4):
            raise SystemExit(f"line {number}: bad code {code!r}")
        if len(code) == 4 and code[:3] not in seen:
            if not code.endswith("0"):
                raise SystemExit(f"line {number}: 小类 {code} has no 中类 and does not end in 0")
            rows.append({"code": code[:3], "name": name, "level": "中类", "parent": code[:2], "section": section})
            seen.add(code[:3])
        parent = section if len(code) == 2 else code[:-1]
        if parent not in seen:
            raise SystemExit(f"line {number}: parent {parent} of {code} not seen yet")
        rows.append({"code": code, "name": name, "level": LEVELS[len(code)], "parent": parent, "section": section})
        seen.add(code)
    return rows


def main() -> int:
    rows = build()
    with TARGET.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent", "section"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {level: sum(r["level"] == level for r in rows) for level in LEVELS.values()}
    print(f"wrote {len(rows)} rows to {TARGET}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
