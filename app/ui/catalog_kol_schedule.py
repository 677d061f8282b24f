"""Visible strings of KOL deliverables on the publishing calendar (app/pages/posts_calendar.py), the Overview's
reminder and Publishing health's list per owner (app.services.kol_schedule): key -> {language: text}.
Deliverable types, platforms and deal statuses are named by ``kol.deliv_*``, ``kol.platform_*`` and
``deal.status_*``."""

KOL_SCHEDULE: dict[str, dict[str, str]] = {
    # the publishing calendar
    "posts.show_kol": {"zh-CN": "显示达人交付", "en": "Show KOL deliverables"},
    "posts.show_kol_help": {
        "zh-CN": "达人合作里的交付，按截止时间排在自有内容旁边。活动筛选也作用于它们；渠道和状态筛选只作用于自有内容。",
        "en": "The deliverables of KOL deals, at their due time beside the owned posts. The campaign filter applies "
        "to them; the channel and state filters apply to posts only.",
    },
    "posts.kol_line": {
        "zh-CN": "达人 · {partner} · {kind} · {platform}（{status}）",
        "en": "KOL · {partner} · {kind} · {platform} ({status})",
    },
    "posts.kol_overdue": {"zh-CN": "⚠ 逾期", "en": "⚠ overdue"},
    "posts.day_count_kol": {"zh-CN": "{day} 日 · {n} 篇 · 达人 {k}", "en": "{day} · {n} posts · {k} KOL"},
    "posts.kol_list": {"zh-CN": "本期达人交付（{n}）", "en": "KOL deliverables in this period ({n})"},
    "posts.kol_none": {"zh-CN": "这段时间没有达人交付。", "en": "No KOL deliverable is due in this period."},
    "posts.kol_not_movable": {
        "zh-CN": "达人交付不能在日历上改期：在“达人合作”里打开合作，修改截止时间，或记下发布链接。",
        "en": "KOL deliverables are not moved here: open the deal on KOL deals to change a due time or record "
        "the published link.",
    },
    "posts.kol_open_deals": {"zh-CN": "打开达人合作", "en": "Open KOL deals"},
    "kolcal.col_due": {"zh-CN": "截止", "en": "Due"},
    "kolcal.col_partner": {"zh-CN": "达人", "en": "Partner"},
    "kolcal.col_kind": {"zh-CN": "交付类型", "en": "Deliverable"},
    "kolcal.col_platform": {"zh-CN": "平台", "en": "Platform"},
    "kolcal.col_status": {"zh-CN": "合作状态", "en": "Deal status"},
    "kolcal.col_owner": {"zh-CN": "负责人", "en": "Owner"},
    "kolcal.col_overdue": {"zh-CN": "逾期", "en": "Overdue"},
    "kolcal.col_published": {"zh-CN": "发布链接", "en": "Published"},
    # the Overview
    "overview.kol_mine": {"zh-CN": "你的达人交付", "en": "Your KOL deliverables"},
    "overview.kol_mine_help": {
        "zh-CN": "你负责的达人合作里 48 小时内到期或已逾期的交付。达人发布后，在“达人合作”里记下链接。",
        "en": "Deliverables of the KOL deals you own that are due within 48 hours or overdue. Once the partner "
        "has published, record the link on the deal (KOL deals).",
    },
    # Publishing health
    "health.kol": {"zh-CN": "达人交付提醒（按负责人）", "en": "KOL deliverables by owner"},
    "health.kol_help": {
        "zh-CN": "合作仍在进行、48 小时内到期或已逾期的交付。"
        "每位负责人在自己的概览页看到这些交付，在“达人合作”里记下发布链接。"
        "按邮箱或显示名匹配不到用户的负责人收不到提醒：请在合作上改正负责人。",
        "en": "Deliverables of open deals that are due within 48 hours or overdue. Each owner sees theirs on the "
        "Overview and records the published link on the deal (KOL deals). An owner that matches no user (by "
        "e-mail or display name) sees nothing: correct the deal's owner.",
    },
    "health.kol_count": {"zh-CN": "交付数", "en": "Deliverables"},
    "health.kol_overdue": {"zh-CN": "已逾期", "en": "Overdue"},
    "health.kol_next_due": {"zh-CN": "最早截止", "en": "Earliest due"},
    "health.kol_items": {"zh-CN": "交付", "en": "Which"},
}
