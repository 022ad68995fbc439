"""``empowernet calibrate``: ABC-SMC estimation of structural parameters against declared
moments (``configs/calibration/``), the committee's follow-up panel format, and the scripts
that regenerate the synthetic pilot panel and measure parameter recovery (docs/calibration.md).
"""
