"""The order of one month, written once as data (MODEL.md §3), and its fused numba kernels.

:data:`PHASES` lists the month's phases in order, each with its name, its function and why it
comes where it does. Household phases are the pure row functions of ``model.rules``; the
numba engine fuses them into :func:`search_kernel` and :func:`household_kernel` (a test holds
their calls, in :func:`search_rows` and :func:`household_rows`, to this list), and the Python
engine runs the same functions uncompiled from each ``Household`` agent
(``agents.household``). Market phases act on all rows
at once; the engines call them between the two household kernels. ``docs/model.md`` shows the
table made by :func:`describe`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from model import rules
from model.docs import between_markers
from model.kernel_params import KernelParams
from model.params import Config
from model.record import BLOCK, N_TALLIES, clear_chunk, record_block
from model.rules import N_WORK, Month, referral
from model.state import (
    ENTERPRISE_HIGH,
    EVENT_JOB_FOUND,
    EVENTS,
    HAS_JOB,
    LEFT,
    OCCUPATION,
    PEER_ACTIVE,
    PEER_ASK,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SPARE,
    PEER_SUCCESS,
    SKILL,
    STATUS,
)

START = "start"          # per household, every household
SEARCH = "search"        # per household that has not left, before the market
MARKET = "market"        # over all households
HOUSEHOLD = "household"  # per household, after the market
SETUP = "setup"          # the month's programmes, before households act


@dataclass(frozen=True)
class Phase:
    """One step of the month: its name, where it runs, its function and why it is here."""

    name: str
    stage: str
    rule: Callable | None
    why: str


def open_market_slots(cfg: Config, households: int, job_programme: bool = True) -> float:
    """New wage-job slots a month that do not depend on the clients' enterprises: the open
    market's (``labour.job_slots_per_1000``) and, while the programmes run
    (``job_programme``; not in the burn-in), the job programme's firms'
    (``institutions.job_slots``), per 1,000 starting households (slots/month)."""
    programme = job_programme_slots(cfg, households) if job_programme else 0.0
    return programme + cfg.labour.job_slots_per_1000 * households / 1000.0


def job_programme_slots(cfg: Config, households: int) -> float:
    """New wage-job slots a month that the job programme's firms and parks add (slots/month);
    each costs the programme ``institutions.job_slot_cost_z``."""
    return cfg.institutions.job_slots * households / 1000.0


@njit(cache=True, inline="always")
def hiring_enterprise(ints: np.ndarray, h: int) -> int:
    """1 if the household in row ``h`` adds to labour demand, else 0: a client household (not
    left) whose primary occupation last month was the high-technology enterprise (one that
    grows hires; one holding a wage job is counted under the job). ``ints`` is int32[n, N_INT]
    (``model.state``)."""
    return 1 if ints[h, OCCUPATION] == ENTERPRISE_HIGH and ints[h, STATUS] != LEFT else 0


@njit(cache=True)
def hiring_enterprises(ints: np.ndarray) -> int:
    """The households of ``ints`` that add to labour demand (:func:`hiring_enterprise`): what
    the numba engine's search pass counts as it reads each row (:func:`search_rows`)."""
    enterprises = 0
    for h in range(ints.shape[0]):
        enterprises += hiring_enterprise(ints, h)
    return enterprises


@njit(cache=True)
def open_job_slots(enterprises: int, open_market: float, enterprise_hiring: float,
                   owed: np.ndarray) -> int:
    """Labour demand: this month's new wage-job slots; returns their number.

    ``open_market`` slots a month (:func:`open_market_slots`), plus ``enterprise_hiring``
    for each of the ``enterprises`` households that add to labour demand
    (:func:`hiring_enterprise`). Fractions of a slot are carried from month to month in
    ``owed`` (float64[1], updated).
    """
    due = owed[0] + open_market + enterprise_hiring * enterprises
    slots = math.floor(due + 1e-9)
    owed[0] = due - slots
    return slots


