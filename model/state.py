"""Household state as a struct of arrays: one fixed row per household (MODEL.md §2).

Float fields live in ``floats`` (float64[n, N_FLOAT]) and integer fields in ``ints``
(int32[n, N_INT]): one contiguous record per household, because the month touches nearly every
field of a household at once (field-major arrays meant ~30 memory streams per pass). Row ``i``
is household ``i`` for the whole run (rows never move; a household
that leaves keeps its row with status ``left``). The field indices below are module constants,
so numba kernels compile them in. Mesa agents (``agents.Household``) are views onto one row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Float fields (float64), in z (poverty-line units) unless stated.
ASSETS = 0            # productive capital k, >= 0
SAVINGS = 1           # liquid savings, >= 0
DEBT = 2              # outstanding loans, >= 0
SKILL = 3             # s in [0, 1]
SKILL_BASE = 4        # the skill the household keeps without training
CONFIDENCE = 5        # self-efficacy e in [0, 1]
CONFIDENCE_BASE = 6   # the level confidence relaxes to without support
CULTURE = 7           # self-reliance norm u in [0, 1]
ASPIRATION = 8        # target per-capita consumption a, z/person-month
INCOME = 9            # earned income this month (enterprise + casual + wage), z/month
TRANSFERS = 10        # transfers received this month, z/month
CONSUMPTION = 11      # household consumption this month, z/month
INVESTMENT = 12       # saving invested in assets this month, z/month
SHOCK_LOSS = 13       # assets lost to a shock this month after informal cover, z
INFORMAL_COVER = 14   # part of this month's loss that neighbours covered, z
SAVINGS_DRAW = 15     # liquid savings spent on subsistence this month, z
COST_RECEIVED = 16    # cumulative programme spending on the household, z
PRODUCTIVITY = 17     # A_i, fixed
LOAN_INSTALMENT = 18  # monthly instalment of the current loan, z
PROGRAMME_COST = 19   # programme spending on the household this month, z (pension excluded)
REPAID = 20           # loan repaid this month, z
SEIZED = 21           # assets seized on a loan default this month, z
PROGRAMME_COST_TOTAL = 22  # cumulative programme spending on the household, z
N_FLOAT = 23

FLOAT_FIELDS = ("assets", "savings", "debt", "skill", "skill_base", "confidence",
                "confidence_base", "culture", "aspiration", "income", "transfers",
                "consumption", "investment", "shock_loss", "informal_cover", "savings_draw",
                "cost_received", "productivity", "loan_instalment", "programme_cost", "repaid",
                "seized", "programme_cost_total")

# Integer fields (int32).
SIZE = 0              # persons, >= 1
FEMALE_HEAD = 1       # 0/1
OCCUPATION = 2        # primary occupation this month, see OCCUPATIONS
STATUS = 3            # see STATUSES
MONTHS_ABOVE = 4      # consecutive months with earned per-capita income >= exit line
MONTHS_BELOW = 5      # consecutive months a graduate consumed below z per person
MENTOR = 6            # mentor row or -1
HAS_JOB = 7           # 0/1: holds a wage job
EVENTS = 8            # bit set of this month's events, see EVENT_*
GRADUATION_MONTH = 9  # month of the latest graduation or -1
LAST_SHOCK_MONTH = 10  # month of the latest shock or -1
ARREARS = 11          # consecutive months an instalment was not paid in full
ENROLLED_EVER = 12    # bit p set once the household has enrolled in programme p
ACTIVE_PROGRAMMES = 13  # bit p set if programme p was delivered to it this month
HIGH_TECH_MONTHS = 14  # months it has run the high technology (experience, capped at the ramp)
TIMERS = 15           # first of N_PROGRAMMES timers: months of programme p still to come
N_PROGRAMMES = 10     # in model.programme_params.PROGRAMMES order
N_INT = TIMERS + N_PROGRAMMES

INT_FIELDS = ("size", "female_head", "occupation", "status", "months_above_line",
              "months_below_line", "mentor", "has_job", "events", "graduation_month",
              "last_shock_month", "arrears_months", "enrolled_ever", "active_programmes",
              "high_tech_months",
              "timer_consumption_support", "timer_asset_grant", "timer_cash_transfer",
              "timer_training", "timer_mentoring", "timer_microcredit", "timer_job_matching",
              "timer_incubation", "timer_aspiration_campaign", "timer_savings_group")
# programme indices, as in model.programme_params.PROGRAMMES
(P_CONSUMPTION_SUPPORT, P_ASSET_GRANT, P_CASH_TRANSFER, P_TRAINING, P_MENTORING,
 P_MICROCREDIT, P_JOB_MATCHING, P_INCUBATION, P_ASPIRATION_CAMPAIGN,
 P_SAVINGS_GROUP) = range(N_PROGRAMMES)

OCCUPATIONS = ("none", "casual", "enterprise_low", "enterprise_high", "wage_job")
NONE, CASUAL, ENTERPRISE_LOW, ENTERPRISE_HIGH, WAGE_JOB = range(5)

STATUSES = ("supported", "enrolled", "graduated", "left")
SUPPORTED, ENROLLED, GRADUATED, LEFT = range(4)

EVENT_SHOCK = 1
EVENT_GRADUATED = 2
EVENT_RELAPSED = 4
EVENT_LEFT = 8
EVENT_JOB_FOUND = 16
EVENT_JOB_LOST = 32
EVENT_INCOME_ROSE = 64
EVENT_DEFAULTED = 128

# What each household shows its neighbours at the end of a month (float64[n, N_PEER]);
# neighbours read last month's copy, so the order of the household loop never matters. A
# household that has left shows zeros, so neighbours sum the columns without branching.
PEER_ACTIVE = 0       # 1 while the household has not left
PEER_CONSUMPTION = 1  # per-capita consumption
PEER_CULTURE = 2
PEER_SUCCESS = 3      # 1 if earned per-capita income reached the exit line
PEER_GRADUATED = 4    # 1 if it graduated this month (a role model)
N_PEER = 5


@dataclass
class HouseholdState:
    """The household arrays of one run."""

    floats: np.ndarray  # float64[n, N_FLOAT]
    ints: np.ndarray    # int32[n, N_INT]
    peer: np.ndarray    # float64[n, N_PEER], last month's signals to neighbours

    @classmethod
    def empty(cls, n: int) -> HouseholdState:
        """Zeroed state for ``n`` households (mentor -1, graduation month -1)."""
        ints = np.zeros((n, N_INT), dtype=np.int32)
        ints[:, MENTOR] = -1
        ints[:, GRADUATION_MONTH] = -1
        ints[:, LAST_SHOCK_MONTH] = -1
        return cls(np.zeros((n, N_FLOAT)), ints, np.zeros((n, N_PEER)))

    @property
    def n(self) -> int:
        """Number of household rows."""
        return self.floats.shape[0]

    def field(self, name: str) -> np.ndarray:
        """The array of one field by name (a view, not a copy)."""
        if name in FLOAT_FIELDS:
            return self.floats[:, FLOAT_FIELDS.index(name)]
        return self.ints[:, INT_FIELDS.index(name)]

    def bytes_per_household(self) -> float:
        """Bytes of household state per row, peer signals included."""
        return (self.floats.nbytes + self.ints.nbytes + self.peer.nbytes) / self.n

    def copy(self) -> HouseholdState:
        """A deep copy."""
        return HouseholdState(self.floats.copy(), self.ints.copy(), self.peer.copy())


def refresh_peer(state: HouseholdState, exit_line_z: float) -> None:
    """Fill the peer signals from the current state (used at the start of a run)."""
    f, i = state.floats.T, state.ints.T
    size = i[SIZE].astype(np.float64)
    active = (i[STATUS] != LEFT).astype(float)
    state.peer[:, PEER_ACTIVE] = active
    state.peer[:, PEER_CONSUMPTION] = active * f[CONSUMPTION] / size
    state.peer[:, PEER_CULTURE] = active * f[CULTURE]
    state.peer[:, PEER_SUCCESS] = active * (f[INCOME] / size >= exit_line_z)
    state.peer[:, PEER_GRADUATED] = 0.0
