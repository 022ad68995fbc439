"""``empowernet report DIR``: one self-contained HTML file and a Markdown page for a sweep.

The report leads with the answer: the policies ranked at the horizon with their reach, costs
and value for money, a forest plot, an equal-budget view and the effects on participants,
non-participants and all clients (``summary``, drawn up in ``report_tables``); then who
benefits, by household type (``subgroups``); then the full tables in units, the figures
(regenerated from the stored results, so ``empowernet report`` is also the one command that
reproduces every figure), each scenario's differences from the baseline and the provenance
of the runs. Everything comes
from the sweep's current runs (``compare.load``), read once: the tables, figures and
provenance are of exactly the same runs, which ``report/sources.json`` lists.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from experiments import store
from experiments.analysis import plots, summary
from experiments.analysis.compare import check_discount, effects, load, paired, write_comparison
from experiments.analysis.document import (
    Figure,
    Items,
    Paragraph,
    Section,
    Table,
    to_html,
    to_markdown,
)
from experiments.analysis.labels import change, outcome_name, scenario_name
from experiments.analysis.outcomes import OUTCOMES
from experiments.analysis.report_tables import (
    comparison_section,
    costs_section,
    summary_section,
    who_benefits_section,
)
from experiments.analysis.subgroups import by_type, reach
from experiments.store import flatten
from experiments.uncertainty import replication
from model import diagnosis
from model.params import ConfigError
from model.programme_params import PROGRAMMES

SECTIONS = ("Summary", "Who benefits", "Comparison", "Costs", "Figures", "Diagnosis",
            "Scenarios", "Provenance")
DIAGNOSIS_NOTE = ("Why the poor stay poor, at the final month, lowest seed: of the households "
                  "poor then, the share that each lever alone lifts above the line within the "
                  "diagnosis horizon (several levers can; docs/model.md), the share that no "
                  "lever lifts (none) and the share above the line without any "
                  "(escapes_without_help).")

Run = tuple[Path, dict, dict]
"""A stored run: its folder, manifest and configuration."""


def stored_runs(sweep_dir: Path, sources: list[dict]) -> list[Run]:
    """(folder, manifest, config) of each run of ``sources`` (``store.sources``)."""
    out = []
    for source in sources:
        folder = sweep_dir / source["run"]
        config = yaml.safe_load((folder / store.CONFIG).read_text(encoding="utf-8"))
        out.append((folder, store.read_manifest(folder), config))
    return out


def _replication(run: Run) -> tuple[int, int]:
    """A run's replication: its seed and the posterior draw it took (-1: fixed parameters)."""
    _, manifest, config = run
    return manifest["seed"], int(replication(config)["draw"])


def households_of_first_seed(runs: list[Run]) -> pd.DataFrame:
    """Household snapshots of the lowest seed (and, with several draws of it, the lowest
    draw) of every scenario, with a ``scenario`` column."""
    first = min(_replication(r) for r in runs)
    frames = [pd.read_parquet(f / store.HOUSEHOLDS).assign(scenario=m["label"])
              for f, m, c in runs if _replication((f, m, c)) == first]
    return pd.concat(frames, ignore_index=True)


def baseline_assets(runs: list[Run], baseline: str) -> pd.DataFrame:
    """Assets and status of the baseline's households at every snapshot of every run (every
    replication); ``seed`` numbers the runs, so that draws sharing a seed stay apart."""
    return pd.concat([pd.read_parquet(f / store.HOUSEHOLDS,
                                      columns=["seed", "month", "row", "assets", "status"])
                      .assign(seed=k)
                      for k, (f, m, _) in enumerate(r for r in runs if r[1]["label"] == baseline)],
                     ignore_index=True)


def diagnosis_table(households: pd.DataFrame) -> pd.DataFrame:
    """Per scenario, at the final snapshot: the poor households, the share of them each lever
    alone lifts above the line, and the shares no lever lifts and lifted without any."""
    last = households[households["month"] == households["month"].max()]
    poor = last[last[diagnosis.SUMMARY].notna()]
    by = poor.groupby("scenario", observed=True)
    table = by.size().rename("poor").to_frame()
    table = table.join(by[[f"lifted_by_{lever}" for lever in diagnosis.LEVERS]].mean())
    for answer in (diagnosis.NONE, diagnosis.ESCAPES):
        table[answer] = by[diagnosis.SUMMARY].apply(lambda a, answer=answer: (a == answer).mean())
    return table.reset_index()


