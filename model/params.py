"""Typed, validated, frozen model parameters.

Every parameter has a default, a unit, an allowed range and a one-line meaning, declared once
here with :func:`param`. Hydra composes YAML over these defaults (see ``configs/``); the model
only ever receives a validated :class:`Config`. ``docs/parameters.md`` is generated from this
module (``empowernet params``).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass, field
from typing import Any

import numba

from model.params_base import ConfigError, param
from model.programme_params import BudgetParams, NetworkCapacities, ProgrammesParams
from model.programmes import PROGRAMME_NAMES

BASELINE = "baseline"
"""The business-as-usual scenario (configs/scenario/baseline.yaml): the default label, and what
every other scenario is compared with."""
SOURCES = ("synthetic", "roster")
SAVING_RULES = ("aspiration_gap", "fixed")
ENGINES = ("numba", "python")


@dataclass(frozen=True)
class PopulationParams:
    """Who the client households are (MODEL.md §5)."""

    source: str = param("synthetic", "-", choices=SOURCES,
                        doc="synthetic province-like population, or a roster file")
    households: int = param(20_000, "households", 1, 50_000_000,
                            doc="starting households of the synthetic population (new "
                            "clients enter on top: status.p_entry)")
    burn_in_months: int = param(360, "months", 0, 1200,
                                doc="months of business as usual (no programmes, not "
                                "recorded) a synthetic population lives before month 0; "
                                "a roster is never burned in")
    roster_path: str = param("", "path",
                             doc="CSV, Excel (.xlsx) or Parquet roster (source=roster)")
    roster_columns: str = param("", "path", doc="column-mapping file (YAML or CSV): a "
                                "system's export names -> roster columns (docs/roster.md)")
    roster_strict: bool = param(False, "switch", doc="refuse roster columns that are not "
                                "roster columns, instead of keeping them as labels")
    assignment_path: str = param("", "path", doc="programme assignment (source=roster): a "
                                 "CSV of household_id, programme rows; each programme then "
                                 "enrols only the households assigned to it (docs/roster.md)")
    mean_size: float = param(3.4, "persons", 1.0, 12.0, doc="mean household size")
    max_size: int = param(12, "persons", 1, 40, doc="largest synthetic household")
    elderly_member_share: float = param(0.061, "probability", 0.0, 1.0,
                                        doc="chance that a member is 65 or older")
    child_member_share: float = param(0.372, "probability", 0.0, 1.0,
                                      doc="chance that a member other than the elderly and "
                                      "the working-age head is under 15 (else of working age)")
    female_head_share: float = param(0.55, "share", 0.0, 1.0, doc="female-headed households")
    asset_median_z: float = param(6.0, "z", 0.0, 1e4, doc="median productive assets at start")
    asset_log_sd: float = param(0.8, "log units", 0.0, 5.0, doc="log-normal spread of assets")
    savings_median_z: float = param(0.5, "z", 0.0, 1e4, doc="median liquid savings at start")
    productivity_median: float = param(0.85, "-", 0.01, 100.0,
                                       doc="median household productivity A_i")
    # posterior median of data/calibration/default (docs/calibration.md)
    productivity_log_sd: float = param(0.351, "log units", 0.0, 3.0,
                                       doc="log-normal spread of A_i")
    skill_beta: tuple[float, ...] = param((2.0, 5.0), "Beta(a, b)", 0.01, 100.0,
                                          doc="skill distribution")
    confidence_beta: tuple[float, ...] = param((2.0, 3.0), "Beta(a, b)", 0.01, 100.0,
                                               doc="self-confidence distribution")
    culture_beta: tuple[float, ...] = param((3.0, 3.0), "Beta(a, b)", 0.01, 100.0,
                                            doc="self-reliance culture distribution")
    trait_asset_correlation: float = param(0.4, "-", -0.99, 0.99,
                                           doc="correlation of traits with log assets")
    aspiration_gap_max: float = param(0.8, "share", 0.0, 10.0,
                                      doc="initial aspiration gap is uniform on [0, this]")

    @property
    def reference_adults(self) -> float:
        """Working-age adults of the reference household: of ``mean_size`` members, the
        expected non-elderly ones are the head and, for a share ``1 - child_member_share``
        of the others, working-age adults."""
        others = self.mean_size * (1.0 - self.elderly_member_share) - 1.0
        return 1.0 + max(others, 0.0) * (1.0 - self.child_member_share)


@dataclass(frozen=True)
class NetworkParams:
    """The households' social network (small world)."""

    degree: int = param(6, "ties", 0, 100, doc="mean degree (even numbers are exact)")
    rewiring: float = param(0.1, "probability", 0.0, 1.0, doc="Watts-Strogatz rewiring")
    homophily_by_assets: bool = param(False, "switch",
                                      doc="place households on the ring in order of assets")


