"""Campaign vocabulary: statuses, objectives and phase kinds."""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"
    ARCHIVED = "archived"


class Objective(StrEnum):
    GMV = "gmv"
    NEW_CUSTOMERS = "new_customers"
    AWARENESS = "awareness"
    CLEARANCE = "clearance"


class PhaseKind(StrEnum):
    WARM_UP = "warm_up"  # 预热
    LAUNCH = "launch"  # 开门红
    PEAK = "peak"  # 高潮
    ENCORE = "encore"  # 返场
    CUSTOM = "custom"
