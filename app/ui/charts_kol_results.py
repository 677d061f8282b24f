"""Plotly figures of the KOL results page. Pure: numbers and labels in, a figure out."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

GOOD, BAD = "#2a9d8f", "#e76f51"


def roi_bars(names: list[str], rois: list[Decimal], threshold: Decimal, threshold_label: str) -> go.Figure:
    """ROI per partner as a percentage, green at or above the threshold, red below, the threshold drawn."""
    values = [float(r) for r in rois]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=[GOOD if r >= threshold else BAD for r in rois],
            text=[f"{v:.0%}" for v in values],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.add_hline(y=float(threshold), line_dash="dash", annotation_text=threshold_label)
    fig.update_layout(margin=dict(l=0, r=0, t=30, b=0), height=340, yaxis=dict(tickformat=".0%"), showlegend=False)
    return fig
