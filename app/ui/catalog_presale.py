"""Presale deposit (定金膨胀) strings (part of the one catalog)."""


def _group(prefix: str, rows: tuple[tuple[str, str, str], ...]) -> dict[str, dict[str, str]]:
    return {f"{prefix}{name}": {"zh-CN": zh, "en": en} for name, zh, en in rows}


PRESALE: dict[str, dict[str, str]] = {
    "page.presales": {"zh-CN": "预售定金", "en": "Presale deposits"},
    "presale.help": {
        "zh-CN": "买家在定金时间内按件付定金，付尾款时每件定金抵扣更多（定金膨胀，如 50 抵 100）。"
        "尾款只能在尾款时间内支付（首尾时刻都算在内）；尾款时间结束仍未付尾款，定金不退，由后台进程每分钟结算。"
        "买家在付尾款前取消，定金同样不退，除非该预售设为「尾款开始前可退定金」。",
        "en": "Buyers pay a deposit per unit in the deposit window; at final payment each unit's deposit counts for "
        "more (定金膨胀, e.g. ¥50 counts as ¥100). The final payment is accepted only inside the final window (both "
        "ends included); when the window ends without it, the deposit is forfeited — the worker settles every "
        "minute. A buyer who cancels before paying the final also loses the deposit, unless the presale refunds "
        "deposits before the final window opens.",
    },
    "presale.offer_key": {"zh-CN": "优惠规则标识", "en": "Offer key"},
    "presale.deposit": {"zh-CN": "每件定金（{cur}）", "en": "Deposit per unit ({cur})"},
    "presale.worth": {"zh-CN": "每件定金抵扣（{cur}）", "en": "Deposit counts as ({cur})"},
    "presale.refundable": {
        "zh-CN": "尾款开始前可退定金",
        "en": "Deposit refunded if cancelled before the final window",
    },
    "presale.times_help": {
        "zh-CN": "时间按 {tz} 填写；结束时间包含该分钟的最后一秒。",
        "en": "Times are in {tz}; an end time includes the last second of its minute.",
    },
    "presale.deposit_from": {"zh-CN": "定金开始", "en": "Deposit window opens"},
    "presale.deposit_until": {"zh-CN": "定金截止（含）", "en": "Deposit window ends (inclusive)"},
    "presale.final_from": {"zh-CN": "尾款开始", "en": "Final window opens"},
    "presale.final_until": {"zh-CN": "尾款截止（含）", "en": "Final window ends (inclusive)"},
    "presale.time": {"zh-CN": "时刻", "en": "Time"},
    "presale.simulate": {"zh-CN": "模拟一笔订单", "en": "Play one order"},
    "presale.units": {"zh-CN": "件数", "en": "Units"},
    "presale.unit_price": {"zh-CN": "尾款日单价（{cur}）", "en": "Unit price at final payment ({cur})"},
    "presale.action": {"zh-CN": "之后买家", "en": "Then the buyer"},
    "presale.action_pay": {"zh-CN": "付尾款", "en": "pays the final"},
    "presale.action_cancel": {"zh-CN": "取消订单", "en": "cancels"},
    "presale.action_none": {"zh-CN": "什么也不做", "en": "does nothing"},
    "presale.act_at": {"zh-CN": "买家操作日期", "en": "Buyer acts on"},
    "presale.settle_at": {"zh-CN": "结算日期", "en": "Settle on"},
    "presale.play": {"zh-CN": "模拟", "en": "Play"},
    "presale.save": {"zh-CN": "保存预售", "en": "Save presale"},
    "presale.saved": {"zh-CN": "已保存 {offer} 的预售。", "en": "Presale of {offer} saved."},
    "presale.event": {"zh-CN": "事件", "en": "Event"},
    "presale.paid_deposit": {
        "zh-CN": "付定金 {paid}（{units} 件，抵扣 {worth}）",
        "en": "Deposit {paid} paid for {units} units (counts as {worth})",
    },
    "presale.paid_final": {"zh-CN": "付尾款 {due}", "en": "Final payment {due}"},
    "presale.final_refused": {"zh-CN": "尾款未被接受：{why}", "en": "Final payment refused: {why}"},
    "presale.cancelled": {"zh-CN": "买家取消订单", "en": "The buyer cancels"},
    "presale.cancel_refused": {"zh-CN": "不能取消：{why}", "en": "Cannot cancel: {why}"},
    "presale.settled": {"zh-CN": "结算", "en": "Settled"},
    "presale.kept": {"zh-CN": "实收", "en": "Kept"},
    "presale.deposit_paid": {"zh-CN": "已付定金", "en": "Deposit paid"},
    "presale.final_paid": {"zh-CN": "已付尾款", "en": "Final paid"},
    "presale.refunded": {"zh-CN": "退款", "en": "Refunded"},
    "presale.stored": {"zh-CN": "店铺中的预售", "en": "Presales in the shop"},
    "presale.none_stored": {
        "zh-CN": "还没有预售。订单通过 app/services/presales.py 付定金和尾款，后台进程结算逾期未付尾款的订单。",
        "en": "No presales yet. Orders pay deposits and finals through app/services/presales.py; the worker "
        "settles orders whose final payment is overdue.",
    },
    "presale.deposit_window": {"zh-CN": "定金时间", "en": "Deposit window"},
    "presale.final_window": {"zh-CN": "尾款时间", "en": "Final window"},
    "presale.window": {"zh-CN": "{start} 至 {end}（含）", "en": "{start} to {end} (inclusive)"},
    "presale.yes": {"zh-CN": "是", "en": "Yes"},
    "presale.no": {"zh-CN": "否", "en": "No"},
    "presale.orders_of": {"zh-CN": "{offer} 的订单（{n} 笔）", "en": "Orders of {offer} ({n})"},
    "presale.no_orders": {"zh-CN": "还没有订单。", "en": "No orders yet."},
    "presale.order_ref": {"zh-CN": "订单号", "en": "Order"},
    "presale.settled_at": {"zh-CN": "结束于", "en": "Ended"},
    "presale.problem": {"zh-CN": "{field}：{message}", "en": "{field}: {message}"},
    **_group(
        "presale.state_",
        (
            ("deposit_paid", "已付定金，待付尾款", "Deposit paid, final due"),
            ("completed", "已付尾款", "Completed"),
            ("forfeited", "定金不退", "Deposit forfeited"),
            ("refunded", "定金已退", "Deposit refunded"),
        ),
    ),
    **_group(
        "presale.refused_",
        (
            ("deposit_closed", "不在定金时间内", "outside the deposit window"),
            ("final_not_open", "尾款时间还没开始", "the final window has not opened"),
            ("final_closed", "尾款时间已结束", "the final window has ended"),
            ("order_closed", "订单已结束", "the order is closed"),
            ("units_not_positive", "件数至少为 1", "at least one unit"),
        ),
    ),
    **_group(
        "presale.field_",
        (
            ("workspace", "工作区", "Workspace"),
            ("offer_key", "优惠规则标识", "Offer key"),
            ("deposit_minor", "定金", "Deposit"),
            ("worth_minor", "定金抵扣", "Deposit counts as"),
            ("deposit_from", "定金开始", "Deposit window opens"),
            ("deposit_until", "定金截止", "Deposit window ends"),
            ("final_from", "尾款开始", "Final window opens"),
            ("final_until", "尾款截止", "Final window ends"),
            ("order_ref", "订单号", "Order"),
            ("customer", "顾客", "Customer"),
            ("units", "件数", "Units"),
            ("unit_price_minor", "单价", "Unit price"),
        ),
    ),
    **_group(
        "presale_error.",
        (
            ("required", "必填。", "is required."),
            ("too_long", "太长。", "is too long."),
            ("not_positive", "必须大于 0。", "must be more than 0."),
            ("negative", "不能为负数。", "cannot be negative."),
            ("below_deposit", "抵扣不能低于定金。", "cannot be worth less than the deposit."),
            ("naive_time", "缺少时区。", "has no time zone."),
            ("ends_before_start", "必须晚于开始时间。", "must come after the window opens."),
            ("before_deposit_ends", "必须晚于定金截止。", "must come after the deposit window ends."),
            ("duplicate", "该优惠已有预售。", "this offer has a presale already."),
            ("not_a_deposit_offer", "同名优惠不是定金膨胀规则。", "the offer of this key is not a presale deposit."),
            ("differs_from_offer", "与同名定金优惠的金额不一致。", "differs from the amounts of the deposit offer."),
        ),
    ),
}
