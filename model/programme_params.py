"""Parameters of the empowerment network: programmes, institutions, mentors and the budget.

Every programme has the same frame (eligibility, targeting, coverage, timing, dose, unit cost,
delivering institution, indexation) and a dose whose unit depends on the programme. Capacities
of institutions are per 1,000 client households, so a scenario keeps its meaning at any size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.params_base import param
from model.programmes import PROGRAMMES, Programme

TARGETING = ("poorest_first", "near_threshold_first", "lottery", "proxy_means", "all_eligible")
INSTITUTIONS = ("relief_committee", "university", "research_centre", "science_park",
                "knowledge_firm", "incubator")

INDEXED_DOC = {False: "the dose keeps its real value (else eroded by inflation)",
               True: "not read: the dose is an intensity, not money"}
"""The ``indexed`` switch's meaning, by whether the programme works through a response."""


def programme(spec: Programme) -> type:
    """The config dataclass of one programme: the common frame with its declared defaults."""

    @dataclass(frozen=True)
    class ProgrammeParams:
        enabled: bool = param(False, "switch", doc="run this programme")
        targeting: str = param("poorest_first", "-", choices=TARGETING,
                               doc="order in which eligible households are enrolled")
        coverage: float = param(1.0, "share of eligible", 0.0, 1.0,
                                doc="share of the households eligible at the start to enrol")
        max_households: int = param(0, "households", 0, 100_000_000,
                                    doc="cap on enrolments (0: no cap)")
        start_month: int = param(1, "month", 1, 10_000, doc="first month of enrolment")
        enrol_months: int = param(1, "months", 1, 10_000,
                                  doc="months during which places are filled")
        duration_months: int = param(spec.duration_months, "months", 1, 10_000,
                                     doc="months each household stays enrolled")
        dose: float = param(spec.dose, spec.dose_unit, 0.0, 1e6, doc=spec.delivers)
        unit_cost_z: float = param(spec.unit_cost_z, "z/household-month", 0.0, 1e6,
                                   doc="delivery cost per enrolled household and month")
        institution: str = param(spec.institution, "-", choices=INSTITUTIONS,
                                 doc="who delivers and pays")
        indexed: bool = param(spec.real, "switch", doc=INDEXED_DOC[bool(spec.response)])
        max_consumption_pc_z: float = param(1e6, "z/person-month", 0.0, 1e6,
                                            doc="eligible only below this consumption")

    ProgrammeParams.__name__ = ProgrammeParams.__qualname__ = spec.class_name
    return ProgrammeParams


_CLASSES = {spec.name: programme(spec) for spec in PROGRAMMES}
ConsumptionSupport = _CLASSES["consumption_support"]
AssetGrant = _CLASSES["asset_grant"]
CashTransfer = _CLASSES["cash_transfer"]
Training = _CLASSES["training"]
Mentoring = _CLASSES["mentoring"]
Microcredit = _CLASSES["microcredit"]
JobMatching = _CLASSES["job_matching"]
Incubation = _CLASSES["incubation"]
AspirationCampaign = _CLASSES["aspiration_campaign"]
SavingsGroup = _CLASSES["savings_group"]


@dataclass(frozen=True)
class MicrocreditTerms:
    """Take-up, arrears and default of the interest-free loans."""

    take_up_base: float = param(0.14, "probability", 0.0, 1.0,
                                doc="take-up at confidence and culture 0.5")
    invested_share_without_business: float = param(
        0.3, "share of the loan", 0.0, 1.0,
        doc="share of a loan that a household without a business (assets below k_min) puts "
            "into productive assets; it keeps the rest as liquid savings (a business invests "
            "all of it)")
    default_months: int = param(3, "months", 1, 120, doc="m_default: arrears before default")
    collateral_share: float = param(0.5, "share of debt", 0.0, 1.0,
                                    doc="assets seized on default, as a share of the debt")
    default_confidence_drop: float = param(0.1, "0-1", 0.0, 1.0,
                                           doc="confidence lost on default")


@dataclass(frozen=True)
class ProgrammesParams:
    """The policy levers of MODEL.md §4; the pension is in ``transfers``."""

    consumption_support: ConsumptionSupport = field(default_factory=ConsumptionSupport)
    asset_grant: AssetGrant = field(default_factory=AssetGrant)
    cash_transfer: CashTransfer = field(default_factory=CashTransfer)
    training: Training = field(default_factory=Training)
    mentoring: Mentoring = field(default_factory=Mentoring)
    microcredit: Microcredit = field(default_factory=Microcredit)
    job_matching: JobMatching = field(default_factory=JobMatching)
    incubation: Incubation = field(default_factory=Incubation)
    aspiration_campaign: AspirationCampaign = field(default_factory=AspirationCampaign)
    savings_group: SavingsGroup = field(default_factory=SavingsGroup)
    microcredit_terms: MicrocreditTerms = field(default_factory=MicrocreditTerms)


@dataclass(frozen=True)
class NetworkCapacities:
    """What the network's institutions supply, per 1,000 client households."""

    social_workers: float = param(3.0, "per 1000 households", 0.0, 1000.0,
                                  doc="relief committee social workers (60 per 20,000)")
    social_worker_caseload: int = param(350, "households", 1, 100_000,
                                        doc="households a social worker follows")
    social_worker_contact: float = param(0.03, "x a volunteer's weekly coaching", 0.0, 1.0,
                                         doc="coaching a social worker's monthly visit gives, "
                                             "relative to a volunteer's weekly session")
    students: float = param(0.0, "per 1000 households", 0.0, 1000.0,
                            doc="volunteer student mentors of universities")
    professors: float = param(0.0, "per 1000 households", 0.0, 1000.0,
                              doc="professor mentors of universities and research centres")
    professionals: float = param(0.0, "per 1000 households", 0.0, 1000.0,
                                 doc="mentors from knowledge-based firms and science parks")
    volunteer_caseload: int = param(5, "households", 1, 1000,
                                    doc="households a volunteer mentor follows")
    mentor_reserve: float = param(0.5, "share of initial mentors", 0.0, 10.0,
                                  doc="further volunteers institutions can send to replace "
                                      "drop-outs")
    volunteer_dropout: float = param(0.03, "probability/month", 0.0, 1.0,
                                     doc="volunteer mentors who stop")
    training_seats: float = param(10.0, "seats per 1000 households", 0.0, 1000.0,
                                  doc="training seats of universities and research centres")
    incubation_slots: float = param(5.0, "slots per 1000 households", 0.0, 1000.0,
                                    doc="places in incubators and science parks")
    job_slots: float = param(0.0, "slots/month per 1000 households", 0.0, 1000.0,
                             doc="wage jobs that firms and parks add each month: part of the "
                                 "job programme (needs programmes.job_matching)")
    job_slot_cost_z: float = param(18.0, "z per slot", 0.0, 1e5,
                                   doc="what the job programme pays for each slot its firms "
                                       "add: a hiring subsidy of six months of the 3 z wage, "
                                       "as Jordan's wage-subsidy vouchers (Groh et al. 2016)")


@dataclass(frozen=True)
class BudgetParams:
    """The scenario's budget for the network's programmes (the pension is outside it)."""

    limited: bool = param(False, "switch", doc="enforce the budget")
    per_household_z: float = param(0.0, "z per client household (month-0 prices)", 0.0, 1e9,
                                   doc="total budget divided by the number of client "
                                       "households; enrolment stops when it is committed")
