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
    "unknown_currency": (
        "不认识的币种：{currency}（请用 ISO 代码，如 CNY、USD）。",
        "Unknown currency: {currency} (use an ISO code such as CNY or USD).",
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

_FIELDS = {
    "day": ("日期", "Day"),
    "account": ("账号", "Account"),
    "campaign": ("活动名", "Campaign name"),
    "entity": ("条目（广告/帖子/订单）", "Entity (ad, post, order)"),
    "post_id": ("平台帖子 ID", "Platform post id"),
    "utm_source": ("utm_source", "utm_source"),
    "utm_medium": ("utm_medium", "utm_medium"),
    "utm_campaign": ("utm_campaign", "utm_campaign"),
    "utm_content": ("utm_content（KOL 追踪码）", "utm_content (KOL tracking code)"),
    "code": ("优惠码/追踪码", "Coupon or tracking code"),
    "currency": ("币种", "Currency"),
    "attribution": ("归因口径", "Attribution"),
    "impressions": ("曝光", "Impressions"),
    "reach": ("触达人数", "Reach"),
    "engagements": ("互动", "Engagements"),
    "likes": ("点赞", "Likes"),
    "comments": ("评论", "Comments"),
    "shares": ("分享", "Shares"),
    "saves": ("收藏", "Saves"),
    "clicks": ("点击", "Clicks"),
    "video_views": ("视频播放", "Video views"),
    "sessions": ("会话", "Sessions"),
    "orders": ("订单", "Orders"),
    "spend_minor": ("花费", "Spend"),
    "revenue_minor": ("营收", "Revenue"),
    "conversions": ("平台转化", "Platform conversions"),
}

_PAGES = {
    "page.metrics_import": ("导入数据", "Import data"),
    "page.results": ("效果看板", "Results"),
    "nav.measure": ("衡量", "Measure"),
    "measure.import_help": (
        "上传平台导出的 CSV/XLSX（X、Meta、Google Ads、TikTok、GA4、巨量引擎、公众号、小红书、订单），"
        "Festa 会自动识别。先预览：每个问题都标明文件、行和列；没有问题才能导入。"
        "同一个文件或同样的行再导入一次不会重复计算；每次导入都可以撤销。",
        "Upload a platform's CSV/XLSX export (X, Meta, Google Ads, TikTok, GA4, Ocean Engine, WeChat, Xiaohongshu, "
        "orders): Festa recognises it. You see a preview first, every problem with its file, row and column; only a "
        "clean file is imported. The same file or the same rows twice are never counted twice; every import can be "
        "undone.",
    ),
    "measure.no_permission": (
        "你的角色不能导入数据（需要“分析师”角色）。",
        "Your role cannot import data (analysts can).",
    ),
    "measure.upload": ("选择文件", "Choose a file"),
    "measure.source": ("来源", "Source"),
    "measure.campaign": ("活动", "Campaign"),
    "measure.match_auto": ("按规则自动匹配", "Match by rules"),
    "measure.date_order": ("日期顺序", "Date order"),
    "measure.order_None": ("按文件", "As the file says"),
    "measure.order_ymd": ("年-月-日", "year-month-day"),
    "measure.order_dmy": ("日/月/年", "day/month/year"),
    "measure.order_mdy": ("月/日/年", "month/day/year"),
    "measure.reading": ("正在读取…", "Reading…"),
    "measure.writing": ("正在写入…", "Writing…"),
    "measure.needs_date_order": (
        "这个文件的日期既可能是“日/月”也可能是“月/日”：请在上面选择日期顺序。",
        "This file's dates could be day/month or month/day: choose the date order above.",
    ),
    "measure.problems": ("发现 {n} 个问题，未写入任何数据：", "{n} problems found; nothing was written:"),
    "measure.col_file": ("文件", "File"),
    "measure.col_row": ("行", "Row"),
    "measure.col_column": ("列", "Column"),
    "measure.col_message": ("问题", "Problem"),
    "measure.col_day": ("日期", "Day"),
    "measure.col_campaign_name": ("平台上的活动名", "Campaign (as on the platform)"),
    "measure.col_entity": ("条目", "Entity"),
    "measure.col_tied": ("归入活动", "Tied to"),
    "measure.col_stored": ("已存在", "Already stored"),
    "measure.col_source": ("来源", "Source"),
    "measure.col_code": ("优惠码", "Code"),
    "measure.col_account": ("账号", "Account"),
    "measure.col_rows": ("行数", "Rows"),
    "measure.col_days": ("日期范围", "Days"),
    "measure.col_written": ("写入", "Written"),
    "measure.col_skipped": ("跳过", "Skipped"),
    "measure.col_by": ("导入人", "By"),
    "measure.col_when": ("时间", "When"),
    "measure.col_undone": ("已撤销", "Undone"),
    "measure.rows_read": ("读取行数", "Rows read"),
    "measure.rows_new": ("将写入", "To write"),
    "measure.rows_stored": ("已存在", "Already stored"),
    "measure.rows_unassigned": ("未归入活动", "Not tied to a campaign"),
    "measure.detected": ("{file}：识别为 {source}", "{file}: read as {source}"),
    "measure.same_file": (
        "这个文件已经导入过（批次 {batch}），已存在的行不会再写入。",
        "This file was imported before (batch {batch}); rows already stored are not written again.",
    ),
    "measure.skipped": ("跳过 {n} 行（{reason}）：第 {rows} 行", "Skipped {n} rows ({reason}): rows {rows}"),
    "measure.import_button": ("导入 {n} 行", "Import {n} rows"),
    "measure.imported": (
        "已导入 {n} 行（批次 {batch}）；{stored} 行已存在；{unassigned} 行未归入活动。",
        "Imported {n} rows (batch {batch}); {stored} were already stored; {unassigned} are not tied to a campaign.",
    ),
    "measure.mapping_help": (
        "Festa 不认识这个文件的格式：请把它的列对应到 Festa 的字段（至少要有日期）。"
        "映射会保存，下次同样的列会自动使用。",
        "Festa does not know this layout: map its columns to Festa's fields (a day at least). The mapping is saved and "
        "used again when a file with the same columns comes back.",
    ),
    "measure.mapping_name": ("映射名称", "Mapping name"),
    "measure.mapping_save": ("保存映射并读取", "Save the mapping and read"),
    "measure.unassigned_header": ("未归入活动的数据", "Rows not tied to a campaign"),
    "measure.unassigned_none": ("所有导入的数据都已归入活动。", "Every imported row is tied to a campaign."),
    "measure.assign_group": ("这组数据", "These rows"),
    "measure.assign_to": ("归入活动", "Tie to campaign"),
    "measure.remember": ("记住：以后同样的数据自动归入", "Remember: tie the same rows this way next time"),
    "measure.assign_button": ("归入", "Tie"),
    "measure.assigned": ("{n} 行已归入“{campaign}”。", "{n} rows tied to “{campaign}”."),
    "measure.rules_header": ("匹配规则", "Matching rules"),
    "measure.rules_help": (
        "导入时，数据按以下顺序归入活动：导入时选定的活动 → Festa 发布的帖子 ID → 规则（先“等于”再“包含”）→ "
        "UTM 活动名 → 优惠码 → 与活动同名。",
        "Imported rows are tied to a campaign by, in order: the campaign chosen for the file → the id of a post Festa "
        "published → rules (equals, then contains) → the UTM campaign → a coupon code → the campaign's own name.",
    ),
    "measure.rule_field": ("按", "Match on"),
    "measure.rule_op": ("方式", "How"),
    "measure.rule_value": ("文字", "Text"),
    "measure.op_equals": ("等于", "equals"),
    "measure.op_contains": ("包含", "contains"),
    "measure.rule_add": ("添加规则", "Add rule"),
    "measure.rule_remove_which": ("要删除的规则", "Rule to remove"),
    "measure.rule_remove": ("删除规则", "Remove rule"),
    "measure.batches_header": ("导入记录", "Imports"),
    "measure.undo_which": ("撤销哪次导入", "Import to undo"),
    "measure.undo_confirm": ("我确认要删除这次导入的所有数据", "I want to remove every row of this import"),
    "measure.undo_confirm_needed": ("请先勾选确认。", "Tick the confirmation first."),
    "measure.undo_button": ("撤销导入", "Undo import"),
    "measure.undone": ("已撤销批次 {batch}，删除 {n} 行。", "Import {batch} undone: {n} rows removed."),
    "results.campaign": ("活动", "Campaign"),
    "results.all_campaigns": ("全部活动", "Every campaign"),
    "results.days": ("日期范围", "Days"),
    "results.channels": ("渠道", "Channels"),
    "results.sources": ("数据来源", "Sources"),
    "results.margin": ("毛利率（%）", "Gross margin (%)"),
    "results.emv_cpm": ("EMV 基准 CPM（每千次曝光）", "EMV benchmark CPM (per 1,000 impressions)"),
    "results.empty": (
        "还没有数据：在“导入数据”页面导入平台的导出文件。",
        "No figures yet: import a platform's export on the Import data page.",
    ),
    "results.orders": ("订单", "Orders"),
    "results.orders_help": (
        "店铺自己的订单（订单导出、自有表格）；平台上报的转化单独列在“各平台口径”中，不会相加。",
        "The shop's own orders (orders exports, own sheets); conversions platforms report are listed per platform "
        "below and never added together.",
    ),
    "results.revenue_help": (
        "店铺自己的营收；平台上报的转化价值只算在各自平台的 ROAS 里。",
        "The shop's own revenue; a platform's reported conversion value counts only in that platform's ROAS.",
    ),
    "results.reach": ("触达人数", "Reach"),
    "results.reach_help": (
        "触达人数不能跨行、跨天或跨平台相加，所以这里不显示合计；请看平台自己的报表。",
        "Reach cannot be added across rows, days or platforms, so no total is shown; see the platform's own report.",
    ),
    "results.other_currency": (
        "另有 {money} 的花费不是 {currency}，未计入上面的数字。",
        "Spend of {money} is not in {currency} and is left out of the figures above.",
    ),
    "results.targets": ("目标与实际", "Targets and results"),
    "results.target": ("目标", "Target"),
    "results.planned": ("计划", "Planned"),
    "results.target_roi": ("ROI（营收 − 花费）÷ 花费，不计毛利", "ROI (revenue − spend) ÷ spend, before margin"),
    "results.no_workspace": ("还没有工作区：先创建活动或载入演示数据。", "There is no workspace yet."),
    "results.actual": ("实际", "Actual"),
    "results.funnel": ("漏斗：曝光 → 互动 → 点击 → 订单", "Funnel: exposure → engagement → click → order"),
    "results.trend": ("每日趋势（阴影为活动阶段）", "Daily trend (phases shaded)"),
    "results.breakdown": ("细分", "Breakdown"),
    "results.by_channel": ("按渠道", "By channel"),
    "results.by_account": ("按账号", "By account"),
    "results.by_partner": ("按达人", "By KOL partner"),
    "results.by_post": ("按帖子", "By post"),
    "results.by_campaign": ("按活动", "By campaign"),
    "results.by_day": ("按天", "By day"),
    "results.day": ("日期", "Day"),
    "results.no_account": ("（未关联账号）", "(no account)"),
    "results.no_partner": ("（非达人）", "(not a KOL)"),
    "results.no_post": ("（未关联帖子）", "(no post)"),
    "results.efficiency": ("渠道效率", "Channel efficiency"),
    "results.by_source": ("各平台口径", "As each platform reports"),
    "results.by_source_help": (
        "平台上报的转化和转化价值按各自的归因口径计算，不能相加；这里的 ROAS 是各平台自己的 ROAS。",
        "Conversions and conversion value as each platform counts them under its own attribution: never added across "
        "platforms. ROAS here is each platform's own.",
    ),
    "results.attribution": ("归因口径", "Attribution"),
    "results.yoy": (
        "与去年{festival}对比（按距节日天数对齐）",
        "Against last year's {festival} (aligned by days to the festival)",
    ),
    "results.yoy_none": ("去年没有同一节日的活动数据。", "There is no campaign for this festival last year."),
    "results.days_from_festival": ("距节日天数", "Days from the festival"),
    "results.export": ("导出报告", "Export the report"),
    "results.export_csv": ("下载 CSV", "Download CSV"),
    "results.export_xlsx": ("下载 XLSX", "Download XLSX"),
    "results.export_html": ("下载 HTML 报告（可离线打开）", "Download HTML report (opens offline)"),
    "results.note_ratios": (
        "所有比率都按所示粒度的合计重新计算，而不是对比率求和或求平均。",
        "Every ratio is recomputed from the sums at the grain shown, never summed or averaged.",
    ),
    "results.note_sources": (
        "订单和营收来自店铺自己的数据；平台上报的转化按平台分别列出。",
        "Orders and revenue are the shop's own; conversions platforms report are listed per platform.",
    ),
}

MEASURE.update({f"measure.f_{k}": {"zh-CN": zh, "en": en} for k, (zh, en) in _FIELDS.items()})
MEASURE.update({f"measure.m_{k}": {"zh-CN": zh, "en": en} for k, (zh, en) in _FIELDS.items() if k not in ("day",)})
MEASURE.update({k: {"zh-CN": zh, "en": en} for k, (zh, en) in _PAGES.items()})
