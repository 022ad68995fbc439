"""Mentors: social workers and the network's volunteers, as arrays (MODEL.md §2).

Rows never move. The first rows are the volunteers (students, professors, professionals), then
the social workers, then a reserve of volunteers that institutions send to replace drop-outs.
Each month, in ``match``: volunteers drop out (``institutions.volunteer_dropout``) and are
replaced from their institution's reserve while it lasts; households whose mentor stopped or
whose mentoring ended are released; then every household enrolled in mentoring without a
mentor is matched, in row order, to the first active mentor with room whose focus fits its
need (psychosocial if confidence or culture is below its gate, skills if skill is low,
business otherwise), else to the first active mentor with room. Volunteers come before social
workers, since their weekly contact does more. The Python engine runs ``match`` uncompiled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from model import rng
from model.params import Config
from model.programme_params import INSTITUTIONS
from model.state import (
    CONFIDENCE,
    CULTURE,
    LEFT,
    MENTOR,
    P_MENTORING,
    SKILL,
    STATUS,
    TIMERS,
    Field,
    codes,
)

KINDS = ("social_worker", "student", "professor", "professional")
FOCUSES = ("business", "skills", "psychosocial")
BUSINESS, SKILLS, PSYCHOSOCIAL = range(3)
QUALITY = {"social_worker": (0.5, 0.8), "student": (0.3, 0.7), "professor": (0.6, 0.9),
           "professional": (0.5, 0.8)}  # uniform ranges
HOME = {"social_worker": ("relief_committee",), "student": ("university",),
        "professor": ("university", "research_centre"),
        "professional": ("knowledge_firm", "science_park")}
FOCUS_OF = {"social_worker": (PSYCHOSOCIAL,), "student": (SKILLS, PSYCHOSOCIAL),
            "professor": (SKILLS, BUSINESS), "professional": (BUSINESS,)}
FOCUS_BOOST = 1.5  # a mentor works half as hard again on its own focus
EFFECT_CONFIDENCE, EFFECT_SKILL, EFFECT_CULTURE = range(3)
MENTOR_FIELDS: tuple[Field, ...] = (
    Field("kind", "code", f"kind of mentor: {codes(KINDS)}", 0, len(KINDS) - 1),
    Field("institution", "code", f"its institution: {codes(INSTITUTIONS)}", 0,
          len(INSTITUTIONS) - 1),
    Field("capacity", "households", "households it can coach at once", 0),
    Field("quality", "0-1", "quality of its coaching", 0.0, 1.0),
    Field("focus", "code", f"what its coaching is about: {codes(FOCUSES)}", 0,
          len(FOCUSES) - 1),
    Field("active", "0/1", "coaching now (0: stopped, or still in reserve)", 0, 1),
    Field("reserve", "0/1", "a reserve row not yet called", 0, 1),
    Field("caseload", "households", "households it coaches now", 0),
)
"""The mentor fields a ``agents.Mentor`` reads and sets, each with its allowed range (the
rules tying them together are ``model.invariants.MENTOR_RULES``)."""


@dataclass
class MentorState:
    """The mentor arrays of one run (length: mentors plus reserve)."""

    kind: np.ndarray         # int8: index into KINDS
    institution: np.ndarray  # int8: index into model.programme_params.INSTITUTIONS
    capacity: np.ndarray     # int32: households at once
    quality: np.ndarray      # float64 in [0, 1]
    contact: np.ndarray      # float64: coaching and referral per month, 1 for weekly contact
    focus: np.ndarray        # int8: index into FOCUSES
    active: np.ndarray       # int8: 1 active, 0 stopped or still in reserve
    reserve: np.ndarray      # int8: 1 for a reserve row not yet called
    caseload: np.ndarray     # int32: households matched now
    effects: np.ndarray      # float64[m, 3]: coaching per month on confidence, skill, culture

    @property
    def n(self) -> int:
        """Number of mentor rows."""
        return self.kind.shape[0]

    def move(self, old: int, new: int) -> None:
        """Move one household from mentor ``old``'s caseload to mentor ``new``'s (either -1:
        none), as :func:`match` releases and matches households.

        Raises:
            ValueError: ``new`` is not active or is full (:func:`has_room`), naming it, its
                caseload and its capacity; nothing is changed.
        """
        if new == old:
            return
        if new >= 0 and not has_room(self.active, self.caseload, self.capacity, new):
            raise ValueError(
                f"mentor = {new} is refused: mentor {new} cannot take another household "
                f"(active = {self.active[new]}, caseload = {self.caseload[new]}, capacity = "
                f"{self.capacity[new]}); a household's mentor is -1 (none) or an active "
                "mentor whose caseload is below its capacity. Nothing was changed.")
        if old >= 0:
            self.caseload[old] -= 1
        if new >= 0:
            self.caseload[new] += 1


def _rows(kind: str, count: int, capacity: int, reserve: bool) -> list[tuple]:
    return [(kind, j, capacity, reserve) for j in range(count)]


def build(cfg: Config, households: int) -> MentorState:
    """Mentors for ``households`` client households (none unless mentoring is enabled)."""
    cap = cfg.institutions
    per = households / 1000.0
    rows: list[tuple] = []
    if cfg.programmes.mentoring.enabled:
        volunteers = {k: round(getattr(cap, f"{k}s") * per)
                      for k in ("student", "professor", "professional")}
        for kind, count in volunteers.items():
            rows += _rows(kind, count, cap.volunteer_caseload, False)
        rows += _rows("social_worker", round(cap.social_workers * per),
                      cap.social_worker_caseload, False)
        for kind, count in volunteers.items():
            rows += _rows(kind, round(count * cap.mentor_reserve), cap.volunteer_caseload,
                          True)
    m = len(rows)
    key = rng.key(cfg.seed, "mentor", 0)
    u = rng.uniforms(key, m, 0)
    state = MentorState(np.zeros(m, np.int8), np.zeros(m, np.int8), np.zeros(m, np.int32),
                        np.zeros(m), np.zeros(m), np.zeros(m, np.int8), np.zeros(m, np.int8),
                        np.zeros(m, np.int8), np.zeros(m, np.int32), np.zeros((m, 3)))
    for row, (kind, j, capacity, reserve) in enumerate(rows):
        lo, hi = QUALITY[kind]
        focus = FOCUS_OF[kind][j % len(FOCUS_OF[kind])]
        quality = lo + (hi - lo) * u[row]
        # social workers see a family monthly, volunteers weekly
        contact = cap.social_worker_contact if kind == "social_worker" else 1.0
        strength = quality * contact
        state.kind[row] = KINDS.index(kind)
        state.institution[row] = INSTITUTIONS.index(HOME[kind][j % len(HOME[kind])])
        state.capacity[row] = capacity
        state.quality[row] = quality
        state.contact[row] = contact
        state.focus[row] = focus
        state.active[row] = 0 if reserve else 1
        state.reserve[row] = 1 if reserve else 0
        state.effects[row] = strength
        state.effects[row, (EFFECT_CULTURE, EFFECT_SKILL, EFFECT_CONFIDENCE)[focus]] *= \
            FOCUS_BOOST
    return state


@njit(cache=True)
def has_room(active: np.ndarray, caseload: np.ndarray, capacity: np.ndarray, j: int) -> bool:
    """Whether mentor ``j`` can take one more household: active, its caseload below its
    capacity."""
    return active[j] == 1 and caseload[j] < capacity[j]


@njit(cache=True)
def need_of(floats: np.ndarray, h: int, e_min: float, u_min: float, low_skill: float) -> int:
    """The focus a household needs most."""
    if floats[h, CONFIDENCE] < e_min or floats[h, CULTURE] < u_min:
        return PSYCHOSOCIAL
    if floats[h, SKILL] < low_skill:
        return SKILLS
    return BUSINESS


@njit(cache=True)
def match(floats: np.ndarray, ints: np.ndarray, kind: np.ndarray, institution: np.ndarray,
          capacity: np.ndarray, focus: np.ndarray, active: np.ndarray, reserve: np.ndarray,
          caseload: np.ndarray, key: np.uint64, dropout: float, gates: np.ndarray) -> int:
    """Drop-out, replacement, release and matching for one month; returns replacements made.

    Args:
        floats, ints: household state (model.state layout); MENTOR is updated.
        kind..caseload: mentor arrays (MentorState); active, reserve and caseload are updated.
        key: the month's key of the ``mentor`` stream.
        gates: float64[3]: e_min, u_min, low skill.
    """
    m = kind.shape[0]
    replaced = 0
    for j in range(m):
        if active[j] == 1 and kind[j] != 0 and rng.uniform(key, j, 0) < dropout:
            active[j] = 0
            for r in range(m):
                if reserve[r] == 1 and kind[r] == kind[j] and institution[r] == institution[j]:
                    reserve[r] = 0
                    active[r] = 1
                    replaced += 1
                    break
    n = floats.shape[0]
    for h in range(n):
        mentor = ints[h, MENTOR]
        if mentor >= 0 and (active[mentor] == 0 or ints[h, TIMERS + P_MENTORING] == 0
                            or ints[h, STATUS] >= LEFT):  # left (never pending: unmatched)
            caseload[mentor] -= 1
            ints[h, MENTOR] = -1
    pointer = np.zeros(4, dtype=np.int64)  # next candidate per focus, and for any focus (3)
    for h in range(n):
        if ints[h, MENTOR] >= 0 or ints[h, TIMERS + P_MENTORING] == 0 or \
                ints[h, STATUS] >= LEFT:
            continue
        wanted = need_of(floats, h, gates[0], gates[1], gates[2])
        chosen = -1
        for slot in (wanted, 3):
            j = pointer[slot]
            while j < m and (not has_room(active, caseload, capacity, j) or
                             (slot < 3 and focus[j] != slot)):
                j += 1
            pointer[slot] = j
            if j < m:
                chosen = j
                break
        if chosen >= 0:
            ints[h, MENTOR] = chosen
            caseload[chosen] += 1
    return replaced