def diagnosis_section(households: pd.DataFrame) -> Section:
    """The diagnosis of the lowest seed's final snapshot: poor households and lever shares."""
    table = diagnosis_table(households)
    text = table.assign(scenario=table["scenario"].map(scenario_name),
                        poor=table["poor"].map("{:,}".format))
    shares = [c for c in text.columns if c not in ("scenario", "poor")]
    text[shares] = text[shares].map(lambda v: f"{100 * v:.1f} %")
    return Section("Diagnosis", [Paragraph(DIAGNOSIS_NOTE),
                                 Table(text.rename(columns=lambda c: c.replace("_", " ")))])


def network_of_richest(runs: list[Run]) -> tuple[pd.DataFrame, pd.DataFrame, dict] | None:
    """The stored network sample (nodes, edges) of the lowest-seed run of the scenario with
    the most programmes, and that run's manifest; None if that run stored none."""
    def programmes(run: Run) -> int:
        return sum(run[2]["programmes"][p]["enabled"] for p in PROGRAMMES)

    folder, manifest, _ = min(runs, key=lambda r: (-programmes(r), r[1]["seed"]))
    files = (folder / store.NETWORK_NODES, folder / store.NETWORK_EDGES)
    if not all(f.is_file() for f in files):
        return None
    return pd.read_parquet(files[0]), pd.read_parquet(files[1]), manifest


def _setting(value: object) -> str:
    """A setting as written in a config: 1000000.0 -> '1,000,000', 0.5 -> '0.5'."""
    return f"{value:,.10g}" if isinstance(value, float) else str(value)


def _changes(base: dict, own: dict) -> list[str]:
    """The settings of ``own`` that differ from ``base``, grouped by their section."""
    grouped: dict[str, list[str]] = {}
    for key in sorted(set(base) | set(own)):
        if key == "label" or base.get(key) == own.get(key):
            continue
        section, _, field = key.rpartition(".")
        text = ("enabled" if own.get(key) else "disabled") if field == "enabled" else \
            f"{field} {_setting(base.get(key))} → {_setting(own.get(key))}"
        grouped.setdefault(section or "settings", []).append(text)
    return [f"{section}: {', '.join(fields)}" for section, fields in grouped.items()]


def scenario_definitions(runs: list[Run], baseline: str) -> dict[str, list[str]]:
    """For each scenario, its settings that differ from the baseline's, as lines."""
    configs = {m["label"]: flatten(c) for _, m, c in runs}
    return {label: _changes(configs[baseline], own) or ["the baseline's settings"]
            for label, own in sorted(configs.items()) if label != baseline}


def provenance(runs: list[Run]) -> list[str]:
    """Where the results come from: code, packages, hosts, seeds, times, config hashes."""
    manifests = [m for _, m, _ in runs]
    hashes = sorted({(m["label"], m["config_hash"]) for m in manifests})
    return [
        f"runs: {len(manifests)}; seeds: {sorted({m['seed'] for m in manifests})}",
        f"code revision(s): {', '.join(sorted({m['code_revision'] for m in manifests}))}",
        f"hosts: {', '.join(sorted({m['host'] for m in manifests}))}",
        f"started {min(m['started'] for m in manifests)}, finished "
        f"{max(m['finished'] for m in manifests)}",
        "packages: " + ", ".join(f"{k} {v}" for k, v in manifests[0]["packages"].items()),
        "config hashes: " + "; ".join(f"{label} {h}" for label, h in hashes),
    ]


