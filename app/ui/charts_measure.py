"""Plotly figures of the Results dashboard. Pure: numbers and labels in, a figure out."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

_LAYOUT = dict(margin=dict(l=0, r=0, t=30, b=0), legend=dict(orientation="h"), height=340)


def funnel(stages: list[tuple[str, int]]) -> go.Figure:
    """Exposure → engagement → click → order, each stage's share of the first shown."""
    fig = go.Figure(go.Funnel(y=[s for s, _ in stages], x=[v for _, v in stages], textinfo="value+percent initial"))
    fig.update_layout(**_LAYOUT)
    return fig


def trend(
    days: list[date],
    series: dict[str, list[float]],
    phases: list[tuple[str, date, date]],
    right: set[str] = frozenset(),
) -> go.Figure:
    """Daily lines; ``right`` names series on a second axis (money beside counts); phases shaded, labelled."""
    fig = go.Figure()
    for name, values in series.items():
        fig.add_scatter(x=days, y=values, name=name, mode="lines+markers", yaxis="y2" if name in right else "y")
    for i, (label, first, last) in enumerate(phases):
        fig.add_vrect(
            x0=first,
            x1=last + timedelta(days=1),
            fillcolor=("#f4a261", "#e76f51", "#d62828", "#2a9d8f")[i % 4],
            opacity=0.08,
            line_width=0,
            annotation_text=label,
            annotation_position="top left",
        )
    fig.update_layout(
        **_LAYOUT,
        xaxis=dict(tickformat="%m/%d"),
        yaxis2=dict(overlaying="y", side="right", showgrid=False),
    )
    return fig


def bars(labels: list[str], values: list[float | None], title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=labels, y=[v if v is not None else 0 for v in values], name=title))
    fig.update_layout(**_LAYOUT, title=title)
    return fig


def aligned(
    offsets: list[int], this_year: list[float], last_year: list[float] | None, names: tuple[str, str], x_title: str
) -> go.Figure:
    """This festival and last year's, day by day from the festival's day (0)."""
    fig = go.Figure()
    fig.add_scatter(x=offsets, y=this_year, name=names[0], mode="lines+markers")
    if last_year is not None:
        fig.add_scatter(x=offsets, y=last_year, name=names[1], mode="lines", line=dict(dash="dash"))
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(**_LAYOUT, xaxis_title=x_title)
    return fig
