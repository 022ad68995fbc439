"""Programme inputs stay at their delivered sizes: every scenario file against the declared
table of docs/network.md (``scenarios.delivered``), and the package's cost against the
published cost."""

from __future__ import annotations

import pytest

from empowernet import EmpowermentModel
from model.programme_params import ProgrammesParams
from model.programmes import PROGRAMME_NAMES
from scenarios import delivered, library


@pytest.mark.parametrize("scenario", library.names())
def test_every_scenario_uses_the_delivered_sizes_of_the_documented_table(scenario) -> None:
    assert delivered.inputs_of(library.config(scenario)) == delivered.declared(scenario)


def test_every_declared_input_names_library_scenarios_and_a_source() -> None:
    for item in delivered.INPUTS:
        assert item.scenarios and set(item.scenarios) <= set(library.names()), item.key
        assert item.source.strip() and item.delivered.strip(), item.key


def test_a_programme_switched_on_without_a_dose_gets_the_graduation_package_sizes() -> None:
    defaults = ProgrammesParams()
    package = delivered.declared("graduation")
    for programme in ("asset_grant", "consumption_support"):
        for field in delivered.FIELDS:
            key = f"programmes.{programme}.{field}"
            assert getattr(getattr(defaults, programme), field) == package[key], key
    assert defaults.microcredit.dose == delivered.declared("microcredit")[
        "programmes.microcredit.dose"]


def test_the_loan_cap_is_ten_million_toman_at_the_line() -> None:
    assert delivered.declared("microcredit")["programmes.microcredit.dose"] == \
        pytest.approx(10_000_000 / delivered.LINE_TOMAN, abs=0.05)


def test_published_package_costs_convert_at_the_line_of_the_programmes() -> None:
    usd_per_z = delivered.USD_PER_Z
    assert usd_per_z == pytest.approx(46.1, abs=0.05)
    low, high = delivered.PUBLISHED_PACKAGE_COST_Z
    assert low == pytest.approx(31.5, abs=0.1) and high == pytest.approx(129.3, abs=0.1)


@pytest.mark.slow
def test_the_graduation_package_costs_what_the_published_packages_cost() -> None:
    model = EmpowermentModel(scenario="graduation", rng=0,
                             overrides={"population.households": 1500, "months": 30,
                                        "threads": 1}).run()
    frame = model.household_frame()
    treated = (frame["enrolled_ever"].to_numpy() >> PROGRAMME_NAMES.index("asset_grant")) & 1 == 1
    cost = frame["programme_cost_total"].to_numpy()[treated].mean()
    low, high = delivered.PUBLISHED_PACKAGE_COST_Z
    assert treated.sum() > 200 and low <= cost <= high
    cash = library.config("cash_transfer").programmes.cash_transfer
    assert cash.dose + cash.unit_cost_z == pytest.approx(cost, rel=0.05)
