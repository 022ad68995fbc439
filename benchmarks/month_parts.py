"""Where a month of the numba engine goes: its compiled parts timed one at a time.

    .venv/bin/python benchmarks/month_parts.py                      # 20,000 households
    .venv/bin/python benchmarks/month_parts.py --households 100000 --repeats 10

Builds the default model on one thread, steps it ``--warm`` months, then times, on that
month's state, the search pass, the fused household pass, and the household pass's three
parts run separately (gathering the neighbours' signals, the household phases, the outcome
sums), each ``--repeats`` times from the same state; then the whole step over as many months.
Prints milliseconds a month and nanoseconds per client household.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numba
import numpy as np
from numba import njit

from empowernet import EmpowermentModel
from model import month as phases
from model.record import BLOCK, N_TALLIES, clear_chunk, record_block
from model.rules import N_WORK
from model.state import LEFT


@njit
def gather_all(ints, gone, entered, m, work) -> None:
    """The neighbours' signals of every block, alone."""
    for lo in range(0, entered, BLOCK):
        phases.gather_neighbours(lo, min(lo + BLOCK, entered), ints, gone, m.nbr_span,
                                 m.nbr_idx, m.peer_prev, work)


@njit
def phases_all(floats, ints, gone, entered, p, m, work) -> None:
    """The household phases of every block, alone."""
    for lo in range(0, entered, BLOCK):
        phases.household_rows(floats, ints, gone, lo, min(lo + BLOCK, entered), p, m, work)


@njit
def record_all(floats, ints, gone, entered, k_star, sustained_since, m, acc, hist) -> None:
    """The outcome sums of every block, alone."""
    clear_chunk(acc, hist)
    bits = np.zeros(1, dtype=np.int64)
    tallies = np.empty(N_TALLIES)
    for lo in range(0, entered, BLOCK):
        record_block(floats, ints, gone, lo, min(lo + BLOCK, entered), k_star, sustained_since,
                     m.amounts, m.unit_costs, acc, hist, bits, tallies)


def timed(part: Callable[[], object], reset: Callable[[], None], repeats: int) -> float:
    """Mean seconds of ``part`` over ``repeats`` calls, each from the state ``reset`` restores
    (one untimed call first, which compiles)."""
    reset()
    part()
    total = 0.0
    for _ in range(repeats):
        reset()
        clock = time.perf_counter()
        part()
        total += time.perf_counter() - clock
    return total / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--warm", type=int, default=30, help="months stepped before timing")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    numba.set_num_threads(1)
    m = EmpowermentModel(households=args.households, months=args.warm + args.repeats + 1,
                         rng=1, threads=1)
    for _ in range(args.warm):
        m.step()
    s, p, ctx = m.state, m.params, m.month_context
    saved = (s.floats.copy(), s.ints.copy(), s.gone.copy())

    def reset() -> None:
        s.floats[:], s.ints[:], s.gone[:] = saved

    work = np.zeros((BLOCK, N_WORK))
    parts = {
        "search pass": lambda: phases.search_rows(s.floats, s.ints, s.gone, 0, s.entered, p,
                                                  ctx, np.empty(N_WORK)),
        "household pass, fused": lambda: phases.household_serial(
            s.floats, s.ints, s.gone, s.entered, p, ctx, m.sustained_since, m.acc, m.hist),
        "  neighbours' signals alone": lambda: gather_all(s.ints, s.gone, s.entered, ctx, work),
        "  household phases alone": lambda: phases_all(s.floats, s.ints, s.gone, s.entered, p,
                                                       ctx, work),
        "  outcome sums alone": lambda: record_all(s.floats, s.ints, s.gone, s.entered,
                                                   p.derived.k_star, m.sustained_since, ctx,
                                                   m.acc[0], m.hist[0]),
    }
    clients = int((s.field("status")[:s.entered] < LEFT).sum())
    print(f"{args.households:,} households, month {m.month}: {s.entered:,} rows entered, "
          f"{clients:,} clients; one thread")
    for name, part in parts.items():
        seconds = timed(part, reset, args.repeats)
        print(f"{name:30s} {seconds * 1e3:7.2f} ms  {seconds / clients * 1e9:6.0f} ns/client")
    reset()
    clock = time.perf_counter()
    for _ in range(args.repeats):
        m.step()
    step = (time.perf_counter() - clock) / args.repeats
    print(f"{'whole step':30s} {step * 1e3:7.2f} ms")


if __name__ == "__main__":
    main()