@njit(cache=True)
def allocate_jobs(floats: np.ndarray, ints: np.ndarray, candidate: np.ndarray, slots: int,
                  mentor_contact: np.ndarray, priority: float) -> int:
    """Give this month's ``slots`` to the households with an offer; returns the number filled.

    Priority: the higher score ``skill + priority * referral`` first (a referral by a mentor
    or job matching, weighted by ``labour.referral_priority``), then the lower row.
    """
    rows = np.nonzero(candidate)[0]
    score = np.empty(rows.shape[0])
    for j in range(rows.shape[0]):
        h = rows[j]
        score[j] = -(floats[h, SKILL] + priority * referral(ints, h, mentor_contact))
    order = np.argsort(score, kind="mergesort")
    filled = min(slots, rows.shape[0])
    for j in range(filled):
        h = rows[order[j]]
        ints[h, HAS_JOB] = 1
        ints[h, EVENTS] |= EVENT_JOB_FOUND
    return filled


PHASES: tuple[Phase, ...] = (
    Phase("programmes", SETUP, None,
          "enrolment (targeting, capacities, budget; one-off grants and loans) and mentor "
          "matching come first: what a household receives this month must be known before "
          "it acts (scenarios.delivery, over all rows)"),
    Phase("start_month", START, rules.start_month,
          "last month's events and offers are cleared before anything can happen"),
    Phase("meet_shocks", SEARCH, rules.meet_shocks,
          "first, so that a hit costs this month's enterprise income and the cover asked of "
          "the neighbours is a share of the loss on the assets the household had when hit"),
    Phase("search_job", SEARCH, rules.search_job,
          "job loss and search before production, so a new job pays this month"),
    Phase("labour_demand", MARKET, open_job_slots,
          "after search, on last month's enterprises: the slots must be known before they "
          "are given (search changes no occupation or status, so the search pass counts the "
          "enterprises as it reads each row)"),
    Phase("job_slots", MARKET, allocate_jobs,
          "slots are a market over all households: the one step between the two kernels"),
    Phase("share_informal_cover", HOUSEHOLD, rules.share_informal_cover,
          "the cover asked for last month's shock is paid out of the neighbours' savings "
          "(offered at the end of last month) before this month's production"),
    Phase("earn", HOUSEHOLD, rules.earn,
          "on the post-shock assets and the current skill, confidence and job"),
    Phase("receive_pension", HOUSEHOLD, rules.receive_pension,
          "cash on hand starts with earnings and the pension; the pension stops at "
          "graduation"),
    Phase("repay_loan", HOUSEHOLD, rules.repay_loan,
          "the instalment is taken from cash on hand before programme cash arrives"),
    Phase("receive_programmes", HOUSEHOLD, rules.receive_programmes,
          "programmes pay and deliver while enrolled; timers count down"),
    Phase("buy_asset", HOUSEHOLD, rules.buy_asset,
          "cash on hand is known only now; the indivisible asset is bought before the rest "
          "of the cash is split between consumption and saving"),
    Phase("consume_and_save", HOUSEHOLD, rules.consume_and_save,
          "on the cash left after a purchase; saving follows last month's aspiration gap"),
    Phase("update_assets", HOUSEHOLD, rules.update_assets,
          "depreciation (after a default's collateral) and this month's investment"),
    Phase("learn_skills", HOUSEHOLD, rules.learn_skills,
          "training delivered this month, decay otherwise, and coaching"),
    Phase("update_confidence", HOUSEHOLD, rules.update_confidence,
          "after the month's outcome is known: own outcome, role models, coaching and last "
          "month's neighbours"),
    Phase("adapt_aspirations_and_culture", HOUSEHOLD, rules.adapt_aspirations_and_culture,
          "from last month's neighbours (a synchronous update: every household reads the "
          "same snapshot, so the visiting order never matters)"),
    Phase("update_status", HOUSEHOLD, rules.update_status,
          "graduation, relapse, then exogenous exit, on the month's final state"),
    Phase("classify_occupation", HOUSEHOLD, rules.classify_occupation,
          "a low-technology enterprise is told by the month's final assets"),
    Phase("show_peers", HOUSEHOLD, rules.show_peers,
          "last: what neighbours will see next month"),
)
LEFT_PHASE = Phase("month_after_leaving", HOUSEHOLD, rules.month_after_leaving,
                   "a household that has left, or has not entered yet, runs this instead of "
                   "the household phases")


