#!/usr/bin/env python3
"""Fetch the front-end packages pinned in package-lock.json from the npm registry into var/vendor/.

No Node.js needed: each tarball is downloaded, checked against the lock file's sha512 integrity,
and only the files the platform serves are extracted. Already-present files are kept (offline rebuilds).
Set NPM_REGISTRY to use a mirror (e.g. an intranet Nexus/Verdaccio).
"""

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "var" / "vendor"
REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")

# package -> files inside the tarball's "package/" folder that the templates reference
WANTED = {
    "htmx.org": ["dist/htmx.min.js", "LICENSE"],
    "echarts": ["dist/echarts.min.js", "LICENSE"],
    "axe-core": ["axe.min.js", "LICENSE"],  # accessibility checks of the browser tests (not used by pages)
}


def tarball_url(name: str, version: str) -> str:
    base = name.split("/")[-1]
    return f"{REGISTRY}/{name}/-/{base}-{version}.tgz"


def check_integrity(data: bytes, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity mismatch for downloaded tarball: {integrity}")


def main() -> int:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    for name, files in WANTED.items():
        entry = packages[f"node_modules/{name}"]
        version, integrity = entry["version"], entry["integrity"]
        target = VENDOR / name
        stamp = target / ".version"
        if stamp.exists() and stamp.read_text().strip() == version and all((target / f).exists() for f in files):
            continue
        url = tarball_url(name, version)
        print(f"fetching {name}@{version} from {url}")
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        check_integrity(data, integrity)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for rel in files:
                member = tar.getmember(f"package/{rel}")
                out = target / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())
        stamp.write_text(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