@dataclass(frozen=True)
class ShockParams:
    """Uninsured shocks and informal insurance (MODEL.md §3.1)."""

    p_shock: float = param(0.009, "probability/month", 0.0, 1.0, doc="chance of a shock")
    loss_min: float = param(0.1, "share of assets", 0.0, 1.0, doc="smallest asset loss")
    loss_max: float = param(0.5, "share of assets", 0.0, 1.0, doc="largest asset loss")
    insurance_share: float = param(0.3, "share of loss", 0.0, 1.0,
                                   doc="iota: share of a loss neighbours cover")
    insurance_min_assets: float = param(0.5, "multiple of k*", 0.0, 10.0,
                                        doc="rho: households below rho*k* get no cover")


@dataclass(frozen=True)
class LabourParams:
    """Wage jobs, job slots and casual work (MODEL.md §3.2)."""

    p_separation: float = param(0.02, "probability/month", 0.0, 1.0, doc="job loss")
    p_find: float = param(0.01, "probability/month", 0.0, 1.0, doc="p0: base job finding")
    skill_effect: float = param(1.0, "-", 0.0, 20.0, doc="beta_s in p0*(1+beta_s*s)")
    referral_effect: float = param(1.9, "-", 0.0, 20.0, doc="beta_ref: effect of a referral")
    referral_priority: float = param(2.0, "-", 0.0, 20.0,
                                     doc="weight of a referral in the queue for job slots "
                                     "(score skill + weight * referral). Unsourced: the order "
                                     "of the starting specification; its part in the "
                                     "graduation package's effect is in docs/graduation.md")
    job_slots_per_1000: float = param(1.0, "slots/month per 1000 households", 0.0, 1000.0,
                                      doc="new wage-job slots the open market offers each "
                                      "month")
    enterprise_hiring: float = param(0.004, "slots/month per enterprise", 0.0, 10.0,
                                     doc="new wage-job slots each client high-technology "
                                     "enterprise opens to clients; divided by p_separation, "
                                     "its steady workforce (0.2 workers). Unsourced, to be "
                                     "estimated from the committee's panel")
    wage_z: float = param(3.0, "z/household-month", 0.0, 1000.0, doc="wage of a job")
    casual_wage_z: float = param(1.09, "z/month", 0.0, 1000.0,
                                 doc="casual pay of one working-age adult")
    p_casual: float = param(0.6, "probability/month", 0.0, 1.0, doc="casual work available")
    adult_returns: float = param(0.5, "-", 0.0, 1.0,
                                 doc="eta: casual pay and enterprise labour grow with "
                                 "working-age adults as adults**eta (each adds less)")


@dataclass(frozen=True)
class EnterpriseParams:
    """The non-convex technology that makes the trap (MODEL.md §3.3)."""

    trap: bool = param(True, "switch", doc="false: one concave technology, no threshold")
    theta_low: float = param(1.715, "-", 0.0, 100.0, doc="low-technology productivity")
    theta_high: float = param(1.2, "-", 0.0, 100.0, doc="high-technology productivity")
    gamma_low: float = param(0.065, "-", 0.01, 0.99, doc="low-technology asset elasticity")
    gamma_high: float = param(0.45, "-", 0.01, 0.99, doc="high-technology asset elasticity")
    k_min_z: float = param(20.0, "z", 0.0, 1e5, doc="indivisible asset the high technology needs")
    fixed_cost_high_z: float = param(0.0, "z/month", 0.0, 1e4, doc="monthly cost of high tech")
    ramp_months: int = param(72, "months", 0, 600,
                             doc="time to build: a new high-technology enterprise earns its "
                             "full extra income over low technology after running this many "
                             "months, rising linearly (0: at once)")
    skill_effect: float = param(0.3, "-", 0.0, 10.0, doc="phi_s in theta")
    # posterior median of data/calibration/default (docs/calibration.md)
    confidence_effect: float = param(0.756, "-", 0.0, 10.0, doc="phi_e in theta")
    confidence_gate: float = param(0.45, "0-1", 0.0, 1.0, doc="e_min for the high technology")
    # posterior median of data/calibration/default (docs/calibration.md)
    culture_gate: float = param(0.234, "0-1", 0.0, 1.0, doc="u_min for the high technology")
    active_assets_z: float = param(1.0, "z", 0.0, 1e4,
                                   doc="assets from which a low enterprise counts as an occupation")


