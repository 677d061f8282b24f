"""Texts of the promotion cost estimate page."""

ESTIMATE: dict[str, dict[str, str]] = {
    "page.estimate": {"zh-CN": "促销成本测算", "en": "Promotion cost estimate"},
    "estimate.help": {
        "zh-CN": "按预计订单数和几种典型购物车，用本活动的优惠（及全店通用优惠）逐一报价，加权得到让利成本、"
        "毛利和盈亏平衡所需的新增订单。每行是一种购物车，占比合计 100%。",
        "en": "From the orders you expect and a few typical baskets, each basket is priced under the campaign's "
        "offers (and the workspace-wide ones) and weighted by its share: the promotion's cost, the margin, and the "
        "extra orders that would pay the cost back. One row per basket; the shares add up to 100 %.",
    },
    "estimate.no_offers": {
        "zh-CN": "这个活动还没有生效的优惠：先在「优惠规则」页添加并关联到活动。",
        "en": "This campaign has no active offers yet: add them on the Offers page and link them to it.",
    },
    "estimate.offers_are": {"zh-CN": "参与测算的优惠：{names}", "en": "Offers in the estimate: {names}"},
    "estimate.from_past": {"zh-CN": "参考往期活动", "en": "Start from a past campaign"},
    "estimate.use_past": {"zh-CN": "用它的订单数和客单价", "en": "Use its orders and average order"},
    "estimate.past_none": {
        "zh-CN": "这个活动还没有导入的订单数据。",
        "en": "That campaign has no imported orders yet.",
    },
    "estimate.past_used": {
        "zh-CN": "已填入：{orders} 单，客单价 {aov}。",
        "en": "Filled in: {orders} orders, average order {aov}.",
    },
    "estimate.orders": {"zh-CN": "预计订单数", "en": "Expected orders"},
    "estimate.margin": {"zh-CN": "毛利率（按原价，%）", "en": "Gross margin on list price (%)"},
    "estimate.shipping": {"zh-CN": "每单运费（{cur}）", "en": "Shipping per order ({cur})"},
    "estimate.col_label": {"zh-CN": "购物车", "en": "Basket"},
    "estimate.col_share": {"zh-CN": "占比 %", "en": "Share %"},
    "estimate.run": {"zh-CN": "测算", "en": "Estimate"},
    "estimate.commit": {"zh-CN": "计入预算「已承诺」", "en": "Commit to the budget"},
    "estimate.committed": {
        "zh-CN": "已将 {amount} 计入活动预算的「促销让利」（替换之前的测算）。",
        "en": "{amount} committed to the campaign budget as Promotions (replacing the previous estimate).",
    },
    "estimate.cost": {"zh-CN": "让利成本", "en": "Promotion cost"},
    "estimate.revenue": {"zh-CN": "实收", "en": "Revenue"},
    "estimate.gross": {"zh-CN": "原价总额", "en": "List value"},
    "estimate.margin_after": {"zh-CN": "促销后毛利", "en": "Margin with promotions"},
    "estimate.margin_before": {"zh-CN": "原价毛利 {amount}", "en": "At list price {amount}"},
    "estimate.break_even": {"zh-CN": "盈亏平衡需新增订单", "en": "Break-even extra orders"},
    "estimate.break_even_help": {
        "zh-CN": "让利成本 ÷ 促销后每单毛利，向上取整。",
        "en": "Promotion cost ÷ margin per promoted order, rounded up.",
    },
    "estimate.loses": {
        "zh-CN": "促销后每单毛利为负：多卖不能收回成本。",
        "en": "Each promoted order loses money: more orders will not pay the cost back.",
    },
    "estimate.col_offer": {"zh-CN": "优惠", "en": "Offer"},
    "estimate.col_orders": {"zh-CN": "适用订单", "en": "Orders"},
    "estimate.capped": {"zh-CN": "受预算/次数上限限制", "en": "Cut by its budget or use limit"},
    "estimate.caps_note": {
        "zh-CN": "超出优惠预算或总次数的订单按原价计（不改用次优优惠）。",
        "en": "Orders beyond an offer's budget or total uses are counted at full price (not re-priced).",
    },
    "estimate.col_paid": {"zh-CN": "每单实付", "en": "Paid per order"},
    "estimate.col_discount": {"zh-CN": "每单让利", "en": "Off per order"},
    "estimate.at_help": {"zh-CN": "按这个时刻报价（默认高潮期第一天）。", "en": "Baskets are priced at this moment."},
    "estimate.field_orders": {"zh-CN": "预计订单数", "en": "Expected orders"},
    "estimate.field_margin_percent": {"zh-CN": "毛利率", "en": "Gross margin"},
    "estimate.field_baskets": {"zh-CN": "购物车", "en": "Baskets"},
    "estimate.field_share": {"zh-CN": "占比", "en": "Share"},
    "promo_error.not_between": {"zh-CN": "须在 {min} 到 {max} 之间。", "en": "must be between {min} and {max}."},
    "promo_error.shares_not_100": {
        "zh-CN": "占比合计须为 100%（现为 {total}%）。",
        "en": "the shares must add up to 100 % (now {total} %).",
    },
    "promo_error.mixed_currencies": {"zh-CN": "币种不一致（{currencies}）。", "en": "mixes currencies ({currencies})."},
    "promo_error.naive_time": {"zh-CN": "缺少时区。", "en": "has no time zone."},
}
