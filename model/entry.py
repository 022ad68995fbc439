"""New client households: when each enters, which row it takes and whose ties (the entry plan).

New clients enter at ``status.p_entry`` a month, relative to the starting households (whole
households; fractions carry over from month to month), in the burn-in and in the counted
months alike.

- During the burn-in an entrant takes the lowest row whose household has left, and a new row
  only when none is free, so the rows a run needs do not grow with the length of the burn-in
  (only with the caseload: entry at 1.1 times the exits makes it grow by up to a tenth). The
  starting households and these rows are the *places* of the social network.
- During the counted months every entrant takes a new row (``pending`` until it enters), so
  every household counted keeps one row for the whole horizon: its row in the household frame,
  the snapshots and the comparison of scenarios run with the same seed is its own. Its row has
  no ties until it enters; it then takes over the place of a household that left (the lowest
  row that has left and still holds ties): that household's ties become its own. One that
  finds no such place has no ties.

So an entrant always moves into a place that was left, as a family moving into the home of one
that left takes its neighbours, and the network stays as dense as it started. An entrant's row
is reset to a fresh household of its own draws (``population.fresh``). Exits do not depend on
the households' economy (``rules.leaves``: one draw of the ``exit`` stream per row and month),
so the whole run's entries are planned before it by replaying the exit draws of the occupied
rows: the run admits entrant ``j`` (id ``n_start + j``) into row ``row[j]`` at the start of
month ``month[j]``, and a counted entrant takes over the place of row ``place[j]`` (-1: none).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numba import njit

from model import population, rng, rules
from model.network import Network, hand_over_ties
from model.params import Config
from model.state import LEFT, PENDING, STATUS, SUPPORTED, HouseholdState


@dataclass(frozen=True)
class EntryPlan:
    """When each new client household enters and which row it takes."""

    month: np.ndarray  # int64[E]: entrant j enters at the start of month month[j] (ascending)
    row: np.ndarray    # int64[E]: the row entrant j takes
    places: int        # rows of the burn-in: the starting households and the rows added then
    rows: int          # the run's rows: the places and a row for each counted entrant
    occupied: np.ndarray  # bool[places]: the rows holding a client at month 0
    place: np.ndarray | None = None  # int64[E]: whose ties entrant j takes over (-1: none);
    # planned once the network exists (with_places)

    def entering(self, month: int) -> np.ndarray:
        """The entrants (their numbers ``j``) entering at the start of ``month`` (int64): a
        binary search of the ascending ``month``, a few microseconds even for a long plan."""
        lo, hi = self.month.searchsorted([month, month + 1])
        return np.arange(lo, hi, dtype=np.int64)


@njit(cache=True, inline="always")
def replay_exits(occupied: np.ndarray, used: int, exit_key: np.uint64, p_exit: float) -> None:
    """The month's exits among rows ``0..used-1`` that hold a client (``occupied``, bool,
    changed): each leaves by the run's own draw (``rules.leaves``)."""
    for h in range(used):
        if occupied[h] and rules.leaves(exit_key, h, p_exit):
            occupied[h] = False


@njit(cache=True)
def _burn_in_rows(clients: np.ndarray, arrivals: np.ndarray, exit_keys: np.ndarray,
                  p_exit: float) -> tuple[np.ndarray, np.ndarray]:
    """The row of each entrant of the burn-in (int64[arrivals.sum()]) and which rows hold a
    client at its end (bool, the rows it may use), given which starting rows hold clients and
    the entrants and the exit stream's key of each burn-in month."""
    occupied = np.zeros(clients.shape[0] + arrivals.sum(), dtype=np.bool_)
    occupied[:clients.shape[0]] = clients
    row_of = np.empty(arrivals.sum(), dtype=np.int64)
    used = clients.shape[0]
    j = 0
    for t in range(arrivals.shape[0]):
        free = 0  # the lowest row that may be free this month
        for _ in range(arrivals[t]):
            while free < used and occupied[free]:
                free += 1
            row = free
            used = max(used, row + 1)
            occupied[row] = True
            row_of[j] = row
            j += 1
        replay_exits(occupied, used, exit_keys[t], p_exit)
    return row_of, occupied


@njit(cache=True)
def _places_taken(occupied: np.ndarray, has_ties: np.ndarray, first_row: int,
                  arrivals: np.ndarray, exit_keys: np.ndarray, p_exit: float) -> np.ndarray:
    """Whose place each counted entrant takes over (int64[arrivals.sum()], -1: none): in each
    month the entrants, in row order from ``first_row``, take the lowest rows that have left
    and still hold ties; then the month's exits. ``occupied`` and ``has_ties`` (bool, over
    every row of the run) are those of month 0, and are changed."""
    place = np.full(arrivals.sum(), -1, dtype=np.int64)
    row = first_row
    j = 0
    for t in range(arrivals.shape[0]):
        free = 0  # the lowest row that may be a free place this month
        for _ in range(arrivals[t]):
            while free < row and (occupied[free] or not has_ties[free]):
                free += 1
            if free < row:
                place[j] = free
                has_ties[free] = False
                has_ties[row] = True
            occupied[row] = True
            row += 1
            j += 1
        replay_exits(occupied, row, exit_keys[t], p_exit)
    return place


