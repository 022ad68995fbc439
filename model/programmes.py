"""The programmes of the empowerment network, declared once (MODEL.md §4).

Each :class:`Programme` says what it delivers, who delivers it by default, its default dose,
duration and delivery cost, and whether it pays or applies its dose every month it runs. The
order of :data:`PROGRAMMES` is the programme index everywhere: the timers of the household
state, the ``P_*`` constants the kernels use, the config's ``programmes`` group and every
per-programme result column. The default doses and durations are the delivered sizes of
``scenarios.delivered`` (the graduation package's, the relief committee's instruments), so a
programme switched on without a dose is the programme as delivered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Programme:
    """One programme: what it delivers and its default terms."""

    name: str
    class_name: str       # name of its config dataclass
    dose: float           # default dose
    dose_unit: str
    duration_months: int  # default months each household stays enrolled
    unit_cost_z: float    # default delivery cost per household-month, z
    institution: str      # default deliverer
    delivers: str         # what the dose is
    monthly: bool         # pays or applies its dose every month it runs (else once)
    real: bool = True     # the dose keeps its real value by default


PROGRAMMES: tuple[Programme, ...] = (
    Programme("consumption_support", "ConsumptionSupport", 0.25, "z/person-month", 9, 0.0,
              "relief_committee", "support paid per person each month", True),
    Programme("asset_grant", "AssetGrant", 1.0, "multiple of k*", 1, 2.0, "relief_committee",
              "one-off productive asset, as a multiple of the threshold k* (that of the trap, also "
              "when enterprise.trap=false)", False),
    Programme("cash_transfer", "CashTransfer", 36.5, "z/household", 1, 0.5, "relief_committee",
              "cash paid at enrolment (spread evenly when duration > 1)", True),
    Programme("training", "Training", 0.06, "share of the skill gap/month", 6, 1.0,
              "university", "eta_T: skill gained each training month, s += eta_T (1 - s)",
              True),
    Programme("mentoring", "Mentoring", 0.12, "share of the confidence gap/month", 24, 0.3,
              "university", "kappa_M: confidence gained per month of full-intensity coaching",
              True),
    Programme("microcredit", "Microcredit", 8.0, "z/loan", 6, 0.2, "relief_committee",
              "interest-free loan cap (nominal unless indexed), repaid over the duration",
              False, real=False),
    Programme("job_matching", "JobMatching", 3.0, "x job-finding chance", 12, 0.3,
              "knowledge_firm", "multiplier on the chance of a job offer; priority for slots",
              True),
    Programme("incubation", "Incubation", 0.3, "share of productivity", 12, 1.5, "incubator",
              "rise of A_i for an incubated high-technology enterprise", True),
    Programme("aspiration_campaign", "AspirationCampaign", 0.2, "share of aspiration", 1, 0.1,
              "university", "one-off rise of aspirations (and confidence, see "
              "institutions.campaign_confidence)", False),
    Programme("savings_group", "SavingsGroup", 0.05, "share of surplus", 24, 0.05,
              "relief_committee", "extra saving rate while a member", True),
)
NAMES = tuple(p.name for p in PROGRAMMES)
N_PROGRAMMES = len(PROGRAMMES)
INDEX = {name: i for i, name in enumerate(NAMES)}