def phases_of(stage: str) -> tuple[Phase, ...]:
    """The phases of one stage, in order."""
    return tuple(phase for phase in PHASES if phase.stage == stage)


def describe() -> str:
    """The month's order as a Markdown table (for ``docs/model.md``)."""
    lines = ["| # | phase | runs | why here |", "|---:|---|---|---|"]
    for i, phase in enumerate((*PHASES, LEFT_PHASE)):
        number = str(i) if phase is not LEFT_PHASE else "–"
        lines.append(f"| {number} | `{phase.name}` | {phase.stage} | {phase.why} |")
    return "\n".join(lines) + "\n"


DOC_BEGIN = "<!-- the month's phases: generated from model.month.PHASES -->"
DOC_END = "<!-- end of the generated phases -->"


def with_phases(page: str) -> str:
    """``page`` (``docs/model.md``) with the table of :func:`describe` between the markers."""
    return between_markers(page, DOC_BEGIN, DOC_END, describe())


@njit(cache=True, inline="always")
def gather_neighbours(lo: int, hi: int, ints: np.ndarray, gone: np.ndarray,
                      nbr_span: np.ndarray, nbr_idx: np.ndarray, peer_prev: np.ndarray,
                      work: np.ndarray) -> None:
    """Sum last month's peer signals over the neighbours of rows ``lo..hi-1`` into the first
    ``N_PEER`` columns of ``work`` (float64[hi - lo, N_WORK]); rows that have left, which read
    no working values, are skipped.

    Kept apart from the household arithmetic so that this short loop has many neighbour
    reads in flight at once: with rewired ties they are random memory accesses, and they,
    not arithmetic, set the pace of large populations.
    """
    for h in range(lo, hi):
        if gone[h] or ints[h, STATUS] == LEFT:
            continue
        active = consumption = culture = successes = role_models = spare = asked = 0.0
        for j in range(nbr_span[h, 0], nbr_span[h, 1]):
            other = nbr_idx[j]
            active += peer_prev[other, PEER_ACTIVE]
            consumption += peer_prev[other, PEER_CONSUMPTION]
            culture += peer_prev[other, PEER_CULTURE]
            successes += peer_prev[other, PEER_SUCCESS]
            role_models += peer_prev[other, PEER_GRADUATED]
            spare += peer_prev[other, PEER_SPARE]
            asked += peer_prev[other, PEER_ASK]
        row = work[h - lo]
        row[PEER_ACTIVE] = active
        row[PEER_CONSUMPTION] = consumption
        row[PEER_CULTURE] = culture
        row[PEER_SUCCESS] = successes
        row[PEER_GRADUATED] = role_models
        row[PEER_SPARE] = spare
        row[PEER_ASK] = asked


@njit(cache=True, parallel=True)
def search_kernel(floats, ints, gone, entered, owner, shocks, labour, enterprise, consumption,
                  behaviour, responses, status, loans, institutions, derived, month, keys,
                  amounts, unit_costs, mentor_effects, mentor_contact, nbr_span, candidate,
                  peer_next, nbr_idx, peer_prev) -> int:
    """The start and search phases for every household of rows ``0..entered-1`` (before the
    job market), each chunk of rows by the thread ``owner`` gives it (:func:`thread_shares`),
    the thread that steps it later in the month; returns the households that add to labour
    demand (:func:`hiring_enterprise`).

    Takes the fields of :class:`~model.kernel_params.KernelParams` and of
    :data:`~model.rules.Month` one by one: numba's parallel loop takes no nested tuples, and
    writes through arrays held in a tuple built inside it are lost, so each chunk builds the
    tuples in a function of its own.
    """
    n = floats.shape[0]
    chunks = owner.shape[0]
    enterprises = 0
    for t in prange(owner.max() + 1):
        for c in range(chunks):
            if owner[c] == t:
                enterprises += search_block(
                    floats, ints, gone, chunk_start(n, chunks, c),
                    min(entered, chunk_start(n, chunks, c + 1)),
                    KernelParams(shocks, labour, enterprise, consumption, behaviour,
                                 responses, status, loans, institutions, derived),
                    month, keys, amounts, unit_costs, mentor_effects, mentor_contact,
                    nbr_span, candidate, peer_next, nbr_idx, peer_prev)
    return enterprises


