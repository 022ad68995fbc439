"""The flat float64 parameter vector the kernels read, built from a validated :class:`Config`.

Indices are module constants so that numba compiles them in; ``build_vector`` is the only place
that maps config keys to kernel slots.
"""

from __future__ import annotations

import numpy as np

from model.params import Config

(P_SHOCK, LOSS_MIN, LOSS_MAX, INSURANCE_SHARE, INSURANCE_MIN_ASSETS,
 P_SEPARATION, P_FIND, FIND_SKILL, FIND_REFERRAL, WAGE, CASUAL_WAGE, P_CASUAL,
 TRAP, THETA_LOW, THETA_HIGH, GAMMA_LOW, GAMMA_HIGH, K_MIN, FIXED_COST_HIGH, RAMP_MONTHS,
 PHI_SKILL, PHI_CONFIDENCE, E_MIN, U_MIN, ACTIVE_ASSETS,
 PENSION_PER_PERSON, SUBSISTENCE, FIXED_SAVING, SIGMA_MIN, SIGMA_MAX, GAP_PEAK, GAP_WIDTH,
 SIGMA_REF, DEPRECIATION, SKILL_DECAY, PEER_EFFECT, OWN_EFFECT, CONFIDENCE_RELAX,
 ASPIRATION_ADAPT, CULTURE_ADAPT, ROLE_MODEL_LIFT, EXIT_LINE, EXIT_MONTHS, RELAPSE_MONTHS,
 P_EXIT, K_STAR, DEFAULT_MONTHS, COLLATERAL_SHARE, DEFAULT_CONFIDENCE_DROP, MENTOR_SKILL,
 MENTOR_CULTURE, N_PARAMS) = range(52)


def build_vector(cfg: Config, k_star: float) -> np.ndarray:
    """The kernel parameter vector for ``cfg`` (pension at its month-0 real value)."""
    p = np.zeros(N_PARAMS)
    s, lab, ent, con, beh, st = (cfg.shocks, cfg.labour, cfg.enterprise, cfg.consumption,
                                 cfg.behaviour, cfg.status)
    p[P_SHOCK], p[LOSS_MIN], p[LOSS_MAX] = s.p_shock, s.loss_min, s.loss_max
    p[INSURANCE_SHARE] = s.insurance_share
    p[INSURANCE_MIN_ASSETS] = s.insurance_min_assets * k_star
    p[P_SEPARATION], p[P_FIND] = lab.p_separation, lab.p_find
    p[FIND_SKILL], p[FIND_REFERRAL] = lab.skill_effect, lab.referral_effect
    p[WAGE], p[CASUAL_WAGE], p[P_CASUAL] = lab.wage_z, lab.casual_wage_z, lab.p_casual
    p[TRAP] = 1.0 if ent.trap else 0.0
    p[THETA_LOW], p[THETA_HIGH] = ent.theta_low, ent.theta_high
    p[GAMMA_LOW], p[GAMMA_HIGH] = ent.gamma_low, ent.gamma_high
    p[K_MIN], p[FIXED_COST_HIGH] = ent.k_min_z, ent.fixed_cost_high_z
    p[RAMP_MONTHS] = ent.ramp_months
    p[PHI_SKILL], p[PHI_CONFIDENCE] = ent.skill_effect, ent.confidence_effect
    p[E_MIN], p[U_MIN], p[ACTIVE_ASSETS] = ent.confidence_gate, ent.culture_gate, \
        ent.active_assets_z
    p[PENSION_PER_PERSON] = cfg.transfers.pension_per_person_z
    p[SUBSISTENCE] = con.subsistence_per_person_z
    p[FIXED_SAVING] = 1.0 if con.saving_rule == "fixed" else 0.0
    p[SIGMA_MIN], p[SIGMA_MAX] = con.sigma_min, con.sigma_max
    p[GAP_PEAK], p[GAP_WIDTH], p[SIGMA_REF] = con.gap_peak, con.gap_width, \
        con.reference_saving_rate
    p[DEPRECIATION] = con.depreciation
    p[SKILL_DECAY], p[PEER_EFFECT], p[OWN_EFFECT] = beh.skill_decay, beh.peer_effect, \
        beh.own_outcome_effect
    p[CONFIDENCE_RELAX], p[ASPIRATION_ADAPT] = beh.confidence_relax, beh.aspiration_adapt
    p[CULTURE_ADAPT], p[ROLE_MODEL_LIFT] = beh.culture_adapt, beh.role_model_lift
    p[EXIT_LINE], p[EXIT_MONTHS], p[RELAPSE_MONTHS] = st.exit_line_z, st.exit_months, \
        st.relapse_months
    p[P_EXIT], p[K_STAR] = st.p_exit, k_star
    terms = cfg.programmes.microcredit_terms
    p[DEFAULT_MONTHS], p[COLLATERAL_SHARE] = terms.default_months, terms.collateral_share
    p[DEFAULT_CONFIDENCE_DROP] = terms.default_confidence_drop
    p[MENTOR_SKILL] = cfg.institutions.mentor_skill_effect
    p[MENTOR_CULTURE] = cfg.institutions.mentor_culture_effect
    return p


def real_value(nominal: float, inflation_annual: float, month: int, indexed: bool) -> float:
    """The real value in month ``month`` of an amount fixed in nominal terms at month 0."""
    if indexed:
        return nominal
    return nominal / (1.0 + inflation_annual) ** (month / 12.0)
