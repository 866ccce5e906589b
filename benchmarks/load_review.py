"""Load script for a running review app: latency of the queue page and a target page.

Logs in like a browser (CSRF token from the login form), then sends a bounded
number of GET requests per page kind from a few concurrent clients, and prints
p50/p95/p99 in milliseconds per kind. Loopback only: it refuses other hosts, so
it cannot be pointed at someone else's server by accident.

    KLIMAMAAL_BENCH_PASSWORD=... python benchmarks/load_review.py http://127.0.0.1:8000 \\
        --user bench [--requests 400] [--concurrency 4] [--max-target-id 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx

MAX_REQUESTS = 10_000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def login(client: httpx.Client, user: str, password: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        sys.exit("no CSRF token on the login page")
    response = client.post(
        "/login", data={"csrf_token": token.group(1), "name": user, "password": password, "next": "/queue"}
    )
    if response.status_code != 303:
        sys.exit(f"login failed: HTTP {response.status_code}")


def queue_urls(rng: random.Random, n: int) -> list[str]:
    """A mix of what reviewers open: the default queue, later pages, filters, the other order."""
    variants = [
        lambda: "/queue",
        lambda: f"/queue?page={rng.randint(2, 200)}",
        lambda: f"/queue?municipality={rng.choice([101, 147, 151, 751, 851, 461])}",
        lambda: f"/queue?sector={rng.choice(['energi', 'transport', 'bygninger', 'affald'])}",
        lambda: f"/queue?year={rng.choice([2025, 2030, 2050])}&status=all",
    ]
    return [variants[i % len(variants)]() for i in range(n)]


def run(
    base: str, user: str, password: str, requests: int, concurrency: int, max_target_id: int
) -> dict[str, list[float]]:
    rng = random.Random(11)
    urls = {
        "queue": queue_urls(rng, requests),
        "target": [f"/targets/{rng.randint(1, max_target_id)}" for _ in range(requests)],
        # Ordering by confidence has no index of its own yet (see the report): measured apart.
        "queue_by_confidence": [
            f"/queue?sort=confidence&page={rng.randint(1, 20)}" for _ in range(max(1, requests // 4))
        ],
    }
    clients = []
    for _ in range(concurrency):
        client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        login(client, user, password)
        clients.append(client)
    timings: dict[str, list[float]] = {}
    for kind, paths in urls.items():
        for client in clients:  # warm-up: templates compiled, caches filled
            client.get(paths[0])

        def fetch(job: tuple[int, str]) -> float:
            index, path = job
            client = clients[index % concurrency]
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            return elapsed

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            timings[kind] = list(pool.map(fetch, enumerate(paths)))
    for client in clients:
        client.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base_url")
    parser.add_argument("--user", default="bench")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-target-id", type=int, default=100_000)
    args = parser.parse_args()
    host = urlparse(args.base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load_review.py only talks to a server on this machine (127.0.0.1)")
    requests = max(1, min(args.requests, MAX_REQUESTS))
    password = os.environ.get("KLIMAMAAL_BENCH_PASSWORD")
    if not password:
        sys.exit("set KLIMAMAAL_BENCH_PASSWORD to the password of --user")
    timings = run(args.base_url, args.user, password, requests, max(1, args.concurrency), args.max_target_id)
    print(f"{'page':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for kind, values in timings.items():
        print(
            f"{kind:<20} {len(values):>8} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
            f"{percentile(values, 99):>8.1f} {statistics.fmean(values):>8.1f}"
        )


if __name__ == "__main__":
    main()
