"""Latency and throughput of the seed endpoints under gunicorn (2 workers), driven by wrk.

    .venv/bin/python benchmarks/pipeline.py --db postgres     # once: loads the 1M-line dataset
    .venv/bin/python benchmarks/api.py --db postgres

Requests cycle through real customer ids and product names, authenticated with a token. Concurrency 1 gives
the latency percentiles; concurrency 16 gives throughput and errors (HTTP statuses ≥ 400 and socket errors).
Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from _common import OUT, PYTHON, ROOT, database_url, environment, manage, save

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

SAMPLE = """
import json, random
from customers.models import Customer, Product
from analytics.models import LoyaltyScore
scores = LoyaltyScore.objects.filter(artifact__is_active=True)
ids = list(scores.values_list("customer__external_id", flat=True)[:20000])
names = list(Product.objects.values_list("name", flat=True))
random.Random(1).shuffle(ids)
print(json.dumps({"ids": ids[:5000], "names": names}))
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
    result = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    # Throttling still counts every request, but with a limit this load cannot reach: the benchmark measures
    # serving, not the 429s (tests cover those).
    env = environment(
        database_url(args.db), WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="/dev/null", THROTTLE_USER="100000000/min"
    )
    token = manage(["issue_token", "benchmark", "--create-user"], env)["stdout"].strip()
    sample = json.loads(manage(["shell", "-c", SAMPLE], env)["stdout"].strip().splitlines()[-1])
    OUT.mkdir(parents=True, exist_ok=True)
    predict = OUT / "bodies-predict.txt"
    predict.write_text("\n".join(json.dumps({"customer_id": c}) for c in sample["ids"]) + "\n")
    recommend = OUT / "bodies-recommend.txt"
    recommend.write_text("\n".join(json.dumps({"product_name": n.upper()}) for n in sample["names"]) + "\n")

    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{PORT}",
            "loyalty_site.wsgi",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        results = {}
        for name, bodies in (("predict-loyalty", predict), ("recommend-products", recommend)):
            url = f"http://127.0.0.1:{PORT}/{name}"
            wrk(url, bodies, token, connections=4, seconds=3)  # warm-up: connections, caches, verified model
            results[name] = {
                "concurrency_1": wrk(url, bodies, token, connections=1, seconds=args.seconds),
                "concurrency_16": wrk(url, bodies, token, connections=16, seconds=args.seconds),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {"db": args.db, "workers": 2, "seconds_per_run": args.seconds, "results": results}
    print(json.dumps(report, indent=2))
    print(f"Saved {save(f'api-{args.db}', report)}")


if __name__ == "__main__":
    main()
