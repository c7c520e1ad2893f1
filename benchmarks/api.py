"""Latency and throughput of the seed endpoints under gunicorn (2 workers), driven by wrk.

    .venv/bin/python benchmarks/pipeline.py --db postgres     # once: loads the 1M-line dataset
    .venv/bin/python benchmarks/api.py --db postgres

Requests cycle through real customer ids and product names, authenticated with a token. Concurrency 1 gives
the latency percentiles; concurrency 16 gives throughput and errors (HTTP statuses >= 400 and socket errors).
Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path

from _common import OUT, api_environment, api_fixtures, gunicorn, save

PORT = 8123
LUA = r"""
local lines = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do lines[#lines + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token " .. os.getenv("BENCH_TOKEN")
request = function()
  i = i % #lines + 1
  return wrk.format(nil, nil, nil, lines[i])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT p50=%.3f p90=%.3f p99=%.3f max=%.3f requests=%d http_errors=%d socket_errors=%d rps=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6)))
end
"""


def wrk(url: str, bodies: Path, token: str, *, connections: int, seconds: int) -> dict:
    env = {"BENCH_BODIES": str(bodies), "BENCH_TOKEN": token, "PATH": "/usr/bin:/bin"}
    script = OUT / "bench.lua"
    script.write_text(LUA)
    threads = 1 if connections == 1 else 2
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (.*)", out)
    return {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    env = api_environment(args.db)
    token, sample = api_fixtures(env)
    OUT.mkdir(parents=True, exist_ok=True)
    predict = OUT / "bodies-predict.txt"
    predict.write_text("\n".join(json.dumps({"customer_id": c}) for c in sample["ids"]) + "\n")
    recommend = OUT / "bodies-recommend.txt"
    recommend.write_text("\n".join(json.dumps({"product_name": n.upper()}) for n in sample["names"]) + "\n")

    results = {}
    with gunicorn(env, PORT) as base:
        for name, bodies in (("predict-loyalty", predict), ("recommend-products", recommend)):
            url = f"{base}/{name}"
            wrk(url, bodies, token, connections=4, seconds=3)  # warm-up: connections, caches, verified model
            results[name] = {
                "concurrency_1": wrk(url, bodies, token, connections=1, seconds=args.seconds),
                "concurrency_16": wrk(url, bodies, token, connections=16, seconds=args.seconds),
            }
    report = {"db": args.db, "workers": 2, "seconds_per_run": args.seconds, "results": results}
    print(json.dumps(report, indent=2))
    print(f"Saved {save(f'api-{args.db}', report)}")


if __name__ == "__main__":
    main()
