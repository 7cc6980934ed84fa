"""Load test of the real server on loopback with wrk (Debian package `wrk`).

Run: .venv/bin/python bench/load.py [--seconds 60] [--connections 64] [--workers 1]

POSTs dev-set questions to /api/ask (rate limit off), then GETs /healthz, a trivial endpoint
on the same server, as the ceiling; reports requests per second, p50/p99 latency, errors, and the
server's memory before and after (growth should stay under 10%).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's server launcher: the same start-up the tests wait for

from helpers import start_server, stop_server  # noqa: E402

LUA = """
local bodies = {}
for line in io.lines(os.getenv("BOT_BENCH_QUESTIONS")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, bodies[i])
end
"""


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Memory of the server and its children (worker processes), summed: VmRSS now, or VmHWM at peak."""
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1]) / 1024
        except FileNotFoundError:
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        out = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(c) for c in out] + [g for c in out for g in children(int(c))]


def run_wrk(
    url: str, seconds: int, connections: int, script: Path | None, env: dict[str, str], cpus: set[int] | None = None
) -> dict[str, float]:
    cmd = ["wrk", f"-t{len(cpus) if cpus else 2}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env, check=True, preexec_fn=pin).stdout

    def latency(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    for m in re.finditer(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
        "requests": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the server on one CPU and wrk on the others, so the two do not take turns on the same core",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    from bot.evaluation import read_rows

    tmp = Path(tempfile.mkdtemp())
    questions = tmp / "questions.jsonl"
    questions.write_text(
        "".join(json.dumps({"question": r.question}) + "\n" for r in read_rows(ROOT / "tests/data/questions.tsv"))
    )
    script = tmp / "ask.lua"
    script.write_text(LUA)
    env = {**os.environ, "BOT_BENCH_QUESTIONS": str(questions)}

    server = start_server(tmp, {"BOT_RATE_LIMIT": "0", "BOT_LOG_LEVEL": "WARNING"})
    cpus = sorted(os.sched_getaffinity(0))
    wrk_cpus = None
    if args.pin and len(cpus) > 1:
        os.sched_setaffinity(server.process.pid, {cpus[0]})
        wrk_cpus = set(cpus[1:])
    try:
        run_wrk(f"{server.url}/api/ask", 5, 8, script, env, wrk_cpus)  # warm up
        before = rss_mb(server.process.pid)
        ask = run_wrk(f"{server.url}/api/ask", args.seconds, args.connections, script, env, wrk_cpus)
        after = rss_mb(server.process.pid)
        peak = rss_mb(server.process.pid, "VmHWM")
        ceiling = run_wrk(f"{server.url}/healthz", max(10, args.seconds // 3), args.connections, None, env, wrk_cpus)
    finally:
        stop_server(server)
    growth = (after - before) / before * 100
    pinned = f", server pinned to CPU {cpus[0]}, wrk to {sorted(wrk_cpus)}" if wrk_cpus else ""
    print(f"wrk, {args.seconds} s, {args.connections} connections, 1 worker, loopback{pinned}")
    print("| endpoint | requests/s | p50 ms | p99 ms | errors | requests |")
    print("|---|---|---|---|---|---|")
    for name, r in (("POST /api/ask", ask), ("GET /healthz (ceiling)", ceiling)):
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} | {r['requests']} |")
    print(f"\n/api/ask at {ask['rps'] / ceiling['rps']:.0%} of the trivial endpoint's throughput")
    print(f"server RSS: {before:.1f} MB before, {after:.1f} MB after ({growth:+.1f}%), peak {peak:.1f} MB")
    time.sleep(0)


if __name__ == "__main__":
    main()
