# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Where a home request's CPU goes, in process: the WSGI application gunicorn runs (``config.wsgi``, warmed),
called directly with a signed-in session's cookie, no HTTP and no client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_home_bench .venv/bin/python bench/home/where.py \\
        [--path /] [--requests 300] [--top 35]

Prints the CPU (``time.process_time``) and wall time per request, p50/p95, and a cProfile of the same requests:
each middleware's inclusive time, then the functions with the most time of their own. The database must hold
the demo already (``bench/home/run.py`` seeds it).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "home"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"

import machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--save", default=None, help="write the page's HTML here (to compare two trees' pages)")
    args = parser.parse_args()

    from run import _session_cookie

    from config.wsgi import application  # warms the worker as gunicorn's do

    name, value = _session_cookie()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": args.path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"{name}={value}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    def one() -> bytes:
        status.clear()
        body = b"".join(application(dict(environ, **{"wsgi.input": io.BytesIO(b"")}), start_response))
        if not status[0].startswith("200"):
            raise SystemExit(f"{args.path}: {status[0]}")
        return body

    for _ in range(30):
        body = one()
    if args.save:
        Path(args.save).write_bytes(body)
    print(machine.state())
    cpu, wall = [], []
    for _ in range(args.requests):
        c0, w0 = time.process_time(), time.perf_counter()
        one()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    for label, values in (("CPU", cpu), ("wall", wall)):
        s = machine.summary(values)
        print(
            f"{args.path} {label:4}: mean {statistics.mean(values):.2f} ms, p50 {s['p50']:.2f}, p95 {s['p95']:.2f}, best {s['best']:.2f}"
        )
    print(f"response {len(body)} bytes")

    if args.no_profile:
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(args.requests):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(
        f"\ncProfile (CPU), {args.requests} requests, {total / args.requests * 1000:.2f} ms a request; middleware inclusive:"
    )
    for (file, line, func), (_cc, _nc, _tt, ct, _callers) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):
        if func == "__call__" and ("middleware" in file or "replica" in file or "badinput" in file):
            print(f"  {ct / args.requests * 1000:6.2f} ms  {Path(file).parent.name}/{Path(file).name}:{line}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top * 2)
    print(out.getvalue())


if __name__ == "__main__":
    main()
