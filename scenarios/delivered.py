"""The programme inputs of the scenario library at their delivered sizes, each with its source.

Programme inputs come from how the programmes were delivered and are then held fixed: the
published effects test the model, they never set a dose. :data:`INPUTS` declares, for every
input a scenario of ``configs/scenario/`` uses, its value in model units, the value as
delivered, the source (or "assumed" and why) and the conversion. ``docs/network.md`` shows it
as a table (``empowernet docs``), and a test holds every scenario file to it, so an input
cannot drift silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from model.docs import between_markers
from model.params import Config
from model.programmes import INTENSITY, PROGRAMME_NAMES
from scenarios.library import names

FIELDS = ("dose", "duration_months", "unit_cost_z")
"""The inputs of every enabled programme."""
PENSION = "transfers.pension_per_person_z"
COACHING = ("institutions.social_workers", "institutions.social_worker_caseload",
            "institutions.social_worker_contact")
"""The inputs that set how much coaching the committee's mentors give (with mentoring on)."""

LINE_TOMAN = 1_254_000
"""z in toman: the per-capita absolute poverty line of 1399 (2020-21), national, a month."""
USD_PER_Z = 1.25 * (236.736 / 195.3) * (365.25 / 12)
"""z in US$ of 2014 (PPP): the US$1.25-a-day line of 2005 the graduation programmes targeted,
in 2014 prices by the US consumer price index (annual means), a month: about US$46."""
PUBLISHED_PACKAGE_COST_USD = (1455.0, 5962.0)
"""Cost of the graduation package per household, six sites (Banerjee et al. 2015), 2014 PPP."""
PUBLISHED_PACKAGE_COST_Z = tuple(usd / USD_PER_Z for usd in PUBLISHED_PACKAGE_COST_USD)
"""The same in z, person-months of consumption at the line: about 31.5 to 129 z."""

ALL = names()
GRADUATION_ASSET = ("graduation", "asset_grant", "empowerment_network")
SUPPORT = ("graduation", "empowerment_network")
TRAINING = ("graduation", "training", "empowerment_network")
MENTORING = ("graduation", "mentoring", "empowerment_network")
VOLUNTEERS = ("mentoring", "empowerment_network")
LOANS = ("microcredit", "empowerment_network")
FIRMS = ("jobs_and_incubation", "empowerment_network")
CAMPAIGN = ("aspiration_campaign", "empowerment_network")

BANERJEE = "Banerjee et al. (2015), *Science*"
BALBONI = ("Balboni et al. (2022), *QJE*, as summarised by McKenzie (2022), World Bank "
           "Development Impact blog")
COMMITTEE = "the relief committee's own figure"
POVERTY_MONITOR = ("Ministry of Cooperatives, Labour and Social Welfare, *Poverty Monitor* "
                   "1399: per-capita line 1,254,000 toman a month")
AS_DELIVERED = ("the programme as delivered; what it does to a household is behaviour, "
                "responses.* (docs/parameters.md), estimated or from the sources of model.md")


@dataclass(frozen=True)
class Input:
    """One input of the scenario library at its delivered size."""

    key: str                    # config key
    value: float                # in model units
    unit: str
    scenarios: tuple[str, ...]  # the scenarios that use this value
    delivered: str              # the value as delivered, in its own units
    source: str                 # where it comes from, or "assumed" and why
    conversion: str = "-"       # how the delivered value became ``value``


def _p(programme: str, field: str) -> str:
    return f"programmes.{programme}.{field}"


