"""The synthetic province-like client population (MODEL.md §5), its start-of-run flows and
the new client households that enter during a run.

Every household's initial draws come from the counter-based ``population`` stream keyed by its
id, so household ``i`` is the same person in a population of 500 or of 50,000 and in every
scenario run with the same seed. The starting households have ids ``0..n-1`` (their rows); the
``j``-th new client household of a run has id ``n + j`` and enters the row that
``model.entry`` plans for it, reset to a fresh household of its own draws.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from model import libm, rng
from model.kernel_params import reference_labour
from model.params import Config, PopulationParams
from model.state import (
    ADULTS,
    ASPIRATION,
    ASSETS,
    CASUAL,
    CHILDREN,
    CONFIDENCE,
    CONFIDENCE_BASE,
    CONSUMPTION,
    CULTURE,
    ELDERLY,
    ENTERPRISE_LOW,
    FEMALE_HEAD,
    INCOME,
    OCCUPATION,
    PRODUCTIVITY,
    SAVINGS,
    SIZE,
    SKILL,
    SKILL_BASE,
    HouseholdState,
)
from model.technology import labour_each

# draw numbers of the population stream: (month slot, draw index)
DRAW_SIZE, DRAW_FEMALE, DRAW_ASSETS, DRAW_SKILL, DRAW_CONFIDENCE, DRAW_CULTURE, \
    DRAW_PRODUCTIVITY, DRAW_SAVINGS = [(0, k) for k in range(8)]
DRAW_ASPIRATION, DRAW_ELDERLY, DRAW_CHILDREN = [(1, k) for k in range(3)]

TRAITS = {"skill": (SKILL, DRAW_SKILL), "confidence": (CONFIDENCE, DRAW_CONFIDENCE),
          "culture": (CULTURE, DRAW_CULTURE)}


def _uniforms(seed: int, ids: np.ndarray, draw: tuple[int, int]) -> np.ndarray:
    u = rng.uniforms_of(rng.key(seed, "population", draw[0]), ids, draw[1])
    return np.clip(u, 1e-12, 1.0 - 1e-12)


def _normals(seed: int, ids: np.ndarray, draw: tuple[int, int]) -> np.ndarray:
    return special.ndtri(_uniforms(seed, ids, draw))


def ids_of(n: int) -> np.ndarray:
    """The ids of households ``0..n-1`` (int64[n])."""
    return np.arange(n, dtype=np.int64)


def draw_sizes(seed: int, ids: np.ndarray, pop: PopulationParams) -> np.ndarray:
    """Household sizes: 1 + Poisson(mean_size - 1), capped at max_size (int32[n])."""
    u = _uniforms(seed, ids, DRAW_SIZE)
    mean = max(pop.mean_size - 1.0, 1e-9)
    extra = np.arange(pop.max_size)
    pmf = libm.exp(extra * math.log(mean) - mean - special.gammaln(extra + 1.0))
    cdf = np.cumsum(pmf)  # the Poisson quantile is the first count whose CDF reaches u
    size = 1 + np.searchsorted(cdf, u, side="left")
    return np.minimum(size, pop.max_size).astype(np.int32)


def draw_composition(seed: int, ids: np.ndarray, sizes: np.ndarray, pop: PopulationParams
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Working-age adults, children and elderly of households ``ids`` of ``sizes`` (int32[n]
    each).

    Each member is elderly with probability ``elderly_member_share``; of the others, one is
    the working-age head and each of the rest a child with probability
    ``child_member_share``, else of working age (two binomial draws per household). A
    household of elderly members only has no working-age adult.
    """
    elderly = binomial_quantile(_uniforms(seed, ids, DRAW_ELDERLY), sizes,
                                pop.elderly_member_share)
    others = np.maximum(sizes - elderly - 1, 0)
    children = binomial_quantile(_uniforms(seed, ids, DRAW_CHILDREN), others,
                                 pop.child_member_share)
    return sizes - children - elderly, children, elderly


def binomial_quantile(u: np.ndarray, trials: np.ndarray, p: float) -> np.ndarray:
    """A binomial draw by inversion: for each ``u`` (float64[n] in (0, 1)) and number of
    ``trials`` (int[n], non-negative), the smallest k whose probability of at most k successes
    in ``trials`` with success probability ``p`` reaches ``u`` (int32[n]).

    The distribution function is summed from the probabilities of each count. It agrees with
    ``scipy.stats.binom.ppf`` on every one of 40 million random draws tried (counts 0-40,
    ``p`` from 0.05 to 0.9); the two can differ only where ``u`` equals a value of the
    distribution function to the last bit. It avoids importing ``scipy.stats``, about a
    quarter of a second of every start.
    """
    draws = np.empty(u.shape[0], dtype=np.int32)
    for n in np.unique(trials):
        k = np.arange(n + 1)
        ways = np.array([math.comb(int(n), int(j)) for j in k], dtype=float)
        cdf = np.cumsum(ways * libm.power(p, k) * libm.power(1.0 - p, n - k))
        rows = trials == n
        draws[rows] = np.minimum(np.searchsorted(cdf, u[rows], side="left"), n)
    return draws


