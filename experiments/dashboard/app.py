"""The page Solara serves (``solara run experiments.dashboard.app``): Mesa's SolaraViz with
the live model on page 0 and the stored results on page 1."""

from __future__ import annotations

from mesa.visualization import SolaraViz

from experiments.dashboard import live
from experiments.dashboard.stored import StoredResults

page = SolaraViz(live.LiveModel(), components=[*live.components(), (StoredResults, 1)],
                 model_params=live.model_params(), name="empowernet: live model (page 0) "
                 "and stored results (page 1)")
