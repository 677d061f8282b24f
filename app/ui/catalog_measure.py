"""Texts of Measure: import problems (``import_error.<code>``), sources, KPI names and definitions, and the
Import and Dashboard pages."""

_ERRORS = {
    "file_empty": ("文件是空的。", "The file is empty."),
    "file_binary": (
        "这不是 CSV 或 XLSX 文件（看起来是二进制文件）。",
        "This is not a CSV or XLSX file (it looks binary).",
    ),
    "file_xls": (
        "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再上传。",
        "This is an old Excel (.xls) file: save it as .xlsx or CSV in Excel and upload that.",
    ),
    "file_too_large": ("文件超过 {limit_mb} MB，未读取。", "The file is over {limit_mb} MB and was not read."),
    "file_xlsx_bomb": (
        "这个 XLSX 解压后会超过 {limit_mb} MB（压缩炸弹），未读取。",
        "This XLSX would expand past {limit_mb} MB (a zip bomb) and was not read.",
    ),
    "file_xlsx_unsafe": (
        "这个 XLSX 含有 DTD/外部实体，出于安全考虑未读取。",
        "This XLSX holds a DTD or external entities and was not read, for safety.",
    ),
    "file_xlsx_broken": ("XLSX 文件已损坏或不完整。", "The XLSX file is damaged or incomplete."),
    "file_encoding": (
        "无法识别文件编码（UTF-8、UTF-16、GB18030 都不是）。",
        "The file's encoding is not UTF-8, UTF-16 or GB18030.",
    ),
    "file_ragged": (
        "这一行有 {saw} 个单元格，而表头有 {expected} 个：文件可能被截断或分隔符有误。",
        "This row has {saw} cells where the header has {expected}: the file may be cut short or mis-delimited.",
    ),
    "unknown_layout": (
        "无法识别这是哪个平台的导出文件（第一行：{first}）。请选择来源，或用“列映射”导入。",
        "Festa does not recognise this export (first line: {first}). Pick its source, or import it through a column "
        "mapping.",
    ),
    "unknown_source": ("未知的来源：{source}。", "Unknown source: {source}."),
    "not_this_source": (
        "这个文件不是 {source} 的导出格式。",
        "This file is not laid out as a {source} export.",
    ),
    "missing_column": ("缺少必需的列“{column}”。", "The required column “{column}” is missing."),
    "bad_date": ("无法读取日期：{cell}", "Not a date Festa can read: {cell}"),
    "missing_date": ("这一行没有日期。", "This row has no date."),
    "bad_number": ("不是有效的数字：{cell}", "Not a valid number: {cell}"),
    "bad_money": ("不是有效的金额（或为负数）：{cell}", "Not a valid amount (or negative): {cell}"),
    "id_scientific": (
        "这个 ID 被表格软件写成了科学计数法，位数已丢失：请从平台重新导出，不要用 Excel 另存。",
        "This id was turned into scientific notation by a spreadsheet and lost digits: export again from the "
        "platform without re-saving in Excel.",
    ),
    "no_day": (
        "这个报表没有按天细分（缺少日期列）：请在平台上按“天”细分后重新导出。",
        "This report has no per-day breakdown (no date column): export it again broken down by day.",
    ),
    "period_totals": (
        "每一行是一整段时间（{start} 至 {end}）的汇总，而不是单日数据："
        "请在广告管理工具中选择“细分 › 按时间 › 天”后重新导出。",
        "Each row covers a whole period ({start} to {end}), not one day: export again from Ads Manager with "
        "Breakdown › By time › Day.",
    ),
    "currency_unknown": (
        "文件没有写明币种：请选择币种。",
        "The file does not say its currency: choose one.",
    ),
    "mixed_currency": ("表头里出现了多种币种：{currencies}。", "The headers name several currencies: {currencies}."),
    "duplicate_order": (
        "订单 {order} 出现了多次（第 {rows} 行）；每个订单只能占一行。",
        "Order {order} appears more than once (rows {rows}); each order must be one row.",
    ),
    "missing_order_id": ("该行缺少订单号。", "This row has no order id."),
    "unknown_field": (
        "映射中的字段 {field} 不是 Festa 的字段。",
        "The mapping names a field Festa does not know: {field}.",
    ),
    "future_date": ("日期 {day} 在未来。", "The date {day} is in the future."),
    "old_date": (
        "日期 {day} 早于 2000 年，不太可能是真实数据。",
        "The date {day} is before 2000, which cannot be right.",
    ),
    "no_workspace": ("还没有工作区。", "There is no workspace yet."),
    "no_such_campaign": ("没有这个活动：{campaign}。", "No such campaign: {campaign}."),
    "no_such_mapping": ("没有名为 {mapping} 的列映射。", "No column mapping called {mapping}."),
    "no_such_batch": ("没有这个导入批次：{batch}。", "No such import: {batch}."),
    "no_such_rule": ("没有这条规则。", "No such rule."),
    "already_undone": ("这个导入已经撤销过了。", "This import was already undone."),
    "needs_date_order": ("请先选择日期顺序。", "Choose the date order first."),
    "rule_field": (
        "规则只能按活动名、UTM 活动、优惠码、账号或条目匹配。",
        "A rule matches on campaign, utm_campaign, code, account or entity.",
    ),
    "rule_op": ("规则只能是“等于”或“包含”。", "A rule is either “equals” or “contains”."),
    "rule_value": ("请填写要匹配的文字。", "Give the text to match."),
    "rule_exists": ("已经有一条相同的规则。", "The same rule already exists."),
    "mapping_name": ("请给映射起一个名字（最多 {max} 个字）。", "Name the mapping (at most {max} characters)."),
    "date_order": ("日期顺序只能是 ymd、dmy 或 mdy。", "The date order is ymd, dmy or mdy."),
}

