"""Load script for a running review app: latency of the queue page and a target page.

Two ways to load it, both logging in like a browser (CSRF token from the login form):

- closed loop (default): a bounded number of GET requests per page kind from a few
  concurrent clients, each sending its next request when the last one returned;
- open loop (``--rate``): ``--users`` reviewers, each with their own session,
  opening pages at random (Poisson) moments, ``--rate`` pages per second in all,
  whether or not earlier pages have come back, as a team does. Latency is counted
  from the moment a page was due, so a server that falls behind cannot hide it.

Prints p50/p95/p99 in milliseconds per kind. Loopback only: it refuses other
hosts, so it cannot be pointed at someone else's server by accident.

    KLIMAMAAL_BENCH_PASSWORD=... python benchmarks/load_review.py http://127.0.0.1:8000 \\
        --user bench [--requests 400] [--concurrency 4] [--max-target-id 100000]
    KLIMAMAAL_BENCH_PASSWORD=... python benchmarks/load_review.py http://127.0.0.1:8000 \\
        --users bench01,...,bench20 --rate 10 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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


#: Queue pages reviewers open: the default queue, later pages, filters, everything of a year.
QUEUE_VARIANTS: tuple[Callable[[random.Random], str], ...] = (
    lambda rng: "/queue",
    lambda rng: f"/queue?page={rng.randint(2, 200)}",
    lambda rng: f"/queue?municipality={rng.choice([101, 147, 151, 751, 851, 461])}",
    lambda rng: f"/queue?sector={rng.choice(['energi', 'transport', 'bygninger', 'affald'])}",
    lambda rng: f"/queue?year={rng.choice([2025, 2030, 2050])}&status=all",
)


def queue_urls(rng: random.Random, n: int) -> list[str]:
    """``n`` queue pages, the variants in turn."""
    return [QUEUE_VARIANTS[i % len(QUEUE_VARIANTS)](rng) for i in range(n)]


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


#: What a reviewer opens, with how often: mostly target pages (next, next, ...), now and then the queue.
PAGE_MIX = (("target", 0.6), ("queue", 0.3), ("queue_by_confidence", 0.1))


def random_page(
    rng: random.Random, target_ids: tuple[int, int], decide_share: float = 0.0
) -> tuple[str, str]:
    """(kind, path) of the next page a reviewer opens; of the target pages, ``decide_share`` are decisions
    (a skip: it needs no revision, never conflicts, and adds a review row as every decision does)."""
    kind = rng.choices([k for k, _ in PAGE_MIX], weights=[w for _, w in PAGE_MIX])[0]
    if kind == "target":
        target = rng.randint(*target_ids)
        if rng.random() < decide_share:
            return "decision", f"/targets/{target}/skip"
        return kind, f"/targets/{target}"
    if kind == "queue":
        return kind, rng.choice(QUEUE_VARIANTS)(rng)
    return kind, f"/queue?sort=confidence&page={rng.randint(1, 20)}"


@dataclass
class OpenLoopResult:
    """Per page kind, latencies in ms (from the moment the page was due) and failures; the generator's lag."""

    offered_rate: float
    duration: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    #: What went wrong, counted: "HTTP 500", "ReadTimeout", ...
    failures: dict[str, int] = field(default_factory=dict)
    lag_ms: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + sum(self.errors.values())

    def p95(self, kind: str) -> float:
        values = self.latencies.get(kind, [])
        return percentile(values, 95) if values else float("nan")


async def _login_async(client: httpx.AsyncClient, user: str, password: str) -> str:
    """Log in; returns the session's CSRF token (for decisions)."""
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = await client.post(
        "/login", data={"csrf_token": token.group(1), "name": user, "password": password, "next": "/queue"}
    )
    if response.status_code != 303:
        raise RuntimeError(f"login of {user} failed: HTTP {response.status_code}")
    session_token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/queue")).text)
    if session_token is None:
        raise RuntimeError("no CSRF token on the queue page")
    return session_token.group(1)


