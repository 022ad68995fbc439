"""``empowernet diagnose ROSTER``: who in a roster is poor, and what would lift each family.

Without running any programme, the roster's households are built as a roster run builds
them (month 0 is the roster: a roster is never burned in; no new clients enter) and
diagnosed there (``model.diagnosis``): each poor family's binding constraint, the lever that
alone lifts it above the line within ``diagnosis.horizon_months``. The world held still is
the first month of business as usual: its new job slots are those its labour market opens
(the open market's and the enterprises' hiring), where a model not yet stepped has none.
The roster's poverty profile (``profile``) comes with it. Written into ``--out``: the
per-family table and the profile (CSV and Parquet; their words, and the page's, in the
language of a ``presentation.View``, money in its currency), a page of printable cards
(``diagnosis.html``), the config and a manifest; a folder holding another diagnosis, or a
diagnosis's files that no manifest records, is refused before anything is diagnosed unless
``--overwrite`` (``store.refuse_other_run``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from agents.simulation import EmpowermentModel
from experiments import console, store
from experiments.analysis import cards
from experiments.analysis.document import table_html
from experiments.analysis.outcomes import is_client
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.profile import poverty_profile, profile_table, shortfall
from experiments.config import load_config
from model import diagnosis
from model import month as month_rules
from model.params import BASELINE, Config, to_dict

FAMILIES, PROFILE, PAGE = "diagnosis", "profile", "diagnosis.html"
"""The file stems of the per-family table and the profile, and the page's file name."""
FILES = (*(f"{stem}.{kind}" for stem in (FAMILIES, PROFILE) for kind in ("csv", "parquet")),
         PAGE, store.CONFIG)
"""The files a diagnosis writes besides its manifest."""
LABEL = "diagnosis"
"""The label of a diagnosis in its config and manifest (a diagnosis is not a run)."""
STATUS = "diagnosed"
"""A diagnosis's status in its manifest (so that no sweep counts its folder as a run)."""
REMEDY = "Give another folder with --out, or pass --overwrite to replace what it holds."


@dataclass(frozen=True)
class Diagnosis:
    """A roster's diagnosis.

    Attributes:
        roster: the roster file.
        config: its config (business as usual, the roster as the population).
        families: one row per family (:func:`families`).
        profile: the poverty profile (``profile.poverty_profile``).
        view: the language and currency of its words and pages.
    """

    roster: Path
    config: Config
    families: pd.DataFrame
    profile: pd.DataFrame
    view: View = ENGLISH

    @property
    def horizon(self) -> int:
        """Months a relaxed family is followed."""
        return self.config.diagnosis.horizon_months

    @property
    def window(self) -> int:
        """The last months of the horizon whose mean consumption is compared with z."""
        return min(self.config.diagnosis.window_months, self.horizon)


def roster_config(roster: Path, overrides: Sequence[str] = ()) -> Config:
    """Business as usual with the roster's households as the population, and no entrants."""
    return load_config([f"scenario={BASELINE}", "population=pilot",
                        f"population.roster_path={roster}", "status.p_entry=0", *overrides])


def first_month_world(model: EmpowermentModel) -> diagnosis.World:
    """Month 0 of ``model`` held still, with the job slots of its first month of business as
    usual (the fraction of a slot is not carried)."""
    cfg = model.config
    open_market = month_rules.open_market_slots(cfg, model.state.n_start)
    enterprises = month_rules.hiring_enterprises(model.state.ints)
    slots = month_rules.open_job_slots(enterprises, open_market, cfg.labour.enterprise_hiring,
                                       np.zeros(1))
    return diagnosis.World(model.params, model.month_context, int(slots), model.seed,
                           model.programmes.dose_k_star)


def diagnosed_households(model: EmpowermentModel) -> pd.DataFrame:
    """``model``'s client households at month 0 (the roster's, unless an override lets new
    clients enter: their rows wait, not yet clients), diagnosed in :func:`first_month_world`."""
    settings = model.config.diagnosis
    frame = model.household_frame(diagnose=False)
    answers = diagnosis.diagnose(model.state, first_month_world(model),
                                 settings.horizon_months, settings.window_months)
    frame[list(answers.columns)] = answers
    return frame[is_client(frame).to_numpy()].reset_index(drop=True)


def constraint_words(answer: object, view: View = ENGLISH) -> str:
    """A diagnosis answer in the words of ``view`` ('not poor' for none)."""
    if not isinstance(answer, str):
        return view.text("card constraint not poor")
    kind = "lever" if answer in diagnosis.LEVERS else "constraint"
    return view.text(f"card {kind} {answer}")


def explanation(household: Mapping[str, Any], horizon: int, k_star: float,
                view: View = ENGLISH) -> str:
    """One sentence in the words of ``view`` on what lifts a family above the line (from its
    diagnosis columns); ``k_star`` in z, shown in the view's currency."""
    answer = household[diagnosis.SUMMARY]
    if not isinstance(answer, str):
        return view.text("card sentence not poor")
    levers = ", ".join(view.text(f"card lever {lever}") for lever in diagnosis.LEVERS
                       if household[f"lifted_by_{lever}"])
    return view.text(f"card sentence {answer}", horizon=horizon,
                     k_star=view.round_amount(k_star), levers=levers)


