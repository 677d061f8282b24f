"""Texts of the Posts CSV import/export page."""

POST_CSV: dict[str, dict[str, str]] = {
    "page.posts_csv": {"zh-CN": "批量导入导出帖子", "en": "Posts from CSV"},
    "post_csv.help": {
        "zh-CN": "用 CSV 文件一次创建多条草稿：先下载模板，用 Excel 或 WPS 填写后上传。每一行都先检查，"
        "只要有一行有问题就一条也不保存。时间只认年在前的写法（2027-11-01 20:00 或 2027/11/01 20:00）。"
        "以 = + - @ 开头的单元格按普通文字保存，不会当作公式。",
        "en": "Create many drafts at once from a CSV file: download the template, fill it in with Excel or WPS, "
        "upload it. Every row is checked first; if any row has a problem, nothing is saved. Times are read "
        "year first only (2027-11-01 20:00 or 2027/11/01 20:00). Cells starting with = + - @ are kept as "
        "plain text, never run as formulas.",
    },
    "post_csv.template_header": {"zh-CN": "1. 模板", "en": "1. Template"},
    "post_csv.template_help": {
        "zh-CN": "列：{columns}。account 与 body 必填；填写了时间就要填时区（如 Asia/Shanghai）；"
        "phase 需要同时填写 campaign。",
        "en": "Columns: {columns}. account and body are required; a time needs its time zone "
        "(e.g. Asia/Shanghai); a phase needs its campaign.",
    },
    "post_csv.download_template": {"zh-CN": "下载模板（CSV）", "en": "Download the template (CSV)"},
    "post_csv.import_header": {"zh-CN": "2. 导入", "en": "2. Import"},
    "post_csv.upload": {"zh-CN": "上传填好的 CSV 文件", "en": "Upload the filled-in CSV file"},
    "post_csv.no_permission": {
        "zh-CN": "你的角色不能创建帖子，所以不能导入。",
        "en": "Your role cannot compose posts, so it cannot import them.",
    },
    "post_csv.preview": {"zh-CN": "预览：读到 {n} 行", "en": "Preview: {n} rows read"},
    "post_csv.problems": {
        "zh-CN": "发现 {n} 个问题，什么也没有保存。请改好文件后重新上传。",
        "en": "{n} problems found; nothing was saved. Fix the file and upload it again.",
    },
    "post_csv.ready": {
        "zh-CN": "{n} 行全部检查通过，可以导入。",
        "en": "All {n} rows passed the checks and can be imported.",
    },
    "post_csv.import_button": {"zh-CN": "导入 {n} 条帖子为草稿", "en": "Import {n} posts as drafts"},
    "post_csv.imported": {
        "zh-CN": "已从 {file} 创建 {n} 条草稿，请到审核页提交。",
        "en": "{n} drafts created from {file}; submit them for review on the Review page.",
    },
    "post_csv.export_header": {"zh-CN": "3. 导出", "en": "3. Export"},
    "post_csv.export_help": {
        "zh-CN": "导出计划在所选日期内的帖子（每条按它自己的时区显示时间）。导出的文件可以再次导入，成为新的草稿。",
        "en": "Export the posts scheduled in the chosen days (each time in its own post's zone). The file "
        "imports back as new drafts.",
    },
    "post_csv.days": {"zh-CN": "日期范围", "en": "Days"},
    "post_csv.prepare_export": {"zh-CN": "生成 CSV", "en": "Prepare the CSV"},
    "post_csv.download_export": {"zh-CN": "下载导出的帖子", "en": "Download the posts"},
    # columns of the tables
    "post_csv.col_file": {"zh-CN": "文件", "en": "File"},
    "post_csv.col_row": {"zh-CN": "行", "en": "Row"},
    "post_csv.col_column": {"zh-CN": "列", "en": "Column"},
    "post_csv.col_message": {"zh-CN": "问题", "en": "Problem"},
    "post_csv.col_account": {"zh-CN": "账号", "en": "Account"},
    "post_csv.col_time": {"zh-CN": "计划时间", "en": "Scheduled"},
    "post_csv.col_zone": {"zh-CN": "时区", "en": "Time zone"},
    "post_csv.col_title": {"zh-CN": "标题", "en": "Title"},
    "post_csv.col_body": {"zh-CN": "正文", "en": "Text"},
    "post_csv.col_link": {"zh-CN": "链接", "en": "Link"},
    "post_csv.col_campaign": {"zh-CN": "活动", "en": "Campaign"},
    "post_csv.col_phase": {"zh-CN": "阶段", "en": "Phase"},
    "post_csv.whole_row": {"zh-CN": "整行", "en": "whole row"},
    "post_csv.whole_file": {"zh-CN": "整个文件", "en": "whole file"},
    "post_csv.header": {"zh-CN": "表头", "en": "header"},
    # problems (campaigns.post_csv and app.services.post_csv codes)
    "post_csv.err.file_too_large": {
        "zh-CN": "文件有 {size} 字节，超过上限 {max} 字节",
        "en": "the file has {size} bytes, more than the limit of {max}",
    },
    "post_csv.err.empty_file": {"zh-CN": "文件是空的", "en": "the file is empty"},
    "post_csv.err.spreadsheet_not_csv": {
        "zh-CN": "这是 Excel 工作簿，不是 CSV — 请在 Excel 中“另存为”CSV UTF-8",
        "en": "this is an Excel workbook, not a CSV — use Save As › CSV UTF-8 in Excel",
    },
    "post_csv.err.binary": {
        "zh-CN": "这不是文本文件（第 {byte} 字节是空字节）",
        "en": "this is not a text file (byte {byte} is a NUL byte)",
    },
    "post_csv.err.bad_encoding": {
        "zh-CN": "第 {line} 行（第 {byte} 字节）既不是 UTF-8 也不是 GB18030 编码 — 请另存为 CSV UTF-8",
        "en": "line {line} (byte {byte}) is neither UTF-8 nor GB18030 — save the file as CSV UTF-8",
    },
    "post_csv.err.unreadable": {
        "zh-CN": "无法读取这一行（引号不成对？）：{detail}",
        "en": "this row cannot be read (unbalanced quotes?): {detail}",
    },
    "post_csv.err.unknown_columns": {
        "zh-CN": "表头有 {count} 个不认识的列：{columns}",
        "en": "the header has {count} unknown columns: {columns}",
    },
    "post_csv.err.duplicate_columns": {
        "zh-CN": "表头中这些列出现了不止一次：{columns}",
        "en": "these columns appear more than once in the header: {columns}",
    },
    "post_csv.err.missing_columns": {
        "zh-CN": "表头缺少这些列：{columns}",
        "en": "the header lacks these columns: {columns}",
    },
    "post_csv.err.too_many_rows": {
        "zh-CN": "一个文件最多 {max} 行帖子 — 请拆成几个文件",
        "en": "a file may hold at most {max} posts — split it into several files",
    },
    "post_csv.err.extra_cells": {
        "zh-CN": "这一行有 {cells} 个单元格，表头只有 {columns} 列",
        "en": "this row has {cells} cells but the header only {columns} columns",
    },
    "post_csv.err.no_rows": {"zh-CN": "文件只有表头，没有帖子", "en": "the file has a header but no posts"},
    "post_csv.err.no_workspace": {"zh-CN": "还没有工作区", "en": "there is no workspace yet"},
    "post_csv.err.required": {"zh-CN": "必填", "en": "required"},
    "post_csv.err.too_long": {
        "zh-CN": "太长：{length}，最多 {max}",
        "en": "too long: {length}, at most {max}",
    },
    "post_csv.err.title_too_long": {
        "zh-CN": "标题太长：{length}，最多 {max}",
        "en": "the title is too long: {length}, at most {max}",
    },
    "post_csv.err.empty": {"zh-CN": "正文是空的", "en": "the text is empty"},
    "post_csv.err.hashtag_not_allowed": {
        "zh-CN": "{account} 的正文里不能有 #话题#",
        "en": "{account} takes no #topic# hashtags in the text",
    },
    "post_csv.err.media_required": {
        "zh-CN": "{account} 的帖子必须带图片或视频，CSV 无法携带 — 请在撰写页创建",
        "en": "posts on {account} need a picture or video, which a CSV cannot carry — create them on the Compose page",
    },
    "post_csv.err.needs_campaign": {
        "zh-CN": "填写阶段时也要填写活动",
        "en": "a phase needs its campaign",
    },
    "post_csv.err.not_a_link": {
        "zh-CN": "不是以 http:// 或 https:// 开头的链接",
        "en": "not a link starting with http:// or https://",
    },
    "post_csv.err.ambiguous_date": {
        "zh-CN": "“{value}” 看不出日和月的顺序 — 请写成 2027-11-01 20:00（年-月-日 时:分）",
        "en": "“{value}” does not say whether the day or the month comes first — write 2027-11-01 20:00 "
        "(year-month-day hour:minute)",
    },
    "post_csv.err.bad_date": {
        "zh-CN": "“{value}” 不是时间 — 请写成 2027-11-01 20:00 或 2027/11/01 20:00",
        "en": "“{value}” is not a time — write 2027-11-01 20:00 or 2027/11/01 20:00",
    },
    "post_csv.err.unknown_zone": {
        "zh-CN": "不认识的时区“{zone}” — 请使用 IANA 名称，如 Asia/Shanghai",
        "en": "unknown time zone “{zone}” — use an IANA name such as Asia/Shanghai",
    },
    "post_csv.err.nonexistent_time": {
        "zh-CN": "{local} 在 {zone} 不存在（夏令时拨快，{gap_start} 到 {gap_end} 被跳过）— 比如改为 {suggested}",
        "en": "{local} does not exist in {zone} (clocks go forward: {gap_start} to {gap_end} is skipped) — "
        "e.g. use {suggested}",
    },
    "post_csv.err.ambiguous_time": {
        "zh-CN": "{local} 在 {zone} 出现两次（夏令时结束，{fold_start} 到 {fold_end} 重复）— 请换一个时间，"
        "或在撰写页选择是哪一个",
        "en": "{local} happens twice in {zone} (clocks go back: {fold_start} to {fold_end} repeats) — pick "
        "another time, or choose which one on the Compose page",
    },
    "post_csv.err.duplicate_row": {
        "zh-CN": "与第 {first} 行完全相同",
        "en": "the same as row {first}",
    },
    "post_csv.err.account_not_found": {
        "zh-CN": "没有名为“{account}”的发布账号",
        "en": "no channel account is called “{account}”",
    },
    "post_csv.err.account_ambiguous": {
        "zh-CN": "有不止一个发布账号叫“{account}”",
        "en": "more than one channel account is called “{account}”",
    },
    "post_csv.err.campaign_not_found": {
        "zh-CN": "没有名为“{campaign}”的活动",
        "en": "no campaign is called “{campaign}”",
    },
    "post_csv.err.campaign_ambiguous": {
        "zh-CN": "有不止一个活动叫“{campaign}”",
        "en": "more than one campaign is called “{campaign}”",
    },
    "post_csv.err.phase_not_found": {
        "zh-CN": "活动“{campaign}”没有名为“{phase}”的阶段",
        "en": "campaign “{campaign}” has no phase called “{phase}”",
    },
    "post_csv.err.phase_ambiguous": {
        "zh-CN": "活动“{campaign}”有不止一个阶段叫“{phase}”",
        "en": "campaign “{campaign}” has more than one phase called “{phase}”",
    },
}
