"""The synthetic case with 50 ms of busy work per trial, importable by pool workers."""

from cases.synthetic.case import Synthetic


class Timed50(Synthetic):
    name = "timed50"
    cost_ms = 50.0