def draw_traits(seed: int, ids: np.ndarray, pop: PopulationParams, asset_normal: np.ndarray,
                name: str) -> np.ndarray:
    """A Beta-distributed trait correlated with log assets (float64[n] in [0, 1])."""
    rho = pop.trait_asset_correlation
    own = _normals(seed, ids, TRAITS[name][1])
    latent = rho * asset_normal + np.sqrt(1.0 - rho * rho) * own
    a, b = getattr(pop, f"{name}_beta")
    return special.betaincinv(a, b, special.ndtr(latent))


def synthetic(cfg: Config, n: int | None = None) -> HouseholdState:
    """The synthetic client population of ``cfg.population`` (``n`` overrides its size)."""
    return drawn(cfg, ids_of(cfg.population.households if n is None else n))


def drawn(cfg: Config, ids: np.ndarray) -> HouseholdState:
    """The synthetic households ``ids`` of ``cfg.population``, as drawn (no flows yet)."""
    pop = cfg.population
    seed = cfg.seed
    state = HouseholdState.empty(ids.shape[0])
    f, i = state.floats.T, state.ints.T
    i[SIZE] = draw_sizes(seed, ids, pop)
    i[ADULTS], i[CHILDREN], i[ELDERLY] = draw_composition(seed, ids, i[SIZE], pop)
    i[FEMALE_HEAD] = (_uniforms(seed, ids, DRAW_FEMALE) < pop.female_head_share).astype(
        np.int32)
    asset_normal = _normals(seed, ids, DRAW_ASSETS)
    f[ASSETS] = pop.asset_median_z * libm.exp(pop.asset_log_sd * asset_normal)
    for name, (row, _) in TRAITS.items():
        f[row] = draw_traits(seed, ids, pop, asset_normal, name)
    f[PRODUCTIVITY] = pop.productivity_median * libm.exp(
        pop.productivity_log_sd * _normals(seed, ids, DRAW_PRODUCTIVITY))
    f[SAVINGS] = pop.savings_median_z * libm.exp(_normals(seed, ids, DRAW_SAVINGS))
    f[ASPIRATION] = np.nan  # set by start_flows from the starting consumption
    return state


def redraw_traits(state: HouseholdState, cfg: Config, names: list[str]) -> None:
    """Draw the traits ``names`` again, correlated with the state's actual assets (rosters)."""
    pop = cfg.population
    k = np.maximum(state.floats[:, ASSETS], 1e-9)
    asset_normal = libm.log(k / max(pop.asset_median_z, 1e-9)) / max(pop.asset_log_sd, 1e-9)
    for name in names:
        state.floats[:, TRAITS[name][0]] = draw_traits(cfg.seed, ids_of(state.n), pop,
                                                       asset_normal, name)


def aspiration_gaps(seed: int, ids: np.ndarray, pop: PopulationParams) -> np.ndarray:
    """Initial aspiration gaps, uniform on [0, aspiration_gap_max] (float64[n])."""
    return pop.aspiration_gap_max * _uniforms(seed, ids, DRAW_ASPIRATION)


def start_flows(state: HouseholdState, cfg: Config, ids: np.ndarray | None = None) -> None:
    """Set the bases and last month's income and consumption that the first month reads.

    Month 0 flows are those of the low technology at expected casual pay (every adult free to
    work), with the pension and the reference saving rate; every household starts the time
    to build of the high technology at 0 months (how far an enterprise has come is a rule of
    the month, reached in the burn-in, not an initial condition); aspirations left missing
    are set to the starting per-capita consumption times (1 + an initial gap, drawn for
    the households ``ids``; None: ids ``0..n-1``, the rows).
    """
    f, i = state.floats.T, state.ints.T
    ent, con = cfg.enterprise, cfg.consumption
    size = i[SIZE].astype(np.float64)
    work = labour_each(i[ADULTS].astype(np.float64), cfg.labour.adult_returns)
    theta = (1.0 + ent.skill_effect * f[SKILL]) * (1.0 + ent.confidence_effect * f[CONFIDENCE])
    earned = f[PRODUCTIVITY] * theta * work / reference_labour(cfg) * ent.theta_low \
        * libm.power(f[ASSETS], ent.gamma_low) \
        + cfg.labour.p_casual * cfg.labour.casual_wage_z * work
    cash = earned + cfg.transfers.pension_per_person_z * size
    surplus = np.maximum(cash - con.subsistence_per_person_z * size, 0.0)
    f[INCOME] = earned
    f[CONSUMPTION] = cash - con.reference_saving_rate * surplus
    i[OCCUPATION] = np.where(f[ASSETS] >= ent.active_assets_z, ENTERPRISE_LOW, CASUAL)
    f[SKILL_BASE] = f[SKILL]
    f[CONFIDENCE_BASE] = f[CONFIDENCE]
    missing = np.isnan(f[ASPIRATION])
    gaps = aspiration_gaps(cfg.seed, ids_of(state.n) if ids is None else ids, cfg.population)
    f[ASPIRATION] = np.where(missing, f[CONSUMPTION] / size * (1.0 + gaps), f[ASPIRATION])


def fresh(cfg: Config, ids: np.ndarray) -> HouseholdState:
    """New client households ``ids`` as they enter: drawn, with their starting flows."""
    state = drawn(cfg, ids)
    start_flows(state, cfg, ids)
    return state


def arrivals_by(rate: float, months: int) -> int:
    """How many of a flow of ``rate`` per month have arrived after ``months`` months: the
    whole part of ``rate * months`` (fractions carry over from month to month)."""
    return math.floor(rate * months + 1e-9)