@dataclass(frozen=True)
class TransferParams:
    """Baseline relief and prices (MODEL.md §3.4)."""

    pension_per_person_z: float = param(0.1, "z/person-month", 0.0, 100.0, doc="pension")
    pension_indexed: bool = param(True, "switch", doc="pension keeps its real value "
                                  "(false: its nominal value is frozen and inflation erodes it)")
    inflation_annual: float = param(0.40, "share/year", 0.0, 10.0,
                                    doc="erodes every nominal, non-indexed amount")


@dataclass(frozen=True)
class ConsumptionParams:
    """Consumption, saving and the aspiration-gap rule (MODEL.md §3.5)."""

    subsistence_per_person_z: float = param(0.6, "z/person-month", 0.0, 100.0,
                                            doc="c_sub")
    saving_rule: str = param("aspiration_gap", "-", choices=SAVING_RULES,
                             doc="aspiration_gap: sigma from the gap; fixed: reference rate")
    sigma_min: float = param(0.04, "share of surplus", 0.0, 1.0, doc="lowest saving rate")
    # posterior median of data/calibration/default (docs/calibration.md)
    sigma_max: float = param(0.204, "share of surplus", 0.0, 1.0, doc="highest saving rate")
    gap_peak: float = param(0.4, "share", -1.0, 10.0, doc="gap* where saving peaks")
    gap_width: float = param(0.6, "share", 0.01, 10.0, doc="width of the inverted U")
    reference_saving_rate: float = param(0.10, "share of surplus", 0.0, 1.0,
                                         doc="sigma of the reference household (k*, fixed rule)")
    liquid_share: float = param(0.5, "share of saving", 0.0, 1.0,
                                doc="psi: share of its saving a household without the "
                                "indivisible asset keeps as liquid savings (the rest goes into "
                                "its productive assets); an owner invests all")
    depreciation: float = param(0.012, "share/month", 0.0, 1.0, doc="delta: asset depreciation")


@dataclass(frozen=True)
class BehaviourParams:
    """Skills, confidence, aspirations and culture (MODEL.md §3.7-3.9)."""

    skill_decay: float = param(0.01, "share/month", 0.0, 1.0,
                               doc="trained skill above the household's base decays")
    peer_effect: float = param(0.02, "per month", 0.0, 1.0, doc="kappa_P: peer success")
    own_outcome_effect: float = param(0.01, "per month", 0.0, 1.0, doc="kappa_O: own outcome")
    material_change: float = param(0.05, "share of last month's income", 0.0, 1.0,
                                   doc="earned income rising (falling) by more than this share "
                                   "is a good (bad) own outcome for confidence")
    confidence_relax: float = param(0.02, "per month", 0.0, 1.0,
                                    doc="pull of confidence back to its baseline")
    aspiration_adapt: float = param(0.05, "per month", 0.0, 1.0,
                                    doc="lambda: aspirations follow neighbours' consumption")
    culture_adapt: float = param(0.01, "per month", 0.0, 1.0,
                                 doc="mu: culture follows neighbours' culture")
    role_model_lift: float = param(0.02, "per graduated neighbour", 0.0, 1.0,
                                   doc="a neighbour's graduation lifts confidence and culture")


