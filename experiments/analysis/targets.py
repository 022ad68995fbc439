"""Which binding constraints of a roster the packages compared offer help with, and how to
compare a package for one they do not.

The diagnosis (``model.diagnosis``) names the lever that alone lifts a poor family above the
line. A package offers a lever when one of its programmes works on it (:data:`PROGRAMMES_ON`).
A lever that binds families of the roster and that no package compared offers is said on the
advice's page and by ``empowernet advise``, with the library's scenarios that do offer it, to
be added to ``--packages``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.translations import as_code
from model import diagnosis
from scenarios import library

PROGRAMMES_ON: dict[str, tuple[str, ...]] = {
    "assets": ("asset_grant", "microcredit"),
    "confidence": ("mentoring", "aspiration_campaign"),
    "culture": ("mentoring",),
    "skill": ("training", "mentoring"),
    "wage_job": ("job_matching",),
    "no_shock": (),
    "working_adult": (),
}
"""The programmes that work on each lever of the diagnosis, by what they do (docs/network.md):
the asset given, or lent to be invested; coaching's and the campaign's confidence; coaching's
culture; training's and coaching's skill. Only the job programme works on a wage job: it adds
paid slots (docs/model.md, "No scenario adds jobs"), where training and a mentor's referral to
employers move the month's slots from one family to another. No programme insures against
shocks or adds a working member."""

OPTION = "--packages"
"""The option of ``advise`` that names the packages compared."""


@dataclass(frozen=True)
class Untargeted:
    """A lever that alone binds ``families`` families of the roster and that no package
    compared offers; ``scenarios``: the library's scenarios that do, fewest programmes first."""

    lever: str
    families: int
    scenarios: tuple[str, ...]


def scenario_programmes(name: str) -> list[str]:
    """The programmes the library's scenario ``name`` runs."""
    return [programme for programme, values in library.values(name).get("programmes", {}).items()
            if values.get("enabled")]


def scenarios_offering(lever: str) -> tuple[str, ...]:
    """The library's scenarios that offer ``lever``, those running fewest programmes first."""
    offering = [(len(programmes), name) for name in library.names()
                if set(programmes := scenario_programmes(name)) & set(PROGRAMMES_ON[lever])]
    return tuple(name for _, name in sorted(offering))


def untargeted(families: pd.DataFrame, programmes: Iterable[str]) -> list[Untargeted]:
    """The levers that alone bind families of a diagnosis (``diagnose.families``) and that
    none of ``programmes`` (those of the packages compared) works on, in the diagnosis's
    order."""
    run = set(programmes)
    bound = families[diagnosis.SUMMARY].value_counts()
    return [Untargeted(lever, int(bound[lever]), scenarios_offering(lever))
            for lever in diagnosis.LEVERS
            if bound.get(lever, 0) > 0 and not run & set(PROGRAMMES_ON[lever])]


def untargeted_note(gap: Untargeted, packages: Sequence[str], view: View = ENGLISH) -> str:
    """A sentence in the words of ``view`` on ``gap``: the lever no package compared
    (``packages``) offers, the families it binds, and the ``--packages`` that would compare
    one that does, or that no scenario of the library does."""
    lang = view.lang
    said = {"lever": view.text(f"card lever {gap.lever}"), "families": gap.families}
    if not gap.scenarios:
        return view.text("untargeted by the library", **said)
    return view.text("untargeted", **said, option=as_code(OPTION, lang),
                     scenarios=", ".join(as_code(name, lang) for name in gap.scenarios),
                     command=as_code(" ".join([OPTION, *packages, gap.scenarios[0]]), lang))
