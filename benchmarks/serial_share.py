"""How much of a month is serial Python work, and what that allows two threads.

    .venv/bin/python benchmarks/serial_share.py                    # 20,000 households
    .venv/bin/python benchmarks/serial_share.py --households 5000 --months 60

Runs the default model on one thread and on two, each in its own model, and times every month
whole and its compiled call (``model.schedule.numba_month``: the job market and the household
passes) alone. The rest of the month (entrants, their places in the network, the programmes'
enrolment, the results row, Mesa's step) runs on the calling thread whatever the thread count.
Prints milliseconds a month, two threads against one, what that ratio would be with no serial
work at all, and the most serial work a month that still gives ``--ratio`` (1.7 by default).
"""

from __future__ import annotations

import argparse
import time

from empowernet import EmpowermentModel
from model import schedule


def split_month(households: int, months: int, threads: int) -> tuple[float, float]:
    """(seconds a month in all, seconds a month in the compiled call), over ``months``
    months after five untimed ones."""
    compiled = [0.0]
    month_call = schedule.numba_month

    def timed_call(*args: object) -> tuple[int, int]:
        clock = time.perf_counter()
        out = month_call(*args)
        compiled[0] += time.perf_counter() - clock
        return out

    m = EmpowermentModel(households=households, months=months + 6, rng=1, threads=threads)
    schedule.numba_month = timed_call
    try:
        for _ in range(5):
            m.step()
        compiled[0] = 0.0
        clock = time.perf_counter()
        for _ in range(months):
            m.step()
        whole = time.perf_counter() - clock
    finally:
        schedule.numba_month = month_call
    return whole / months, compiled[0] / months


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--ratio", type=float, default=1.7, help="two threads against one")
    args = parser.parse_args()
    EmpowermentModel(households=3000, months=2, rng=1).run()  # compile or load the kernels
    split = {threads: split_month(args.households, args.months, threads) for threads in (1, 2)}
    for threads, (whole, compiled) in split.items():
        print(f"{threads} thread(s): month {whole * 1e3:.3f} ms, compiled call "
              f"{compiled * 1e3:.3f} ms, the rest {(whole - compiled) * 1e3:.3f} ms")
    (one, one_compiled), (two, two_compiled) = split[1], split[2]
    serial = ((one - one_compiled) + (two - two_compiled)) / 2
    most = (one_compiled - args.ratio * two_compiled) / (args.ratio - 1)
    print(f"two threads against one: {one / two:.2f}x; compiled call alone "
          f"{one_compiled / two_compiled:.2f}x (the ratio with no serial work)")
    print(f"serial work a month {serial * 1e3:.3f} ms; for {args.ratio}x it must be at most "
          f"{max(most, 0.0) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