@dataclass(frozen=True)
class ResponseParams:
    """What households (and the labour market) make of what a programme delivers.

    These are behaviour, not programme inputs: a programme delivers months of training or
    coaching at some intensity (``programmes.<name>.dose``, 1 = as delivered); how much skill,
    confidence or productivity a household gains from it is a parameter of the households,
    estimated by ``empowernet calibrate`` or set from the sources of ``docs/model.md``.
    """

    # posterior median of data/calibration/default (docs/calibration.md)
    training_skill_gain: float = param(0.0915, "share of the skill gap/month", 0.0, 1.0,
                                       doc="eta_T: skill gained each month of training at "
                                       "full intensity, s += eta_T (1 - s)")
    # posterior median of data/calibration/default (docs/calibration.md)
    coaching_confidence_gain: float = param(0.00387, "share of the confidence gap/month", 0.0,
                                            1.0, doc="kappa_M: confidence gained each month "
                                            "of full-intensity coaching, times the mentor's "
                                            "strength")
    # posterior median of data/calibration/default (docs/calibration.md)
    coaching_skill_gain: float = param(0.0075, "share of the skill gap/month", 0.0, 1.0,
                                       doc="skill gained each month of coaching, times the "
                                       "mentor's skill strength")
    # posterior median of data/calibration/default (docs/calibration.md)
    coaching_culture_gain: float = param(0.005, "per month", 0.0, 1.0,
                                         doc="nu: culture gained each month of coaching, times "
                                         "the mentor's culture strength")
    # posterior median of data/calibration/default (docs/calibration.md)
    job_matching_effect: float = param(1.5, "x job-finding chance", 0.0, 100.0,
                                       doc="multiplier on the chance of a job offer while in "
                                       "job matching at full intensity")
    # posterior median of data/calibration/default (docs/calibration.md)
    incubation_productivity_gain: float = param(0.165, "share of productivity", 0.0, 10.0,
                                                doc="rise of A_i of an incubated "
                                                "high-technology enterprise")
    # posterior median of data/calibration/default (docs/calibration.md)
    campaign_aspiration_lift: float = param(0.075, "share of aspiration", 0.0, 10.0,
                                            doc="one-off rise of aspirations a role-model "
                                            "campaign gives")
    # posterior median of data/calibration/default (docs/calibration.md)
    campaign_confidence_lift: float = param(0.025, "0-1", 0.0, 1.0,
                                            doc="confidence a role-model campaign adds once")
    # posterior median of data/calibration/default (docs/calibration.md)
    savings_group_rate: float = param(0.04, "share of surplus", 0.0, 1.0,
                                      doc="extra saving rate of a savings-group member")


@dataclass(frozen=True)
class StatusParams:
    """Graduation, relapse and exits (MODEL.md §3.10)."""

    exit_line_z: float = param(1.2, "z/person-month", 0.0, 100.0,
                               doc="earned per-capita income counted as above the line")
    exit_months: int = param(12, "months", 1, 600, doc="consecutive months to graduate")
    relapse_months: int = param(6, "months", 1, 600,
                                doc="months below z after which a graduate relapses")
    sustained_months: int = param(12, "months", 1, 600,
                                  doc="a graduation still holding this much later is sustained")
    p_exit: float = param(0.01, "probability/month", 0.0, 1.0,
                          doc="exogenous exits (marriage, death, moving)")
    p_entry: float = param(0.011, "share of the starting households/month", 0.0, 1.0,
                           doc="new client households entering each month (Qom 1399: "
                           "3,336 entered for 3,030 left, 1.1 times the exits)")


@dataclass(frozen=True)
class DiagnosisParams:
    """The counterfactual diagnosis of why a household is poor (``model.diagnosis``)."""

    low_skill: float = param(0.2, "0-1", 0.0, 1.0,
                             doc="skill below this counts as low (mentor matching by need)")
    horizon_months: int = param(24, "months", 0, 600,
                                doc="months a relaxed household is simulated to see whether "
                                    "it gets above the line (0: no diagnosis)")
    window_months: int = param(6, "months", 1, 600,
                               doc="the last months of the horizon whose mean per-capita "
                                   "consumption must reach z (at most the horizon)")


@dataclass(frozen=True)
class OutputParams:
    """What a run records besides the monthly results."""

    snapshot_months: tuple[int, ...] = param((), "months", 0, 100_000,
                                             doc="months at which household snapshots are "
                                                 "kept (the final month always is)")


