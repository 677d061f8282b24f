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


def year_timeline(festival_rows: list[dict], campaign_rows: list[dict], year: int, legend_title: str) -> go.Figure:
    """Festivals (one lane per kind) and campaigns' phases (one lane per campaign) across a year.

    Rows: {"lane", "label", "start", "end", "group"}; ``end`` is exclusive (the day after an
    inclusive last day). Bars are coloured by ``group``: the festival kind or the campaign status.
    """
    fig = go.Figure()
    groups: dict[str, list[dict]] = {}
    for row in festival_rows + campaign_rows:
        groups.setdefault(row["group"], []).append(row)
    for group, rows in groups.items():
        fig.add_bar(
            y=[r["lane"] for r in rows],
            x=[(r["end"] - r["start"]).total_seconds() * 1000 for r in rows],
            base=[r["start"] for r in rows],
            orientation="h",
            name=group,
            text=[r["label"] for r in rows],
            textposition="inside",
            insidetextanchor="start",
            textangle=0,
            hovertext=[f"{r['label']}: {r['start']:%Y-%m-%d} – {r['last']:%Y-%m-%d}" for r in rows],
            hoverinfo="text",
        )
    lanes = list(dict.fromkeys(r["lane"] for r in festival_rows + campaign_rows))
    fig.update_layout(
        barmode="overlay",
        uniformtext=dict(minsize=9, mode="hide"),  # a label that does not fit its bar is left to the hover
        height=120 + 32 * len(lanes),
        margin=dict(l=0, r=0, t=10, b=0),
        legend=dict(orientation="h", title=legend_title),
        xaxis=dict(type="date", range=[f"{year}-01-01", f"{year + 1}-01-01"], tickformat="%m/%d"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(lanes))),
    )
    return fig