@njit(cache=True, inline="always")
def job_market(floats, ints, entered, enterprises, p, m, open_market, owed) -> tuple[int, int]:
    """Labour demand (:func:`open_job_slots`) and the job market (:func:`allocate_jobs`)
    between the search pass and the household pass; returns the new slots and those filled."""
    slots = open_job_slots(enterprises, open_market, p.labour.enterprise_hiring, owed)
    return slots, allocate_jobs(floats, ints, m.candidate[:entered], slots, m.mentor_contact,
                                p.labour.referral_priority)


@njit(cache=True)
def parallel_month(floats, ints, gone, entered, threads, p, m, open_market, owed,
                   sustained_since, acc, hist) -> tuple[int, int]:
    """The whole month on ``threads`` threads, in one compiled call: the parallel search pass
    over rows ``0..entered-1``, labour demand and the job market, then the parallel household
    pass, each thread stepping the same chunks in both passes (:func:`thread_shares`); returns
    the new job slots and the number filled. Called from compiled code, the
    kernels take the parameters without typing them again: typing them costs about 30 µs a
    call from Python, more than a month of a few hundred households."""
    owner = thread_shares(gone, entered, floats.shape[0], acc.shape[0], threads)
    enterprises = search_kernel(
        floats, ints, gone, entered, owner, p.shocks, p.labour, p.enterprise, p.consumption,
        p.behaviour, p.responses, p.status, p.loans, p.institutions, p.derived, m.month, m.keys,
        m.amounts, m.unit_costs, m.mentor_effects, m.mentor_contact, m.nbr_span, m.candidate,
        m.peer_next, m.nbr_idx, m.peer_prev)
    slots, filled = job_market(floats, ints, entered, enterprises, p, m, open_market, owed)
    household_kernel(
        floats, ints, gone, entered, owner, p.shocks, p.labour, p.enterprise, p.consumption,
        p.behaviour, p.responses, p.status, p.loans, p.institutions, p.derived, m.month, m.keys,
        m.amounts, m.unit_costs, m.mentor_effects, m.mentor_contact, m.nbr_span, m.candidate,
        m.peer_next, m.nbr_idx, m.peer_prev, sustained_since, acc, hist)
    return slots, filled


@njit(cache=True)
def serial_month(floats, ints, gone, entered, p, m, open_market, owed, sustained_since, acc,
                 hist) -> tuple[int, int]:
    """The whole month on the calling thread, in one compiled call: the search pass over rows
    ``0..entered-1``, labour demand and the job market, then the household pass; returns the
    new job slots and the number filled. What :func:`parallel_month` does, without starting
    a parallel region. Arguments as in :func:`household_kernel`, ``open_market`` and
    ``owed`` as in :func:`open_job_slots`."""
    enterprises = search_rows(floats, ints, gone, 0, entered, p, m, np.empty(N_WORK))
    slots, filled = job_market(floats, ints, entered, enterprises, p, m, open_market, owed)
    household_serial(floats, ints, gone, entered, p, m, sustained_since, acc, hist)
    return slots, filled


@njit(cache=True)
def search_block(floats, ints, gone, lo, hi, p, month, keys, amounts, unit_costs,
                 mentor_effects, mentor_contact, nbr_span, candidate, peer_next, nbr_idx,
                 peer_prev) -> int:
    """The start and search phases of rows ``lo..hi-1``: the month's context and a working
    row for :func:`search_rows`, which cannot allocate them."""
    return search_rows(floats, ints, gone, lo, hi, p,
                       Month(month, keys, amounts, unit_costs, mentor_effects, mentor_contact,
                             nbr_span, candidate, peer_next, nbr_idx, peer_prev),
                       np.empty(N_WORK))


