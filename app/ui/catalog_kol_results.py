"""KOL results strings: what each partner brought in, the leaderboard and "would we book them again" (part of the
one catalog)."""

KOL_RESULTS: dict[str, dict[str, str]] = {
    "page.kol_results": {"zh-CN": "KOL 成效", "en": "KOL results"},
    "kolr.help": {
        "zh-CN": "每位达人带来了什么：成本来自合作（已确认的报价；另列已付款），效果来自导入数据中归属该达人的行。"
        "所有比率都是总和之比；营收与订单为店铺自有数据。",
        "en": "What each partner brought in: the cost comes from their deals (the fees agreed; what was paid beside "
        "it), the figures from the imported rows tied to the partner. Every ratio is a ratio of sums; revenue and "
        "orders are the shop's own.",
    },
    "kolr.campaign": {"zh-CN": "活动", "en": "Campaign"},
    "kolr.all_campaigns": {
        "zh-CN": "全部活动（按工作区币种汇总）",
        "en": "All campaigns (in the workspace's currency)",
    },
    "kolr.roi_threshold": {"zh-CN": "再合作的 ROI 门槛（%）", "en": "ROI to book again (%)"},
    "kolr.roi_threshold_help": {
        "zh-CN": "ROI 不低于此值即算达标；0 % 表示至少保本。",
        "en": "A partner whose ROI is at least this passes; 0 % means they at least broke even.",
    },
    "kolr.assumptions": {
        "zh-CN": "假设：毛利率 {margin}，EMV 基准 CPM {cpm}（每千次曝光），币种 {currency}。",
        "en": "Assumptions: gross margin {margin}, EMV benchmark CPM {cpm} per 1,000 impressions, currency {currency}.",
    },
    "kolr.empty": {
        "zh-CN": "还没有达人合作或归属达人的数据。在“达人合作”中邀请达人，并导入带达人账号或追踪码的数据。",
        "en": "No partner deals or figures tied to partners yet. Invite partners under KOL deals and import data "
        "that names their handles or tracking codes.",
    },
    "kolr.leaderboard": {"zh-CN": "达人排行", "en": "Leaderboard"},
    "kolr.leaderboard_help": {
        "zh-CN": "按 ROI 从高到低，其次按营收；有数据但无成本的达人其后；还没有数据的达人排在最后。",
        "en": "Highest ROI first, then most revenue; partners with figures but no cost next; partners without "
        "figures last.",
    },
    "kolr.roi_chart": {"zh-CN": "各达人 ROI", "en": "ROI per partner"},
    "kolr.roi_chart_none": {"zh-CN": "还没有可计算 ROI 的达人。", "en": "No partner has an ROI yet."},
    "kolr.threshold_line": {"zh-CN": "门槛", "en": "Threshold"},
    "kolr.book_again": {"zh-CN": "还会再合作吗？", "en": "Would we book them again?"},
    "kolr.rules": {
        "zh-CN": "规则：ROI 达到门槛且其他各项都不差 → 会；ROI 达标但有一项不佳，或 ROI 未达标但其他都不差 → "
        "也许；ROI 未达标且还有一项不佳 → 不会；没有数据或没有成本 → 数据不足。"
        "其他各项：单次互动成本不高于对比达人的中位数；内容按时发布（发布时间不晚于截止时间）；"
        "修改要求（交稿后被退回）每个合作不超过 {max} 次。",
        "en": "Rules: ROI at the threshold and nothing else bad → yes; ROI there but something else bad, or ROI "
        "below but nothing else bad → maybe; ROI below and something else bad → no; no figures or no cost → not "
        "enough data. The other checks: cost per engagement at or below the median of the partners compared; "
        "content published on time (at or before its due time); at most {max} change request(s) (content sent "
        "back after submission) per deal.",
    },
    "kolr.definitions": {"zh-CN": "指标定义", "en": "KPI definitions"},
    "kolr.def_cost": {
        "zh-CN": "成本 = 合作中各交付内容的报价（自“已确认”起计入），按合作汇率折算；未确认的合作按已付款计。"
        "导入数据中的达人花费不另加。",
        "en": "Cost = the fees of the deal's deliverables (counted from agreed on), converted at the deal's rate; "
        "a deal never agreed costs what was paid. Spend imported on the partner's rows is not added.",
    },
    "kolr.def_paid": {
        "zh-CN": "已付 = 合作的付款合计（实际支出）。",
        "en": "Paid = the deal's payments (actual spend).",
    },
    "kolr.col_rank": {"zh-CN": "名次", "en": "Rank"},
    "kolr.col_partner": {"zh-CN": "达人", "en": "Partner"},
    "kolr.col_deals": {"zh-CN": "合作数", "en": "Deals"},
    "kolr.col_cost": {"zh-CN": "成本（报价）", "en": "Cost (fees)"},
    "kolr.col_paid": {"zh-CN": "已付", "en": "Paid"},
    "kolr.col_note": {"zh-CN": "备注", "en": "Note"},
    "kolr.col_verdict": {"zh-CN": "再合作？", "en": "Book again?"},
    "kolr.col_campaign": {"zh-CN": "活动", "en": "Campaign"},
    "kolr.col_status": {"zh-CN": "合作状态", "en": "Deal status"},
    "kolr.col_fee": {"zh-CN": "报价（合作币种）", "en": "Fee (deal currency)"},
    "kolr.col_on_time": {"zh-CN": "按时发布", "en": "On time"},
    "kolr.col_no_deal": {"zh-CN": "无合作时的曝光", "en": "Impressions without a deal"},
    "kolr.no_figures": {"zh-CN": "暂无数据", "en": "no figures yet"},
    "kolr.no_cost": {"zh-CN": "无合作成本", "en": "no cost: no deal agreed"},
    "kolr.deals_left_out": {
        "zh-CN": "{n} 个合作的币种无法折算为 {currency}，未计入：报价 {fees}。",
        "en": "{n} deal(s) in a currency that cannot be converted to {currency} are left out: fees {fees}.",
    },
    "kolr.revenue_left_out": {
        "zh-CN": "{money} 营收的币种无法折算为 {currency}，未计入。",
        "en": "{money} of revenue cannot be converted to {currency} and is left out.",
    },
    "kolr.check_roi": {"zh-CN": "ROI", "en": "ROI"},
    "kolr.check_cpe": {"zh-CN": "单次互动成本", "en": "Cost per engagement"},
    "kolr.check_delivery": {"zh-CN": "按时交付", "en": "On time"},
    "kolr.check_changes": {"zh-CN": "修改要求", "en": "Change requests"},
    "kolr.answer_yes": {"zh-CN": "✅ 会", "en": "✅ Yes"},
    "kolr.answer_maybe": {"zh-CN": "🤔 也许", "en": "🤔 Maybe"},
    "kolr.answer_no": {"zh-CN": "❌ 不会", "en": "❌ No"},
    "kolr.answer_not_enough_data": {"zh-CN": "❔ 数据不足", "en": "❔ Not enough data"},
    "kolr.roi_good": {"zh-CN": "✅ ROI {roi}，达到门槛 {threshold}", "en": "✅ ROI {roi}, at or above {threshold}"},
    "kolr.roi_bad": {"zh-CN": "⚠️ ROI {roi}，低于门槛 {threshold}", "en": "⚠️ ROI {roi}, below {threshold}"},
    "kolr.roi_unknown": {
        "zh-CN": "❔ 还没有 ROI（没有数据或没有成本；门槛 {threshold}）",
        "en": "❔ no ROI yet (no figures or no cost; threshold {threshold})",
    },
    "kolr.cpe_good": {
        "zh-CN": "✅ {cpe}，不高于 {n} 位达人的中位数 {median}",
        "en": "✅ {cpe}, at or below the median {median} of {n} partners",
    },
    "kolr.cpe_bad": {
        "zh-CN": "⚠️ {cpe}，高于 {n} 位达人的中位数 {median}",
        "en": "⚠️ {cpe}, above the median {median} of {n} partners",
    },
    "kolr.cpe_unknown": {
        "zh-CN": "❔ 无法比较（需要该达人的单次互动成本，且至少两位达人可比；现有 {n} 位）",
        "en": "❔ cannot compare (needs the partner's CPE and at least two partners to compare; {n} now)",
    },
    "kolr.delivery_good": {"zh-CN": "✅ {on_time} 条按时发布", "en": "✅ {on_time} published on time"},
    "kolr.delivery_bad": {
        "zh-CN": "⚠️ {late} 条迟发、{missing} 条逾期未发（{on_time} 条按时）",
        "en": "⚠️ {late} late, {missing} missing past due ({on_time} on time)",
    },
    "kolr.delivery_unknown": {
        "zh-CN": "❔ 还没有到期的内容（{pending} 条待发布）",
        "en": "❔ nothing due yet ({pending} to come)",
    },
    "kolr.changes_good": {
        "zh-CN": "✅ {deals} 个合作共 {n} 次修改要求（每个不超过 {max} 次）",
        "en": "✅ {n} change request(s) in {deals} deal(s) (at most {max} per deal)",
    },
    "kolr.changes_bad": {
        "zh-CN": "⚠️ {deals} 个合作共 {n} 次修改要求，超过每个 {max} 次",
        "en": "⚠️ {n} change request(s) in {deals} deal(s), more than {max} per deal",
    },
    "kolr.changes_unknown": {
        "zh-CN": "❔ 没有合作（{n} 次修改要求，每个合作上限 {max}，{deals} 个合作）",
        "en": "❔ no deal ({n} change requests, at most {max} per deal, {deals} deals)",
    },
    "kolr.history": {"zh-CN": "达人历次合作", "en": "A partner's deals"},
    "kolr.history_partner": {"zh-CN": "达人", "en": "Partner"},
    "kolr.history_none": {"zh-CN": "该达人还没有合作。", "en": "This partner has no deals yet."},
    "kolr.on_time_text": {
        "zh-CN": "{on_time} 按时 · {late} 迟发 · {missing} 逾期 · {pending} 待发",
        "en": "{on_time} on time · {late} late · {missing} missing · {pending} to come",
    },
}
