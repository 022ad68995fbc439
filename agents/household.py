"""The client household as a Mesa agent: a view onto its row of the state arrays.

Its methods are the readable reference of the household month (engine="python"): the numba
kernels in ``model.kernels`` implement the same rules over all rows at once, and the tests hold
the two to the same results.
"""

from __future__ import annotations

import math

from agents.views import RowAgent, row_property
from model import kernel_params as kp
from model import rng
from model.rules import CONSUMPTION_FLOOR
from model.state import (
    CASUAL,
    ENROLLED,
    ENTERPRISE_HIGH,
    ENTERPRISE_LOW,
    EVENT_DEFAULTED,
    EVENT_GRADUATED,
    EVENT_INCOME_ROSE,
    EVENT_JOB_LOST,
    EVENT_LEFT,
    EVENT_RELAPSED,
    EVENT_SHOCK,
    FLOAT_FIELDS,
    GRADUATED,
    INT_FIELDS,
    LEFT,
    N_PROGRAMMES,
    NONE,
    OCCUPATIONS,
    P_CASH_TRANSFER,
    P_CONSUMPTION_SUPPORT,
    P_INCUBATION,
    P_JOB_MATCHING,
    P_MENTORING,
    P_SAVINGS_GROUP,
    P_TRAINING,
    PEER_ACTIVE,
    PEER_CONSUMPTION,
    PEER_CULTURE,
    PEER_GRADUATED,
    PEER_SUCCESS,
    STATUSES,
    SUPPORTED,
    TIMERS,
    WAGE_JOB,
)