@dataclass(frozen=True)
class UncertaintyParams:
    """Parameter uncertainty: runs with a parameter set drawn from a calibration's posterior
    (``experiments.uncertainty``, docs/analysis.md)."""

    posterior: str = param("", "path",
                           doc="a calibration's folder or its posterior.csv; each run takes "
                               "a draw of its parameters from it (empty: the fixed defaults)")
    draw: int = param(-1, "-", -1, 2**63 - 1,
                      doc="which posterior draw a run takes (-1: the run's seed, so each "
                          "replication has its own draw, the same in every scenario)")
    posterior_sha256: str = param("", "-", doc="hash of the posterior's file, recorded when a "
                                               "draw is applied (a value given is replaced)")


@dataclass(frozen=True)
class Config:
    """A whole, validated scenario: what :class:`agents.EmpowermentModel` runs."""

    label: str = param(BASELINE, "-", doc="the scenario's name, kept in every output")
    seed: int = param(0, "-", 0, 2**63 - 1, doc="run seed of the counter-based streams")
    months: int = param(120, "months", 1, 10_000, doc="horizon")
    engine: str = param("numba", "-", choices=ENGINES, doc="numba kernels or Python reference")
    threads: int = param(0, "threads", 0, 1024,
                         doc="numba threads (0: all cores; no more than this machine has)")
    validate: bool = param(False, "switch", doc="check invariants every month (slower)")
    progress: bool = param(False, "switch", doc="show a progress bar over months")
    population: PopulationParams = field(default_factory=PopulationParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    shocks: ShockParams = field(default_factory=ShockParams)
    labour: LabourParams = field(default_factory=LabourParams)
    enterprise: EnterpriseParams = field(default_factory=EnterpriseParams)
    transfers: TransferParams = field(default_factory=TransferParams)
    consumption: ConsumptionParams = field(default_factory=ConsumptionParams)
    behaviour: BehaviourParams = field(default_factory=BehaviourParams)
    responses: ResponseParams = field(default_factory=ResponseParams)
    status: StatusParams = field(default_factory=StatusParams)
    diagnosis: DiagnosisParams = field(default_factory=DiagnosisParams)
    programmes: ProgrammesParams = field(default_factory=ProgrammesParams)
    institutions: NetworkCapacities = field(default_factory=NetworkCapacities)
    budget: BudgetParams = field(default_factory=BudgetParams)
    outputs: OutputParams = field(default_factory=OutputParams)
    uncertainty: UncertaintyParams = field(default_factory=UncertaintyParams)


def _range_text(lo: float | None, hi: float | None, unit: str) -> str:
    """An allowed range in words: '0 to 1 (probability/month)', '0 or more' for no upper
    bound or one no one would write (a whole number's largest), no unit for a dimensionless
    one ('-')."""
    shown = f"{lo} or more" if hi is None or hi >= 2**62 else f"{lo} to {hi}"
    return shown if unit in ("-", "") else f"{shown} ({unit})"


def _check_value(key: str, value: Any, f: dataclasses.Field) -> None:
    meta = f.metadata
    allowed_range = f"allowed: {_range_text(meta['lo'], meta['hi'], meta['unit'])}"
    if meta.get("choices") and value not in meta["choices"]:
        raise ConfigError(f"config key '{key}' has value {value!r}, which is not allowed; "
                          f"allowed: {', '.join(meta['choices'])}.")
    values = value if isinstance(value, tuple) else [value]
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            raise ConfigError(f"config key '{key}' has value {v!r}; it must be a finite number, "
                              f"{allowed_range}.")
        if (meta["lo"] is not None and v < meta["lo"]) or (meta["hi"] is not None
                                                           and v > meta["hi"]):
            raise ConfigError(f"config key '{key}' has value {value!r}, out of range; "
                              f"{allowed_range}.")


def setting_field(key: str) -> dataclasses.Field | None:
    """The schema's field of the dotted config ``key`` (None if there is none, or if ``key``
    names a group of settings)."""
    cls: Any = Config
    field = None
    for part in key.split("."):
        if not dataclasses.is_dataclass(cls):
            return None
        field = {f.name: f for f in dataclasses.fields(cls)}.get(part)
        if field is None:
            return None
        cls = field.default_factory
    return None if dataclasses.is_dataclass(cls) else field


def check_setting(key: str, value: Any) -> str:
    """Raise ConfigError unless the config key ``key`` exists and allows ``value`` (its
    type, range and choices; the rules tying keys together are checked when a config is
    built); returns the key's type (:func:`kind_of`)."""
    field = setting_field(key)
    if field is None:
        near = difflib.get_close_matches(key, [row["key"] for row in describe()], n=1)
        raise ConfigError(f"config key '{key}' is unknown; " + (
            f"did you mean '{near[0]}'?" if near else "docs/parameters.md lists them."))
    _check_value(key, _coerce(key, value, field), field)
    return kind_of(field)


def kind_of(f: dataclasses.Field) -> str:
    """The type the schema declares for a setting: 'float', 'int', 'bool', 'str' or a tuple's."""
    return f.type if isinstance(f.type, str) else f.type.__name__


def _coerce(key: str, value: Any, f: dataclasses.Field) -> Any:
    """Coerce a plain YAML value to the field's declared type, refusing what does not fit."""
    kind = kind_of(f)
    try:
        if kind == "bool":
            if not isinstance(value, bool):
                raise TypeError
            return value
        if kind == "int":
            if isinstance(value, bool) or float(value) != int(value):
                raise TypeError
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise TypeError
            return float(value)
        if kind == "str":
            return "" if value is None else str(value)
        if kind.startswith("tuple"):  # a YAML list, held as a tuple so the config stays frozen
            if isinstance(value, str):
                raise TypeError
            inner = float if "float" in kind else int
            return tuple(inner(v) for v in value)
    except (TypeError, ValueError):
        shown = "list" if kind.startswith("tuple") else kind
        raise ConfigError(f"config key '{key}' has value {value!r}, which is not a {shown} "
                          f"({f.metadata['unit']}).") from None
    raise AssertionError(f"unsupported parameter type {kind}")


def build(cls: type, values: dict[str, Any] | None, prefix: str = "") -> Any:
    """Build and validate the dataclass ``cls`` from nested plain ``values``."""
    values = dict(values or {})
    kwargs: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(cls)}
    for name in values:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{prefix}{near[0]}'? " if near else ""
            raise ConfigError(f"config key '{prefix}{name}' is unknown; {hint}known keys "
                              f"here: {', '.join(sorted(known))}.")
    for name, f in known.items():
        if name not in values:
            continue
        key = f"{prefix}{name}"
        factory = f.default_factory
        if factory is not dataclasses.MISSING and dataclasses.is_dataclass(factory):
            kwargs[name] = build(f.default_factory, values[name], prefix=f"{key}.")
            continue
        value = _coerce(key, values[name], f)
        _check_value(key, value, f)
        kwargs[name] = value
    config = cls(**kwargs)
    _check_relations(config, prefix)
    return config


