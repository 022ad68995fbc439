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

from experiments import store
from experiments.analysis import plots, summary
from experiments.analysis.asset_map import FixedPoint, fixed_points, year_changes
from experiments.analysis.benefit_cost import DISCOUNT_ANNUAL
from experiments.analysis.compare import (
    default_months,
    effects,
    load_to_compare,
    paired,
    write_comparison,
)
from experiments.analysis.document import (
    Figure,
    Items,
    Literal,
    Paragraph,
    Section,
    Table,
    to_html,
    to_markdown,
)
from experiments.analysis.labels import (
    change,
    constraint_name,
    count,
    date_text,
    outcome_name,
    scenario_name,
    sentence_start,
)
from experiments.analysis.outcomes import OUTCOMES, is_client
from experiments.analysis.participants import Snapshots
from experiments.analysis.presentation import ENGLISH, View
from experiments.analysis.profile import with_profile
from experiments.analysis.report_tables import (
    comparison_section,
    costs_section,
    summary_section,
    who_benefits_section,
)
from experiments.analysis.subgroups import TYPE_COLUMNS, by_type, reach
from experiments.analysis.translations import text
from experiments.store import flatten
from experiments.uncertainty import replication
from model import diagnosis
from model.params import BASELINE, ConfigError
from model.programmes import PROGRAMME_NAMES

ASSET_MAP_MONTHS = 12
"""The asset map's span: assets at month 0 against the change by this month."""

SECTIONS = ("Summary", "Who benefits", "Comparison", "Costs", "Figures", "Diagnosis",
            "Scenarios", "Provenance")
"""The sections in their order, by their English titles (their anchors in the page)."""

Run = tuple[Path, dict, dict]
"""A stored run: its folder, manifest and configuration."""


def stored_runs(sweep_dir: Path, runs: dict[str, dict]) -> list[Run]:
    """(folder, manifest, config) of each of ``runs`` (run id: manifest, as read already),
    in the order of their ids, as ``store.sources`` lists them."""
    return [(sweep_dir / run, manifest, store.read_config(sweep_dir / run))
            for run, manifest in sorted(runs.items())]


def money_note(view: View) -> str:
    """What the report's money is: z, the poverty line, or a currency at a given line."""
    if view.currency == "z":
        return view.text("report money z")
    return view.text("report money converted", money=view.money,
                     line=view.amount(1.0))


def leaving_note(runs: list[Run], baseline: str, view: View) -> str:
    """Who 'still active' households are: clients leave at the baseline's exit rate."""
    exit_rate = next(c for _, m, c in runs if m["label"] == baseline)["status"]["p_exit"]
    return view.text("report leaving", exit=f"{100 * exit_rate:g} %")


def check_snapshots(runs: list[Run], month: int) -> None:
    """Refuse to rank at ``month`` unless every run kept its households' snapshot of that
    month (the report reads who was served and the effects by household type from it)."""
    kept = set.intersection(*({*c["outputs"]["snapshot_months"], c["months"]}
                              for _, _, c in runs))
    if month not in kept:
        listed = ", ".join(map(str, sorted(kept)))
        raise ConfigError(
            f"the report ranks the policies at month {month}, the last of --months, and reads "
            f"the households of that month, but the sweep's runs keep them only at months "
            f"{listed}; give --months ending at one of those, or run the sweep with "
            f"outputs.snapshot_months=[0,{month}].")


def _replication(run: Run) -> tuple[int, int]:
    """A run's replication: its seed and the posterior draw it took (-1: fixed parameters)."""
    _, manifest, config = run
    return manifest["seed"], int(replication(config)["draw"])


def households_of_first_seed(runs: list[Run]) -> pd.DataFrame:
    """Household snapshots of the lowest seed (and, with several draws of it, the lowest
    draw) of every scenario, with a ``scenario`` column."""
    first = min(_replication(r) for r in runs)
    frames = [store.read_table(f, store.HOUSEHOLDS).assign(scenario=m["label"])
              for f, m, c in runs if _replication((f, m, c)) == first]
    return pd.concat(frames, ignore_index=True)