class Household(RowAgent):
    """One client family. Every state field (``assets``, ``skill``, ``status``...) is a
    property reading and writing row ``row`` of the model's arrays."""

    @property
    def occupation_name(self) -> str:
        """The primary occupation as text."""
        return OCCUPATIONS[self.occupation]

    @property
    def status_name(self) -> str:
        """The status as text."""
        return STATUSES[self.status]

    @property
    def neighbours(self) -> list[int]:
        """Rows of the household's ties in the social network."""
        net = self.model.network
        return net.index[net.ptr[self.row]:net.ptr[self.row + 1]].tolist()

    def draw(self, stream: str, k: int = 0) -> float:
        """This month's draw ``k`` of this household from the named stream."""
        return rng.uniform(self.model.keys[rng.STREAM_INDEX[stream]], self.row, k)

    # ---- phases 1-2a -------------------------------------------------------------------
    def meet_shocks_and_search(self) -> bool:
        """Shocks with informal insurance, job loss, job search; True if it found an offer."""
        p = self.model.params
        self.events = 0
        self.shock_loss = 0.0
        self.informal_cover = 0.0
        if self.status == LEFT:
            return False
        if self.draw("shock", 0) < p[kp.P_SHOCK]:
            share = p[kp.LOSS_MIN] + (p[kp.LOSS_MAX] - p[kp.LOSS_MIN]) * self.draw("shock", 1)
            loss = share * self.assets
            has_ties = len(self.neighbours) > 0
            cover = p[kp.INSURANCE_SHARE] * loss if has_ties and \
                self.assets >= p[kp.INSURANCE_MIN_ASSETS] else 0.0
            self.assets -= loss - cover
            self.shock_loss = loss - cover
            self.informal_cover = cover
            self.events |= EVENT_SHOCK
            self.last_shock_month = self.model.month
        u = self.draw("job", 0)
        if self.has_job:
            if u < p[kp.P_SEPARATION]:
                self.has_job = 0
                self.events |= EVENT_JOB_LOST
            return False
        chance = p[kp.P_FIND] * (1.0 + p[kp.FIND_SKILL] * self.skill) * \
            (1.0 + p[kp.FIND_REFERRAL] * self.referred())
        if self.timer(P_JOB_MATCHING) > 0:
            chance *= self.model.amounts[P_JOB_MATCHING]
        return u < chance

    def referred(self) -> float:
        """How strongly the household is referred to employers: 1 in the job-matching
        programme, else its mentor's contact, else 0."""
        if self.timer(P_JOB_MATCHING) > 0:
            return 1.0
        return float(self.model.mentors.contact[self.mentor]) if self.mentor >= 0 else 0.0

    def timer(self, programme: int) -> int:
        """Months of ``programme`` still to come for this household."""
        return int(self.model.state.ints[self.row, TIMERS + programme])

    def set_timer(self, programme: int, months: int) -> None:
        """Set the months of ``programme`` still to come."""
        self.model.state.ints[self.row, TIMERS + programme] = months

    # ---- phases 3-10 ---------------------------------------------------------------------
    def enterprise_income(self) -> tuple[float, bool]:
        """Income of the better technology open to the household, and whether it is high."""
        p = self.model.params
        k = self.assets
        if k <= 0.0:
            return 0.0, False
        theta = (1.0 + p[kp.PHI_SKILL] * self.skill) * (1.0 + p[kp.PHI_CONFIDENCE] *
                                                         self.confidence)
        base = self.productivity * theta
        log_k = math.log(k)  # k ** gamma as exp(gamma * log k), as the kernels compute it
        low = base * p[kp.THETA_LOW] * math.exp(p[kp.GAMMA_LOW] * log_k)
        gates = k >= p[kp.K_MIN] and self.confidence >= p[kp.E_MIN] and \
            self.culture >= p[kp.U_MIN]
        if p[kp.TRAP] == 0.0 or gates:
            high = base * p[kp.THETA_HIGH] * math.exp(p[kp.GAMMA_HIGH] * log_k) - \
                p[kp.FIXED_COST_HIGH]
            if high > low:
                if self.timer(P_INCUBATION) > 0:  # incubation raises A_i of the enterprise
                    high += base * p[kp.THETA_HIGH] * self.model.amounts[P_INCUBATION] * \
                        math.exp(p[kp.GAMMA_HIGH] * log_k)
                return low + self.ramp() * (high - low), True
        return low, False

    def ramp(self) -> float:
        """Share of the high technology's extra income earned this month (time to build)."""
        p = self.model.params
        if p[kp.RAMP_MONTHS] <= 0.0:
            return 1.0
        return min(1.0, (self.high_tech_months + 1.0) / p[kp.RAMP_MONTHS])

    def saving_rate(self) -> float:
        """Share of the surplus saved: peaks when aspirations are moderately above reach."""
        p = self.model.params
        group = self.model.amounts[P_SAVINGS_GROUP] if self.timer(P_SAVINGS_GROUP) > 0 \
            else 0.0
        if p[kp.FIXED_SAVING] == 1.0:
            return min(1.0, p[kp.SIGMA_REF] + group)
        last_consumption = max(self.consumption / self.size, CONSUMPTION_FLOOR)
        gap = (self.aspiration - last_consumption) / last_consumption
        z = (gap - p[kp.GAP_PEAK]) / p[kp.GAP_WIDTH]
        motivation = 1.0 / (1.0 + z * z)
        return min(1.0, p[kp.SIGMA_MIN] + (p[kp.SIGMA_MAX] - p[kp.SIGMA_MIN]) * motivation *
                   (0.5 + 0.5 * self.culture) + group)

    def neighbourhood(self) -> tuple[float, float, float, float, float]:
        """Sums over last month's neighbours: active ones, consumption, culture, successes,
        new graduates (a neighbour that has left shows zeros)."""
        peer = self.model.peer_prev
        active = consumption = culture = successes = role_models = 0.0
        for other in self.neighbours:
            active += peer[other, PEER_ACTIVE]
            consumption += peer[other, PEER_CONSUMPTION]
            culture += peer[other, PEER_CULTURE]
            successes += peer[other, PEER_SUCCESS]
            role_models += peer[other, PEER_GRADUATED]
        return active, consumption, culture, successes, role_models

    def repay_loan(self, cash: float) -> float:
        """The instalment comes first; arrears, then default after ``default_months``."""
        p = self.model.params
        if self.debt <= 0.0:
            return 0.0
        due = min(self.loan_instalment, self.debt)
        paid = min(due, max(cash, 0.0))
        self.debt -= paid
        self.arrears_months = self.arrears_months + 1 if paid < due else 0
        if self.arrears_months >= p[kp.DEFAULT_MONTHS]:
            self.seized = min(self.assets, p[kp.COLLATERAL_SHARE] * self.debt)
            self.debt = 0.0
            self.arrears_months = 0
            self.events |= EVENT_DEFAULTED
            self.confidence = max(0.0, self.confidence - p[kp.DEFAULT_CONFIDENCE_DROP])
        return paid

    def receive_programmes(self, size: float) -> tuple[float, float]:
        """This month's programme transfers and delivery costs; the timers count down."""
        amounts, unit_costs = self.model.amounts, self.model.unit_costs
        transfers = costs = 0.0
        active = 0
        for programme in range(N_PROGRAMMES):
            timer = self.timer(programme)
            if timer <= 0:
                continue
            active |= 1 << programme
            costs += unit_costs[programme]
            if programme == P_CONSUMPTION_SUPPORT:
                transfers += amounts[programme] * size
            elif programme == P_CASH_TRANSFER:
                transfers += amounts[programme]
            self.set_timer(programme, timer - 1)
        self.active_programmes = active
        return transfers, costs

    def step(self) -> None:
        """The household's month after the labour market (phases 3-10, MODEL.md §3)."""
        p = self.model.params
        amounts = self.model.amounts
        peer_next = self.model.peer_next
        if self.status == LEFT:
            peer_next[self.row, :] = 0.0
            self.active_programmes = 0
            return
        size = float(self.size)
        shocked = (self.events & EVENT_SHOCK) != 0
        training = self.timer(P_TRAINING) > 0
        enterprise, high = self.enterprise_income()
        if high:  # experience is kept through months off the high technology
            self.high_tech_months = min(self.high_tech_months + 1, int(p[kp.RAMP_MONTHS]))
        if shocked:
            enterprise = 0.0
        wage = p[kp.WAGE] if self.has_job else 0.0
        casual = 0.0
        if not self.has_job and self.draw("casual", 0) < p[kp.P_CASUAL]:
            casual = p[kp.CASUAL_WAGE]
        earned = enterprise + casual + wage
        pension = p[kp.PENSION_PER_PERSON] * size if self.status != GRADUATED else 0.0
        self.seized = 0.0
        cash = earned + pension
        repaid = self.repay_loan(cash)
        support, delivery = self.receive_programmes(size)
        transfers = pension + support
        cash += support - repaid

        subsistence = p[kp.SUBSISTENCE] * size
        investment = draw = 0.0
        if cash >= subsistence:
            investment = self.saving_rate() * (cash - subsistence)
            consumption = cash - investment
        else:
            draw = min(self.savings, subsistence - cash)
            self.savings -= draw
            consumption = cash + draw
        k = (1.0 - p[kp.DEPRECIATION]) * (self.assets - self.seized) + investment
        self.assets = k
        s = self.skill
        if training:
            s += amounts[P_TRAINING] * (1.0 - s)
        else:
            s -= p[kp.SKILL_DECAY] * (s - self.skill_base)

        active, nb_consumption, nb_culture, successes, role_models = self.neighbourhood()
        defaulted = (self.events & EVENT_DEFAULTED) != 0
        rose = earned > self.income
        own = -1.0 if shocked or defaulted else (1.0 if rose else 0.0)
        e = self.confidence
        u = self.culture
        e_new = e + p[kp.OWN_EFFECT] * own + p[kp.CONFIDENCE_RELAX] * \
            (self.confidence_base - e) + p[kp.ROLE_MODEL_LIFT] * role_models
        if self.mentor >= 0:
            effect = self.model.mentors.effects[self.mentor]
            e_new += amounts[P_MENTORING] * effect[0] * (1.0 - e)
            s += p[kp.MENTOR_SKILL] * effect[1] * (1.0 - s)
            u += p[kp.MENTOR_CULTURE] * effect[2]
        self.skill = min(1.0, max(0.0, s))
        if active > 0.0:
            e_new += p[kp.PEER_EFFECT] * (successes / active - e)
            self.aspiration += p[kp.ASPIRATION_ADAPT] * (nb_consumption / active -
                                                          self.aspiration)
            u += p[kp.CULTURE_ADAPT] * (nb_culture / active - u)
        self.confidence = min(1.0, max(0.0, e_new))
        self.culture = min(1.0, max(0.0, u + p[kp.ROLE_MODEL_LIFT] * role_models))

        self.update_status(earned, consumption, k, rose)
        self.occupation = WAGE_JOB if self.has_job else ENTERPRISE_HIGH if high else \
            ENTERPRISE_LOW if k >= p[kp.ACTIVE_ASSETS] else CASUAL if casual > 0.0 else NONE
        self.income = earned
        self.transfers = transfers
        self.consumption = consumption
        self.investment = investment
        self.savings_draw = draw
        self.repaid = repaid
        self.programme_cost += support + delivery
        self.programme_cost_total += support + delivery
        self.cost_received += transfers + delivery
        stays = 0.0 if self.status == LEFT else 1.0
        peer_next[self.row, PEER_ACTIVE] = stays
        peer_next[self.row, PEER_CONSUMPTION] = stays * consumption / size
        peer_next[self.row, PEER_CULTURE] = stays * self.culture
        peer_next[self.row, PEER_SUCCESS] = stays if earned / size >= p[kp.EXIT_LINE] else 0.0
        peer_next[self.row, PEER_GRADUATED] = stays if self.events & EVENT_GRADUATED else 0.0

    def enrolled_in_any(self) -> bool:
        """Whether any programme still has months to run for the household, or a loan is
        unpaid."""
        return self.debt > 0.0 or any(self.timer(programme) > 0
                                      for programme in range(N_PROGRAMMES))

    def update_status(self, earned: float, consumption: float, k: float, rose: bool) -> None:
        """Graduation after enough months above the line with assets >= k*, relapse, exit;
        a household still in a programme is enrolled, else supported."""
        p = self.model.params
        size = float(self.size)
        if rose:
            self.events |= EVENT_INCOME_ROSE
        self.months_above_line = self.months_above_line + 1 \
            if earned / size >= p[kp.EXIT_LINE] else 0
        if self.status != GRADUATED:
            if self.months_above_line >= p[kp.EXIT_MONTHS] and k >= p[kp.K_STAR]:
                self.status = GRADUATED
                self.events |= EVENT_GRADUATED
                self.graduation_month = self.model.month
                self.months_below_line = 0
            else:
                self.status = ENROLLED if self.enrolled_in_any() else SUPPORTED
        elif consumption / size < 1.0:
            self.months_below_line += 1
            if self.months_below_line >= p[kp.RELAPSE_MONTHS]:
                self.status = ENROLLED if self.enrolled_in_any() else SUPPORTED
                self.events |= EVENT_RELAPSED
                self.months_below_line = 0
                self.months_above_line = 0
        else:
            self.months_below_line = 0
        if self.draw("exit", 0) < p[kp.P_EXIT]:
            self.status = LEFT
            self.events |= EVENT_LEFT


for _i, _name in enumerate(FLOAT_FIELDS):
    setattr(Household, _name, row_property(lambda a, i=_i: a.model.state.floats[:, i],
                                           f"{_name} (float field {_i})"))
for _i, _name in enumerate(INT_FIELDS):
    setattr(Household, _name, row_property(lambda a, i=_i: a.model.state.ints[:, i],
                                           f"{_name} (integer field {_i})"))
