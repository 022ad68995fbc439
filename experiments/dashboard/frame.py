"""The dashboard's frame: Mesa's SolaraViz page, every word from the translation table.

Mesa's ``SolaraViz`` writes its own controls in English and offers no way to name them
otherwise (its Controls card with Reset, Step and the play and render intervals, the cards
Model Parameters and Information, "Time:", the tabs "Page 0" and "Page 1"). :func:`Viz` lays
the page out as SolaraViz does (a title bar with Mesa's theme toggle, a side bar of cards, the
pages as tabs) and keeps Mesa's own parts wherever they take our words: the model parameters
are SolaraViz's ``model_params`` (whose labels are ours) and Mesa's ``update_counter`` and
``force_update`` redraw the components after a step, as in SolaraViz. Each control whose
words or digits Mesa fixes has a small substitute here, built with Solara:
:func:`Controller` (Reset, play/pause, Step and the play interval; SolaraViz's render
interval and threads are left out, a month takes milliseconds), :func:`Parameters` (Mesa's
``ModelCreator``, whose sliders write their values in English digits), :func:`Month` (the
step counter, as a month) and :func:`Pages` (tabs named in words, each page's components in
rows across the width instead of SolaraViz's draggable half-width tiles).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab
from mesa import Model
from mesa.visualization.utils import force_update, update_counter

from experiments.analysis.labels import numerals
from experiments.analysis.translations import text

PLAY_INTERVAL = 100
"""Milliseconds between two months while playing, at first (SolaraViz's default)."""

PAGE_TILES = (".page-tiles{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));"
              "gap:16px;width:100%}"
              ".page-tiles>*:last-child:nth-child(odd){grid-column:1/-1}"
              ".page-tiles .vega-embed{width:100%}")
"""A page's components two to a row, each half the width, an odd last one across the row;
charts as wide as their tile."""

SIDE_BAR = (".v-navigation-drawer .v-input__slider .v-input__slot{flex-wrap:wrap}"
            ".v-navigation-drawer .v-input__slider .v-input__slot>.v-label"
            "{flex:1 0 100%;height:auto;margin:0 0 34px 0!important}")
"""Each slider of the side bar under its label, across the card (beside a long label, a config
key with its unit, the slider would shrink to a dot), with room between them for the value
above its handle, also below a label of two lines."""

TabPage = tuple[str, Sequence[Callable[[Model], Any]]]
"""A page: the key of its tab's name in the translation table and its components, each
drawn from the model."""


@solara.component
def Slider(label: str, value: Any, low: float, high: float, step: float, lang: str,
           on_value: Callable[[Any], None] | None = None, kind: type = int,
           typed: tuple[int, int] | None = None) -> None:
    """A slider of ``kind`` (whole numbers, or ``float``: decimals) from ``low`` to ``high``:
    Solara's ``SliderInt`` and ``SliderFloat`` with the value shown above the handle at all
    times and written in ``lang``'s digits (Vuetify's own label over the handle writes
    English digits); with ``typed`` (a range), a :func:`NumberField` below it takes any whole
    number of that range, which the slider's steps may not reach. A typed value stays the
    value, its handle at the slider's :func:`position` for it, until the slider is moved."""
    chosen = solara.use_reactive(value, on_value)
    shown = rv.Html(tag="span", children=[numerals(str(chosen.value), lang)])
    rv.Slider(v_model=position(chosen.value, low, high, step),
              on_v_model=lambda picked: chosen.set(kind(picked)),
              label=label, min=low, max=high, step=step, thumb_label="always",
              hide_details=True, v_slots=[{"name": "thumb-label", "children": shown}])
    if typed:
        NumberField(chosen, *typed, lang)


def position(value: float, low: float, high: float, step: float) -> float:
    """Where a slider from ``low`` to ``high`` in steps of ``step`` puts its handle for
    ``value``: at its nearest end beyond them, else at the nearest step, as Vuetify rounds
    (half a step up). Given any other place, Vuetify moves the handle there and reports that
    place as the slider's value, replacing a typed one."""
    within = min(max(value, low), high)
    return min(low + math.floor((within - low) / step + 0.5) * step, high)


def typed_value(typed: str, low: int, high: int) -> int | None:
    """The whole number ``typed`` says (in any language's digits), if it is from ``low`` to
    ``high``; else None."""
    try:
        value = int(typed)
    except ValueError:
        return None
    return value if low <= value <= high else None


@solara.component
def NumberField(chosen: solara.Reactive[int], low: int, high: int, lang: str) -> None:
    """A slider's value as a whole number to type, in ``lang``'s digits, with the range it
    takes (``low`` to ``high``) written below it: taken once it is in that range; until then
    the field keeps the text and writes the range as an error, until the value is set
    otherwise (the slider moved)."""
    typed = solara.use_reactive("")  # text that is not yet a value to take
    solara.use_effect(lambda: typed.set(""), [chosen.value])

    def take(entered: str) -> None:
        value = typed_value(entered, low, high)
        typed.set("" if value is not None else entered)
        if value is not None:
            chosen.set(value)

    takes = numerals(text("typed value range", lang, low=low, high=high), lang)
    rv.TextField(v_model=typed.value or numerals(str(chosen.value), lang), on_v_model=take,
                 dense=True, hint=takes, persistent_hint=True,
                 error_messages=[takes] if typed.value else [])


def starting_values(model_params: dict[str, Any]) -> dict[str, Any]:
    """The value each of SolaraViz's ``model_params`` starts at, by keyword of the model."""
    return {name: options["value"] for name, options in model_params.items()}


@solara.component
def Parameters(model_params: dict[str, Any], parameters: solara.Reactive[dict[str, Any]],
               lang: str) -> None:
    """The model parameters as Mesa's ``ModelCreator`` draws them from SolaraViz's
    ``model_params`` (each a ``Select`` or a ``SliderInt``/``SliderFloat`` with its label,
    value and range), every slider a :func:`Slider` in ``lang`` (with a number field over the
    range ``typed`` gives, where it gives one); ``parameters`` holds the chosen values, from
    which Reset builds the model."""
    solara.use_effect(lambda: parameters.set(starting_values(model_params)), [])

    def choose(name: str, value: Any) -> None:
        parameters.value = {**parameters.value, name: value}

    for name, options in model_params.items():
        if options["type"] == "Select":
            solara.Select(options["label"], values=options["values"], value=options["value"],
                          on_value=partial(choose, name))
        else:
            Slider(options["label"], options["value"], options["min"], options["max"],
                   options["step"], lang, on_value=partial(choose, name),
                   kind=float if options["type"] == "SliderFloat" else int,
                   typed=options.get("typed"))


@solara.component
def Controller(model: solara.Reactive[Model], parameters: solara.Reactive[dict[str, Any]],
               lang: str) -> None:
    """Reset (a new model from the chosen parameters), play/pause and Step (one month), with
    the pause between months while playing: SolaraViz's ModelController in ``lang``."""
    playing = solara.use_reactive(False)
    interval = solara.use_reactive(PLAY_INTERVAL)
    update_counter.get()  # Step and play stop at the model's horizon
    running = model.value.running

    def step() -> None:
        model.value.step()
        force_update()

    def play() -> None:
        while playing.value and model.value.running:
            time.sleep(interval.value / 1000)
            step()
        playing.set(False)

    def reset() -> None:
        playing.set(False)
        model.set(type(model.value)(**parameters.value))

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)
    Slider(text("play interval", lang), interval, 10, 500, 10, lang)
    with solara.Row(justify="space-between"):
        solara.Button(text("Reset", lang), color="primary", on_click=reset)
        solara.Button("❚❚" if playing.value else "▶", color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not running)
        solara.Button(text("Step", lang), color="primary", on_click=step,
                      disabled=playing.value or not running)