async def open_loop(
    base: str,
    users: list[str],
    password: str,
    *,
    rate: float,
    duration: float,
    target_ids: tuple[int, int],
    seed: int = 11,
    decide_share: float = 0.0,
) -> OpenLoopResult:
    """``len(users)`` reviewers opening ``rate`` pages per second in all, at Poisson-random moments."""
    rng = random.Random(seed)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) for _ in users]
    result = OpenLoopResult(offered_rate=rate, duration=duration)
    try:
        tokens = await asyncio.gather(
            *(_login_async(c, u, password) for c, u in zip(clients, users, strict=True))
        )
        csrf = {id(client): token for client, token in zip(clients, tokens, strict=True)}
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.2
        jobs: list[tuple[float, httpx.AsyncClient, str, str]] = []
        for client in clients:  # each reviewer's own arrivals; together a Poisson stream of ``rate``
            due = start + rng.expovariate(rate / len(users))
            while due < start + duration:
                jobs.append((due, client, *random_page(rng, target_ids, decide_share)))
                due += rng.expovariate(rate / len(users))

        async def open_page(due: float, client: httpx.AsyncClient, kind: str, path: str) -> None:
            await asyncio.sleep(max(0.0, due - loop.time()))
            result.lag_ms.append((loop.time() - due) * 1000)
            failure = None
            try:
                if kind == "decision":
                    response = await client.post(path, data={"csrf_token": csrf[id(client)], "q": ""})
                    expected = 303
                else:
                    response = await client.get(path)
                    expected = 200
                if response.status_code != expected:
                    failure = f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                failure = type(error).__name__
            if failure is None:
                result.latencies.setdefault(kind, []).append((loop.time() - due) * 1000)
            else:
                result.errors[kind] = result.errors.get(kind, 0) + 1
                result.failures[failure] = result.failures.get(failure, 0) + 1

        await asyncio.gather(*(open_page(*job) for job in sorted(jobs, key=lambda job: job[0])))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return result


def print_open_loop(result: OpenLoopResult) -> None:
    print(
        f"{len(result.lag_ms)} pages in {result.duration:.0f} s, offered {result.offered_rate:g}/s; "
        f"generator lag p99 {percentile(result.lag_ms, 99) if result.lag_ms else 0:.1f} ms"
    )
    if result.failures:
        print("failures: " + ", ".join(f"{n}× {what}" for what, n in result.failures.items()))
    print(f"{'page':<20} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in [k for k, _ in PAGE_MIX] + ["decision"]:
        values = result.latencies.get(kind, [])
        if values or result.errors.get(kind):
            figures = [percentile(values, p) if values else float("nan") for p in (50, 95, 99)]
            print(
                f"{kind:<20} {len(values):>8} {result.errors.get(kind, 0):>6} "
                + " ".join(f"{x:>8.1f}" for x in figures)
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base_url")
    parser.add_argument("--user", default="bench")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-target-id", type=int, default=100_000)
    parser.add_argument("--users", default="", help="open loop: comma-separated reviewers (one session each)")
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: pages per second in all")
    parser.add_argument("--duration", type=float, default=30.0, help="open loop: seconds")
    args = parser.parse_args()
    host = urlparse(args.base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load_review.py only talks to a server on this machine (127.0.0.1)")
    requests = max(1, min(args.requests, MAX_REQUESTS))
    password = os.environ.get("KLIMAMAAL_BENCH_PASSWORD")
    if not password:
        sys.exit("set KLIMAMAAL_BENCH_PASSWORD to the password of --user")
    if args.rate > 0:
        users = [u for u in args.users.split(",") if u] or [args.user]
        result = asyncio.run(
            open_loop(
                args.base_url,
                users,
                password,
                rate=args.rate,
                duration=min(args.duration, 600),
                target_ids=(1, args.max_target_id),
            )
        )
        print_open_loop(result)
        return
    timings = run(args.base_url, args.user, password, requests, max(1, args.concurrency), args.max_target_id)
    print(f"{'page':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for kind, values in timings.items():
        print(
            f"{kind:<20} {len(values):>8} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
            f"{percentile(values, 99):>8.1f} {statistics.fmean(values):>8.1f}"
        )


if __name__ == "__main__":
    main()
