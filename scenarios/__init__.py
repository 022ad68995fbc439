"""Programme delivery: who is enrolled in what, in which order, and the mentors they meet.

``delivery`` runs the month's programme phase, ``enrolment`` and ``targeting`` its rules.
``library`` reads the scenario library, ``configs/scenario/``, without Hydra. This layer builds
on ``model`` only.
"""
