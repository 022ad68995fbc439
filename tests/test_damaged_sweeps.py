"""A sweep of real (tiny) runs, damaged or unwritable: ``compare``, ``collect`` and
``report`` refuse it with one paragraph naming the run and the file (status 2) and write
nothing; reading a sweep leaves its index as it was, and ``collect`` never drops a run from
it silently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import load_config, run_one, store
from experiments.cli import main
from experiments.sweep import INDEX, MISSING, read_index, write_index
from model.params import to_dict
from tests.test_cli_errors import assert_refused, tree

TINY = ["population.households=50", "months=6", "population.burn_in_months=12"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep of baseline and graduation, one seed, with its index and one invocation."""
    sweep_dir = tmp_path_factory.mktemp("built") / "sweep"
    runs = []
    for scenario in ("baseline", "graduation"):
        config = load_config([f"scenario={scenario}", *TINY])
        run = store.run_id(to_dict(config))
        run_one(config, sweep_dir / run)
        runs.append(run)
    write_index(sweep_dir, ["scenario=baseline,graduation"], runs)
    return sweep_dir


@pytest.fixture
def sweep(built: Path, tmp_path: Path) -> Path:
    """A copy of the built sweep, to damage."""
    return Path(shutil.copytree(built, tmp_path / "sweep"))


def graduation_run(sweep_dir: Path) -> Path:
    return next((sweep_dir / "graduation").iterdir())


@pytest.mark.parametrize(("name", "data"), [(store.RESULTS, b"junk"), (store.RESULTS, None),
                                            (store.HOUSEHOLDS, b"")])
def test_a_junk_empty_or_deleted_table_is_refused_naming_run_and_file(
        sweep: Path, name: str, data: bytes | None, capsys: pytest.CaptureFixture[str]) -> None:
    run = graduation_run(sweep)
    if data is None:
        (run / name).unlink()
    else:
        (run / name).write_bytes(data)
    commands = [["report", str(sweep)]] if name == store.HOUSEHOLDS else [
        ["collect", str(sweep)], ["compare", str(sweep)], ["report", str(sweep)]]
    before = tree(sweep)
    for argv in commands:
        assert_refused(main(argv), capsys.readouterr().err, f"{run / name} cannot be read")
        after = tree(sweep)
        if name == store.HOUSEHOLDS:  # the results are whole: their collected table is made
            after.pop("collected.parquet")
        assert after == before