@solara.component
def Month(model: Model, lang: str) -> None:
    """The model's month of its horizon (the one Reset built it with), redrawn after every
    step: SolaraViz's step counter in ``lang``."""
    update_counter.get()
    solara.Text(numerals(text("month counter", lang, month=model.month, months=model.months),
                         lang))


@solara.component
def Pages(pages: Sequence[TabPage], model: Model, lang: str) -> None:
    """The pages as tabs named in ``lang``; the shown page's components two to a row."""
    shown, set_shown = solara.use_state(0)
    solara.Style(PAGE_TILES)
    with solara.lab.Tabs(value=shown, on_value=set_shown):
        for name, _ in pages:
            solara.lab.Tab(text(name, lang))
    _, components = pages[shown]
    with solara.Div(classes=["page-tiles"]):
        for component in components:
            Drawn(component, model)


@solara.component
def Drawn(component: Callable[[Model], Any], model: Model) -> Any:
    """One component of a page, drawn again after every step (as SolaraViz wraps them)."""
    update_counter.get()
    return component(model)


@solara.component
def Viz(model: Model, pages: Sequence[TabPage], model_params: dict[str, Any], name: str,
        lang: str) -> None:
    """SolaraViz's page in ``lang``: the title bar, the side bar (controls, the model
    parameters, the month) and the pages. Each visitor (a browser tab: a Solara kernel) steps
    a copy of their own of ``model``, which is built from the starting values of
    ``model_params``."""
    own = solara.use_memo(lambda: copy.deepcopy(model), [])
    current = solara.use_reactive(own)
    parameters = solara.use_reactive({})
    with solara.AppBar():
        solara.AppBarTitle(name)
        solara.lab.ThemeToggle()
    solara.Style(SIDE_BAR)
    with solara.Sidebar(), solara.Column():
        with solara.Card(text("Controls", lang)):
            Controller(current, parameters, lang)
        with solara.Card(text("Model Parameters", lang)):
            Parameters(model_params, parameters, lang)
        with solara.Card(text("Information", lang)):
            Month(current.value, lang)
    Pages(pages, current.value, lang)
