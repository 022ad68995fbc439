"""``EmpowermentModel``: the Mesa model that owns the arrays and runs the month.

It builds the households (``model.population`` or ``model.roster``, followed by the rows new
client households will enter: ``model.entry``), their network and the programme delivery
(``scenarios.delivery``); a synthetic population then lives ``population.burn_in_months`` of
business as usual, not recorded, so that month 0 is the burned-in state (or starts from a copy
of a burned-in world it shares with another scenario: ``agents.burn_in``); the model then steps
month by month with the numba engine (``model.schedule``) or the Python engine
(``agents.python_engine``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa
import numba
import numpy as np
import pandas as pd

from agents.burn_in import BurnedIn
from agents.collector import ResultsCollector
from agents.household import Household
from agents.mentor import Institution, Mentor
from agents.python_engine import python_month
from agents.settings import model_config
from model import diagnosis, entry, invariants, month, network, population, record, schedule
from model import kernel_params as kp
from model import rng as streams
from model import roster as roster_io
from model.network import Network
from model.params import Config, to_dict
from model.programme_params import INSTITUTIONS
from model.results import HEADLINE, NAMED, MonthlyResults
from model.rules import N_WORK, Month
from model.state import (
    FLOAT_NAMES,
    INT_NAMES,
    LEFT,
    NEVER,
    OCCUPATIONS,
    STATUSES,
    HouseholdState,
)
from model.threshold import asset_threshold
from scenarios import assignment
from scenarios.delivery import ProgrammeDelivery

OCCUPATION_DTYPE = pd.CategoricalDtype(OCCUPATIONS)
STATUS_DTYPE = pd.CategoricalDtype(STATUSES)
"""The household frame's categorical columns, made once (making one checks its categories,
0.17 ms, more than the rest of the column)."""


class EmpowermentModel(mesa.Model):
    """Client households in a poverty trap, one step per month.

    Args:
        cfg: a validated :class:`Config` (``empowernet.load_config``), a mapping of plain
            config values, or None for the defaults.
        rng: the run seed (an int); overrides the config's seed. None keeps the seed of a
            loaded Config, or of plain values or overrides that set ``seed``; otherwise a
            fresh seed is drawn from entropy, as in Mesa, and recorded in ``config.seed``.
        scenario: a scenario of the library (``configs/scenario/``) by name, e.g.
            ``"graduation"``; ``cfg`` then holds plain values over it, not a Config.
        households, months, engine, threads, validate, progress, roster: common settings
            that override the config (``roster`` is a roster file and switches the source);
            numbers and switches are given as Python values (``months=12``; ``"12"`` is
            refused with a TypeError naming the setting and what it takes).
        overrides: any other config values by dotted key, e.g. ``{"shocks.p_shock": 0}``.
        collect: what ``datacollector`` collects each month besides the seed: ``"headline"``
            (the default, ``model.results.HEADLINE``) or ``"all"``, every column of
            :meth:`results`. The months are read from the results table when the collector's
            data are read (``agents.collector``), so collecting costs nothing a month.
        start: a burned-in world (``agents.burn_in.BurnedIn.of`` another model at month 0
            whose config differs at most in its programmes, institutions, budget and outputs):
            the model starts from a copy of it instead of drawing the households and living
            the burn-in again; the results are the same.
    """

    def __init__(self, cfg: Config | Mapping[str, Any] | None = None, *,
                 rng: int | None = None, scenario: str | None = None,
                 overrides: Mapping[str, Any] | None = None, collect: str = "headline",
                 start: BurnedIn | None = None, **settings: Any) -> None:
        self.config: Config = model_config(cfg, scenario, rng, overrides, settings)
        super().__init__(rng=self.config.seed)
        self.seed = self.config.seed
        self.months = self.config.months
        pop = self.config.population
        self.burn_in_months = pop.burn_in_months if pop.source == "synthetic" else 0
        self.month = -self.burn_in_months  # the drawn state; month 0 is the burned-in one
        self.asset_threshold = asset_threshold(self.config)
        self.params = self._kernel_params()
        if start is None:
            self._draw_world()
        else:
            start.give_to(self)
        self.arrivals = entry.Arrivals(self.config, self.entry_plan, self.state.n_start)
        self.programmes = ProgrammeDelivery(self.config, self.state.n_start,
                                            self._assignment())
        self.results_table = MonthlyResults(self.months, self.programmes.institution_of)
        self.snapshots: dict[int, pd.DataFrame] = {}
        self._views_made = False
        self.month_under_way = False  # set by the Python engine while it steps the agents
        if self.config.engine == "python":
            self._make_views()
        if start is None:
            self._burn_in()
        else:
            self.month_context = self._month_context()
        self._record_start()
        self.datacollector = self._data_collector(collect)
        self.datacollector.collect(self)

    # ---- construction ----------------------------------------------------------------
    def _draw_world(self) -> None:
        """The households (:meth:`_initial_state`), their network, and the arrays the month
        works in (``agents.burn_in.WORLD``)."""
        self.imputed: tuple[str, ...] = ()
        self.household_ids = None
        self.household_labels: dict[str, np.ndarray] = {}  # a roster's extra columns
        self.state = self._initial_state()
        n = self.state.n
        places = self.entry_plan.places  # the network's places; counted entrants take theirs
        self.network: Network = network.with_rows(
            network.small_world(places, self.config.network, self.seed,
                                self.state.field("assets")[:places]), n)
        self.entry_plan = entry.with_places(self.config, self.entry_plan, self.network)
        self.peer_prev = self.state.peer
        self.peer_next = self.state.peer.copy()
        self.keys = streams.month_keys(self.seed, 0)
        self.acc, self.hist = record.new_accumulators(n)
        self.candidate = np.zeros(n, dtype=np.uint8)
        self.work = np.zeros((n, N_WORK))  # each household's working values (engine=python)
        self.job_slots = 0  # new wage-job slots of the latest month
        self.open_market_slots = 0.0  # slots a month besides enterprises' (set each month)
        self.slots_owed = np.zeros(1)  # the fraction of a job slot carried to next month

    def _burn_in(self) -> None:
        """Show the drawn households to their neighbours, then live the burn-in."""
        self.month_context = self._month_context()._replace(peer_next=self.peer_prev)
        month.show_all_peers(self.state.floats, self.state.ints, self.params,
                             self.month_context)
        for _ in range(self.burn_in_months):
            self._advance(programmes=False)

    def _initial_state(self) -> HouseholdState:
        """The starting households (month 0 flows set) followed by the rows new client
        households will enter (``self.entry_plan``)."""
        pop = self.config.population
        if pop.source == "roster":
            loaded = roster_io.read(pop.roster_path, self.config)
            self.imputed = loaded.imputed
            start = loaded.state
        else:
            start = population.synthetic(self.config)
        population.start_flows(start, self.config)
        self.entry_plan = entry.plan(self.config, start, self.burn_in_months, self.months)
        state = entry.pending_rows(self.config, start, self.entry_plan)
        entrants = state.n - start.n
        if pop.source == "roster":  # entrants: no roster id ("entrant-<row>"), no labels
            new = np.array([f"entrant-{row}" for row in range(start.n, state.n)], dtype=object)
            self.household_ids = np.concatenate([loaded.household_ids.astype(object), new])
            self.household_labels = {name: np.concatenate([text, np.full(entrants, None)])
                                     for name, text in loaded.labels.items()}
        else:
            self.household_ids = np.arange(state.n)
        return state

    def _assignment(self) -> np.ndarray | None:
        """Each row's assigned programmes as bits, if ``population.assignment_path`` is set."""
        path = self.config.population.assignment_path
        return assignment.read(path, self.household_ids, self.state.n) if path else None

    def _data_collector(self, collect: str) -> ResultsCollector:
        """Mesa's DataCollector of the seed and the headline or all results columns."""
        if collect not in ("headline", "all"):
            raise ValueError(f"collect={collect!r} is not known; use 'headline' (the default: "
                             f"{', '.join(HEADLINE)}) or 'all' (every column of results()).")
        return ResultsCollector(HEADLINE if collect == "headline" else tuple(NAMED))

    def _make_views(self) -> None:
        """Create the Mesa agent views (once; they cost memory, so only when asked for)."""
        if self._views_made:
            return
        self._views_made = True
        for row in range(self.state.n):
            Household(self, row)
        for row in range(self.mentors.n):
            Mentor(self, row)
        for row in range(len(INSTITUTIONS)):
            Institution(self, row)

    @property
    def sustained_since(self) -> int:
        """Graduates of this month still graduated now count as sustained (NEVER: none yet)."""
        since = self.month - self.config.status.sustained_months
        return since if since >= 1 else NEVER

    @property
    def amounts(self) -> np.ndarray:
        """Each programme's real dose this month (float64[N_PROGRAMMES])."""
        return self.programmes.amounts

    @property
    def unit_costs(self) -> np.ndarray:
        """Each programme's delivery cost per household-month (float64[N_PROGRAMMES])."""
        return self.programmes.unit_costs

    @property
    def mentors(self) -> Any:
        """The mentor arrays (``model.mentors.MentorState``)."""
        return self.programmes.mentors

    @property
    def agents_by_type(self) -> dict[type, Any]:
        """Mesa's agent sets by type; the household views are made on first use."""
        self._make_views()
        return super().agents_by_type

    @property
    def agents(self) -> Any:
        """Mesa's set of all agents; the household views are made on first use."""
        self._make_views()
        return super().agents

    def _record_start(self) -> None:
        record.record_month(self.state.floats, self.state.ints, self.state.gone,
                            self.asset_threshold,
                            self.sustained_since, self.amounts, self.unit_costs, self.acc,
                            self.hist)
        self.results_table.add(0, self.acc, self.hist, jobs_filled=0, job_slots=0,
                               price_level=1.0, network=self.programmes.network_row())
        self._snapshot_if_due()

    # ---- the month ---------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month (MODEL.md §3, order in ``model.month.PHASES``)."""
        if self.month >= self.months:
            self.running = False
            return
        filled = self._advance(programmes=True)
        self.results_table.add(self.month, self.acc, self.hist, jobs_filled=filled,
                               job_slots=self.job_slots, price_level=self.price_level,
                               network=self.programmes.network_row())
        if self.config.validate:
            invariants.check_network(self)
        self._snapshot_if_due()
        self.datacollector.collect(self)
        if self.month >= self.months:
            self.running = False

    @property
    def price_level(self) -> float:
        """Prices relative to month 0 (the burn-in lives at month-0 prices)."""
        return kp.price_level(self.config.transfers.inflation_annual, max(self.month, 0))

    def _advance(self, programmes: bool) -> int:
        """Live the next month: new clients enter, the programmes (unless ``programmes`` is
        false, as in the burn-in) enrol, the households act; returns the jobs filled."""
        threads = self.config.threads or numba.config.NUMBA_NUM_THREADS
        if numba.get_num_threads() != threads:
            numba.set_num_threads(threads)
        self.month += 1
        self.keys = streams.month_keys(self.seed, self.month)  # burn-in: negative months
        entry.admit(self.state, self.arrivals, self.month)
        entry.take_places(self.state, self.network, self.entry_plan, self.month)
        self.params = self._kernel_params()
        self.open_market_slots = month.open_market_slots(self.config, self.state.n_start,
                                                         job_programme=programmes)
        if programmes:
            self.programmes.before_households(self.state, self.month, self.asset_threshold,
                                              self.price_level)
        self.month_context = self._month_context()
        before = self.state.copy() if self.config.validate else None
        if self.config.engine == "python" and self.month > 0:  # the burn-in lives compiled
            self.job_slots, filled = python_month(self)
        else:
            self.job_slots, filled = schedule.numba_month(
                self.state, self.params, self.month_context, self.open_market_slots,
                self.slots_owed, self.sustained_since, self.acc, self.hist)
        self.peer_prev, self.peer_next = self.peer_next, self.peer_prev
        self.state.peer = self.peer_prev
        if before is not None:
            invariants.check(self.state, before, self.month,
                             self.config.consumption.depreciation)
        return filled

    def _month_context(self) -> Month:
        """What the household phases read of this month besides the parameters."""
        return Month(self.month, self.keys, self.amounts, self.unit_costs,
                     self.mentors.effects, self.mentors.contact, self.network.span,
                     self.candidate, self.peer_next, self.network.index, self.peer_prev)

    def _kernel_params(self) -> kp.KernelParams:
        """The phases' parameters this month (the pension at its real value; the burn-in
        lives at month-0 prices)."""
        tr = self.config.transfers
        pension = kp.real_value(tr.pension_per_person_z, tr.inflation_annual,
                                max(self.month, 0), tr.pension_indexed)
        return kp.build(self.config, self.asset_threshold, pension)

    def _snapshot_if_due(self) -> None:
        if self.month in self.config.outputs.snapshot_months or self.month == self.months:
            self.snapshots[self.month] = self.household_frame(
                diagnose=self.month == self.months)

    def run(self) -> EmpowermentModel:
        """Run to the horizon (with a progress bar if ``progress``); returns the model."""
        months = range(self.month, self.months)
        if self.config.progress:
            from tqdm import tqdm
            months = tqdm(months, desc="months", unit="month")
        for _ in months:
            self.step()
        return self

    # ---- outputs -----------------------------------------------------------------------
    def results(self) -> pd.DataFrame:
        """One row per recorded month (0..months): the outcomes of MODEL.md §6."""
        return self.results_table.frame()

    def household_frame(self, diagnose: bool = True) -> pd.DataFrame:
        """One row per household: every state field and why it is poor (``model.diagnosis``:
        the levers that alone lift it above the line, and its binding constraint).

        Args:
            diagnose: run the diagnosis (about 2 s at 20,000 households); without it, its
                columns are empty. Snapshots before the final month are taken without it.
        """
        s = self.state
        data: dict[str, Any] = {"row": np.arange(s.n), "household_id": self.household_ids,
                                **self.household_labels}
        for name in FLOAT_NAMES + INT_NAMES:
            data[name] = s.field(name).copy()
        data["occupation"] = pd.Categorical.from_codes(data["occupation"], dtype=OCCUPATION_DTYPE)
        data["status"] = pd.Categorical.from_codes(data["status"], dtype=STATUS_DTYPE)
        frame = pd.DataFrame(data)
        world = diagnosis.World(self.params, self.month_context, self.job_slots, self.seed,
                                self.programmes.dose_k_star)
        settings = self.config.diagnosis
        horizon = settings.horizon_months if diagnose else 0
        return pd.concat([frame, diagnosis.diagnose(s, world, horizon, settings.window_months)],
                         axis=1)

    def binding_constraints(self) -> pd.Series:
        """How many poor households each answer of the diagnosis has, now."""
        answers = self.household_frame()[diagnosis.SUMMARY]
        return answers.value_counts().reindex(diagnosis.ANSWERS, fill_value=0)

    def summary(self) -> pd.Series:
        """The run's figures at the month reached (its end, once run): months lived,
        graduations sustained, their cost, months to graduation, the last headcount."""
        r = self.results()
        last = r.iloc[-1]
        graduated = self.state.field("graduation_month")
        months_to = graduated[graduated > 0]
        sustained = last["sustained_graduations_cumulative"]
        spent = last["spending_programmes_cumulative"]
        return pd.Series({
            "households": self.state.n_start, "months": self.month,
            "graduations": last["graduations_cumulative"],
            "sustained_graduations": sustained,
            "relapses": last["relapses_cumulative"], "exits": last["exits_cumulative"],
            "spending_programmes": spent,
            "spending_pension": last["spending_pension_cumulative"],
            "cost_per_sustained_graduation": spent / sustained if sustained else float("nan"),
            "median_months_to_graduation": float(np.median(months_to)) if months_to.size
            else float("nan"),
            "headcount_end": last["headcount"],
            "consumption_pc_mean_end": last["consumption_pc_mean"],
        })

    def sample_rows(self, households: int) -> np.ndarray:
        """Rows of up to ``households`` client households joined by their ties, ascending:
        those with a mentor first, then their neighbours (``model.network.snowball``)."""
        clients = self.state.field("status") < LEFT
        mentored = np.flatnonzero(clients & (self.state.field("mentor") >= 0))
        return network.snowball(self.network, clients, mentored, households)

    def social_network(self, rows: np.ndarray | None = None) -> Any:
        """The social network (or its subgraph on ``rows``) as a networkx Graph."""
        return self.network.to_networkx(rows)

    def config_dict(self) -> dict[str, Any]:
        """The resolved configuration as plain values."""
        return to_dict(self.config)