def _check_relations(config: Any, prefix: str) -> None:
    """Rules that tie several keys together."""
    if isinstance(config, ShockParams) and config.loss_min > config.loss_max:
        raise ConfigError(f"config key '{prefix}loss_min' ({config.loss_min}) is above "
                          f"'{prefix}loss_max' ({config.loss_max}); it must not be.")
    if isinstance(config, ConsumptionParams) and config.sigma_min > config.sigma_max:
        raise ConfigError(f"config key '{prefix}sigma_min' ({config.sigma_min}) is above "
                          f"'{prefix}sigma_max' ({config.sigma_max}); it must not be.")
    if isinstance(config, PopulationParams):
        if config.source == "roster" and not config.roster_path:
            raise ConfigError(f"config key '{prefix}roster_path' is empty, but "
                              f"'{prefix}source' is roster; give the roster file's path.")
        if config.assignment_path and config.source != "roster":
            raise ConfigError(f"config key '{prefix}assignment_path' is set, but "
                              f"'{prefix}source' is {config.source}; a programme assignment "
                              "names a roster's households (source=roster).")
        for key in ("skill_beta", "confidence_beta", "culture_beta"):
            if len(getattr(config, key)) != 2:
                raise ConfigError(f"config key '{prefix}{key}' must hold two numbers [a, b].")
        if config.mean_size > config.max_size:
            raise ConfigError(f"config key '{prefix}mean_size' ({config.mean_size}) is above "
                              f"'{prefix}max_size' ({config.max_size}).")
    if isinstance(config, Config):
        if config.label in ("", ".", "..") or any(c in config.label for c in "/\\\0"):
            raise ConfigError(f"config key 'label' has value {config.label!r}, which cannot "
                              "name the run's folder (<label>/s<seed>-<hash>); use a name that "
                              "is not empty, holds no / or \\, and is not . or ..")
        if config.institutions.job_slots > 0 and not config.programmes.job_matching.enabled:
            raise ConfigError(f"config key 'institutions.job_slots' is "
                              f"{config.institutions.job_slots}, but only the job programme "
                              "(programmes.job_matching) adds wage jobs, at a cost; enable it "
                              "or set institutions.job_slots to 0.")
        slots_cost = config.institutions.job_slots / 1000.0 * \
            config.institutions.job_slot_cost_z * config.months
        if config.budget.limited and slots_cost > config.budget.per_household_z:
            raise ConfigError(f"the job programme's slots (institutions.job_slots) cost "
                              f"{slots_cost:g} z per household over {config.months} months, "
                              f"more than the budget's {config.budget.per_household_z:g} z "
                              "(budget.per_household_z); add fewer slots or raise the budget.")
        for name in PROGRAMME_NAMES:
            prog = getattr(config.programmes, name)
            if prog.enabled and prog.start_month > config.months:
                raise ConfigError(f"config key 'programmes.{name}.start_month' has value "
                                  f"{prog.start_month}, after the horizon months="
                                  f"{config.months}; start it between 1 and {config.months}.")
        late = [m for m in config.outputs.snapshot_months if m > config.months]
        if late:
            raise ConfigError(f"config key 'outputs.snapshot_months' has {late}, after the "
                              f"horizon months={config.months}; use months from 0 to "
                              f"{config.months}.")


