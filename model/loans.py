"""How a debt is repaid: equal instalments over ``programmes.microcredit.duration_months``.

A microcredit loan and a debt that a roster brings (``debt_z``) follow this one rule, so that
every debt in the model is serviced the same way: the instalment comes out of each month's cash
on hand, and arrears and default follow ``programmes.microcredit_terms``.
"""

from __future__ import annotations

import numpy as np

from model.params import Config


def instalment(debt: float | np.ndarray, cfg: Config) -> float | np.ndarray:
    """The monthly instalment (z) that repays ``debt`` (z) in equal parts over the duration of
    a microcredit loan."""
    return debt / cfg.programmes.microcredit.duration_months
