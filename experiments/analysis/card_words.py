"""Every word of the family cards and of the pages that hold them (``empowernet diagnose``
and ``advise``), in one table: a key, and its English text with ``{fields}`` to fill in.

A translation adds its language's texts for the same keys; :func:`words` is the one way in.
"""

from __future__ import annotations

from model import diagnosis

WITHIN = "within {horizon} months"

LEVER_SENTENCES = {
    "assets": "Productive assets raised to {k_star:g} z would lift this family above the "
              "poverty line " + WITHIN + ".",
    "confidence": "More self-confidence (through coaching or mentoring) would lift this "
                  "family above the poverty line " + WITHIN + ".",
    "culture": "A stronger norm of self-reliance would lift this family above the poverty "
               "line " + WITHIN + ".",
    "skill": "Vocational training would lift this family above the poverty line " + WITHIN
             + ".",
    "wage_job": "A wage job for one adult would lift this family above the poverty line "
                + WITHIN + ".",
    "no_shock": "Protection against shocks (illness, loss of livestock or work) would lift "
                "this family above the poverty line " + WITHIN + ".",
    "working_adult": "One more working member would lift this family above the poverty line "
                     + WITHIN + ".",
}
"""What lifts a family, for each lever of the diagnosis (``model.diagnosis.LEVERS``)."""

LEVER_NAMES = {
    "assets": "productive assets", "confidence": "self-confidence",
    "culture": "a norm of self-reliance", "skill": "vocational training",
    "wage_job": "a wage job", "no_shock": "protection against shocks",
    "working_adult": "one more working member",
}
"""Each lever in a few words, for lists."""

WORDS = {
    **{f"lever {lever}": text for lever, text in LEVER_NAMES.items()},
    **{f"sentence {lever}": text for lever, text in LEVER_SENTENCES.items()},
    f"sentence {diagnosis.SEVERAL}": "Any one of these would lift this family above the "
                                     "poverty line " + WITHIN + ": {levers}.",
    f"sentence {diagnosis.NONE}": "No single lever lifts this family above the poverty line "
                                  + WITHIN + ": it needs several kinds of help at once, or "
                                  "lasting support.",
    f"sentence {diagnosis.ESCAPES}": "This family is expected to rise above the poverty line "
                                     + WITHIN + " without help.",
    "sentence not poor": "This family is above the poverty line now.",
    f"constraint {diagnosis.SEVERAL}": "several levers",
    f"constraint {diagnosis.NONE}": "no single lever",
    f"constraint {diagnosis.ESCAPES}": "escapes without help",
    "constraint not poor": "not poor",
    "household": "Household {household_id}",
    "size": "{size} people: {adults} of working age, {children} under 15, {elderly} aged 65 "
            "or more",
    "female-headed": "female-headed",
    "male-headed": "male-headed",
    "consumption": "Consumption per person",
    "consumption value": "{value:,.2f} z a month",
    "below the line": "Below the line by",
    "below the line value": "{value:.0f} % of z",
    "not below the line": "not below it",
    "assets": "Productive assets",
    "assets value": "{value:,.1f} z",
    "constraint": "Binding constraint",
    "recommendation": "Recommended package",
    "no package": "no package",
    "gain": "Expected gain ({objective})",
    "gain value": "{value:+,.3g} {unit}",
    "interval": "95 % interval",
    "interval value": "{low:+,.3g} to {high:+,.3g} {unit}",
    "cost": "Expected cost",
    "cost value": "{value:,.1f} z",
    "profile heading": "Poverty profile",
    "profile note": "Client households of the roster at month 0, each counting once: the "
                    "headcount is the share below the poverty line z, the poverty gap the "
                    "mean shortfall from it (a share of z, 0 for those above it) and the "
                    "severity the mean squared shortfall (FGT 0, 1 and 2).",
    "cards heading": "Families",
    "diagnosis note": "The binding constraint is what alone lifts a poor family above the "
                      "poverty line within {horizon} months (mean consumption per person "
                      "over the last {window} months at or above z), found by simulating the "
                      "family with each constraint relaxed in turn, the rest of the roster "
                      "living as usual (docs/diagnose.md). Money is in z, the monthly "
                      "poverty line per person.",
    "diagnose title": "Diagnosis of {roster}",
    "diagnose intro": "{households} families, diagnosed without any programme. {poor} of "
                      "them are below the poverty line.",
    "advice title": "Advice for {roster}",
    "advice intro": "{households} households, runs of {months} months; {caption}. "
                    "Objective: {objective} ({unit}). Budget {budget:,.0f} z; the allocation "
                    "plans to spend {spent:,.1f} z, leaving {unspent:,.1f} z unspent: "
                    "{reason}. Simulated as delivered, it gains {gain:.3g} ({low:.3g} to "
                    "{high:.3g}) {gain_unit} over business as usual. Packages: {packages}.",
    "allocation heading": "The allocation as a whole",
    "advice table heading": "Every package for every family",
}
"""Every text of the cards and their pages, by key."""


def words(key: str, **fields: object) -> str:
    """The text of ``key`` with ``fields`` filled in."""
    return WORDS[key].format(**fields)