def check_machine(config: Config) -> None:
    """Refuse what this machine cannot run: more numba threads (``threads``) than it lets
    numba use (its cores, or ``NUMBA_NUM_THREADS``). Not part of the schema's checks, so that
    a run made on a larger machine can still be read and analysed here."""
    cores = numba.config.NUMBA_NUM_THREADS
    if config.threads > cores:
        raise ConfigError(f"config key 'threads' has value {config.threads}, more threads than "
                          f"numba can use on this machine ({cores}); use 1 to {cores}, or 0 "
                          "for all of them.")


def to_dict(config: Any) -> dict[str, Any]:
    """The plain nested dict of a config (for YAML, hashing and manifests); tuples become
    lists."""
    return _plain(dataclasses.asdict(config))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return list(value) if isinstance(value, tuple) else value


def replace(config: Config, **changes: Any) -> Config:
    """A validated copy of ``config`` with dotted-key ``changes`` (``population.households``)."""
    values = to_dict(config)
    for dotted, value in changes.items():
        node = values
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = value
    return build(Config, values)


def describe(config: Config | None = None) -> list[dict[str, Any]]:
    """Every parameter as a row: key, default, unit, range or choices, meaning. The default
    is the schema's, or ``config``'s value when a config is given (the defaults of a composed
    configuration, e.g. ``configs/config.yaml`` over the schema)."""
    rows: list[dict[str, Any]] = []

    def walk(instance: Any, prefix: str) -> None:
        for f in dataclasses.fields(instance):
            default = getattr(instance, f.name)
            if dataclasses.is_dataclass(default):
                walk(default, f"{prefix}{f.name}.")
                continue
            m = f.metadata
            allowed = (" / ".join(m["choices"]) if m.get("choices")
                       else "switch" if isinstance(default, bool)
                       else "text" if isinstance(default, str)
                       else f"{m['lo']} to {m['hi']}")
            rows.append({"key": f"{prefix}{f.name}", "default": _plain(default),
                         "unit": m["unit"], "allowed": allowed, "meaning": m["doc"]})

    walk(Config() if config is None else config, "")
    return rows