def families(households: pd.DataFrame, horizon: int, k_star: float,
             view: View = ENGLISH) -> pd.DataFrame:
    """One row per family of the roster: id, labels, composition, consumption per person
    (z/person-month), shortfall from the line (share of z), assets (z), whether poor, the
    diagnosis and its explanation (in the words of ``view``)."""
    lifted = [f"lifted_by_{lever}" for lever in diagnosis.LEVERS]
    labels = cards.label_columns(households)
    table = households[["household_id", *labels, "size", "adults", "children", "elderly",
                        "female_head"]].copy()
    table["assets_z"] = households["assets"]
    table["consumption_pc_z"] = households["consumption"] / households["size"]
    table["shortfall"] = shortfall(households)
    table["poor"] = table["shortfall"] > 0
    table[diagnosis.SUMMARY] = households[diagnosis.SUMMARY].astype("string")
    table["constraint_words"] = households[diagnosis.SUMMARY].map(
        lambda answer: constraint_words(answer, view))
    table["explanation"] = [explanation(h, horizon, k_star, view)
                            for h in households[[diagnosis.SUMMARY, *lifted]].to_dict("records")]
    return pd.concat([table, households[lifted]], axis=1)


def diagnose_roster(roster: str | Path, overrides: Sequence[str] = (),
                    view: View = ENGLISH, keep: Path | None = None) -> Diagnosis:
    """Build the roster's households and diagnose every family (nothing is written), in the
    words and currency of ``view``.

    Raises:
        ConfigError: a bad override.
        RosterError: the roster breaks a rule of ``docs/roster.md``.
        store.RunConflictError: the folder ``keep``, where the diagnosis is to be written,
            holds another diagnosis (or a run), or files of a diagnosis that no manifest
            records; said before the families are diagnosed.
    """
    roster = Path(roster)
    config = roster_config(roster, overrides)
    if keep is not None:
        store.refuse_other_run(keep, stored_config(roster, config), REMEDY, FILES)
    model = EmpowermentModel(config)
    console.say(f"diagnosing {model.state.n_start:,} families: each constraint relaxed in "
                f"turn over {config.diagnosis.horizon_months} months", err=True)
    households = diagnosed_households(model)
    return Diagnosis(roster, config,
                     families(households, config.diagnosis.horizon_months,
                              model.asset_threshold, view),
                     poverty_profile(households, model.asset_threshold, view), view)


def stored_config(roster: Path, config: Config) -> dict[str, Any]:
    """What identifies a diagnosis of ``roster`` with ``config`` in its folder: its config
    and the roster's content."""
    digest = hashlib.sha256(roster.read_bytes()).hexdigest()
    return {**to_dict(config), "label": LABEL, "roster_sha256": digest}


def sections(found: Diagnosis,
             advice: dict[str, cards.Recommendation] | None = None) -> list[str]:
    """The page's sections, in the language of the diagnosis: the poverty profile and the
    family cards."""
    view, lang = found.view, found.view.lang
    note = view.text("card diagnosis note", horizon=found.horizon, window=found.window,
                     money_note=cards.money_note(view))
    return [cards.section(view.text("card profile heading"),
                          cards.paragraph(view.text("card profile note"), lang),
                          table_html(profile_table(found.profile, view), lang), lang=lang),
            cards.section(view.text("card cards heading"), cards.paragraph(note, lang),
                          cards.cards_html(found.families, advice, view), lang=lang)]


def diagnosis_page(found: Diagnosis) -> str:
    """The complete HTML page of a roster's diagnosis."""
    families_, t = found.families, found.view.text
    intro = t("card diagnose intro", households=f"{len(families_):,}",
              poor=f"{int(families_['poor'].sum()):,}")
    return cards.page(t("card diagnose title", roster=found.roster.name), intro,
                      sections(found), found.view.lang)


def write_tables(found: Diagnosis, out: Path) -> None:
    """The per-family table and the profile, each as CSV and Parquet, in ``out``."""
    for stem, table in ((FAMILIES, found.families), (PROFILE, found.profile)):
        store.write_text(table.to_csv(index=False), out / f"{stem}.csv")
        store.write_parquet(table, out / f"{stem}.parquet")


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """The tables :func:`write_tables` wrote in ``out``, by sheet name."""
    return {stem: pd.read_parquet(out / f"{stem}.parquet") for stem in (PROFILE, FAMILIES)}


def write(found: Diagnosis, out: str | Path) -> Path:
    """Write the diagnosis into ``out`` (whatever it holds: ``diagnose_roster`` refuses a
    folder to keep before diagnosing); returns the page's path."""
    out, values, started = Path(out), stored_config(found.roster, found.config), store.now()
    store.begin(out, values, started)
    write_tables(found, out)
    store.write_text(diagnosis_page(found), out / PAGE)
    info = {"roster": str(found.roster), "families": len(found.families),
            "started": started, "finished": store.now()}
    store.write_text(json.dumps(store.manifest(values, STATUS, **info), indent=2),
                     out / store.MANIFEST)
    return out / PAGE