def plan(cfg: Config, start: HouseholdState, burn_in_months: int, months: int) -> EntryPlan:
    """The entry plan of a run of ``start`` (its starting households) that lives
    ``burn_in_months`` months of burn-in (months ``-burn_in_months+1..0``) and then ``months``
    counted months."""
    n_start = start.n
    rate = cfg.status.p_entry * n_start
    run = np.arange(-burn_in_months + 1, months + 1)  # every month run, burn-in first
    arrived = [population.arrivals_by(rate, t) for t in range(run.size + 1)]
    arrivals = np.diff(np.array(arrived, dtype=np.int64))
    burn_in, occupied = _burn_in_rows(start.ints[:, STATUS] < LEFT, arrivals[:burn_in_months],
                                      _exit_keys(cfg, run[:burn_in_months]),
                                      cfg.status.p_exit)
    places = max(n_start, int(burn_in.max(initial=-1)) + 1)
    counted = places + np.arange(arrivals[burn_in_months:].sum())
    return EntryPlan(np.repeat(run, arrivals), np.concatenate([burn_in, counted]), places,
                     places + counted.size, occupied[:places].copy())


def _exit_keys(cfg: Config, months: np.ndarray) -> np.ndarray:
    """The exit stream's key of each of ``months`` (uint64)."""
    return np.array([rng.key(cfg.seed, "exit", int(t)) for t in months], dtype=np.uint64)


def with_places(cfg: Config, plan: EntryPlan, network: Network) -> EntryPlan:
    """``plan`` with the place each counted entrant takes over (``EntryPlan.place``), in the
    network of the run as it is at month 0 (the places hold their own ties)."""
    counted = plan.month > 0
    months = np.arange(1, plan.month.max(initial=0) + 1)
    arrivals = np.bincount(plan.month[counted] - 1, minlength=months.size)
    occupied = np.zeros(plan.rows, dtype=np.bool_)
    occupied[:plan.places] = plan.occupied
    place = np.full(plan.month.size, -1, dtype=np.int64)
    place[counted] = _places_taken(occupied, network.degree() > 0, plan.places, arrivals,
                                   _exit_keys(cfg, months), cfg.status.p_exit)
    return replace(plan, place=place)


def pending_rows(cfg: Config, start: HouseholdState, entry: EntryPlan) -> HouseholdState:
    """``start`` followed by the rows entrants add, ``pending``: each holds, until then, the
    household that will first enter it."""
    by_row = np.argsort(entry.row, kind="stable")  # entrants by row, then in entry order
    first = np.searchsorted(entry.row[by_row], np.arange(start.n, entry.rows))
    ids = start.n + by_row[first]
    rows = population.fresh(cfg, ids)
    rows.ints[:, STATUS] = PENDING
    return start.with_rows(rows)


DRAWN_AHEAD_MONTHS = 12
"""Months of entrants :class:`Arrivals` draws at once, at least."""
DRAWN_AT_LEAST = 2048
"""Entrants :class:`Arrivals` draws at once, at least (fewer only at the end of the plan)."""


class Arrivals:
    """The fresh households (``population.fresh``) of the entrants that move into a row that
    was left (in the burn-in), drawn for a year of entries and at least ``at_least`` entrants
    at a time. A draw has a fixed cost of about 0.6-1 ms, more than a month of a few hundred
    households, and each household then costs about 3 µs: drawn month by month, the entrants
    of a 200-household run's burn-in took a fifth of the run. Each household's draws are its
    own (keyed by its id), so a batch holds the same values as a draw of each month alone."""

    def __init__(self, cfg: Config, plan: EntryPlan, n_start: int,
                 at_least: int = DRAWN_AT_LEAST) -> None:
        self.cfg = cfg
        self.plan = plan
        self.n_start = n_start
        self.at_least = at_least
        self.first = 0  # the entrant number of the first drawn household
        self.drawn: HouseholdState | None = None

    def batch(self, lo: int, hi: int) -> tuple[HouseholdState, int]:
        """A batch of fresh households that holds entrants ``lo..hi-1`` (asked for in the
        order of the plan), and the position of entrant ``lo`` in it."""
        if self.drawn is None or lo < self.first or hi > self.first + self.drawn.n:
            self.first = lo
            a_year = np.searchsorted(self.plan.month, self.plan.month[lo] + DRAWN_AHEAD_MONTHS)
            last = min(max(a_year, lo + self.at_least, hi), self.plan.month.size)
            self.drawn = population.fresh(self.cfg, self.n_start + np.arange(lo, last))
        return self.drawn, lo - self.first


