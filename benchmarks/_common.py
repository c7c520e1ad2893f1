"""Shared helpers of the benchmark scripts: fresh databases, the synthetic dataset, timed manage.py runs."""

import contextlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "loyalty_bench")


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{OUT / 'bench.sqlite3'}"
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def fresh_database(kind: str) -> str:
    """Drop and recreate the benchmark database; return its DATABASE_URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    return database_url(kind)


def environment(url: str, **extra: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) on a plain-HTTP localhost."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "smtp://localhost:25",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(args: list[str], env: dict[str, str], *, check: bool = True) -> dict:
    """Run `manage.py ARGS` under /usr/bin/time -v: wall seconds, peak RSS (MB), output."""
    command = ["/usr/bin/time", "-v", PYTHON, str(ROOT / "manage.py"), *args]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if check and result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return {
        "command": " ".join(args),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "stdout": result.stdout,
    }


def dataset(rows: int, customers: int, products: int, seed: int = 42) -> Path:
    """The synthetic purchase file (generated once, kept under benchmarks/out/)."""
    path = OUT / f"synthetic-{rows}r-{customers}c-{products}p-s{seed}.csv"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "generate_data",
                "--customers",
                str(customers),
                "--rows",
                str(rows),
                "--products",
                str(products),
                "--seed",
                str(seed),
                "--out",
                str(path),
            ],
            env=environment(database_url("sqlite")),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return path


def save(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


SAMPLE = """
import json, random
from customers.models import Product
from analytics.models import LoyaltyScore
scores = LoyaltyScore.objects.filter(artifact__is_active=True)
ids = list(scores.values_list("customer__external_id", flat=True)[:20000])
names = list(Product.objects.values_list("name", flat=True))
random.Random(1).shuffle(ids)
print(json.dumps({"ids": ids[:5000], "names": names}))
"""


def api_environment(kind: str) -> dict[str, str]:
    """Two gunicorn workers; throttling still counts every request, with a limit the load cannot reach (the
    benchmarks measure serving, the tests cover the 429s)."""
    return environment(
        database_url(kind), WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="/dev/null", THROTTLE_USER="100000000/min"
    )


def api_fixtures(env: dict[str, str]) -> tuple[str, dict]:
    """A token for a benchmark user and a sample of real customer ids and product names."""
    token = manage(["issue_token", "benchmark", "--create-user"], env)["stdout"].strip()
    sample = json.loads(manage(["shell", "-c", SAMPLE], env)["stdout"].strip().splitlines()[-1])
    return token, sample


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[str]:
    """gunicorn with the project's gunicorn.conf.py on 127.0.0.1:PORT; yields the base URL once /health answers."""
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{port}",
            "loyalty_site.wsgi",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)  # noqa: S310 (localhost)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
