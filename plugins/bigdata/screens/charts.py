"""A chart on an analytics screen: an ECharts option (plain JSON: no functions, so it travels in a
``json_script`` block that the Content-Security-Policy allows) drawn by ``bigdata/charts.js`` with
the vendored ECharts. ``map="china"`` loads the vendored province outline first."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Chart:
    #: unique on its page: the element is ``chart-<name>``
    name: str
    title: str
    option: dict = field(default_factory=dict)
    height: int = 360
    #: "china" to register the vendored province map before drawing
    map: str = ""
