"""``empowernet report DIR``: one self-contained HTML file and a Markdown page for a sweep.

Sections: the comparison table and costs, the figures (regenerated from the stored results,
so ``empowernet report`` is also the one command that reproduces every figure), the scenario
definitions and the provenance of the runs. Everything comes from the sweep's current runs
(``compare.load``), read once: the tables, figures and provenance are of exactly the same runs,
which ``report/sources.json`` lists.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from experiments import store
from experiments.analysis import plots
from experiments.analysis.compare import check_discount, effects, load, paired, write_comparison
from experiments.store import flatten
from model import diagnosis
from model.params import ConfigError
from model.programme_params import PROGRAMMES

DIAGNOSIS_NOTE = ("Why the poor stay poor, at the final month, lowest seed: of the households "
                  "poor then, the share that each lever alone lifts above the line within the "
                  "diagnosis horizon (several levers can; docs/model.md), the share that no "
                  "lever lifts (none) and the share above the line without any "
                  "(escapes_without_help).")
SECTIONS = ("Comparison", "Costs", "Figures", "Diagnosis", "Scenarios", "Provenance")


def stored_runs(sweep_dir: Path, sources: list[dict]) -> list[tuple[Path, dict, dict]]:
    """(folder, manifest, config) of each run of ``sources`` (``store.sources``)."""
    out = []
    for source in sources:
        folder = sweep_dir / source["run"]
        config = yaml.safe_load((folder / store.CONFIG).read_text(encoding="utf-8"))
        out.append((folder, store.read_manifest(folder), config))
    return out


def households_of_first_seed(runs: list[tuple[Path, dict, dict]]) -> pd.DataFrame:
    """Household snapshots of the lowest seed of every scenario, with a ``scenario`` column."""
    seed = min(m["seed"] for _, m, _ in runs)
    frames = [pd.read_parquet(f / store.HOUSEHOLDS).assign(scenario=m["label"])
              for f, m, _ in runs if m["seed"] == seed]
    return pd.concat(frames, ignore_index=True)


def network_of_richest(runs: list[tuple[Path, dict, dict]]) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame] | None:
    """The stored network sample (nodes, edges) of the lowest-seed run of the scenario with
    the most programmes; None if that run stored none."""
    def programmes(run: tuple[Path, dict, dict]) -> int:
        return sum(run[2]["programmes"][p]["enabled"] for p in PROGRAMMES)

    folder = min(runs, key=lambda r: (-programmes(r), r[1]["seed"]))[0]
    files = (folder / store.NETWORK_NODES, folder / store.NETWORK_EDGES)
    if not all(f.is_file() for f in files):
        return None
    return pd.read_parquet(files[0]), pd.read_parquet(files[1])


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


def scenario_definitions(runs: list[tuple[Path, dict, dict]]) -> dict[str, list[str]]:
    """For each scenario, its enabled programmes and network settings, as lines."""
    out: dict[str, list[str]] = {}
    for _, manifest, config in runs:
        label = manifest["label"]
        if label in out:
            continue
        lines = []
        for name in PROGRAMMES:
            prog = config["programmes"][name]
            if prog["enabled"]:
                lines.append(f"{name}: {prog['targeting']}, coverage {prog['coverage']}, "
                             f"from month {prog['start_month']} for "
                             f"{prog['duration_months']} months, dose {prog['dose']}, "
                             f"{prog['unit_cost_z']} z/month delivery, by "
                             f"{prog['institution']}")
        budget = config["budget"]
        lines.append("budget: " + (f"{budget['per_household_z']} z per household"
                                   if budget["limited"] else "not limited"))
        inst = flatten(config["institutions"])
        lines.append("institutions: " + ", ".join(f"{k} {v}" for k, v in inst.items()))
        out[label] = lines if len(lines) > 2 else ["pension only", *lines]
    return out


def provenance(runs: list[tuple[Path, dict, dict]]) -> list[str]:
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
            runs: list[tuple[Path, dict, dict]]) -> list[tuple[str, Path]]:
    """Draw every figure of the report from the stored results (``table``, one row per run
    and month) and costs; (caption, PNG path)."""
    all_effects = effects(paired(table, baseline), sorted(table["month"].unique()))
    households = households_of_first_seed(runs)
    k_star = next(m for _, m, _ in runs if m["label"] == baseline)["asset_threshold_z"]
    network = network_of_richest(runs)
    snapshot_months = sorted(households["month"].unique())
    drawn = [
        ("Headcount over time", plots.outcome_over_time(table, "headcount")),
        ("Per-capita consumption over time",
         plots.outcome_over_time(table, "consumption_pc_mean")),
        ("Effect on per-capita consumption",
         plots.effect_over_time(all_effects, "consumption_pc_mean")),
        ("Cost against effect", plots.cost_effectiveness(all_effects, money,
                                                          "consumption_pc_mean", month)),
        ("Consumption before and after", plots.consumption_distributions(households)),
        ("Binding constraints", plots.binding_constraints(households)),
    ]
    if network is not None:
        drawn.append(("The network", plots.network_sample(*network)))
    if 12 in snapshot_months:
        base_households = households[households["scenario"] == baseline]
        drawn.insert(4, ("Asset map (baseline)", plots.asset_map(base_households, k_star)))
    out = []
    for k, (caption, fig) in enumerate(drawn):
        png, _ = plots.save(fig, folder / f"figure_{k + 1}")
        out.append((caption, png))
    return out


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", border=0)


def _table_md(frame: pd.DataFrame) -> str:
    cells = [[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row]
             for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


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
    table, money = write_comparison(sweep_dir, results, sources, baseline, months, discount)
    folder = sweep_dir / "report"
    drawn = figures(results, money, folder / "figures", baseline, months[-1], runs)
    scenarios = scenario_definitions(runs)
    origin = provenance(runs)
    summary = table[["scenario", "outcome", "month", "baseline", "scenario_value", "effect",
                     "ci_low", "ci_high", "seeds"]]
    title = f"Policy comparison: {', '.join(sorted(scenarios))}"
    md = [f"# {title}", "", f"Each scenario against `{baseline}`, paired by seed (the same "
          "households meeting the same shocks); intervals are 95 % over seeds.", "",
          "## Comparison", "", _table_md(summary), "", "## Costs", "", _table_md(money), "",
          "## Figures", ""]
    md += [f"![{c}](figures/{p.name})\n" for c, p in drawn]
    diagnosed = diagnosis_table(households_of_first_seed(runs))
    md += ["## Diagnosis", "", DIAGNOSIS_NOTE, "", _table_md(diagnosed), ""]
    md += ["## Scenarios", ""] + [f"- **{k}**: " + "; ".join(v) for k, v in scenarios.items()]
    md += ["", "## Provenance", ""] + [f"- {line}" for line in origin]
    page = ["<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;"
            "max-width:1100px;margin:auto}table{border-collapse:collapse;font-size:12px}"
            "td,th{padding:2px 6px;border-bottom:1px solid #ddd}img{max-width:100%}"
            "</style></head><body>", f"<h1>{html.escape(title)}</h1>",
            f"<p>Each scenario against <code>{html.escape(baseline)}</code>, paired by seed; "
            "intervals are 95 % over seeds.</p>",
            "<h2>Comparison</h2>", _table_html(summary), "<h2>Costs</h2>", _table_html(money),
            "<h2>Figures</h2>"]
    for caption, png in drawn:
        data = base64.b64encode(png.read_bytes()).decode()
        page.append(f"<figure><img alt='{html.escape(caption)}' src='data:image/png;base64,"
                    f"{data}'><figcaption>{html.escape(caption)}</figcaption></figure>")
    page += ["<h2>Diagnosis</h2>", f"<p>{html.escape(DIAGNOSIS_NOTE)}</p>",
             _table_html(diagnosed), "<h2>Scenarios</h2><ul>"]
    page += [f"<li><b>{html.escape(k)}</b>: {html.escape('; '.join(v))}</li>"
             for k, v in scenarios.items()]
    page.append("</ul><h2>Provenance</h2><ul>")
    page += [f"<li>{html.escape(line)}</li>" for line in origin]
    page.append("</ul></body></html>")
    html_path, md_path = folder / "report.html", folder / "report.md"
    store.write_text("\n".join(page), html_path)
    store.write_text("\n".join(md) + "\n", md_path)
    store.write_text(json.dumps(sources, indent=2), folder / "sources.json")
    return html_path, md_path
