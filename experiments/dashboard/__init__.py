"""``empowernet dashboard``: the model and the stored results in a browser, laid out as Mesa's
SolaraViz.

The first tab is the live model (``live``): choose a scenario and a few parameters, press
Reset, then Step or play and watch a sample of households, a sample of the network and the
outcome curves. The second holds the stored results (``stored``): pick a sweep, compare its
scenarios with the baseline with 95 % intervals, filter by household type, see who benefits
and the report's figures. ``frame`` is SolaraViz's page with every word from the translation
table, ``app`` the page Solara serves; ``serve`` starts it. With ``--lang fa`` the whole page
is right to left, in Persian words and digits.
"""

import os

SWEEPS_ENV = "EMPOWERNET_DASHBOARD_SWEEPS"
"""The environment variable through which ``serve`` hands the sweep folders to the page
(joined by the path separator), since Solara imports the page in a process of its own."""

LANG_ENV = "EMPOWERNET_DASHBOARD_LANG"
"""The environment variable through which ``serve`` hands the language to the page."""


def language() -> str:
    """The language the page is shown in: ``en`` or ``fa`` (``serve`` checked it)."""
    return os.environ.get(LANG_ENV, "en")