@pytest.mark.parametrize("same_size", [False, True])
def test_a_results_file_damaged_after_collecting_is_refused_not_read_from_the_cache(
        sweep: Path, same_size: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """The collected table records each results file's size and modification time, so a
    file damaged since (even to the same size) is read again and refused, as by collect."""
    assert main(["collect", str(sweep)]) == 0, capsys.readouterr().err
    results = graduation_run(sweep) / store.RESULTS
    results.write_bytes(bytes(results.stat().st_size) if same_size else b"garbage\n")
    before = tree(sweep)
    for command in ("compare", "report", "collect"):
        assert_refused(main([command, str(sweep)]), capsys.readouterr().err,
                       f"{results} cannot be read")
        assert tree(sweep) == before


def test_compare_reads_no_results_file_when_nothing_changed(
        sweep: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each results file is looked at (its size and time), not read: compare stays fast."""
    assert main(["collect", str(sweep)]) == 0, capsys.readouterr().err
    read = store.read_table

    def read_table(folder: Path, name: str, **options: object) -> pd.DataFrame:
        assert name != store.RESULTS, f"{folder / name} read again"
        return read(folder, name, **options)

    monkeypatch.setattr(store, "read_table", read_table)
    assert main(["compare", str(sweep)]) == 0, capsys.readouterr().err


def test_compare_leaves_the_index_as_it_was(sweep: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # written otherwise than the sweep writes it, so that a rewrite would show
    compact = json.dumps(json.loads((sweep / INDEX).read_text(encoding="utf-8")))
    (sweep / INDEX).write_text(compact, encoding="utf-8")
    index = (sweep / INDEX).read_bytes()
    assert main(["compare", str(sweep)]) == 0, capsys.readouterr().err
    assert (sweep / INDEX).read_bytes() == index


def test_collect_keeps_a_deleted_run_in_the_index_and_compare_refuses_it(
        sweep: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = graduation_run(sweep)
    shutil.rmtree(run)
    assert main(["collect", str(sweep)]) == 0, capsys.readouterr().err
    index = json.loads((sweep / INDEX).read_text(encoding="utf-8"))
    row = next(r for r in index["runs"] if r["run"] == run.relative_to(sweep).as_posix())
    assert row["status"] == MISSING and len(index["invocations"]) == 1
    assert_refused(main(["compare", str(sweep)]), capsys.readouterr().err,
                   "its folder holds no finished run now")


def test_a_finished_run_run_again_and_stopped_is_refused_not_left_out(
        sweep: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run again (--overwrite) and killed, a run the index lists as finished holds only the
    manifest of a run that began: compare says so rather than compare without it."""
    run = graduation_run(sweep)
    store.begin(run, store.read_config(run), store.now())
    before = tree(sweep)
    assert_refused(main(["compare", str(sweep)]), capsys.readouterr().err,
                   "its folder holds no finished run now")
    assert tree(sweep) == before
    # still refused once the index is written again (as a sweep stopped by Ctrl-C writes it)
    assert main(["collect", str(sweep)]) == 0, capsys.readouterr().err
    row = next(r for r in read_index(sweep)["runs"] if r["run"] == run.relative_to(sweep)
               .as_posix())
    assert row["status"] == "running" and row["had_results"]
    assert_refused(main(["compare", str(sweep)]), capsys.readouterr().err,
                   "its folder holds no finished run now")


def test_an_unwritable_sweep_is_refused_naming_the_file(
        sweep: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def read_only(table: object, where: object, **options: object) -> None:
        # as pyarrow says it on a read-only disk: an OSError naming no file
        raise OSError(30, f"Failed to open local file '{where}'. Detail: Read-only file system")

    monkeypatch.setattr(pq, "write_table", read_only)
    before = tree(sweep)
    assert_refused(main(["compare", str(sweep)]), capsys.readouterr().err,
                   f"cannot use {sweep / 'collected.parquet'}")
    assert tree(sweep) == before


def test_the_dashboard_says_it_cannot_write_the_collected_table(
        sweep: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from experiments.analysis.compare import load
    from experiments.dashboard.stored import attempt

    def read_only(table: object, where: object, **options: object) -> None:
        raise OSError(30, f"Failed to open local file '{where}'. Detail: Read-only file system")

    monkeypatch.setattr(pq, "write_table", read_only)
    message = attempt(lambda: load(sweep))
    assert isinstance(message, str), "the page would show a traceback"
    assert message.startswith(f"cannot use {sweep / 'collected.parquet'}: ")
    assert "The page cannot show this sweep" in message  # the page's ending, not a command's
    assert "command" not in message


@pytest.mark.parametrize("lang, note", [
    ("en", "1 of the 3 runs of its latest invocation have not finished (interrupted, failed "
           "or still running);"),
    ("fa", "۱ اجرا از ۳ اجرای آخرین فرمان این مجموعه پایان نیافته‌اند")])
def test_the_dashboard_says_how_many_runs_have_not_finished(sweep: Path, lang: str,
                                                            note: str) -> None:
    """The page reads a sweep whose latest invocation has a run that never finished with the
    note ``compare`` gives, in the page's language and digits."""
    from experiments.dashboard.stored import read

    assert read(sweep, lang)[1] == []  # every run finished, by this code
    runs = json.loads((sweep / INDEX).read_text())["invocations"][-1]["runs"]
    write_index(sweep, ["seed=0,1"], [*runs, "graduation/s1-0badf00d"])
    results, shown = read(sweep, lang)
    assert set(results["scenario"]) == {"baseline", "graduation"}
    assert len(shown) == 1 and note in shown[0], shown


@pytest.mark.parametrize("command", ["collect", "compare", "report"])
def test_a_scenarios_folder_of_the_sweep_is_not_read_as_a_sweep(
        sweep: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """It holds runs, but is part of the sweep: nothing is written there, and the sweep's
    folder is named."""
    before = tree(sweep)
    assert_refused(main([command, str(sweep / "baseline")]), capsys.readouterr().err,
                   f"{sweep / 'baseline'} lies inside the sweep {sweep} (its index.json)")
    assert tree(sweep) == before