def admit(state: HouseholdState, arrivals: Arrivals, month: int) -> np.ndarray:
    """Make this month's entrants active (status ``supported``) as fresh households of their
    draws, and move ``state.entered`` past them; returns their rows (int64).

    A ``pending`` row already holds the fresh household that first enters it
    (:func:`pending_rows`; nothing changes a pending row), so only its status changes; a row
    that was left is reset to a fresh household (:class:`Arrivals`). A row that is not a
    client's shows its neighbours nothing already.

    Raises:
        RuntimeError: the plan would put an entrant into a client's row (the exits of the run
            and of the plan differ: a bug).
    """
    entering = arrivals.plan.entering(month)
    if not entering.size:
        return entering
    rows = arrivals.plan.row[entering]
    taken, left = _rows_to_enter(state.ints, rows)
    if taken >= 0:
        raise RuntimeError(f"month {month}: the entry plan puts new client household "
                           f"{state.n_start + entering[taken]} into row {rows[taken]}, "
                           "whose household has not left; the plan's exits differ from the "
                           "run's.")
    drawn, at = arrivals.batch(int(entering[0]), int(entering[-1]) + 1) if left else \
        (NOBODY, 0)
    last = _enter(state.floats, state.ints, state.gone, rows, drawn.floats, drawn.ints, at)
    state.entered = max(state.entered, last + 1)
    return rows


NOBODY = HouseholdState.empty(0)
"""No fresh households: what :func:`_enter` reads when no row was left."""


@njit(cache=True)
def _rows_to_enter(ints: np.ndarray, rows: np.ndarray) -> tuple[int, int]:
    """The first position in ``rows`` whose household has not left (-1: none), and how many of
    the rows were left (the rest are pending)."""
    left = 0
    for k in range(rows.shape[0]):
        status = ints[rows[k], STATUS]
        if status < LEFT:
            return k, left
        left += status == LEFT
    return -1, left


@njit(cache=True)
def _enter(floats: np.ndarray, ints: np.ndarray, gone: np.ndarray, rows: np.ndarray,
           fresh_floats: np.ndarray, fresh_ints: np.ndarray, at: int) -> int:
    """Enter the households of ``rows`` (none holding a client): a row that was left takes
    the fresh household of its entrant, row ``at + k`` of ``fresh_*`` for ``rows[k]``; every
    row becomes supported and is no longer skipped. Returns the highest row."""
    last = -1
    for k in range(rows.shape[0]):
        row = rows[k]
        if ints[row, STATUS] == LEFT:
            floats[row] = fresh_floats[at + k]
            ints[row] = fresh_ints[at + k]
        ints[row, STATUS] = SUPPORTED
        gone[row] = 0
        last = max(last, row)
    return last


def take_places(state: HouseholdState, network: Network, plan: EntryPlan,
                month: int) -> None:
    """This month's entrants take over the places the plan gives them (``EntryPlan.place``):
    ``network`` changes in place.

    Raises:
        RuntimeError: a planned place is not that of a household that left and still holds
            ties (the exits of the run and of the plan differ: a bug); no place changes hands.
    """
    wrong = _take_places(plan.entering(month), plan.place, plan.row, state.ints, network.span,
                         network.index)
    if wrong >= 0:
        raise RuntimeError(f"month {month}: the entry plan gives new client household "
                           f"{state.n_start + wrong} the place of row {plan.place[wrong]}, "
                           "which is not a household that left with ties; the plan's exits "
                           "differ from the run's.")


@njit(cache=True)
def _take_places(entering: np.ndarray, place: np.ndarray, row: np.ndarray, ints: np.ndarray,
                 span: np.ndarray, index: np.ndarray) -> int:
    """:func:`take_places` for the month's ``entering`` entrants on the arrays of the plan,
    the state and the network, in one compiled call (a month's Python work runs on one
    thread whatever the thread count); returns -1, or, handing over no place, the first
    entrant whose planned place is wrong."""
    taking = np.empty(entering.shape[0], dtype=np.int64)
    count = 0
    for j in entering:
        vacated = place[j]
        if vacated < 0:
            continue
        if ints[vacated, STATUS] != LEFT or span[vacated, 1] == span[vacated, 0]:
            return j
        taking[count] = j
        count += 1
    if count:
        hand_over_ties(span, index, place[taking[:count]], row[taking[:count]])
    return -1