INPUTS: tuple[Input, ...] = (
    Input(PENSION, 0.1, "z/person-month", ALL,
          "about 10 % of the poverty line per person, monthly", COMMITTEE,
          "z is the line per person: 10 % of it is 0.1 z"),
    Input(_p("asset_grant", "dose"), 1.0, "x k* (20 z)", GRADUATION_ASSET,
          "BRAC's cow, about US$490, against an estimated threshold of about US$504",
          BALBONI,
          "relative to the threshold: 490 / 504 = 0.97, the indivisible asset itself, which in "
          "the model is k_min = k* = 20 z: 1.0 k*. By the US$1.25-a-day line (2007 prices "
          "assumed) the cow would be about 12 z: where the model's threshold sits against the "
          "line is a structural parameter, to be estimated"),
    Input(_p("asset_grant", "duration_months"), 1, "month", GRADUATION_ASSET,
          "once, at the start", BANERJEE, "a one-off grant is one month"),
    Input(_p("asset_grant", "unit_cost_z"), 2.0, "z/household, once", GRADUATION_ASSET,
          "buying, delivering and vaccinating the asset",
          "assumed (10 % of the asset): the sources give no breakdown"),
    Input(_p("consumption_support", "dose"), 0.25, "z/person-month", SUPPORT,
          "a regular transfer of cash or food", "assumed (a quarter of the line per person): "
          "the sources found give no per-person amount"),
    Input(_p("consumption_support", "duration_months"), 9, "months", SUPPORT,
          "30-40 weeks", f"{BANERJEE}; BRAC's programme",
          "39 weeks = 9 months"),
    Input(_p("consumption_support", "unit_cost_z"), 0.0, "z/household-month", SUPPORT,
          "paid with the pension", "assumed: the committee already pays these households"),
    Input(_p("cash_transfer", "dose"), 36.5, "z/household", ("cash_transfer",),
          "an unconditional lump sum of the graduation package's cost per treated household",
          "cash benchmarking (McIntosh & Zeitlin); the package's cost measured in the model, "
          "36.9 z (4,000 households, seed 0)",
          "36.5 z plus 0.5 z to deliver it: 37 z, the package's cost"),
    Input(_p("cash_transfer", "duration_months"), 1, "month", ("cash_transfer",),
          "once", "a lump sum, as the benchmark is defined"),
    Input(_p("cash_transfer", "unit_cost_z"), 0.5, "z/household, once", ("cash_transfer",),
          "paying it", "assumed: the sources give no delivery cost"),
    Input(_p("training", "dose"), 1.0, INTENSITY, TRAINING,
          "courses at their usual intensity", AS_DELIVERED),
    Input(_p("training", "duration_months"), 1, "month", ("graduation",),
          "technical training on managing the asset", BANERJEE,
          "one month, the model's shortest spell"),
    Input(_p("training", "duration_months"), 6, "months", ("training", "empowerment_network"),
          "vocational courses of some months",
          "assumed: course lengths vary across the studies McKenzie (2017) reviews"),
    Input(_p("training", "unit_cost_z"), 1.0, "z/household-month", TRAINING,
          "a training seat", "assumed: the sources give no cost in the model's units"),
    Input(_p("mentoring", "dose"), 1.0, INTENSITY, MENTORING,
          "coaching at its planned frequency", AS_DELIVERED),
    Input(_p("mentoring", "duration_months"), 24, "months", ("graduation",),
          "frequent home visits for 18-24 months", BANERJEE,
          "24 months, the upper end"),
    Input(_p("mentoring", "duration_months"), 24, "months", VOLUNTEERS,
          "two years of coaching", "assumed: the network's plan"),
    Input(_p("mentoring", "unit_cost_z"), 0.16, "z/household-month", ("graduation",),
          "a dedicated coach for 50 families",
          "assumed: a coach costs 8 z a month (10 million toman at the 1399 line: a "
          "graduate's salary with insurance, transport and supervision); no salary scale of "
          "the committee was available",
          "8 z / 50 families = 0.16 z a family-month, 3.84 z over 24 months"),
    Input(_p("mentoring", "unit_cost_z"), 0.3, "z/household-month", VOLUNTEERS,
          "volunteers' travel and supervision", "assumed: the network's plan"),
    Input("institutions.social_worker_contact", 1.0, "x a weekly session", ("graduation",),
          "frequent (weekly) home visits by dedicated staff", BANERJEE,
          "contact is counted in weekly sessions: 1"),
    Input("institutions.social_worker_contact", 0.03, "x a weekly session", VOLUNTEERS,
          "a social worker's monthly check-in among 350 families",
          "assumed: no measure of what such a visit does"),
    Input("institutions.social_worker_caseload", 50, "households", ("graduation",),
          "families per coach",
          "assumed: a weekly visit of about an hour, ten families a day"),
    Input("institutions.social_worker_caseload", 350, "households", VOLUNTEERS,
          "about 350 families per social worker", COMMITTEE),
    Input("institutions.social_workers", 6.0, "per 1000 households", ("graduation",),
          "a coach for every participant", "follows from the caseload",
          "300 places per 1,000 clients, for about 240 lottery winners"),
    Input("institutions.social_workers", 3.0, "per 1000 households", VOLUNTEERS,
          "about 60 social workers for about 20,000 client families", COMMITTEE,
          "60 / 20 = 3 per 1,000"),
    Input(_p("microcredit", "dose"), 8.0, "z/loan (nominal)", LOANS,
          "10 million toman, the cap of the committee's interest-free employment loans in Qom",
          f"the relief committee of Qom; the line: {POVERTY_MONITOR}",
          "10,000,000 / 1,254,000 = 7.97, about 8 z, at the national per-capita line of 1399 "
          "(Qom's own line assumed equal). Per member of a household of 3-4 the Ministry's line "
          "is 0.85-0.92 million toman, which would make the cap 11-12 z"),
    Input(_p("microcredit", "duration_months"), 6, "months", LOANS,
          "the repayment term", "assumed: the committee's term is not in the sources"),
    Input(_p("microcredit", "unit_cost_z"), 0.2, "z/household-month", LOANS,
          "administering the loan", "assumed"),
    Input(_p("job_matching", "dose"), 1.0, INTENSITY, FIRMS,
          "referral to the firms and parks", AS_DELIVERED),
    Input(_p("job_matching", "duration_months"), 12, "months", FIRMS,
          "a year of matching", "assumed: the network's plan"),
    Input(_p("job_matching", "unit_cost_z"), 0.3, "z/household-month", FIRMS,
          "the firms' and parks' staff time", "assumed"),
    Input(_p("incubation", "dose"), 1.0, INTENSITY, FIRMS,
          "incubation of an enterprise", AS_DELIVERED),
    Input(_p("incubation", "duration_months"), 12, "months", FIRMS,
          "a year in an incubator", "assumed: the network's plan"),
    Input(_p("incubation", "unit_cost_z"), 1.5, "z/household-month", FIRMS,
          "an incubator's place", "assumed"),
    Input(_p("aspiration_campaign", "dose"), 1.0, INTENSITY, CAMPAIGN,
          "meeting graduates once", AS_DELIVERED),
    Input(_p("aspiration_campaign", "duration_months"), 1, "month", CAMPAIGN,
          "once", "the campaign's design"),
    Input(_p("aspiration_campaign", "unit_cost_z"), 0.1, "z/household, once", CAMPAIGN,
          "organising the meeting", "assumed"),
    Input(_p("savings_group", "dose"), 1.0, INTENSITY, ("graduation",),
          "a savings group meeting as usual", AS_DELIVERED),
    Input(_p("savings_group", "duration_months"), 24, "months", ("graduation",),
          "savings during the programme's two years", BANERJEE),
    Input(_p("savings_group", "unit_cost_z"), 0.05, "z/household-month", ("graduation",),
          "running the group", "assumed"),
)


