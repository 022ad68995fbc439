"""``empowernet dashboard``: the model and the stored results in a browser, on Mesa's SolaraViz.

Page 0 is the live model (``live``): choose a scenario and a few parameters, press Reset, then
Step or play and watch the outcome curves, a sample of households and a sample of the network.
Page 1 holds the stored results (``stored``): pick a sweep, compare its scenarios with the
baseline with 95 % intervals, filter by household type, and see the report's figures.
``app`` is the page Solara serves; ``serve`` starts it. With ``--lang fa`` both pages are
right to left, in Persian words and digits (SolaraViz's own buttons stay Mesa's).
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