@njit(cache=True, _nrt=False)
def search_rows(floats, ints, gone, lo, hi, p, m, w) -> int:
    """The start and search phases of rows ``lo..hi-1`` but those ``gone`` (without reference
    counting, as :func:`household_rows`); returns those that add to labour demand, counted
    while each row is read (:func:`hiring_enterprise`; a row gone has left: it never adds)."""
    enterprises = 0
    for h in range(lo, hi):
        if gone[h]:
            continue
        enterprises += hiring_enterprise(ints, h)
        rules.start_month(floats, ints, h, p, m, w)
        if ints[h, STATUS] >= LEFT:  # left or pending
            continue
        rules.meet_shocks(floats, ints, h, p, m, w)
        rules.search_job(floats, ints, h, p, m, w)
    return enterprises


@njit(cache=True, parallel=True)
def household_kernel(floats, ints, gone, entered, owner, shocks, labour, enterprise, consumption,
                     behaviour, responses, status, loans, institutions, derived, month, keys,
                     amounts, unit_costs, mentor_effects, mentor_contact, nbr_span, candidate,
                     peer_next, nbr_idx, peer_prev, sustained_since, acc, hist) -> None:
    """The household phases for every household of rows ``0..entered-1``, then its outcomes
    into its chunk, each chunk by the thread ``owner`` gives it (:func:`thread_shares`).

    The chunks are those of all rows: rows from ``entered`` on (households that have not
    entered yet, ``HouseholdState.entered``) add nothing to them. ``acc`` float64[chunks,
    N_ACC] and ``hist`` float64[chunks, N_HIST, N_BINS] (``model.record``) are cleared and
    refilled, each chunk by the thread that fills it; other arguments as in
    :func:`search_kernel`.
    """
    n = floats.shape[0]
    chunks = acc.shape[0]
    for t in prange(owner.max() + 1):
        for c in range(chunks):
            if owner[c] == t:
                household_chunk(floats, ints, gone, chunk_start(n, chunks, c),
                                min(entered, chunk_start(n, chunks, c + 1)),
                                KernelParams(shocks, labour, enterprise, consumption,
                                             behaviour, responses, status, loans,
                                             institutions, derived),
                                month, keys, amounts, unit_costs, mentor_effects,
                                mentor_contact, nbr_span, candidate, peer_next, nbr_idx,
                                peer_prev, sustained_since, acc[c], hist[c])


@njit(cache=True)
def household_serial(floats, ints, gone, entered, p, m, sustained_since, acc, hist) -> None:
    """The household phases for every household of rows ``0..entered-1`` on the calling
    thread, chunk after chunk: what :func:`household_kernel` does, without starting a
    parallel region."""
    n = floats.shape[0]
    chunks = acc.shape[0]
    for c in range(chunks):
        household_rows_recorded(floats, ints, gone, chunk_start(n, chunks, c),
                                min(entered, chunk_start(n, chunks, c + 1)), p, m,
                                sustained_since, acc[c], hist[c])


@njit(cache=True)
def thread_shares(gone: np.ndarray, entered: int, n: int, chunks: int,
                  threads: int) -> np.ndarray:
    """Which of ``threads`` threads steps each of the ``chunks`` chunks of ``n`` rows
    (int64[chunks]): the chunks, most rows to step first (rows below ``entered`` not
    ``gone``; ties by chunk), each to the thread with the fewest rows so far (the lower
    thread on a tie).

    The rows a month steps are not spread evenly over the chunks: entrants fill the first
    rows that are free and households that left are skipped, so chunks in row order would
    leave one thread idle while the other finishes. Each chunk has its own accumulators, so
    which thread steps it changes no result.
    """
    load = np.zeros(chunks, dtype=np.int64)
    for c in range(chunks):
        for h in range(chunk_start(n, chunks, c), min(entered, chunk_start(n, chunks, c + 1))):
            load[c] += gone[h] == 0
    owner = np.empty(chunks, dtype=np.int64)
    given = np.zeros(threads, dtype=np.int64)
    for c in np.argsort(-load, kind="mergesort"):
        t = np.argmin(given)
        owner[c] = t
        given[t] += load[c]
    return owner


