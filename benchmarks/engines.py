"""Engine throughput, thread scaling, state size and warm start-up, measured side by side.

    .venv/bin/python benchmarks/engines.py            # the full set (about 8 minutes)
    .venv/bin/python benchmarks/engines.py --quick    # small sizes only

Throughput counts household-months per second of the month loop (model construction and the
final snapshot are timed separately), per starting household and per client household: new
client households enter and others leave, so a month of 20,000 starting households holds
about 21,800 clients after the burn-in. Figures go to stdout as a Markdown table; the ones
measured on the reference machine are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numba

from empowernet import EmpowermentModel

WARM_START = ("import time; t0 = time.perf_counter(); from empowernet import EmpowermentModel; "
              "m = EmpowermentModel(households=2000, months=1, rng=1).run(); "
              "print(time.perf_counter() - t0)")


def month_loop_rate(households: int, months: int, engine: str, threads: int) -> dict:
    """Household-months per second of ``months`` months (after construction)."""
    clock = time.perf_counter()
    m = EmpowermentModel(households=households, months=months + 1, rng=1, engine=engine,
                         threads=threads)
    if engine == "python":
        m.agents_by_type  # noqa: B018 - make the agent views before timing the months
    built = time.perf_counter() - clock
    clock = time.perf_counter()
    for _ in range(months):
        m.step()
    seconds = time.perf_counter() - clock
    clients = m.results()["households_active"].iloc[1:months + 1].sum()
    net_bytes = (m.network.span.nbytes + m.network.index.nbytes) / households
    return {"households": households, "engine": engine, "threads": threads,
            "months": months, "seconds": seconds, "build_s": built,
            "rate": households * months / seconds, "client_rate": clients / seconds,
            "state_bytes": m.state.bytes_per_household(), "network_bytes": net_bytes}


def warm_start_seconds(repeats: int = 3) -> tuple[float, float]:
    """(in-process seconds to import, build and run one month; whole-process wall seconds),
    best of ``repeats`` runs in fresh processes with the numba cache warm."""
    inside, whole = [], []
    for _ in range(repeats + 1):  # the first run warms the cache
        clock = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", WARM_START], capture_output=True,
                             text=True, check=True).stdout
        whole.append(time.perf_counter() - clock)
        inside.append(float(out.strip()))
    return min(inside[1:]), min(whole[1:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 and 20,000 only")
    args = parser.parse_args()
    EmpowermentModel(households=3000, months=2, rng=1).run()  # compile or load the kernels
    plan = [(2_000, 240, 12), (20_000, 120, 3)]
    if not args.quick:
        plan.append((1_000_000, 12, 1))
    rows = []
    for households, months, python_months in plan:
        for threads in (1, 2):
            rows.append(month_loop_rate(households, months, "numba", threads))
            print(rows[-1], file=sys.stderr, flush=True)
        rows.append(month_loop_rate(households, python_months, "python", 1))
        print(rows[-1], file=sys.stderr, flush=True)
    print("| households | engine | threads | months timed | household-months/s | "
          "client household-months/s | build (s) | state bytes/household | "
          "network bytes/household |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['households']:,} | {r['engine']} | {r['threads']} | {r['months']} | "
              f"{r['rate'] / 1e6:.3g} M | {r['client_rate'] / 1e6:.3g} M | "
              f"{r['build_s']:.2f} | {r['state_bytes']:.0f} | "
              f"{r['network_bytes']:.0f} |")
    print()
    by = {(r["households"], r["engine"], r["threads"]): r["rate"] for r in rows}
    for households, _, _ in plan:
        one, two = by[(households, "numba", 1)], by[(households, "numba", 2)]
        python = by[(households, "python", 1)]
        print(f"- {households:,} households: numba/python = {one / python:,.0f}x; "
              f"2 threads/1 thread = {two / one:.2f}x")
    inside, whole = warm_start_seconds()
    print(f"- warm start (import, build 2,000 households, one month): {inside:.2f} s in "
          f"process, {whole:.2f} s for the whole process; numba threads available: "
          f"{numba.config.NUMBA_NUM_THREADS}")


if __name__ == "__main__":
    main()
