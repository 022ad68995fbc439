"""Programmes, targeting rules and the scenario library (arrive with the network issue)."""