_SOURCES = {
    "auto": ("自动识别", "Recognise automatically"),
    "x": ("X（推文分析）", "X (post analytics)"),
    "meta": ("Meta 广告管理工具", "Meta Ads Manager"),
    "google_ads": ("Google Ads", "Google Ads"),
    "tiktok": ("TikTok 广告管理平台", "TikTok Ads Manager"),
    "ga4": ("GA4", "GA4"),
    "ocean_engine": ("巨量引擎", "Ocean Engine (巨量引擎)"),
    "wechat": ("微信公众号图文分析", "WeChat OA article analytics"),
    "xiaohongshu": ("小红书笔记数据", "Xiaohongshu note report"),
    "orders": ("订单导出", "Orders export"),
    "mapping": ("其他文件（列映射）", "Any other file (column mapping)"),
    "seed": ("导入前已有的数据", "Figures stored before imports"),
}

_KPIS = {
    "ctr": ("点击率", "CTR", "点击 ÷ 展示", "clicks ÷ impressions"),
    "engagement_rate": (
        "互动率",
        "Engagement rate",
        "互动 ÷ 展示（按展示计算的互动率）",
        "engagements ÷ impressions (ERI)",
    ),
    "cvr": (
        "转化率",
        "CVR",
        "平台转化 ÷ 点击（按各平台自己的归因口径）",
        "conversions ÷ clicks (each platform's attribution)",
    ),
    "order_rate": ("下单率", "Order rate", "订单 ÷ 点击", "orders ÷ clicks"),
    "cpm": ("千次展示成本", "CPM", "花费 ÷ 展示 × 1000", "spend ÷ impressions × 1,000"),
    "cpc": ("单次点击成本", "CPC", "花费 ÷ 点击", "spend ÷ clicks"),
    "cpa": ("单次转化成本", "CPA", "花费 ÷ 平台转化", "spend ÷ conversions"),
    "cost_per_order": ("单订单成本", "Cost per order", "花费 ÷ 订单", "spend ÷ orders"),
    "cpe": ("单次互动成本", "CPE", "花费 ÷ 互动", "spend ÷ engagements"),
    "aov": ("客单价", "AOV", "营收 ÷ 订单", "revenue ÷ orders"),
    "roas": (
        "广告支出回报（ROAS）",
        "ROAS",
        "营收 ÷ 花费。国内平台所说的“ROI”（如支付 ROI）其实是这个。",
        "revenue ÷ spend. What Chinese platforms call “ROI” (支付ROI) is this.",
    ),
    "roi": (
        "投资回报率（ROI）",
        "ROI",
        "（营收 × 毛利率 − 花费）÷ 花费；毛利率可在页面上设置。",
        "(revenue × gross margin − spend) ÷ spend; set the margin on the page.",
    ),
    "emv": (
        "媒体价值（EMV）",
        "EMV",
        "展示 × 基准 CPM ÷ 1000。基准 CPM 是一个假设，可在页面上修改；EMV 不是营收。",
        "impressions × benchmark CPM ÷ 1,000. The CPM is an assumption you can change; EMV is not revenue.",
    ),
}

MEASURE: dict[str, dict[str, str]] = {
    **{f"import_error.{k}": {"zh-CN": zh, "en": en} for k, (zh, en) in _ERRORS.items()},
    **{f"source.{k}": {"zh-CN": zh, "en": en} for k, (zh, en) in _SOURCES.items()},
    **{f"kpi.{k}": {"zh-CN": zh, "en": en} for k, (zh, en, _, _) in _KPIS.items()},
    **{f"kpi_def.{k}": {"zh-CN": zh, "en": en} for k, (_, _, zh, en) in _KPIS.items()},
    "channel.meta": {"zh-CN": "Meta 广告", "en": "Meta ads"},
    "channel.google": {"zh-CN": "Google 广告", "en": "Google Ads"},
    "channel.tiktok": {"zh-CN": "TikTok 广告", "en": "TikTok ads"},
    "channel.web": {"zh-CN": "网站", "en": "Website"},
    "channel.shop": {"zh-CN": "店铺", "en": "Shop"},
    "channel.other": {"zh-CN": "其他", "en": "Other"},
}