def inputs_of(cfg: Config) -> dict[str, float]:
    """The inputs a scenario uses: the pension, every enabled programme's dose, duration and
    unit cost, and the coaching inputs when mentoring is on."""
    keys = [PENSION]
    for name in PROGRAMME_NAMES:
        if getattr(cfg.programmes, name).enabled:
            keys += [_p(name, field) for field in FIELDS]
    if cfg.programmes.mentoring.enabled:
        keys += COACHING
    return {key: attrgetter(key)(cfg) for key in keys}


def declared(scenario: str) -> dict[str, float]:
    """The delivered sizes :data:`INPUTS` declares for ``scenario``, by config key.

    Raises:
        ValueError: if two declarations give the same key for the scenario.
    """
    out: dict[str, float] = {}
    for item in INPUTS:
        if scenario in item.scenarios:
            if item.key in out:
                raise ValueError(f"{item.key} is declared twice for scenario {scenario!r}")
            out[item.key] = item.value
    return out


BEGIN = "<!-- the delivered programme inputs: generated from scenarios.delivered.INPUTS -->"
END = "<!-- end of the generated delivered inputs -->"


def table() -> str:
    """:data:`INPUTS` as a Markdown table."""
    lines = ["| input | scenarios | model value | as delivered | source | how converted |",
             "|---|---|---|---|---|---|"]
    for item in INPUTS:
        used = "all" if item.scenarios == ALL else ", ".join(item.scenarios)
        lines.append(f"| `{item.key}` | {used} | {item.value:g} {item.unit} | "
                     f"{item.delivered} | {item.source} | {item.conversion} |")
    return "\n".join(lines) + "\n"


def with_inputs(page: str) -> str:
    """``page`` (``docs/network.md``) with the table of delivered inputs."""
    return between_markers(page, BEGIN, END, table())