def baseline_assets(runs: list[Run], baseline: str) -> pd.DataFrame:
    """Assets and status of the baseline's households at every snapshot of every run (every
    replication); ``seed`` numbers the runs, so that draws sharing a seed stay apart."""
    return pd.concat([store.read_table(f, store.HOUSEHOLDS,
                                       columns=["seed", "month", "row", "assets", "status"])
                      .assign(seed=k)
                      for k, (f, m, _) in enumerate(r for r in runs if r[1]["label"] == baseline)],
                     ignore_index=True)


def consumption_caption(households: pd.DataFrame, baseline: str, best: str,
                        lang: str) -> str:
    """The consumption distributions' caption, with the finding: the median consumption per
    person of the households still active at the first snapshot, and at the last in the
    baseline and with ``best`` (the policy ranked first)."""
    active = households[is_client(households)]
    per_person = active["consumption"] / active["size"]
    first, last = int(households["month"].min()), int(households["month"].max())

    def median(month: int, scenario: str | None = None) -> str:
        rows = (active["month"] == month) & (
            True if scenario is None else active["scenario"] == scenario)
        return f"{per_person[rows].median():.2f}"

    return text("consumption distributions caption", lang,
                seed=int(households["seed"].min()), first=first, last=last,
                start=median(first), base=median(last, baseline), best=median(last, best),
                name=scenario_name(best, lang))


def over_time_finding(table: pd.DataFrame, outcome: str, baseline: str, best: str,
                      lang: str) -> str:
    """The finding of an outcome-over-time figure: the median over seeds of ``outcome`` in
    the baseline at the first and the last month, and with ``best`` (the policy ranked
    first) at the last month both have: shares in %, amounts in z."""
    scale, shown = plots.level_scale(outcome, lang)
    decimals, shown = (1, shown) if shown == "%" else (2, View(lang).money)
    first = int(table["month"].min())
    last = int(min(table.loc[table["scenario"] == s, "month"].max() for s in (baseline, best)))

    def median(scenario: str, month: int) -> str:
        rows = (table["scenario"] == scenario) & (table["month"] == month)
        return f"{scale * table.loc[rows, outcome].median():.{decimals}f} {shown}"

    return text("over time finding", lang, first=first, last=last,
                start=median(baseline, first), base=median(baseline, last),
                best=median(best, last), name=scenario_name(best, lang))


def asset_map_caption(points: list[FixedPoint], lang: str) -> str:
    """The asset map's caption, naming where its stable and unstable points are."""
    def levels(stable: bool) -> str:
        return text("and", lang).join(f"{p.level:.1f} z" for p in points
                                      if p.stable == stable) or text("no point", lang)
    return text("asset map caption", lang, stable=levels(True), unstable=levels(False))


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


def diagnosed(runs: list[Run]) -> bool:
    """Whether the lowest replication's runs, whose final snapshots the Diagnosis section and
    the binding-constraints figure read (:func:`households_of_first_seed`), were diagnosed
    (``diagnosis.horizon_months`` above 0)."""
    first = min(_replication(r) for r in runs)
    return all(c["diagnosis"]["horizon_months"] > 0 for f, m, c in runs
               if _replication((f, m, c)) == first)


def diagnosis_section(households: pd.DataFrame, order: Sequence[str], runs: list[Run],
                      view: View = ENGLISH) -> Section:
    """The diagnosis of the lowest seed's final snapshot: poor households and lever shares,
    one row per scenario in ``order``; a note saying why there is none if the ``runs`` were
    not diagnosed (:func:`diagnosed`)."""
    if not diagnosed(runs):
        return Section(view.text("Diagnosis"), [Paragraph(view.text("not diagnosed"))],
                       "Diagnosis")
    rank = {name: k for k, name in enumerate(order)}
    table = diagnosis_table(households).sort_values("scenario", key=lambda s: s.map(rank))
    shown = table.assign(scenario=table["scenario"].map(lambda s: scenario_name(s, view.lang)),
                         poor=table["poor"].map("{:,}".format))
    shares = [c for c in shown.columns if c not in ("scenario", "poor")]
    shown[shares] = shown[shares].map(lambda v: f"{100 * v:.1f} %")
    levers = {c: view.text("lifted by", lever=constraint_name(c.removeprefix("lifted_by_"),
                                                              view.lang))
              for c in shares if c.startswith("lifted_by_")}
    answers = {c: constraint_name(c, view.lang) for c in shares if c not in levers}
    shown = shown.rename(columns={"scenario": view.text("scenario"), "poor": view.text("poor"),
                                  **levers, **answers})
    return Section(view.text("Diagnosis"), [Paragraph(view.text("diagnosis note")),
                                            Table(shown)], "Diagnosis")


