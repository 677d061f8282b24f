"""Plotly figure builders. Pure: data and labels in, a figure out."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go


def daily_revenue(rows: list[tuple[date, str, int]], exponent: int, labels: dict[str, str], y_title: str) -> go.Figure:
    """Stacked bars of revenue (major units) per day and channel."""
    fig = go.Figure()
    for channel in sorted({c for _, c, _ in rows}):
        points = [(d, v / 10**exponent) for d, c, v in rows if c == channel]
        fig.add_bar(x=[d for d, _ in points], y=[v for _, v in points], name=labels.get(channel, channel))
    fig.update_layout(
        barmode="stack",
        height=320,
        margin=dict(l=0, r=0, t=10, b=0),
        yaxis_title=y_title,
        legend=dict(orientation="h"),
        xaxis=dict(tickformat="%m/%d"),
    )
    return fig
