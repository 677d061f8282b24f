"""Texts of the Compose, review and posts calendar pages."""


def _e(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en": en}


COMPOSE: dict[str, dict[str, str]] = {
    "nav.publish": _e("发布", "Publish"),
    "page.compose": _e("撰写内容", "Compose"),
    "page.review": _e("内容审核", "Review"),
    "page.posts_calendar": _e("发布日历", "Posts calendar"),
    # compose
    "compose.not_allowed": _e(
        "你的角色不能撰写内容（需要“内容”角色）。你可以在“内容审核”和“发布日历”中查看内容。",
        "Your role does not compose posts (the Content role does). You can read posts on Review and Posts calendar.",
    ),
    "compose.no_accounts": _e(
        "还没有渠道账号。请管理员在“渠道账号”中添加。",
        "No channel account yet. An admin adds them under Channel accounts.",
    ),
    "compose.accounts": _e("发布到哪些账号", "Accounts to post to"),
    "compose.campaign": _e("所属活动", "Campaign"),
    "compose.no_campaign": _e("（不属于任何活动）", "(no campaign)"),
    "compose.title": _e("标题", "Title"),
    "compose.body": _e("正文", "Text"),
    "compose.variants": _e("各账号的专属文案（可选）", "Own text per account (optional)"),
    "compose.variants_help": _e(
        "留空的账号使用上面的正文。",
        "An account left empty takes the text above.",
    ),
    "compose.pick_accounts_first": _e("请先选择账号。", "Choose accounts first."),
    "compose.variant_own": _e("专属文案", "own text"),
    "compose.variant_common": _e("通用正文", "common text"),
    "compose.count": _e("{account}（{which}）：{n} / {max}", "{account} ({which}): {n} / {max}"),
    "compose.count_no_limit": _e(
        "{account}（{which}）：{n}（该渠道不限字数）",
        "{account} ({which}): {n} (the channel sets no limit)",
    ),
    "compose.count_over": _e(
        "{account}（{which}）：{n} / {max}，超出 {over}",
        "{account} ({which}): {n} / {max}, {over} over the limit",
    ),
    "compose.media": _e("图片或视频", "Pictures or videos"),
    "compose.link": _e("链接", "Link"),
    "compose.link_help": _e(
        "保存时会自动为链接（以及正文中的链接）加上所选活动的 UTM 参数（utm_source=渠道，utm_campaign=活动）。",
        "When saved, the link (and any link in the text) is tagged automatically with the campaign's UTM "
        "parameters (utm_source = the channel, utm_campaign = the campaign).",
    ),
    "compose.link_untagged": _e(
        "未选择活动：链接将原样发布，不加 UTM 参数。",
        "No campaign chosen: the link goes out as it is, without UTM tags.",
    ),
    "compose.timed": _e("设定发布时间", "Set a time"),
    "compose.date": _e("日期", "Date"),
    "compose.time": _e("时间", "Time"),
    "compose.timezone": _e("时区", "Time zone"),
    "compose.fold": _e("这个时间出现两次，请选择", "This time happens twice: which one?"),
    "compose.fold_earlier": _e("较早的一次（{at}）", "The earlier one ({at})"),
    "compose.fold_later": _e("较晚的一次（{at}）", "The later one ({at})"),
    "compose.repeat": _e("重复发布", "Repeat"),
    "compose.frequency": _e("频率", "Every"),
    "compose.daily": _e("每天", "Day"),
    "compose.weekly": _e("每周", "Week"),
    "compose.interval": _e("间隔（天/周）", "Interval (days or weeks)"),
    "compose.occurrences": _e("次数", "Occurrences"),
    "compose.repeat_help": _e(
        "每次都在同一当地时间发布；一次最多 {most} 次。落在夏令时切换中的那次不会被猜测，会提示出来。",
        "Each goes out at the same local time; at most {most} at once. One that falls into a clock change is "
        "never guessed: you are told.",
    ),
    "compose.assignee": _e("负责人（手动发布的账号）", "Assignee (accounts posted by hand)"),
    "compose.assignee_help": _e(
        "这些账号需要有人手动发布：{accounts}",
        "A person posts these by hand: {accounts}",
    ),
    "compose.preview": _e("各渠道预览", "Preview per channel"),
    "compose.preview_media": _e("附带 {n} 个媒体文件", "With {n} media files"),
    "compose.save_draft": _e("保存为草稿", "Save as draft"),
    "compose.save_submit": _e("保存并提交审核", "Save and submit for review"),
    "compose.saved": _e("已保存 {n} 篇草稿。", "Drafts saved: {n}."),
    "compose.submitted": _e("已保存 {n} 篇并提交审核。", "Saved and submitted for review: {n}."),
    "posts.choose": _e("全部", "All"),
    "compose.open_post": _e("审核 #{post}", "Review #{post}"),
    "compose.use_suggested": _e("改用 {at}", "Use {at} instead"),
    "compose.problem": _e("{where}：{what}", "{where}: {what}"),
    # where a problem is
    "compose_field.accounts": _e("账号", "Accounts"),
    "compose_field.body": _e("正文", "Text"),
    "compose_field.title": _e("标题", "Title"),
    "compose_field.variant": _e("文案", "Text"),
    "compose_field.media": _e("媒体文件", "Media"),
    "compose_field.assignee": _e("负责人", "Assignee"),
    "compose_field.local_time": _e("发布时间", "Time"),
    "compose_field.recurrence": _e("重复", "Repeat"),
    "compose_field.campaign": _e("活动", "Campaign"),
    "compose_field.phase": _e("阶段", "Phase"),
    "compose_field.post": _e("内容", "Post"),
    "compose_field.comment": _e("意见", "Comment"),
    "compose_field.url": _e("链接", "Link"),
    "compose_field.link": _e("链接", "Link"),
    "compose_field.timezone": _e("时区", "Time zone"),
    # what is wrong
    "compose_error.unknown": _e("无法保存（{code}）。", "cannot be saved ({code})."),
    "compose.phase": _e("阶段", "Phase"),
    "compose.no_phase": _e("（不关联阶段）", "(no phase)"),
    "compose_error.in_past": _e("这个时间已经过去。", "that time has passed."),
    "compose_error.not_local": _e("请填写当地时间（不带时区）。", "give a local time (without a zone)."),
    "compose_error.too_many_occurrences": _e(
        "一次最多生成 {limit} 次重复。", "a recurring post makes at most {limit} posts at once."
    ),
    "compose_error.required": _e("必填。", "required."),
    "compose_error.empty": _e("请填写内容（或附上媒体）。", "is empty: write something (or attach media)."),
    "compose_error.no_such_account": _e("账号 {account} 不存在。", "there is no account {account}."),
    "compose_error.no_such_campaign": _e("活动 {campaign} 不存在。", "there is no campaign {campaign}."),
    "compose_error.not_in_campaign": _e("该阶段不属于所选活动。", "that phase is not part of the campaign."),
    "compose_error.needs_campaign": _e("选择阶段前请先选择活动。", "choose a campaign before a phase."),
    "compose_error.no_such_media": _e(
        "某个媒体文件已不存在，请重新上传。", "a media file is no longer there: upload it again."
    ),
    "compose_error.no_such_post": _e("内容 #{post} 不存在。", "there is no post #{post}."),
    "compose_error.too_long": _e(
        "{length} 字，超过该渠道上限 {max}。", "{length} characters, more than the channel's {max}."
    ),
    "compose_error.comment_too_long": _e("最多 {limit} 字。", "at most {limit} characters."),
    "compose_error.title_too_long": _e(
        "标题 {length} 字，超过该渠道上限 {max}。", "the title has {length} characters, more than the channel's {max}."
    ),
    "compose_error.hashtag_not_allowed": _e(
        "该渠道不允许在正文中使用 #话题#。", "this channel does not allow #topic# tags in the text."
    ),
    "compose_error.media_type": _e(
        "第 {index} 个文件的类型该渠道不支持。", "file {index} is of a type this channel does not take."
    ),
    "compose_error.media_empty": _e("第 {index} 个文件是空的。", "file {index} is empty."),
    "compose_error.media_too_big": _e(
        "第 {index} 个文件太大（上限 {max}）。", "file {index} is too big (at most {max})."
    ),
    "compose_error.too_many_media": _e(
        "{count} 个文件，该渠道最多 {max} 个。", "{count} files; this channel takes at most {max}."
    ),
    "compose_error.mixed_media": _e(
        "该渠道不能在一篇中混合图片和视频。", "this channel does not mix pictures and videos in one post."
    ),
    "compose_error.media_not_allowed": _e("该渠道只发文字，不能附带媒体。", "this channel takes text only, no media."),
    "compose_error.media_required": _e("该渠道必须附带图片或视频。", "this channel needs a picture or a video."),
    "compose_error.media_total_too_big": _e(
        "附件合计 {size}，超过上限 {max}。", "the attachments come to {size}, more than {max} together."
    ),
    "compose_error.media_type_mismatch": _e(
        "第 {index} 个文件的内容与其类型不符。", "file {index} is not what its type says."
    ),
    "compose_error.nonexistent_time": _e(
        "{zone} 的 {local} 不存在：时钟在 {gap_start} 直接跳到 {gap_end}（夏令时）。建议改为 {suggested}。",
        "{local} does not exist in {zone}: the clocks jump from {gap_start} to {gap_end} (daylight saving time). "
        "Try {suggested}.",
    ),
    "compose_error.ambiguous_time": _e(
        "{zone} 的 {local} 出现两次：时钟在 {fold_end} 拨回到 {fold_start}（夏令时结束）。"
        "较早的一次是 {earlier_utc}，较晚的一次是 {later_utc}。",
        "{local} happens twice in {zone}: the clocks go back from {fold_end} to {fold_start} (daylight saving "
        "time ends). The earlier is {earlier_utc}, the later {later_utc}.",
    ),
    "compose_error.unknown_zone": _e("{zone} 不是 IANA 时区。", "{zone} is not an IANA time zone."),
    "compose_error.changed_meanwhile": _e(
        "内容 #{post} 刚被别人修改过，请重新查看后再操作。",
        "post #{post} was changed meanwhile: look at it again, then try once more.",
    ),
    "compose_error.not_now": _e("状态为“{state}”时不能{action}。", "cannot {action} while it is “{state}”."),
    "compose_error.not_approved": _e(
        "该版本尚未批准（修改后批准失效），请先提交审核。",
        "this revision is not approved (an edit lapses an approval): submit it for review first.",
    ),
    "compose_error.own_post": _e(
        "不能批准自己撰写的内容（四眼原则），请另一位经理批准。",
        "nobody approves their own post (four eyes): another manager must approve it.",
    ),
    "compose_error.not_a_link": _e("请填写以 https:// 开头的链接。", "enter a link that starts with https://."),
    "compose_error.bad_interval": _e("间隔须在 {min} 到 {max} 之间。", "the interval must be from {min} to {max}."),
    "compose_error.bad_count": _e(
        "次数须在 {min} 到 {max} 之间。", "the number of occurrences must be from {min} to {max}."
    ),
    "compose_error.bad_frequency": _e("只能按天或按周重复。", "repeats are daily or weekly."),
    "compose_error.until_and_count": _e("结束日期和次数只能选一个。", "give an end date or a count, not both."),
    "compose_error.until_before_start": _e("结束日期早于首次发布。", "the end date is before the first post."),
    "compose_error.bad_limit": _e("重复次数无效。", "the series limit is not valid."),
    # actions (for "cannot ... now")
    "post_action.edit": _e("修改", "edit"),
    "post_action.submit": _e("提交审核", "submit"),
    "post_action.approve": _e("批准", "approve"),
    "post_action.request_changes": _e("退回修改", "request changes"),
    "post_action.schedule": _e("排期", "schedule"),
    "post_action.unschedule": _e("取消排期", "unschedule"),
    "post_action.move": _e("改期", "move"),
    "post_action.cancel": _e("作废", "cancel"),
    "post_action.retry": _e("重试", "retry"),
    "post_action.resolve_sent": _e("确认已发布", "mark as sent"),
    "post_action.resolve_not_sent": _e("确认未发布", "mark as not sent"),
    # history events
    "post_event.created": _e("创建", "Created"),
    "post_event.edited": _e("修改", "Edited"),
    "post_event.comment": _e("意见", "Comment"),
    "post_event.submitted": _e("提交审核", "Submitted for review"),
    "post_event.approved": _e("批准", "Approved"),
    "post_event.changes_requested": _e("退回修改", "Changes requested"),
    "post_event.approval_lapsed": _e("批准失效", "Approval lapsed"),
    "post_event.scheduled": _e("排期", "Scheduled"),
    "post_event.unscheduled": _e("取消排期", "Unscheduled"),
    "post_event.moved": _e("改期", "Moved"),
    "post_event.cancelled": _e("作废", "Cancelled"),
    "post_event.retried": _e("重试", "Retried"),
    "post_event.resolved": _e("人工确认", "Resolved by a person"),
    "post_event.sent": _e("已发布", "Sent"),
    "post_event.handed_off": _e("已交给专人发布", "Handed off"),
    "post_event.rate_limited": _e("触发频率限制", "Rate limited"),
    "post_event.retry": _e("等待重试", "Will retry"),
    "post_event.failed": _e("失败", "Failed"),
    "post_event.unknown": _e("结果未知", "Outcome unknown"),
    "post_event.missed": _e("错过发布时间", "Missed"),
    "post_event.lease_lost": _e("调度租约过期", "Lease lost"),
    # review
    "review.queue": _e("待审核（{n}）", "Waiting for review ({n})"),
    "review.queue_empty": _e("没有待审核的内容。", "Nothing is waiting for review."),
    "review.open": _e("审核", "Review"),
    "review.open_text": _e("打开", "Open"),
    "review.campaign": _e("活动", "Campaign"),
    "review.pick": _e("查看内容", "Post"),
    "review.no_posts": _e("还没有任何内容。", "No posts yet."),
    "review.no_such_post": _e("内容 #{post} 不存在。", "There is no post #{post}."),
    "review.post_heading": _e("#{post} · {title}", "#{post} · {title}"),
    "review.meta": _e(
        "{account} · {state} · 第 {revision} 版 · 活动：{campaign}",
        "{account} · {state} · revision {revision} · campaign: {campaign}",
    ),
    "review.when": _e("发布时间：{at}（{zone}）", "Goes out: {at} ({zone})"),
    "review.when_here": _e("工作区时间：{at}（{zone}）", "Workspace time: {at} ({zone})"),
    "review.no_time": _e("尚未设定发布时间。", "No time set yet."),
    "review.approved_revision": _e("第 {revision} 版已批准。", "Revision {revision} is approved."),
    "review.approval_lapsed": _e("批准已失效：修改后需重新审核。", "The approval has lapsed: it was edited since."),
    "review.last_error": _e("上次发送的问题：{error}", "Last send problem: {error}"),
    "review.media": _e("媒体文件：{files}", "Media: {files}"),
    "review.assignee": _e("负责人：{who}", "Assignee: {who}"),
    "review.published_at": _e("已发布：{url}", "Published: {url}"),
    "review.decide": _e("审核", "Decide"),
    "review.own_post": _e(
        "这是你撰写的内容：须由另一位经理批准（四眼原则）。",
        "You wrote this post: another manager must approve it (four eyes).",
    ),
    "review.decision_comment": _e("意见", "Comment"),
    "review.decision_help": _e(
        "批准时意见可选；退回修改必须写明意见。",
        "A comment is optional when approving and required when requesting changes.",
    ),
    "review.approve": _e("批准", "Approve"),
    "review.request_changes": _e("退回修改", "Request changes"),
    "review.actions": _e("操作", "Actions"),
    "review.submit": _e("提交审核", "Submit for review"),
    "review.schedule": _e("排期", "Schedule"),
    "review.unschedule": _e("取消排期", "Unschedule"),
    "review.retry": _e("重试", "Retry"),
    "review.edit": _e("修改文案", "Edit the text"),
    "review.edit_lapses": _e(
        "保存修改后，之前的批准失效，内容需重新审核。",
        "Saving an edit lapses the approval: the post goes back to review.",
    ),
    "review.save_edit": _e("保存修改", "Save edit"),
    "review.cancel": _e("作废", "Cancel the post"),
    "review.cancel_reason": _e("原因（可选）", "Reason (optional)"),
    "review.cancel_button": _e("作废此内容", "Cancel this post"),
    "review.history": _e("历史", "History"),
    "review.no_history": _e("没有历史记录。", "No history."),
    "review.actor": _e("操作人", "By"),
    "review.event": _e("事件", "Event"),
    "review.revision": _e("版本", "Revision"),
    "review.comment": _e("意见", "Comment"),
    "review.add_comment": _e("添加意见", "Add a comment"),
    "review.comment_button": _e("发表意见", "Comment"),
    "review.attempts": _e("发送记录", "Send attempts"),
    "review.no_attempts": _e("还没有发送过。", "Not sent yet."),
    "review.attempt": _e("次序", "Attempt"),
    "review.finished": _e("结束于", "Finished"),
    "review.outcome": _e("结果", "Outcome"),
    "review.approved_done": _e("#{post} 已批准。", "#{post} approved."),
    "review.changes_done": _e("#{post} 已退回修改。", "#{post} sent back for changes."),
    "review.submitted_done": _e("#{post} 已提交审核。", "#{post} submitted for review."),
    "review.scheduled_done": _e("#{post} 已排期。", "#{post} scheduled."),
    "review.unscheduled_done": _e("#{post} 已取消排期。", "#{post} unscheduled."),
    "review.retried_done": _e("#{post} 将重试。", "#{post} will be tried again."),
    "review.edited_done": _e("#{post} 已修改。", "#{post} edited."),
    "review.cancelled_done": _e("#{post} 已作废。", "#{post} cancelled."),
    "review.commented_done": _e("已为 #{post} 添加意见。", "Comment added to #{post}."),
    # posts calendar
    "posts.all_campaigns": _e("全部活动", "All campaigns"),
    "posts.campaign": _e("活动", "Campaign"),
    "posts.channels": _e("渠道", "Channels"),
    "posts.states": _e("状态", "States"),
    "posts.view": _e("视图", "View"),
    "posts.week": _e("周", "Week"),
    "posts.month": _e("月", "Month"),
    "posts.prev": _e("◀ 上一页", "◀ Previous"),
    "posts.today": _e("今天", "Today"),
    "posts.next": _e("下一页 ▶", "Next ▶"),
    "posts.range": _e("{start} 至 {end}（含首尾，{zone}）", "{start} to {end} (inclusive, {zone})"),
    "posts.day_count": _e("{day} 日 · {n} 篇", "{day} · {n} posts"),
    "posts.list": _e("本期内容（{n}）", "Posts in this period ({n})"),
    "posts.none_in_range": _e("这段时间没有内容。", "No post in this period."),
    "posts.review": _e("审核页", "Review page"),
    "posts.review_text": _e("打开", "Open"),
    "posts.move": _e("改期", "Move a post"),
    "posts.move_which": _e("内容", "Post"),
    "posts.move_zone": _e("时区：{zone}", "Time zone: {zone}"),
    "posts.move_button": _e("改到这个时间", "Move to this time"),
    "posts.moved": _e("#{post} 已改到 {at}（{zone}）。", "#{post} moved to {at} ({zone})."),
    "posts.open_review": _e("在审核页打开 #{post}", "Open #{post} on the review page"),
    "posts.unscheduled": _e("未定时间的内容（{n}）", "Posts without a time ({n})"),
    "posts.unscheduled_help": _e(
        "草稿和待审核的内容批准后才能在日历上改期。",
        "Drafts and posts in review can be moved on the calendar once approved.",
    ),
    "posts.no_unscheduled": _e("所有内容都已设定时间。", "Every post has a time."),
}