def network_of_richest(runs: list[Run]) -> tuple[pd.DataFrame, pd.DataFrame, dict] | None:
    """The stored network sample (nodes, edges) of the lowest-seed run of the scenario with
    the most programmes, and that run's manifest; None if that run stored none."""
    def programmes(run: Run) -> int:
        return sum(run[2]["programmes"][p]["enabled"] for p in PROGRAMME_NAMES)

    folder, manifest, _ = min(runs, key=lambda r: (-programmes(r), r[1]["seed"]))
    names = (store.NETWORK_NODES, store.NETWORK_EDGES)
    if not all((folder / name).is_file() for name in names):
        return None
    return (store.read_table(folder, names[0]), store.read_table(folder, names[1]), manifest)


def _setting(value: object) -> str:
    """A setting as written in a config: 1000000.0 -> '1,000,000', 0.5 -> '0.5'."""
    return f"{value:,.10g}" if isinstance(value, float) else str(value)


def _changes(base: dict, own: dict, view: View = ENGLISH) -> list[str]:
    """The settings of ``own`` that differ from ``base``, grouped by their section, as
    written in a config (in every language: a setting is code, and a translated word inside
    it would be laid out right to left among left-to-right names)."""
    grouped: dict[str, list[str]] = {}
    for key in sorted(set(base) | set(own)):
        if key == "label" or base.get(key) == own.get(key):
            continue
        section, _, field = key.rpartition(".")
        shown = ("enabled" if own.get(key) else "disabled") if field == "enabled" \
            else f"{field} {_setting(base.get(key))} → {_setting(own.get(key))}"
        grouped.setdefault(section or view.text("settings"), []).append(shown)
    return [f"{section}: {', '.join(fields)}" for section, fields in grouped.items()]


def scenario_definitions(runs: list[Run], baseline: str,
                         view: View = ENGLISH) -> dict[str, list[str]]:
    """For each scenario, its settings that differ from the baseline's, as lines."""
    configs = {m["label"]: flatten(c) for _, m, c in runs}
    same = view.text("the baseline's settings")
    return {label: _changes(configs[baseline], own, view) or [same]
            for label, own in sorted(configs.items()) if label != baseline}


def provenance(runs: list[Run], view: View = ENGLISH) -> list[str | Literal]:
    """Where the results come from: code, packages, hosts, seeds, times (in the reader's
    calendar), config hashes; identifiers as they are."""
    manifests = [m for _, m, _ in runs]
    hashes = sorted({(m["label"], m["config_hash"]) for m in manifests})
    t = view.text
    return [
        t("runs and seeds", runs=len(manifests),
          seeds=", ".join(map(str, sorted({m["seed"] for m in manifests})))),
        Literal(t("code revision(s)"),
                ", ".join(sorted({m["code_revision"] for m in manifests}))),
        Literal(t("hosts"), ", ".join(sorted({m["host"] for m in manifests}))),
        t("started and finished",
          started=date_text(min(m["started"] for m in manifests), view.lang),
          finished=date_text(max(m["finished"] for m in manifests), view.lang)),
        Literal(t("packages"), ", ".join(f"{k} {v}"
                                         for k, v in manifests[0]["packages"].items())),
        Literal(t("config hashes"), "; ".join(f"{label} {h}" for label, h in hashes)),
    ]


