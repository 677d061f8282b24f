"""The one catalog of visible strings: key -> {language: text}. Both languages, every key."""

from __future__ import annotations

from app.ui.catalog_calendar import FESTIVALS
from app.ui.catalog_channels import CHANNELS
from app.ui.catalog_compose import COMPOSE
from app.ui.catalog_estimate import ESTIMATE
from app.ui.catalog_kol import KOL
from app.ui.catalog_kol_deals import KOL_DEALS
from app.ui.catalog_kol_results import KOL_RESULTS
from app.ui.catalog_kol_schedule import KOL_SCHEDULE
from app.ui.catalog_measure import MEASURE
from app.ui.catalog_offers import OFFERS
from app.ui.catalog_plan import PLAN
from app.ui.catalog_post_csv import POST_CSV
from app.ui.catalog_presale import PRESALE
from app.ui.catalog_promote import PROMOTE

LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}

CATALOG: dict[str, dict[str, str]] = {
    **FESTIVALS,
    **PLAN,
    **PROMOTE,
    **OFFERS,
    **PRESALE,
    **ESTIMATE,
    **COMPOSE,
    **CHANNELS,
    **POST_CSV,
    **MEASURE,
    **KOL,
    **KOL_DEALS,
    **KOL_RESULTS,
    **KOL_SCHEDULE,
    # shell
    "app.title": {"zh-CN": "Festa 节日营销台", "en": "Festa campaign console"},
    "sidebar.language": {"zh-CN": "语言 / Language", "en": "Language / 语言"},
    "nav.home": {"zh-CN": "首页", "en": "Home"},
    "nav.admin": {"zh-CN": "管理", "en": "Admin"},
    "nav.plan": {"zh-CN": "计划", "en": "Plan"},
    "page.calendar": {"zh-CN": "节日日历", "en": "Festival calendar"},
    "status.draft": {"zh-CN": "草稿", "en": "Draft"},
    "status.planned": {"zh-CN": "已计划", "en": "Planned"},
    "status.running": {"zh-CN": "进行中", "en": "Running"},
    "status.finished": {"zh-CN": "已结束", "en": "Finished"},
    "status.archived": {"zh-CN": "已归档", "en": "Archived"},
    "page.overview": {"zh-CN": "概览", "en": "Overview"},
    "page.system": {"zh-CN": "系统状态", "en": "System status"},
    "setup.problem": {"zh-CN": "Festa 还不能启动：{problem}", "en": "Festa cannot start yet: {problem}"},
    "common.none": {"zh-CN": "—", "en": "—"},
    # setup problems (data.errors.SetupError codes): what is wrong — what to do
    "setup.url_malformed": {
        "zh-CN": "FESTA_DATABASE_URL 不是有效的数据库地址：{value!r} — 请使用 sqlite:///data/local/festa.db "
        "或 postgresql://user@127.0.0.1:5432/festa",
        "en": "FESTA_DATABASE_URL is not a database URL: {value!r} — use sqlite:///data/local/festa.db "
        "or postgresql://user@127.0.0.1:5432/festa",
    },
    "setup.url_memory": {
        "zh-CN": "FESTA_DATABASE_URL 指向内存 SQLite，调度进程无法共享 — 请给出文件路径，如 sqlite:///data/local/festa.db",
        "en": "FESTA_DATABASE_URL names an in-memory SQLite database, which the worker cannot share — "
        "give a file path, e.g. sqlite:///data/local/festa.db",
    },
    "setup.url_backend": {
        "zh-CN": "FESTA_DATABASE_URL 使用了 {backend!r}；Festa 只支持 SQLite 或 PostgreSQL",
        "en": "FESTA_DATABASE_URL uses {backend!r}; Festa runs on SQLite or PostgreSQL",
    },
    "setup.sqlite_dir": {
        "zh-CN": "无法写入 SQLite 数据库目录 {folder}（{reason}）— "
        "请让当前用户可写，或把 FESTA_DATABASE_URL 指向可写位置",
        "en": "cannot write the SQLite database folder {folder} ({reason}) — make it writable for this user, "
        "or set FESTA_DATABASE_URL to a writable place",
    },
    "setup.db_unreachable": {
        "zh-CN": "无法连接数据库 {url}（{reason}）— 请启动数据库，或修正 FESTA_DATABASE_URL",
        "en": "cannot reach the database {url} ({reason}) — start it, or correct FESTA_DATABASE_URL",
    },
    "setup.db_ahead": {
        "zh-CN": "数据库处于迁移版本 {current}，比当前 Festa 更新（最新 {head}）— "
        "请升级到写入它的 Festa 版本，或把 FESTA_DATABASE_URL 指向其他数据库",
        "en": "the database is at migration {current}, newer than this Festa knows (latest {head}) — "
        "upgrade Festa to the version that wrote it, or point FESTA_DATABASE_URL at another database",
    },
    "setup.db_behind": {
        "zh-CN": "数据库处于迁移版本 {current}，当前 Festa 需要 {head} — "
        "请运行 `python -m app migrate`（make run 会自动执行）",
        "en": "the database is at migration {current}, this Festa needs {head} — "
        "run `python -m app migrate` (make run does it)",
    },
    "setup.secret_dir": {
        "zh-CN": "无法在 {folder} 创建密钥（{reason}）— "
        "请让该目录可写，或显式设置 FESTA_SECRET_KEY（及 FESTA_DATABASE_URL）",
        "en": "cannot create the secret key in {folder} ({reason}) — make that folder writable, "
        "or set FESTA_SECRET_KEY (and FESTA_DATABASE_URL) explicitly",
    },
    "setup.secret_empty": {
        "zh-CN": "密钥文件 {path} 是空的 — 删除它以生成新密钥，或从备份恢复",
        "en": "the secret key file {path} is empty — delete it to have a new key made, or restore it",
    },
    "setup.migration_broken": {
        "zh-CN": "迁移会留下 {count} 行无效引用，已回滚，未做任何更改 — 请附上 `python -m app doctor` 的输出报告此问题",
        "en": "the migration would leave {count} rows pointing at nothing; nothing was changed — "
        "report this with the output of `python -m app doctor`",
    },
    "setup.secrets_file": {
        "zh-CN": "无法读取 {path}（{reason}）— 请修正或删除该文件",
        "en": "cannot read {path} ({reason}) — fix or remove that file",
    },
    "setup.timezone": {
        "zh-CN": "FESTA_TIMEZONE {value!r} 不是 IANA 时区 — 例如 Asia/Shanghai",
        "en": "FESTA_TIMEZONE {value!r} is not an IANA time zone — use e.g. Asia/Shanghai",
    },
    "setup.language": {
        "zh-CN": "不支持 FESTA_LANGUAGE {value!r} — 请使用 zh-CN 或 en",
        "en": "FESTA_LANGUAGE {value!r} is not supported — use zh-CN or en",
    },
    "setup.currency": {
        "zh-CN": "FESTA_CURRENCY {value!r} 不是 ISO 4217 货币代码 — 例如 CNY 或 USD",
        "en": "FESTA_CURRENCY {value!r} is not an ISO 4217 code — use e.g. CNY or USD",
    },
    "setup.whole_number": {
        "zh-CN": "{name} {value!r} 不是 {low} 到 {high} 之间的整数 — 请修正 {name}",
        "en": "{name} {value!r} is not a whole number from {low} to {high} — set {name} to one",
    },
    # system checks
    "check.secrets_ok": {"zh-CN": "已保存 {stored} 份，全部可解密", "en": "{stored} stored, all readable"},
    "check.secrets_unreadable": {
        "zh-CN": "{stored} 份渠道凭据中有 {bad} 份无法用 FESTA_SECRET_KEY（来自 {source}）解密：{accounts} — "
        "请放回之前的密钥（新密钥在前，逗号分隔），或重新填写",
        "en": "{bad} of {stored} channel credentials cannot be decrypted with FESTA_SECRET_KEY (from {source}): "
        "{accounts} — put the previous key back (newest first, comma-separated) or enter them again",
    },
    "check.database_ok": {"zh-CN": "{engine}，位于 {url}", "en": "{engine} at {url}"},
    "check.migrations_ok": {"zh-CN": "已是最新版本 {head}", "en": "at {head} (latest)"},
    "check.worker_ok": {"zh-CN": "心跳 {worker}，{seconds} 秒前", "en": "heartbeat {worker}, {seconds} s ago"},
    "check.worker_none": {
        "zh-CN": "没有心跳 — 用 `make run` 或 `python -m app worker` 启动",
        "en": "no heartbeat — start it with `make run` or `python -m app worker`",
    },
    "check.worker_stale": {
        "zh-CN": "最近心跳 {worker}，{seconds} 秒前 — 调度进程还在运行吗？`python -m app worker`",
        "en": "last heartbeat {worker}, {seconds} s ago — is the worker running? `python -m app worker`",
    },
    "check.worker_unknown": {"zh-CN": "未知：无法读取数据库", "en": "unknown: the database cannot be read"},
    # overview
    "overview.workspace": {"zh-CN": "工作区：{name} · 时区 {tz}", "en": "Workspace: {name} · time zone {tz}"},
    "overview.no_workspace": {
        "zh-CN": "还没有工作区。运行 `python -m app seed-demo` 创建演示工作区。",
        "en": "No workspace yet. Run `python -m app seed-demo` to create the demo workspace.",
    },
    "overview.last_finished": {"zh-CN": "上一个结束的活动：{name}", "en": "Last finished campaign: {name}"},
    "overview.no_finished": {"zh-CN": "还没有结束的活动。", "en": "No finished campaign yet."},
    "overview.window": {"zh-CN": "{start} 至 {end}（含首尾）", "en": "{start} to {end} (inclusive)"},
    "overview.daily_revenue": {"zh-CN": "每日成交额（按渠道）", "en": "Daily revenue by channel"},
    "overview.running": {"zh-CN": "进行中的活动", "en": "Running campaigns"},
    "overview.no_running": {"zh-CN": "现在没有进行中的活动。", "en": "No campaign is running now."},
    "overview.next_posts": {"zh-CN": "即将发布", "en": "Next scheduled posts"},
    "overview.no_posts": {"zh-CN": "没有排期中的内容。", "en": "Nothing is scheduled."},
    "overview.festivals": {"zh-CN": "近期节日", "en": "Upcoming festivals"},
    "overview.today": {"zh-CN": "进行中", "en": "on now"},
    "overview.ratios_note": {
        "zh-CN": "比率均为总量之比（如点击率 = 总点击 ÷ 总曝光），与平台口径一致。",
        "en": "Ratios are ratios of totals (e.g. CTR = total clicks ÷ total impressions), "
        "as the platforms compute them.",
    },
    # column and metric labels
    "col.name": {"zh-CN": "名称", "en": "Name"},
    "col.phase": {"zh-CN": "当前阶段", "en": "Current phase"},
    "col.window": {"zh-CN": "时间", "en": "Window"},
    "col.budget": {"zh-CN": "预算", "en": "Budget"},
    "col.time": {"zh-CN": "时间", "en": "Time"},
    "col.channel": {"zh-CN": "渠道", "en": "Channel"},
    "col.account": {"zh-CN": "账号", "en": "Account"},
    "col.title": {"zh-CN": "标题", "en": "Title"},
    "col.festival": {"zh-CN": "节日", "en": "Festival"},
    "col.date": {"zh-CN": "日期", "en": "Date"},
    "col.when": {"zh-CN": "距今", "en": "When"},
    "col.timezone": {"zh-CN": "时区", "en": "Time zone"},
    "col.day": {"zh-CN": "日期", "en": "Day"},
    "col.revenue": {"zh-CN": "成交额", "en": "Revenue"},
    "metric.impressions": {"zh-CN": "曝光", "en": "Impressions"},
    "metric.engagements": {"zh-CN": "互动", "en": "Engagements"},
    "metric.clicks": {"zh-CN": "点击", "en": "Clicks"},
    "metric.conversions": {"zh-CN": "转化", "en": "Conversions"},
    "metric.revenue": {"zh-CN": "成交额", "en": "Revenue"},
    "metric.spend": {"zh-CN": "花费", "en": "Spend"},
    "metric.ctr": {"zh-CN": "点击率", "en": "CTR"},
    "metric.conversion_rate": {"zh-CN": "转化率", "en": "Conversion rate"},
    "metric.roas": {"zh-CN": "ROAS", "en": "ROAS"},
    "metric.roi": {"zh-CN": "ROI", "en": "ROI"},
    # system
    "system.database": {"zh-CN": "数据库", "en": "Database"},
    "system.migrations": {"zh-CN": "数据库迁移", "en": "Migrations"},
    "system.worker": {"zh-CN": "调度进程", "en": "Worker"},
    "system.secrets": {"zh-CN": "凭据密钥", "en": "Secrets"},
    "system.ok": {"zh-CN": "正常", "en": "OK"},
    "system.problem": {"zh-CN": "有问题", "en": "Problem"},
    "system.workers": {"zh-CN": "调度进程心跳", "en": "Worker heartbeats"},
    "system.no_workers": {
        "zh-CN": "没有运行中的调度进程。用 `make run` 或 `python -m app worker` 启动。",
        "en": "No worker is running. Start one with `make run` or `python -m app worker`.",
    },
    "system.configuration": {"zh-CN": "配置（密钥已隐藏）", "en": "Configuration (secrets masked)"},
    "col.worker": {"zh-CN": "进程", "en": "Worker"},
    "col.started": {"zh-CN": "启动于", "en": "Started"},
    "col.last_beat": {"zh-CN": "最近心跳", "en": "Last heartbeat"},
    "col.ticks": {"zh-CN": "次数", "en": "Ticks"},
    "col.last_problem": {"zh-CN": "最近问题", "en": "Last problem"},
    "col.setting": {"zh-CN": "设置项", "en": "Setting"},
    "col.value": {"zh-CN": "值", "en": "Value"},
    "col.check": {"zh-CN": "检查项", "en": "Check"},
    "col.status": {"zh-CN": "状态", "en": "Status"},
    "col.detail": {"zh-CN": "详情", "en": "Detail"},
    # sign-in and accounts
    "page.account": {"zh-CN": "我的账号", "en": "My account"},
    "page.users": {"zh-CN": "用户", "en": "Users"},
    "page.credentials": {"zh-CN": "渠道凭据", "en": "Channel credentials"},
    "page.audit": {"zh-CN": "审计日志", "en": "Audit log"},
    "page.data_protection": {"zh-CN": "数据保护", "en": "Data protection"},
    "auth.sign_in": {"zh-CN": "登录", "en": "Sign in"},
    "auth.sign_out": {"zh-CN": "退出登录", "en": "Sign out"},
    "auth.signed_in_as": {"zh-CN": "已登录：{name}（{role}）", "en": "Signed in as {name} ({role})"},
    "auth.email": {"zh-CN": "邮箱", "en": "E-mail"},
    "auth.name": {"zh-CN": "姓名", "en": "Name"},
    "auth.password": {"zh-CN": "密码", "en": "Password"},
    "auth.password_again": {"zh-CN": "再次输入密码", "en": "Password again"},
    "auth.passwords_differ": {"zh-CN": "两次输入的密码不一致。", "en": "The two passwords differ."},
    "auth.invalid": {
        "zh-CN": "邮箱或密码不正确。连续失败 5 次后，账号会被锁定 15 分钟（管理员可解锁）。",
        "en": "Wrong e-mail or password. After 5 failed attempts in a row an account is locked "
        "for 15 minutes (an admin can unlock it).",
    },
    "auth.expired": {"zh-CN": "会话已过期，请重新登录。", "en": "Your session has ended. Please sign in again."},
    "auth.sso": {"zh-CN": "使用单点登录", "en": "Sign in with single sign-on"},
    "auth.sso_refused": {
        "zh-CN": "单点登录的邮箱没有对应的 Festa 账号，请联系管理员。",
        "en": "The single sign-on e-mail has no Festa account. Ask an admin to add you.",
    },
    "auth.first_admin": {"zh-CN": "创建第一个管理员", "en": "Create the first admin"},
    "auth.first_admin_help": {
        "zh-CN": "这是全新的 Festa：还没有任何账号。请创建管理员账号，之后由管理员添加其他人。",
        "en": "This Festa is new: no account exists yet. Create the admin account; the admin then adds everyone else.",
    },
    "auth.create_admin": {"zh-CN": "创建管理员", "en": "Create admin"},
    "auth.admin_exists": {"zh-CN": "已经存在账号，请登录。", "en": "An account exists already: please sign in."},
    "auth.denied": {
        "zh-CN": "你的角色无权执行此操作，已记录在审计日志中。",
        "en": "Your role may not do this. The attempt has been recorded in the audit log.",
    },
    "role.admin": {"zh-CN": "管理员", "en": "Admin"},
    "role.manager": {"zh-CN": "经理", "en": "Manager"},
    "role.marketer": {"zh-CN": "营销", "en": "Marketer"},
    "role.content": {"zh-CN": "内容", "en": "Content"},
    "role.analyst": {"zh-CN": "分析师", "en": "Analyst"},
    "password.policy": {
        "zh-CN": "至少 12 个字符，不含首尾空格，不包含邮箱用户名。",
        "en": "At least 12 characters, no leading or trailing spaces, not containing your e-mail name.",
    },
    "password.rejected": {"zh-CN": "密码不符合要求：{problems}", "en": "The password is not accepted: {problems}"},
    "password.too_short": {"zh-CN": "少于 12 个字符", "en": "shorter than 12 characters"},
    "password.too_long": {"zh-CN": "超过 256 个字符", "en": "longer than 256 characters"},
    "password.whitespace": {"zh-CN": "首尾有空格", "en": "starts or ends with a space"},
    "password.contains_email": {"zh-CN": "包含邮箱用户名", "en": "contains your e-mail name"},
    "password.too_simple": {"zh-CN": "不同字符太少", "en": "too few different characters"},
    "account.who": {"zh-CN": "{name} · {email} · {role}", "en": "{name} · {email} · {role}"},
    "account.change_password": {"zh-CN": "修改密码", "en": "Change password"},
    "account.change_required": {
        "zh-CN": "请先设置你自己的密码",
        "en": "Choose your own password first",
    },
    "account.current_password": {"zh-CN": "当前密码", "en": "Current password"},
    "account.new_password": {"zh-CN": "新密码", "en": "New password"},
    "account.changed": {"zh-CN": "密码已修改。", "en": "Your password has been changed."},
    "account.wrong_password": {"zh-CN": "当前密码不正确。", "en": "The current password is wrong."},
    "account.same_password": {
        "zh-CN": "新密码不能与当前密码相同。",
        "en": "The new password must differ from the current one.",
    },
    "account.bad_email": {"zh-CN": "邮箱地址无效。", "en": "That is not an e-mail address."},
    "account.bad_role": {"zh-CN": "未知角色。", "en": "Unknown role."},
    "account.email_taken": {"zh-CN": "该邮箱已有账号。", "en": "An account with this e-mail exists already."},
    "account.last_admin": {
        "zh-CN": "不能移除最后一个有效管理员。",
        "en": "The last active admin cannot be removed or demoted.",
    },
    "account.not_yourself": {"zh-CN": "不能停用你自己的账号。", "en": "You cannot deactivate your own account."},
    "account.no_such_user": {"zh-CN": "没有这个用户。", "en": "No such user."},
    "users.add": {"zh-CN": "添加用户", "en": "Add a user"},
    "users.change": {"zh-CN": "管理用户", "en": "Manage a user"},
    "users.save_role": {"zh-CN": "保存角色", "en": "Save role"},
    "users.reset_password": {"zh-CN": "重置密码", "en": "Reset password"},
    "users.deactivate": {"zh-CN": "停用", "en": "Deactivate"},
    "users.reactivate": {"zh-CN": "启用", "en": "Reactivate"},
    "users.unlock": {"zh-CN": "解锁", "en": "Unlock"},
    "users.password_once": {
        "zh-CN": "{email} 的一次性密码如下，仅显示这一次；对方首次登录时须修改。",
        "en": "One-time password for {email}, shown only now; it must be changed at first sign-in.",
    },
    "col.email": {"zh-CN": "邮箱", "en": "E-mail"},
    "col.role": {"zh-CN": "角色", "en": "Role"},
    "col.active": {"zh-CN": "有效", "en": "Active"},
    "col.locked_until": {"zh-CN": "锁定至", "en": "Locked until"},
    "col.must_change": {"zh-CN": "须改密码", "en": "Must change password"},
    "col.last_login": {"zh-CN": "最近登录", "en": "Last sign-in"},
    "col.connector": {"zh-CN": "连接器", "en": "Connector"},
    "col.updated": {"zh-CN": "更新于", "en": "Updated"},
    "col.entity": {"zh-CN": "对象", "en": "Entity"},
    "col.source": {"zh-CN": "来源", "en": "Source"},
    # channel credentials
    "credentials.help": {
        "zh-CN": "凭据加密保存（FESTA_SECRET_KEY），保存后不再显示，也不会出现在日志、导出或审计日志中。",
        "en": "Credentials are stored encrypted (FESTA_SECRET_KEY), never shown again after saving, "
        "and never written to logs, exports or the audit log.",
    },
    "credentials.none": {"zh-CN": "未设置", "en": "Not set"},
    "credentials.stored": {"zh-CN": "已加密保存", "en": "Stored, encrypted"},
    "credentials.unreadable": {"zh-CN": "无法解密", "en": "Cannot be decrypted"},
    "credentials.unreadable_help": {
        "zh-CN": "部分凭据无法用当前密钥解密（密钥被更换或丢失）。数据保持原样：请把旧密钥放回 "
        "FESTA_SECRET_KEY（新密钥之后），或重新填写这些账号的凭据。",
        "en": "Some credentials cannot be decrypted with the configured key (it was changed or lost). They are "
        "left intact: put the previous key back in FESTA_SECRET_KEY (after the new one), or enter them again.",
    },
    "credentials.set": {"zh-CN": "设置凭据", "en": "Set credentials"},
    "credentials.field": {"zh-CN": "字段名", "en": "Field"},
    "credentials.value": {"zh-CN": "值", "en": "Value"},
    "credentials.save": {"zh-CN": "加密保存", "en": "Save encrypted"},
    "credentials.clear": {"zh-CN": "清除凭据", "en": "Clear credentials"},
    "credentials.saved": {"zh-CN": "已加密保存。", "en": "Saved, encrypted."},
    "credentials.nothing": {"zh-CN": "没有填写任何值。", "en": "No value was entered."},
    # audit log
    "audit.actor": {"zh-CN": "操作人", "en": "Actor"},
    "audit.action": {"zh-CN": "操作", "en": "Action"},
    "audit.result": {"zh-CN": "结果", "en": "Result"},
    "audit.any": {"zh-CN": "全部", "en": "Any"},
    "audit.days": {"zh-CN": "日期范围（含首尾）", "en": "Days (inclusive)"},
    "audit.count": {"zh-CN": "{n} 条记录", "en": "{n} events"},
    "audit.newest_only": {
        "zh-CN": "（仅显示最新的记录；导出包含全部匹配记录）",
        "en": "(the newest are shown; an export holds every matching event)",
    },
    "audit.result_any": {"zh-CN": "全部", "en": "Any"},
    "audit.result_success": {"zh-CN": "成功", "en": "Success"},
    "audit.result_failure": {"zh-CN": "失败", "en": "Failure"},
    "audit.result_denied": {"zh-CN": "拒绝", "en": "Denied"},
    "audit.prepare_export": {"zh-CN": "导出（会记录在审计日志中）", "en": "Export (recorded in the audit log)"},
    "audit.download": {"zh-CN": "下载 CSV", "en": "Download CSV"},
    # data protection
    "privacy.hashing": {
        "zh-CN": "订单中的客户标识只以工作区加盐的哈希（HMAC-SHA256）保存，不保存原文。",
        "en": "Customer identifiers in orders are stored only as hashes keyed with the workspace salt "
        "(HMAC-SHA256), never as they were.",
    },
    "privacy.dataset": {"zh-CN": "数据集", "en": "Dataset"},
    "privacy.keep": {"zh-CN": "保留", "en": "Kept"},
    "privacy.days": {"zh-CN": "{n} 天", "en": "{n} days"},
    "privacy.forever": {"zh-CN": "一直保留（直到手动删除）", "en": "Until deleted by hand"},
    "privacy.keep_days": {"zh-CN": "保留天数", "en": "Days to keep"},
    "privacy.by": {"zh-CN": "设置人", "en": "Set by"},
    "privacy.save": {"zh-CN": "保存", "en": "Save"},
    "privacy.purge_note": {
        "zh-CN": "调度进程每小时删除超过保留期的数据，并记录在审计日志中。",
        "en": "The worker deletes what is older than its retention every hour, and records it in the audit log.",
    },
    "dataset.metric_daily": {"zh-CN": "每日指标", "en": "Daily metrics"},
    "dataset.customer_order": {"zh-CN": "订单", "en": "Orders"},
    "privacy.erase": {"zh-CN": "删除某位客户的全部数据", "en": "Delete everything about a customer"},
    "privacy.erase_help": {
        "zh-CN": "用于个人信息删除请求（PIPL 第 47 条、GDPR 第 17 条）。输入商店识别该客户所用的标识（邮箱、手机号、"
        "会员号）：Festa 按工作区加盐哈希查找并删除其订单。审计日志只记录删除数量，不记录标识或其哈希。",
        "en": "For erasure requests (PIPL Art. 47, GDPR Art. 17). Enter the identifier the shop knows the "
        "customer by (e-mail, phone, member id): Festa finds their orders by the salted hash and deletes "
        "them. The audit log keeps only the counts, never the identifier or its hash.",
    },
    "privacy.identifier": {"zh-CN": "客户标识", "en": "Customer identifier"},
    "privacy.confirm": {"zh-CN": "我确认要永久删除", "en": "I understand this cannot be undone"},
    "privacy.erase_button": {"zh-CN": "删除", "en": "Delete"},
    "privacy.confirm_needed": {
        "zh-CN": "请输入标识并勾选确认。",
        "en": "Enter the identifier and tick the confirmation.",
    },
    "privacy.erased": {"zh-CN": "已删除 {n} 条记录。", "en": "{n} records deleted."},
    "privacy.nothing_found": {
        "zh-CN": "没有找到该标识的数据（已记录此次请求）。请核对标识的写法。",
        "en": "Nothing was found for that identifier (the request is recorded). Check how it is written.",
    },
    "dataset.user_session": {"zh-CN": "登录会话", "en": "Sign-in sessions"},
    "setup.secret_key_format": {
        "zh-CN": "FESTA_SECRET_KEY（来自 {source}）的第 {index} 个密钥不是 Fernet 密钥 — "
        "用 `python -m app new-key` 生成",
        "en": "key #{index} of FESTA_SECRET_KEY (from {source}) is not a Fernet key (urlsafe base64 of 32 bytes) — "
        "generate one with `python -m app new-key`",
    },
    # campaign phases
    "phase.warm_up": {"zh-CN": "预热", "en": "Warm-up"},
    "phase.launch": {"zh-CN": "开门红", "en": "Launch"},
    "phase.peak": {"zh-CN": "高潮", "en": "Peak"},
    "phase.encore": {"zh-CN": "返场", "en": "Encore"},
    "phase.custom": {"zh-CN": "自定义", "en": "Custom"},
    # channels
    "channel.x": {"zh-CN": "X", "en": "X"},
    "channel.weibo": {"zh-CN": "微博", "en": "Weibo"},
    "channel.wechat": {"zh-CN": "微信公众号", "en": "WeChat OA"},
    "channel.douyin": {"zh-CN": "抖音", "en": "Douyin"},
    "channel.xiaohongshu": {"zh-CN": "小红书", "en": "Xiaohongshu"},
    "channel.telegram": {"zh-CN": "Telegram", "en": "Telegram"},
    "channel.email": {"zh-CN": "邮件", "en": "Email"},
    "channel.chat_bot": {"zh-CN": "群机器人", "en": "Chat-group bot"},
}
