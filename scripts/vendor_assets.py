#!/usr/bin/env python3
"""Copy the front-end files the platform serves from node_modules/ into var/vendor/.

`make assets` first runs npm's own client (`npm ci --ignore-scripts`), which installs exactly the versions and
sha512 integrities of package-lock.json from whatever registry or mirror npm is configured to use (`npm config
get registry`; an intranet sets it in ~/.npmrc or NPM_CONFIG_REGISTRY). This script only picks the files the
templates reference, checking each package's version against the lock file.
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "var" / "vendor"

# package -> files inside the package that the templates (or the browser tests) reference
WANTED = {
    "htmx.org": ["dist/htmx.min.js", "LICENSE"],
    "echarts": ["dist/echarts.min.js", "LICENSE"],
    "axe-core": ["axe.min.js", "LICENSE"],  # accessibility checks of the browser tests (not used by pages)
}


def main() -> int:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, files in WANTED.items():
        version = lock[f"node_modules/{name}"]["version"]
        installed = json.loads((MODULES / name / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != version:
            print(f"{name}: node_modules has {installed}, the lock pins {version}; run npm ci", file=sys.stderr)
            return 1
        target = VENDOR / name
        for rel in files:
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(MODULES / name / rel, out)
        (target / ".version").write_text(version + "\n", encoding="utf-8")
        print(f"vendored {name}@{version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