def figures(table: pd.DataFrame, money: pd.DataFrame, folder: Path, baseline: str, month: int,
            runs: list[Run], households: pd.DataFrame, colours: dict[str, str],
            lang: str = "en", order: Sequence[str] = ()) -> list[Figure]:
    """Draw every figure of the Figures section from the stored results (``table``, one row
    per run and month; policies in the ranking's ``order`` where a figure lists them), costs
    and the lowest seed's snapshots (``households``,
    :func:`households_of_first_seed`), one colour per scenario (``colours``), in ``lang``."""
    over_time = "consumption_pc_mean"
    drawn_effects = effects(paired(table, baseline), sorted(table["month"].unique()),
                            outcomes=(summary.HEADLINE, over_time))
    k_star = next(m for _, m, _ in runs if m["label"] == baseline)["asset_threshold_z"]
    seed = int(households["seed"].min())
    best = order[0] if order else baseline
    drawn = [
        (text("cost-effectiveness caption", lang),
         plots.cost_effectiveness(drawn_effects, money, summary.HEADLINE, month, colours, lang)),
        (text("effect over time caption", lang),
         plots.effect_over_time(drawn_effects, over_time, colours, lang)),
        *((text(f"{name} over time caption", lang) + " "
           + over_time_finding(table, outcome, baseline, best, lang),
           plots.outcome_over_time(table, outcome, colours, lang))
          for name, outcome in (("headcount", "headcount"),
                                ("consumption", "consumption_pc_mean"))),
        (consumption_caption(households, baseline, best, lang),
         plots.consumption_distributions(households, colours, lang)),
    ]
    if diagnosed(runs):
        drawn.append((text("binding constraints caption", lang, seed=seed),
                      plots.binding_constraints(households, lang, [baseline, *order])))
    if ASSET_MAP_MONTHS in set(households["month"]):
        years = year_changes(baseline_assets(runs, baseline), 0, ASSET_MAP_MONTHS)
        curve = plots.asset_map_curve(years, k_star)
        drawn.insert(4, (asset_map_caption(fixed_points(curve), lang),
                         plots.asset_map_of(years, curve, k_star, ASSET_MAP_MONTHS, lang)))
    network = network_of_richest(runs)
    if network is not None:
        nodes, edges, manifest = network
        name = scenario_name(manifest["label"], lang)
        kinds = nodes["status"].value_counts()
        drawn.append((text("network caption", lang, name=name, seed=manifest["seed"],
                           households=int((nodes["kind"] == "household").sum()),
                           mentors=int(kinds.get("mentor", 0)),
                           institutions=int(kinds.get("institution", 0))),
                      plots.network_sample(nodes, edges, text("network title", lang, name=name,
                                                              seed=manifest["seed"]), lang)))
    return [_save(caption, fig, folder / f"figure_{k + 2}", lang)
            for k, (caption, fig) in enumerate(drawn)]


def _save(caption: str, fig: plots.plt.Figure, path: Path, lang: str) -> Figure:
    png, _ = plots.save(fig, path, lang=lang)
    return Figure(caption, png)


def report_folder(sweep_dir: Path, lang: str) -> Path:
    """Where the report in ``lang`` goes: ``report/`` for English, ``report_<lang>/`` for
    another language, so that a report in one language never overwrites one in another."""
    return sweep_dir / ("report" if lang == "en" else f"report_{lang}")


def forest_figure(ranked: pd.DataFrame, table: pd.DataFrame, month: int,
                  colours: dict[str, str], folder: Path, view: View) -> Figure:
    """The first screen's forest plot of the ranked policies, with its caption."""
    best, lang = ranked.iloc[0], view.lang
    caption = text("forest caption", lang,
                   name=sentence_start(scenario_name(best["scenario"], lang)),
                   outcome=outcome_name(summary.HEADLINE, lang), month=month,
                   effect=change(best["effect"], OUTCOMES[summary.HEADLINE], view),
                   caption=summary.caption(table, view))
    return _save(caption, plots.forest(ranked, summary.HEADLINE, month, colours, lang),
                 folder / "figures" / "figure_1", lang)