@njit(cache=True, inline="always")
def chunk_start(n: int, chunks: int, c: int) -> int:
    """The first row of chunk ``c`` of ``chunks`` (``n`` for ``c == chunks``)."""
    return min(n, c * ((n + chunks - 1) // chunks))


@njit(cache=True)
def household_chunk(floats, ints, gone, start, end, p, month, keys, amounts, unit_costs,
                    mentor_effects, mentor_contact, nbr_span, candidate, peer_next, nbr_idx,
                    peer_prev, sustained_since, acc_c, hist_c) -> None:
    """One chunk of :func:`household_kernel`: the month's context for
    :func:`household_rows_recorded`."""
    household_rows_recorded(floats, ints, gone, start, end, p,
                            Month(month, keys, amounts, unit_costs, mentor_effects,
                                  mentor_contact, nbr_span, candidate, peer_next, nbr_idx,
                                  peer_prev),
                            sustained_since, acc_c, hist_c)


@njit(cache=True)
def household_rows_recorded(floats, ints, gone, start, end, p, m, sustained_since, acc_c,
                            hist_c) -> None:
    """The household phases of rows ``start..end-1``, recorded block by block into one
    chunk's accumulators (cleared first) while the block is still in cache."""
    clear_chunk(acc_c, hist_c)
    bits = np.zeros(1, dtype=np.int64)
    tallies = np.empty(N_TALLIES)
    work = np.empty((BLOCK, N_WORK))
    for lo in range(start, end, BLOCK):
        hi = min(lo + BLOCK, end)
        gather_neighbours(lo, hi, ints, gone, m.nbr_span, m.nbr_idx, m.peer_prev, work)
        household_rows(floats, ints, gone, lo, hi, p, m, work)
        record_block(floats, ints, gone, lo, hi, p.derived.k_star, sustained_since, m.amounts,
                     m.unit_costs, acc_c, hist_c, bits, tallies)


@njit(cache=True, _nrt=False)
def household_rows(floats, ints, gone, lo, hi, p, m, work) -> None:
    """The household phases of rows ``lo..hi-1`` but those ``gone`` (a row whose household has
    left is marked in its first month after leaving: ``HouseholdState.gone``); ``work``
    float64[BLOCK, N_WORK] holds their working values (row ``h - lo`` for household ``h``).

    Compiled without numba's reference counting (``_nrt=False``), so it allocates nothing:
    every inlined phase binds the state, ``w`` and the arrays of ``m`` anew, and with
    counting each binding is an atomic increment and decrement per household, several times
    the cost of the rules themselves. The arrays all belong to the caller for the whole call.
    """
    for h in range(lo, hi):
        if gone[h]:
            continue
        w = work[h - lo]
        if ints[h, STATUS] >= LEFT:  # left or pending
            rules.month_after_leaving(floats, ints, h, p, m, w)
            gone[h] = ints[h, STATUS] == LEFT
            continue
        rules.share_informal_cover(floats, ints, h, p, m, w)
        rules.earn(floats, ints, h, p, m, w)
        rules.receive_pension(floats, ints, h, p, m, w)
        rules.repay_loan(floats, ints, h, p, m, w)
        rules.receive_programmes(floats, ints, h, p, m, w)
        rules.buy_asset(floats, ints, h, p, m, w)
        rules.consume_and_save(floats, ints, h, p, m, w)
        rules.update_assets(floats, ints, h, p, m, w)
        rules.learn_skills(floats, ints, h, p, m, w)
        rules.update_confidence(floats, ints, h, p, m, w)
        rules.adapt_aspirations_and_culture(floats, ints, h, p, m, w)
        rules.update_status(floats, ints, h, p, m, w)
        rules.classify_occupation(floats, ints, h, p, m, w)
        rules.show_peers(floats, ints, h, p, m, w)


@njit(cache=True)
def show_all_peers(floats: np.ndarray, ints: np.ndarray, p, m) -> None:
    """Fill the peer signals of every household from its state (the start of a run)."""
    w = np.empty(N_WORK)
    for h in range(floats.shape[0]):
        rules.show_peers(floats, ints, h, p, m, w)
