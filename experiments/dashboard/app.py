"""The page Solara serves (``solara run experiments.dashboard.app``): Mesa's SolaraViz with
the live model on page 0 and the stored results on page 1, right to left in a right-to-left
language."""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

from experiments.analysis.document import RIGHT_TO_LEFT
from experiments.analysis.labels import numerals
from experiments.analysis.translations import text
from experiments.dashboard import language, live
from experiments.dashboard.stored import StoredResults

LANG = language()
MODEL = live.LiveModel()
COMPONENTS = [*live.components(LANG), (StoredResults, 1)]
PARAMS = live.model_params(LANG)

RIGHT_TO_LEFT_PAGE = (".v-application{direction:rtl;font-family:Vazirmatn,'Noto Naskh Arabic',"
                      "'Noto Sans Arabic',Tahoma,sans-serif}"
                      ".vega-embed{direction:ltr;max-width:100%;overflow-x:auto}"
                      ".v-select__selection{unicode-bidi:plaintext}")
"""The page container right to left, in a font with Persian letters; charts keep their own
axes' direction (scrolling if wider than their column) and a chosen value (a folder) the
direction of its own text."""


@solara.component
def Page() -> None:
    """SolaraViz with both pages, in the language the dashboard was started with."""
    if LANG in RIGHT_TO_LEFT:
        solara.Style(RIGHT_TO_LEFT_PAGE)
    SolaraViz(MODEL, components=COMPONENTS, model_params=PARAMS,
              name=numerals(text("dashboard title", LANG), LANG))