def scenarios_section(runs: list[Run], baseline: str, view: View) -> Section:
    """What each policy changes in the baseline's settings."""
    t, lang = view.text, view.lang
    return Section(t("Scenarios"), [
        Paragraph(t("scenarios note", baseline=baseline,
                    baseline_name=scenario_name(baseline, lang))),
        Items([Literal(scenario_name(k, lang), "; ".join(v))
               for k, v in scenario_definitions(runs, baseline, view).items()])],
        "Scenarios")


def introduction(ranked: pd.DataFrame, table: pd.DataFrame, runs: list[Run], baseline: str,
                 view: View) -> str:
    """The paragraph under the answer: what the replications share, the money, leaving."""
    return " ".join([
        view.text("report intro", baseline=baseline,
                  baseline_name=scenario_name(baseline, view.lang),
                  households=count(ranked["households"].iloc[0]),
                  caption=summary.caption(table, view)),
        money_note(view), leaving_note(runs, baseline, view), code_note(runs, view)]).strip()


def code_note(runs: list[Run], view: View) -> str:
    """A warning when the runs were made by more than one revision of the code
    (``store.code_revisions``), else nothing."""
    made_by = store.code_revisions(m for _, m, _ in runs)
    return view.text("report mixed code", revisions=len(made_by)) if len(made_by) > 1 else ""


def build(sweep_dir: str | Path, baseline: str = BASELINE,
          months: Sequence[int] | None = None, discount: float = DISCOUNT_ANNUAL,
          view: View = ENGLISH) -> tuple[Path, Path]:
    """Write ``report.html`` (self-contained) and ``report.md`` in the sweep's report folder of
    the language of ``view`` (:func:`report_folder`), in its language and currency; the
    policies are ranked at the last of ``months`` (by default ``compare.default_months``:
    the runs' final month)."""
    sweep_dir = Path(sweep_dir)
    results, current = load_to_compare(sweep_dir, discount)
    sources = store.sources(current)
    runs = stored_runs(sweep_dir, current)
    horizon = max(c["months"] for _, _, c in runs)
    months = default_months(horizon) if months is None else \
        [m for m in months if m <= horizon] or [horizon]
    month = months[-1]
    check_snapshots(runs, month)
    read = Snapshots(sweep_dir, TYPE_COLUMNS, [0, *months])  # read once for the groups
    table, money = write_comparison(sweep_dir, results, sources, baseline, months, discount,
                                    read)
    pairs = paired(results, baseline)
    ranked = summary.ranking(table, money, reach(read, pairs, month), results, month)
    order = list(ranked["scenario"])
    k_star = next(m for _, m, _ in runs if m["label"] == baseline)["asset_threshold_z"]
    folder = report_folder(sweep_dir, lang=view.lang)
    colours = plots.palette({m["label"] for _, m, _ in runs}, baseline)
    lang, t = view.lang, view.text
    households = households_of_first_seed(runs)  # read once: figures and diagnosis
    with plots.language(lang):
        forest = forest_figure(ranked, table, month, colours, folder, view)
        drawn = figures(results, money, folder / "figures", baseline, month, runs, households,
                        colours, lang, order)
    sections = [
        summary_section(table, ranked, month, forest, view),
        who_benefits_section(by_type(read, pairs, month, summary.HEADLINE, k_star, view),
                             order, month, table, view),
        comparison_section(table, order, view),
        costs_section(ranked, table, view),
        Section(t("Figures"), drawn, "Figures"),
        with_profile(diagnosis_section(households, [baseline, *order], runs, view), households,
                     baseline, k_star, view),
        scenarios_section(runs, baseline, view),
        Section(t("Provenance"), [Items(provenance(runs, view))], "Provenance"),
    ]
    title = t("report title", policies=len(order))
    intro = introduction(ranked, table, runs, baseline, view)
    html_path, md_path = folder / "report.html", folder / "report.md"
    said = summary.answer(ranked, month, int(table["seeds"].max()), view)
    store.write_text(to_html(title, intro, sections, lang, said), html_path)
    store.write_text(to_markdown(title, intro, sections, lang, said), md_path)
    store.write_text(json.dumps(sources, indent=2), folder / "sources.json")
    return html_path, md_path
