"""Household state as a struct of arrays: one fixed row per household (MODEL.md §2).

Float fields live in ``floats`` (float64[n, N_FLOAT]) and integer fields in ``ints``
(int32[n, N_INT]): one contiguous record per household, because the month touches nearly every
field of a household at once (field-major arrays meant ~30 memory streams per pass). Row ``i``
is household ``i`` for the whole run (rows never move; a household that leaves keeps its row
with status ``left``). Mesa agents (``agents.Household``) are views onto one row.

Every field is declared once, in :data:`FLOAT_FIELDS` and :data:`INT_FIELDS` (name, unit,
meaning, allowed range). The column offsets the kernels use (``ASSETS``, ``STATUS``...) are
module constants, so numba compiles them in; each is looked up by its field's name, so a
constant cannot point at another field. Agent properties, ``household_frame()`` columns,
snapshots, range checks and the households table of ``docs/outputs.md`` derive from the same
declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real

import numpy as np

from model.programmes import INDEX, PROGRAMMES


@dataclass(frozen=True)
class Field:
    """One household field: its name, unit, meaning and allowed range (None: unbounded)."""

    name: str
    unit: str
    meaning: str
    lo: float | None = None
    hi: float | None = None

    def bounds(self) -> str:
        """The allowed range in words: ``in [0, 1]``, ``>= 0``, ``<= 1`` or empty."""
        if self.lo is not None and self.hi is not None:
            return f"in [{self.lo:g}, {self.hi:g}]"
        if self.lo is not None:
            return f">= {self.lo:g}"
        return f"<= {self.hi:g}" if self.hi is not None else ""

    def within(self, values: np.ndarray) -> tuple[np.ndarray, str]:
        """Where ``values`` lie in the field's range, and the rule in words (a float bounded
        on one side only, or not at all, must also be finite; an interval excludes NaN by
        itself)."""
        ok = np.ones(values.shape, dtype=bool)
        if self.lo is not None:
            ok &= values >= self.lo
        if self.hi is not None:
            ok &= values <= self.hi
        if values.dtype.kind == "f" and (self.lo is None or self.hi is None):
            bounds = f" and {self.bounds()}" if self.bounds() else ""
            return ok & np.isfinite(values), f"{self.name} finite{bounds}"
        return ok, f"{self.name} {self.bounds()}"

    def settable(self, value: object, dtype: np.dtype) -> float | int:
        """``value`` as the field's column of ``dtype`` holds it, if it is a number the field
        allows: within its range (:meth:`within`) and, for an integer column, a whole number
        the column can hold.

        Raises:
            ValueError: naming the field, the value and what the field allows.
        """
        whole = dtype.kind == "i"
        limits = np.iinfo(dtype) if whole else np.finfo(dtype)
        fits = (isinstance(value, Real) and limits.min <= value <= limits.max
                and (not whole or float(value).is_integer()))
        if fits and self.within(np.array([value], dtype=dtype))[0][0]:
            return np.array(value, dtype=dtype).item()
        lo = int(limits.min if self.lo is None else self.lo)
        hi = int(limits.max if self.hi is None else self.hi)
        allowed = (f"a whole number from {lo} to {hi}" if whole else
                   f"a finite number {self.bounds()}".rstrip())
        raise ValueError(f"{self.name} = {value!r} is refused: {self.name} ({self.meaning}; "
                         f"{self.unit}) takes {allowed}. Nothing was changed.")


@dataclass(frozen=True)
class RowRule:
    """A rule tying several fields of a row together: the fields it reads, the rule in words,
    ``holds``, which says for the columns of those fields by name (arrays of one value per
    row) where the rule holds, and what to do instead of a value it refuses (``hint``, a
    sentence after a space, or nothing)."""

    fields: tuple[str, ...]
    text: str
    holds: Callable[[Mapping[str, np.ndarray]], np.ndarray]
    hint: str = ""


OCCUPATIONS = ("none", "casual", "enterprise_low", "enterprise_high", "wage_job")
# Codes from ``left`` on are rows that are not clients this month: a household that has left,
# or a new client household that has not entered yet (``pending``); ``status >= LEFT`` tells both.
STATUSES = ("supported", "enrolled", "graduated", "left", "pending")
EVENT_NAMES = ("shock", "graduated", "relapsed", "left", "job_found", "job_lost", "income_rose",
               "defaulted", "income_fell", "bought_asset")  # bit k of ``events`` is 2**k


NEVER = -1_000_000  # the month of an event that has not happened: before any burn-in month


def codes(names: tuple[str, ...]) -> str:
    """Codes and their names in words: ``0 none, 1 casual...``."""
    return ", ".join(f"{code} {name}" for code, name in enumerate(names))


FLOAT_FIELDS: tuple[Field, ...] = (
    Field("assets", "z", "productive capital k", 0.0),
    Field("savings", "z", "liquid savings", 0.0),
    Field("debt", "z", "outstanding loans", 0.0),
    Field("skill", "0-1", "skill s", 0.0, 1.0),
    Field("skill_base", "0-1", "the skill the household keeps without training", 0.0, 1.0),
    Field("confidence", "0-1", "self-efficacy e", 0.0, 1.0),
    Field("confidence_base", "0-1", "the level confidence relaxes to without support",
          0.0, 1.0),
    Field("culture", "0-1", "self-reliance norm u", 0.0, 1.0),
    Field("aspiration", "z/person-month", "target per-capita consumption a"),
    Field("income", "z/month", "earned income this month (enterprise + casual + wage)"),
    Field("transfers", "z/month", "transfers received this month (pension + programme cash)"),
    Field("consumption", "z/month", "household consumption this month", 0.0),
    Field("investment", "z/month", "saving invested in assets this month (a purchase of the "
          "indivisible asset included)", 0.0),
    Field("savings_deposit", "z/month", "saving kept as liquid savings this month", 0.0),
    Field("shock_loss", "z", "assets lost to a shock this month"),
    Field("cover_asked", "z", "informal cover asked of the neighbours for this month's loss",
          0.0),
    Field("informal_cover", "z", "cover received this month from the neighbours for last "
          "month's loss (into the assets)", 0.0),
    Field("cover_given", "z", "cover paid this month to neighbours hit last month (out of the "
          "savings)", 0.0),
    Field("savings_draw", "z", "liquid savings spent this month (on subsistence or on the "
          "indivisible asset)"),
    Field("cost_received", "z", "cumulative transfers and delivery costs received "
          "(pension and programmes)"),
    Field("productivity", "-", "household productivity A_i, fixed"),
    Field("loan_instalment", "z/month", "monthly instalment of the current loan"),
    Field("programme_cost", "z", "programme spending on the household this month "
          "(pension excluded)"),
    Field("repaid", "z", "loan repaid this month"),
    Field("seized", "z", "assets seized on a loan default this month"),
    Field("loan_subsidy", "z", "real value of the debt lost to inflation this month (the "
          "debt is nominal)", 0.0),
    Field("programme_cost_total", "z", "cumulative programme spending on the household"),
)

INT_FIELDS: tuple[Field, ...] = (
    Field("size", "persons", "household size (adults + children + elderly)", 1),
    Field("adults", "persons", "working-age members (15-64): the household's labour", 0),
    Field("children", "persons", "members under 15", 0),
    Field("elderly", "persons", "members aged 65 or more", 0),
    Field("female_head", "0/1", "female-headed household", 0, 1),
    Field("occupation", "code", f"primary occupation this month: {codes(OCCUPATIONS)}",
          0, len(OCCUPATIONS) - 1),
    Field("status", "code", f"programme status: {codes(STATUSES)}", 0, len(STATUSES) - 1),
    Field("months_above_line", "months",
          "consecutive months with earned per-capita income at or above the exit line"),
    Field("months_below_line", "months",
          "consecutive months a graduate consumed below z per person"),
    Field("mentor", "row", "mentor row, or -1"),
    Field("has_job", "0/1", "holds a wage job", 0, 1),
    Field("events", "bits", "this month's events: "
          + ", ".join(f"{1 << k} {name}" for k, name in enumerate(EVENT_NAMES))),
    Field("graduation_month", "month", f"month of the latest graduation (negative: during "
          f"the burn-in), or {NEVER} (never)"),
    Field("last_shock_month", "month", f"month of the latest shock (negative: during the "
          f"burn-in), or {NEVER} (never)"),
    Field("arrears_months", "months",
          "consecutive months an instalment was not paid in full"),
    Field("enrolled_ever", "bits", "bit p set once the household has enrolled in programme p"),
    Field("active_programmes", "bits", "bit p set if programme p was delivered this month"),
    Field("high_tech_months", "months", "months it has run the high technology (paused, not "
          "reset, while it does not; capped at `enterprise.ramp_months`)"),
    *(Field(f"timer_{p.name}", "months", f"months of {p.name} still to come", 0)
      for p in PROGRAMMES),
)

_FLOAT = {f.name: i for i, f in enumerate(FLOAT_FIELDS)}
_INT = {f.name: i for i, f in enumerate(INT_FIELDS)}
N_FLOAT = len(FLOAT_FIELDS)
N_INT = len(INT_FIELDS)
FLOAT_NAMES = tuple(_FLOAT)
INT_NAMES = tuple(_INT)

# float field offsets
ASSETS = _FLOAT["assets"]
SAVINGS = _FLOAT["savings"]
DEBT = _FLOAT["debt"]
SKILL = _FLOAT["skill"]
SKILL_BASE = _FLOAT["skill_base"]
CONFIDENCE = _FLOAT["confidence"]
CONFIDENCE_BASE = _FLOAT["confidence_base"]
CULTURE = _FLOAT["culture"]
ASPIRATION = _FLOAT["aspiration"]
INCOME = _FLOAT["income"]
TRANSFERS = _FLOAT["transfers"]
CONSUMPTION = _FLOAT["consumption"]
INVESTMENT = _FLOAT["investment"]
SAVINGS_DEPOSIT = _FLOAT["savings_deposit"]
SHOCK_LOSS = _FLOAT["shock_loss"]
COVER_ASKED = _FLOAT["cover_asked"]
INFORMAL_COVER = _FLOAT["informal_cover"]
COVER_GIVEN = _FLOAT["cover_given"]
SAVINGS_DRAW = _FLOAT["savings_draw"]
COST_RECEIVED = _FLOAT["cost_received"]
PRODUCTIVITY = _FLOAT["productivity"]
LOAN_INSTALMENT = _FLOAT["loan_instalment"]
PROGRAMME_COST = _FLOAT["programme_cost"]
REPAID = _FLOAT["repaid"]
SEIZED = _FLOAT["seized"]
LOAN_SUBSIDY = _FLOAT["loan_subsidy"]
PROGRAMME_COST_TOTAL = _FLOAT["programme_cost_total"]

# integer field offsets
SIZE = _INT["size"]
ADULTS = _INT["adults"]
CHILDREN = _INT["children"]
ELDERLY = _INT["elderly"]
FEMALE_HEAD = _INT["female_head"]
OCCUPATION = _INT["occupation"]
STATUS = _INT["status"]
MONTHS_ABOVE_LINE = _INT["months_above_line"]
MONTHS_BELOW_LINE = _INT["months_below_line"]
MENTOR = _INT["mentor"]
HAS_JOB = _INT["has_job"]
EVENTS = _INT["events"]
GRADUATION_MONTH = _INT["graduation_month"]
LAST_SHOCK_MONTH = _INT["last_shock_month"]
ARREARS_MONTHS = _INT["arrears_months"]
ENROLLED_EVER = _INT["enrolled_ever"]
ACTIVE_PROGRAMMES = _INT["active_programmes"]
HIGH_TECH_MONTHS = _INT["high_tech_months"]
TIMERS = _INT[f"timer_{PROGRAMMES[0].name}"]  # timer of programme p: TIMERS + p

# programme indices (model.programmes.PROGRAMMES order)
P_CONSUMPTION_SUPPORT = INDEX["consumption_support"]
P_ASSET_GRANT = INDEX["asset_grant"]
P_CASH_TRANSFER = INDEX["cash_transfer"]
P_TRAINING = INDEX["training"]
P_MENTORING = INDEX["mentoring"]
P_MICROCREDIT = INDEX["microcredit"]
P_JOB_MATCHING = INDEX["job_matching"]
P_INCUBATION = INDEX["incubation"]
P_ASPIRATION_CAMPAIGN = INDEX["aspiration_campaign"]
P_SAVINGS_GROUP = INDEX["savings_group"]

NONE, CASUAL, ENTERPRISE_LOW, ENTERPRISE_HIGH, WAGE_JOB = range(len(OCCUPATIONS))
SUPPORTED, ENROLLED, GRADUATED, LEFT, PENDING = range(len(STATUSES))
NOT_CLIENTS = STATUSES[LEFT:]  # status names of rows that are not clients (tables, snapshots)

_EVENT = {name: 1 << k for k, name in enumerate(EVENT_NAMES)}
EVENT_SHOCK = _EVENT["shock"]
EVENT_GRADUATED = _EVENT["graduated"]
EVENT_RELAPSED = _EVENT["relapsed"]
EVENT_LEFT = _EVENT["left"]
EVENT_JOB_FOUND = _EVENT["job_found"]
EVENT_JOB_LOST = _EVENT["job_lost"]
EVENT_INCOME_ROSE = _EVENT["income_rose"]
EVENT_DEFAULTED = _EVENT["defaulted"]
EVENT_INCOME_FELL = _EVENT["income_fell"]
EVENT_BOUGHT_ASSET = _EVENT["bought_asset"]

# What each household shows its neighbours at the end of a month (float64[n, N_PEER]);
# neighbours read last month's copy, so the order of the household loop never matters. A
# household that has left shows zeros, so neighbours sum the columns without branching.
PEER_ACTIVE = 0       # 1 while the household has not left
PEER_CONSUMPTION = 1  # per-capita consumption
PEER_CULTURE = 2
PEER_SUCCESS = 3      # 1 if earned per-capita income reached the exit line
PEER_GRADUATED = 4    # 1 if it graduated this month (a role model)
PEER_SPARE = 5        # informal cover offered to each neighbour: savings / number of ties
PEER_ASK = 6          # informal cover asked for this month's shock loss
N_PEER = 7


@dataclass
class HouseholdState:
    """The household arrays of one run.

    Rows ``0..n_start-1`` are the starting households; rows from ``n_start`` on are new
    client households, ``pending`` until they enter (``model.entry.admit``). They enter in
    row order, so the rows from ``entered`` on have not entered yet: nothing of a month
    changes them, and the kernels stop at ``entered``.

    ``gone`` marks the rows of households that left before last month. Their first month
    after leaving cleared their figures and their signals to the neighbours, and no phase
    reads or writes them since (a check of ``validate=true`` holds this), so the month skips
    them without reading their rows; a new client household that takes one clears its mark.
    It is an index of the state, not a household field.
    """

    floats: np.ndarray  # float64[n, N_FLOAT]
    ints: np.ndarray    # int32[n, N_INT]
    peer: np.ndarray    # float64[n, N_PEER], last month's signals to neighbours
    n_start: int = -1   # starting households (-1: every row)
    entered: int = -1   # rows from this one on have not entered yet (-1: none)
    gone: np.ndarray | None = None  # uint8[n]: 1 for a row the month skips (above)

    def __post_init__(self) -> None:
        if self.n_start < 0:
            self.n_start = self.floats.shape[0]
        if self.entered < 0:
            self.entered = self.floats.shape[0]
        if self.gone is None:
            self.gone = np.zeros(self.floats.shape[0], dtype=np.uint8)

    @classmethod
    def empty(cls, n: int) -> HouseholdState:
        """Zeroed state for ``n`` households (mentor -1, event months NEVER)."""
        ints = np.zeros((n, N_INT), dtype=np.int32)
        ints[:, MENTOR] = -1
        ints[:, GRADUATION_MONTH] = NEVER
        ints[:, LAST_SHOCK_MONTH] = NEVER
        return cls(np.zeros((n, N_FLOAT)), ints, np.zeros((n, N_PEER)))

    @property
    def n(self) -> int:
        """Number of household rows."""
        return self.floats.shape[0]

    def field(self, name: str) -> np.ndarray:
        """The array of one field by name (a view, not a copy)."""
        if name in _FLOAT:
            return self.floats[:, _FLOAT[name]]
        if name in _INT:
            return self.ints[:, _INT[name]]
        raise KeyError(f"no household field {name!r}; the fields are "
                       f"{', '.join(FLOAT_NAMES + INT_NAMES)}")

    def bytes_per_household(self) -> float:
        """Bytes of household state per row, peer signals and the skip mark included."""
        return (self.floats.nbytes + self.ints.nbytes + self.peer.nbytes +
                self.gone.nbytes) / self.n

    def copy(self) -> HouseholdState:
        """A deep copy."""
        return HouseholdState(self.floats.copy(), self.ints.copy(), self.peer.copy(),
                              self.n_start, self.entered, self.gone.copy())

    def with_rows(self, other: HouseholdState) -> HouseholdState:
        """This state followed by the rows of ``other``, which have not entered yet (its
        starting households unchanged)."""
        return HouseholdState(np.concatenate([self.floats, other.floats]),
                              np.concatenate([self.ints, other.ints]),
                              np.concatenate([self.peer, other.peer]), self.n_start,
                              self.entered, np.concatenate([self.gone, other.gone]))
