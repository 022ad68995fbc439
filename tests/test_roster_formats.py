"""Rosters as a relief committee keeps them: Persian headers and digits, header case and spaces,
extra columns kept as labels, semicolons and tabs, Excel, a column-mapping file. Each variant
is made from the plain pilot CSV and must read to exactly the same households."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from empowernet import Config, EmpowermentModel
from experiments import load_config
from experiments.config import PROJECT_ROOT
from model.roster import BY_NAME, Roster, RosterError, read
from model.roster_columns import PERSIAN_HEADERS, RosterWarning, header_key

PILOT = PROJECT_ROOT / "data" / "pilot_roster.csv"
PERSIAN = {"household_id": "شماره پرونده", "size": "بعد خانوار", "assets_z": "دارایی",
           "female_head": "سرپرست زن", "savings_z": "پس‌انداز", "debt_z": "بدهي",
           "skill": "مهارت", "confidence": "اعتماد به نفس", "culture": "خوداتکایی"}
"""Persian headers as a committee writes them (one with the Arabic yeh of some keyboards)."""
PERSIAN_DIGITS = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
EXTRA = {"name": "نام", "National ID": "کد ملی", "address": "نشانی"}


@pytest.fixture(scope="module")
def cfg() -> Config:
    return load_config(["population=pilot"])


@pytest.fixture(scope="module")
def plain(cfg: Config) -> Roster:
    return read(PILOT, cfg)


def pilot_text() -> pd.DataFrame:
    """The pilot roster's cells as written."""
    return pd.read_csv(PILOT, dtype=str, keep_default_na=False)