def figures(table: pd.DataFrame, money: pd.DataFrame, folder: Path, baseline: str, month: int,
            runs: list[Run], households: pd.DataFrame, colours: dict[str, str]) -> list[Figure]:
    """Draw every figure of the Figures section from the stored results (``table``, one row
    per run and month), costs and the lowest seed's snapshots (``households``,
    :func:`households_of_first_seed`), one colour per scenario (``colours``)."""
    all_effects = effects(paired(table, baseline), sorted(table["month"].unique()))
    k_star = next(m for _, m, _ in runs if m["label"] == baseline)["asset_threshold_z"]
    seed = int(households["seed"].min())
    drawn = [
        ("Cost per client household against the effect on the poverty headcount; policies on "
         "the dashed frontier give the most for their cost.",
         plots.cost_effectiveness(all_effects, money, summary.HEADLINE, month, colours)),
        ("Effect on consumption per person, month by month, each policy on its own scale; a "
         "value beyond the scale (a short spike) is written at the panel's edge.",
         plots.effect_over_time(all_effects, "consumption_pc_mean", colours)),
        ("Poverty headcount among the households still active, and how many are still active "
         "(the others have left the programme).",
         plots.outcome_over_time(table, "headcount", colours)),
        ("Consumption per person among the households still active.",
         plots.outcome_over_time(table, "consumption_pc_mean", colours)),
        (f"Consumption per person at the start and at the end (seed {seed}).",
         plots.consumption_distributions(households, colours)),
        (f"Why the poor stay poor at the end (seed {seed}): shares of the households still "
         "active, with how many have left.", plots.binding_constraints(households)),
    ]
    if 12 in set(households["month"]):
        drawn.insert(4, ("Asset map of the baseline, every seed: where the mean change crosses "
                         "zero, households neither gain nor lose on average; below the first "
                         "such point assets fall back.",
                         plots.asset_map(baseline_assets(runs, baseline), k_star)))
    network = network_of_richest(runs)
    if network is not None:
        nodes, edges, manifest = network
        drawn.append((f"The stored network sample of {scenario_name(manifest['label'])}, seed "
                      f"{manifest['seed']}, at its last month (60 households, mentored ones "
                      "first, with their mentors and the mentors' institutions).",
                      plots.network_sample(nodes, edges, "A sample of the network: "
                                           f"{scenario_name(manifest['label'])}, seed "
                                           f"{manifest['seed']}")))
    return [_save(caption, fig, folder / f"figure_{k + 2}")
            for k, (caption, fig) in enumerate(drawn)]


def _save(caption: str, fig: plots.plt.Figure, path: Path) -> Figure:
    png, _ = plots.save(fig, path)
    return Figure(caption, png)


def build(sweep_dir: str | Path, baseline: str = "baseline",
          months: Sequence[int] = (24, 36, 120), discount: float = 0.05) -> tuple[Path, Path]:
    """Write ``report/report.html`` (self-contained) and ``report/report.md`` in the sweep."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise ConfigError(f"{sweep_dir} is not a folder; give the sweep's output folder.")
    check_discount(discount)
    results, sources = load(sweep_dir)
    runs = stored_runs(sweep_dir, sources)
    horizon = max(c["months"] for _, _, c in runs)
    months = [m for m in months if m <= horizon] or [horizon]
    month = months[-1]
    table, money = write_comparison(sweep_dir, results, sources, baseline, months, discount)
    pairs = paired(results, baseline)
    ranked = summary.ranking(table, money, reach(sweep_dir, pairs, month), results, month)
    order = list(ranked["scenario"])
    k_star = next(m for _, m, _ in runs if m["label"] == baseline)["asset_threshold_z"]
    folder = sweep_dir / "report"
    colours = plots.palette({m["label"] for _, m, _ in runs}, baseline)
    best = ranked.iloc[0]
    forest = _save(f"{scenario_name(best['scenario']).capitalize()} changes the "
                   f"{outcome_name(summary.HEADLINE)} most at month {month} "
                   f"({change(best['effect'], OUTCOMES[summary.HEADLINE])}). Effect of each "
                   f"policy, best first, with its {summary.caption(table)}; an interval "
                   "crossing zero is no effect the replications can tell.",
                   plots.forest(ranked, summary.HEADLINE, month, colours),
                   folder / "figures" / "figure_1")
    households = households_of_first_seed(runs)  # read once: figures and diagnosis
    sections = [
        summary_section(table, ranked, month, forest),
        who_benefits_section(by_type(sweep_dir, pairs, month, summary.HEADLINE, k_star),
                             order, month, table),
        comparison_section(table, order),
        costs_section(ranked, table),
        Section("Figures", figures(results, money, folder / "figures", baseline, month, runs,
                                   households, colours)),
        diagnosis_section(households),
        Section("Scenarios", [
            Paragraph(f"What each policy changes in the baseline's settings ('{baseline}'); "
                      "every other setting is the baseline's."),
            Items([f"{scenario_name(k)}: " + "; ".join(v)
                   for k, v in scenario_definitions(runs, baseline).items()])]),
        Section("Provenance", [Items(provenance(runs))]),
    ]
    title = f"{len(order)} policies against business as usual"
    intro = (f"Each policy is compared with the baseline ('{baseline}', business as usual), "
             f"paired by replication: the same {int(ranked['households'].iloc[0]):,} client "
             f"households meeting the same shocks (and, with parameter draws, the same "
             f"parameters); {summary.caption(table)}.")
    html_path, md_path = folder / "report.html", folder / "report.md"
    store.write_text(to_html(title, intro, sections), html_path)
    store.write_text(to_markdown(title, intro, sections), md_path)
    store.write_text(json.dumps(sources, indent=2), folder / "sources.json")
    return html_path, md_path
