"""The programmes of the empowerment network, declared once (MODEL.md §4).

Each :class:`Programme` says what it delivers, who delivers it by default, its default dose,
duration and delivery cost, and whether it pays or applies its dose every month it runs. The
order of :data:`PROGRAMMES` is the programme index everywhere: the timers of the household
state, the ``P_*`` constants the kernels use, the config's ``programmes`` group and every
per-programme result column. The default doses and durations are the delivered sizes of
``scenarios.delivered`` (the graduation package's, the relief committee's instruments), so a
programme switched on without a dose is the programme as delivered.

A programme that pays or gives something has its dose in z (or in multiples of k*). One that
works through the households' response (training, coaching, matching...) has an intensity as
its dose, 1 as delivered, and names the ``responses.*`` parameter that says what a household
makes of it: the response is behaviour, estimated with the other behavioural parameters, never
a programme input.
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
    response: str = ""    # responses.* key the intensity scales ("" for money and assets)
    at_zero: float = 0.0  # the programme's effect at intensity 0 (1 for a multiplier)

    def effect(self, intensity: float, response: float) -> float:
        """This programme's effect on a household at ``intensity`` (1: as delivered), when
        the full response is ``response``: linear from :attr:`at_zero` at intensity 0."""
        return self.at_zero + intensity * (response - self.at_zero)


INTENSITY = "x as delivered"
"""Unit of the dose of a programme that works through the households' response."""

PROGRAMMES: tuple[Programme, ...] = (
    Programme("consumption_support", "ConsumptionSupport", 0.25, "z/person-month", 9, 0.0,
              "relief_committee", "support paid per person each month", True),
    Programme("asset_grant", "AssetGrant", 1.0, "multiple of k*", 1, 2.0, "relief_committee",
              "one-off productive asset, as a multiple of the threshold k* (that of the trap, also "
              "when enterprise.trap=false)", False),
    Programme("cash_transfer", "CashTransfer", 36.5, "z/household", 1, 0.5, "relief_committee",
              "cash paid at enrolment (spread evenly when duration > 1)", True),
    Programme("training", "Training", 1.0, INTENSITY, 6, 1.0, "university",
              "intensity of the courses; the skill gained is responses.training_skill_gain",
              True, response="training_skill_gain"),
    Programme("mentoring", "Mentoring", 1.0, INTENSITY, 24, 0.3, "university",
              "intensity of the coaching; the confidence gained is "
              "responses.coaching_confidence_gain", True, response="coaching_confidence_gain"),
    Programme("microcredit", "Microcredit", 8.0, "z/loan", 6, 0.2, "relief_committee",
              "interest-free loan cap (nominal unless indexed), repaid over the duration",
              False, real=False),
    Programme("job_matching", "JobMatching", 1.0, INTENSITY, 12, 0.3, "knowledge_firm",
              "intensity of the matching; the rise of the chance of a job offer is "
              "responses.job_matching_effect (the priority for slots is a full referral's at "
              "any intensity)", True,
              response="job_matching_effect", at_zero=1.0),
    Programme("incubation", "Incubation", 1.0, INTENSITY, 12, 1.5, "incubator",
              "intensity of the incubation; the rise of productivity is "
              "responses.incubation_productivity_gain", True,
              response="incubation_productivity_gain"),
    Programme("aspiration_campaign", "AspirationCampaign", 1.0, INTENSITY, 1, 0.1,
              "university", "intensity of the campaign; what it does is "
              "responses.campaign_aspiration_lift and campaign_confidence_lift", False,
              response="campaign_aspiration_lift"),
    Programme("savings_group", "SavingsGroup", 1.0, INTENSITY, 24, 0.05,
              "relief_committee", "intensity of the group's meetings; the extra saving is "
              "responses.savings_group_rate", True, response="savings_group_rate"),
)
PROGRAMME_NAMES = tuple(p.name for p in PROGRAMMES)
N_PROGRAMMES = len(PROGRAMMES)
INDEX = {name: i for i, name in enumerate(PROGRAMME_NAMES)}