def persian_digits(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers in Persian digits, every third row in Arabic-Indic digits; ids as written."""
    out = frame.copy()
    for name in out.columns[1:]:
        out[name] = [v.translate(ARABIC_DIGITS if i % 3 == 0 else PERSIAN_DIGITS)
                     for i, v in enumerate(out[name])]
    return out


def with_extra_columns(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for i, (header, value) in enumerate(EXTRA.items()):
        out.insert(2 * i, header, [f"{value} {row}" for row in range(len(frame))])
    return out


def persian_csv(tmp_path: Path) -> Path:
    path = tmp_path / "persian.csv"
    persian_digits(pilot_text()).rename(columns=PERSIAN).to_csv(path, index=False)
    return path


def messy_headers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "messy.csv"
    pilot_text().rename(columns=lambda c: f"  {c.upper().replace('_', ' ')} ").to_csv(
        path, index=False)
    return path


def semicolon_csv(tmp_path: Path) -> Path:
    path = tmp_path / "semicolons.csv"
    pilot_text().to_csv(path, index=False, sep=";")
    return path


def tab_tsv(tmp_path: Path) -> Path:
    path = tmp_path / "tabs.tsv"
    pilot_text().to_csv(path, index=False, sep="\t")
    return path


def excel_numbers(tmp_path: Path) -> Path:
    path = tmp_path / "numbers.xlsx"
    pd.read_csv(PILOT).to_excel(path, index=False)
    return path


def excel_persian(tmp_path: Path) -> Path:
    path = tmp_path / "persian.xlsx"
    with_extra_columns(persian_digits(pilot_text())).rename(columns=PERSIAN).to_excel(
        path, index=False)
    return path


VARIANTS: dict[str, Callable[[Path], Path]] = {
    "persian headers and digits": persian_csv, "header case and spaces": messy_headers_csv,
    "semicolons": semicolon_csv, "tabs": tab_tsv, "xlsx": excel_numbers,
    "xlsx, persian, extra columns": excel_persian}


def assert_same_households(a: Roster, b: Roster) -> None:
    np.testing.assert_array_equal(a.state.floats, b.state.floats)
    np.testing.assert_array_equal(a.state.ints, b.state.ints)
    assert list(a.household_ids) == list(b.household_ids)
    assert a.imputed == b.imputed


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_reads_to_the_households_of_the_plain_csv(tmp_path, cfg, plain,
                                                          variant) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RosterWarning)
        assert_same_households(read(VARIANTS[variant](tmp_path), cfg), plain)


def test_extra_columns_are_kept_as_labels_with_one_note(tmp_path, cfg, plain) -> None:
    path = tmp_path / "extra.csv"
    with_extra_columns(pilot_text()).to_csv(path, index=False)
    with pytest.warns(RosterWarning, match="name, National ID, address") as notes:
        roster = read(path, cfg)
        assert_same_households(read(path, cfg), roster)
    assert len(notes) == 1
    assert_same_households(roster, plain)
    assert list(roster.labels) == ["label_name", "label_national_id", "label_address"]
    assert roster.labels["label_national_id"][4] == "کد ملی 4"


def test_labels_are_carried_into_the_household_snapshots(tmp_path) -> None:
    path = tmp_path / "extra.csv"
    with_extra_columns(pilot_text()).to_csv(path, index=False)
    with pytest.warns(RosterWarning):
        m = EmpowermentModel(load_config(["population=pilot", f"population.roster_path={path}",
                                          "months=1"]))
    frame = m.snapshots[0]
    assert list(frame.columns[:5]) == ["row", "household_id", "label_name",
                                       "label_national_id", "label_address"]
    assert frame["label_name"].iloc[7] == "نام 7"


def test_strict_mode_refuses_extra_columns_naming_them(tmp_path) -> None:
    path = tmp_path / "extra.csv"
    with_extra_columns(pilot_text()).to_csv(path, index=False)
    strict = load_config(["population=pilot", "population.roster_strict=true"])
    with pytest.raises(RosterError, match=r"unknown column\(s\) name, National ID, address"):
        read(path, strict)


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_mapping_file_names_a_systems_export_columns(tmp_path, plain, suffix) -> None:
    exports = {"household_id": "HH_CODE", "size": "Members", "assets_z": "Assets (z)",
               "female_head": "FHH"}
    path = tmp_path / "export.csv"
    pilot_text().rename(columns=exports).to_csv(path, index=False)
    mapping = tmp_path / f"columns{suffix}"
    if suffix == ".yaml":
        mapping.write_text("".join(f"{v}: {k}\n" for k, v in exports.items()), "utf-8")
    else:
        pd.DataFrame({"export": list(exports.values()), "column": list(exports)}).to_csv(
            mapping, index=False)
    cfg = load_config(["population=pilot", f"population.roster_columns={mapping}",
                       "population.roster_strict=true"])
    assert_same_households(read(path, cfg), plain)


def test_mapping_to_an_unknown_column_is_refused(tmp_path) -> None:
    mapping = tmp_path / "columns.yaml"
    mapping.write_text("Members: persons\n", "utf-8")
    cfg = load_config(["population=pilot", f"population.roster_columns={mapping}"])
    with pytest.raises(RosterError, match=r"entry 'Members': 'persons' .* is not a roster "):
        read(PILOT, cfg)


BAD = [
    ("persian.csv", "شناسه خانوار,بعد خانوار,دارایی\nA,۳,۵\nB,۳x,۱\n",
     "line 3, column 'size': '۳x' is not a number"),
    ("persian.csv", "شناسه خانوار,بعد خانوار,دارایی\nA,۲٫۵,۵\n",
     "line 2, column 'size': '۲٫۵' is not a whole number"),
    ("slash.csv", "household_id;size;assets_z\nA;3;2/5\n",
     "line 2, column 'assets_z': '2/5' is not a number (z); write digits"),
    ("twice.csv", "household_id,size,بعد خانوار,assets_z\nA,3,3,5\n",
     "columns 'size' and 'بعد خانوار' both give size"),
    ("blank.csv", "household_id,size,assets_z,\nA,3,5,\nB,3,5,x\n",
     "line 3, column 4: the column has no header but holds a value"),
    ("gap.csv", "household_id,size,assets_z\nA,3,5\n\nB,3,5\n",
     "line 3, column 'household_id': the value is missing"),
    ("typo.csv", "household_id,size,assets_z,femal_head\nA,3,5,1\n",
     "'femal_head' looks like 'female_head'"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD)
def test_bad_cell_is_refused_naming_file_line_and_column(tmp_path, name, text,
                                                          message) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    strict = load_config(["population.roster_strict=true"])
    with pytest.raises(RosterError) as err:
        read(path, strict)
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(("written", "named", "message"), [
    (".xlsx", ".csv", "the file is an Excel workbook (.xlsx), but its name ends in .csv; rename "
                      "it to end in .xlsx."),
    (".parquet", ".csv", "the file is a Parquet file, but its name ends in .csv; rename it to "
                         "end in .parquet."),
    (".csv", ".xlsx", "the name ends in .xlsx, but the file is not an Excel workbook (.xlsx); "
                      "if it is a text table (CSV or TSV), rename it to end in .csv or .tsv."),
])
def test_a_file_renamed_to_another_type_is_refused_saying_what_it_is(
        tmp_path, cfg, written, named, message) -> None:
    source = tmp_path / f"roster{written}"
    {".xlsx": lambda: pilot_text().to_excel(source, index=False),
     ".parquet": lambda: pilot_text().to_parquet(source),
     ".csv": lambda: pilot_text().to_csv(source, index=False)}[written]()
    path = source.rename(tmp_path / f"families{named}")
    with pytest.raises(RosterError, match=re.escape(f"roster {path}: {message}")):
        read(path, cfg)


def test_blank_rows_at_the_end_are_ignored(tmp_path, cfg) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("household_id;size;assets_z;\nA;3;5;\nB;2;1;\n;;;\n\n", encoding="utf-8")
    assert list(read(path, cfg).household_ids) == ["A", "B"]


def test_bad_excel_cell_is_refused_with_its_spreadsheet_row(tmp_path, cfg) -> None:
    frame = persian_digits(pilot_text())
    frame.loc[9, "skill"] = "۰٫۵۵۵۵x"
    path = tmp_path / "bad.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(RosterError, match=r"bad.xlsx, row 11, column 'skill': '۰٫۵۵۵۵x'"):
        read(path, cfg)


@pytest.mark.slow
def test_cli_refuses_a_bad_persian_cell_with_status_2(tmp_path) -> None:
    path = tmp_path / "persian.csv"
    path.write_text("شناسه خانوار,بعد خانوار,دارایی\nA,۳,۵\nB,۰,۱\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "experiments.cli", "run", "population=pilot",
                           f"population.roster_path={path}", f"hydra.run.dir={tmp_path}/out"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"roster {path}, line 3, column 'size': '۰' is out of range" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_every_roster_column_has_a_documented_persian_header() -> None:
    assert set(PERSIAN_HEADERS.values()) == set(BY_NAME)
    doc = (PROJECT_ROOT / "docs" / "roster.md").read_text(encoding="utf-8")
    documented = {header_key(h) for h in re.findall(r"«([^»]+)»", doc)}
    assert {header_key(h) for h in PERSIAN_HEADERS} <= documented


def test_header_key_ignores_case_spaces_and_letter_forms() -> None:
    assert header_key(" Household_ID ") == header_key("household id") == "household id"
    assert header_key("پس انداز") == header_key("پس‌انداز") == header_key("پس_انداز")
    assert header_key("بدهي") == header_key("بدهی")


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".parquet"])
def test_make_roster_writes_the_format_its_name_says_and_replaces_only_when_asked(
        tmp_path, cfg, suffix) -> None:
    from experiments.cli import main

    path = tmp_path / f"roster{suffix}"
    assert main(["make-roster", str(path), "--households", "20"]) == 0
    if suffix == ".parquet":
        assert path.read_bytes()[:4] == b"PAR1"
    assert len(read(path, cfg).household_ids) == 20
    written = path.read_bytes()
    assert main(["make-roster", str(path), "--households", "30"]) == 2
    assert path.read_bytes() == written
    assert main(["make-roster", str(path), "--households", "30", "--overwrite"]) == 0
    assert len(read(path, cfg).household_ids) == 30
