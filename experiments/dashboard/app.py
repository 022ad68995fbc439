"""The page Solara serves (``solara run experiments.dashboard.app``): Mesa's SolaraViz page
(``frame.Viz``) with the live model on its first tab and the stored results on its second,
right to left in a right-to-left language."""

from __future__ import annotations

import altair as alt
import solara

from experiments.analysis.translations import RIGHT_TO_LEFT, text
from experiments.dashboard import language, live
from experiments.dashboard.frame import Viz, starting_values
from experiments.dashboard.stored import StoredResults

# Solara's FigureAltair sets Altair's renderer, one setting for the whole server, to
# "mimetype" while it draws a chart and puts the one before back when done; with that one
# "mimetype" too, two visitors' charts drawn at once cannot find it changed under them
# (FigureAltair then raised KeyError(0) in the server's output).
alt.renderers.enable("mimetype")

LANG = language()
PAGES = [("Live model", live.components(LANG)), ("Stored results", [StoredResults])]
PARAMS = live.model_params(LANG)
MODEL = live.LiveModel(**starting_values(PARAMS))
"""The model every visitor starts from, built as the server starts (numba compiles its
kernels then) from the values the side bar first shows; each visitor steps a copy."""

RIGHT_TO_LEFT_PAGE = (".v-application{direction:rtl;font-family:Vazirmatn,'Noto Naskh Arabic',"
                      "'Noto Sans Arabic',Tahoma,sans-serif}"
                      ".vega-embed{direction:ltr;max-width:100%;overflow-x:auto}"
                      ".v-select__selection{unicode-bidi:plaintext}"
                      ".v-input__slider .v-label,.v-messages{text-align:right!important}")
"""The page container right to left, in a font with Persian letters; charts keep their own
axes' direction (scrolling if wider than their column) and a chosen value (a folder) the
direction of its own text; a slider's label and a field's range below it start at the right,
as the field's number does (Vuetify's left-to-right page aligns them left)."""


@solara.component
def Page() -> None:
    """Both pages, in the language the dashboard was started with."""
    if LANG in RIGHT_TO_LEFT:
        solara.Style(RIGHT_TO_LEFT_PAGE)
    Viz(MODEL, PAGES, PARAMS, text("dashboard title", LANG), LANG)
