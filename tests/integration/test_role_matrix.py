"""Every guarded service operation, called as every role: allowed exactly where the matrix says."""

import importlib
import pkgutil
from datetime import UTC, date, datetime, timedelta

import pytest

import app.services
from app.services import (
    accounts,
    audit_log,
    auth,
    budgets,
    campaign_detail,
    channel_accounts,
    coupons,
    festivals,
    flash_sales,
    group_buys,
    handoffs,
    health,
    import_mappings,
    imports,
    kol_deals,
    kol_results,
    kol_roster,
    kol_schedule,
    measure,
    offer_exchange,
    offers,
    overview,
    planning,
    post_csv,
    posts,
    presales,
    privacy,
    promotion_estimate,
    publish_views,
    secrets,
)
from app.services.auth import OPERATIONS, AccessDenied, Actor
from campaigns.access import MATRIX, Role, allows
from campaigns.calendar import Windows
from data.models import AuditEvent, ChannelAccount, Workspace
from tests.conftest import NOW

# import every service module so that OPERATIONS holds every guarded operation
for mod in pkgutil.iter_modules(app.services.__path__):
    importlib.import_module(f"app.services.{mod.name}")


@pytest.fixture
def world(container):
    """One account per role, a second user to act upon, a channel account."""
    c = container
    with c.uow(write=True) as uow:
        ws = uow.workspaces.add(
            Workspace(slug="w", name="w", timezone="UTC", currency="CNY", created_at=NOW, salt="00" * 32)
        )
        acct = uow.channel_accounts.add(
            ChannelAccount(workspace_id=ws.id, connector="sandbox", channel="x", name="@shop", timezone="UTC")
        )
    actors = {}
    for role in Role:
        user, _ = accounts.create_user(c, Actor.system(), f"{role}@t.test", role, role)
        with c.uow(write=True) as uow:
            uow.users.get(user.id).must_change_password = False
        actors[role] = Actor(user.id, user.email, user.name, role)
    target, _ = accounts.create_user(c, Actor.system(), "target@t.test", "Target", "content")
    return c, actors, target.id, acct.id


def _remove_any(c, actor):
    """Remove a custom festival made for the purpose (by the system, so only the removal is tested)."""
    fid = festivals.add_custom(c, Actor.system(), "tmp", date(2026, 1, 1), date(2026, 1, 1), "UTC", "CN")
    festivals.remove_custom(c, actor, fid)


def _draft(c):
    return planning.create_from_template(c, Actor.system(), "day_618", 2027, "618 draft", 100)


def _any_plan(c):
    cid = _draft(c)
    return cid, next(k.plan for k in planning.campaigns(c, Actor.system()) if k.id == cid)


def _template(c):
    return f"user:{planning.save_as_template(c, Actor.system(), _draft(c), f'tpl {_draft(c)}')}"


def _commitment(c):
    cid = _draft(c)
    return cid, budgets.commit(c, Actor.system(), cid, "douyin", None, date(2027, 6, 1), 1)


def _batch(c):
    return coupons.create_batch(c, Actor.system(), "d11-coupon", "matrix", 2, "single_use").id


def _code(c):
    with c.uow() as uow:
        return next(code for code, _, _ in uow.coupons.codes_of(_batch(c)))


def _redeemed(c):
    code = _code(c)
    coupons.redeem(c, Actor.system(), code, "order-1")
    return code, "order-1"


def _stock(c, n=iter(range(1_000_000))):
    key = f"seckill-{next(n)}"
    flash_sales.set_stock(c, Actor.system(), key, 10)
    return key


def _reserved(c):
    key = _stock(c)
    flash_sales.reserve(c, Actor.system(), key, "order-1", "buyer@t.test", 1)
    return key, "order-1"


def _offer(key):
    from campaigns.promotions import rules

    return rules.Offer(key, key, "CNY", rules.Stage.SHOP, rules.AmountOff(100))


def _cart():
    from campaigns.promotions.cart import Cart, Line

    return Cart("CNY", (Line("l", "p", 100, 1),))


def _context():
    from campaigns.promotions.cart import Context

    return Context(NOW)


def _group_rule(c):
    with c.uow() as uow:
        ws = uow.workspaces.current()
        if uow.groups.rule(ws.id, "matrix") is None:
            group_buys.define_rule(c, Actor.system(), "matrix", "m", 3, 60, 1, 1)
    return "matrix"


def _group(c):
    return group_buys.open_group(c, Actor.system(), _group_rule(c), "leader@t.test").group_id


def _saved_offer(c):
    offers.save(c, Actor.system(), _offer("paused"))
    return "paused"


PRESALE_WINDOWS = (NOW - timedelta(days=1), NOW + timedelta(days=1), NOW + timedelta(days=2), NOW + timedelta(days=3))


def _presale(c):
    with c.uow() as uow:
        if uow.presales.get(uow.workspaces.current().id, "matrix") is None:
            presales.define(c, Actor.system(), "matrix", 100, 200, *PRESALE_WINDOWS)
    return "matrix"


def _deposit(c, n=iter(range(1_000_000))):
    ref = f"presale-{next(n)}"
    presales.pay_deposit(c, Actor.system(), _presale(c), ref, "buyer@t.test")
    return ref


def _rules_doc(key):
    from campaigns.promotions.exchange import rules_to_json

    return rules_to_json([_offer(key)])


def _assumptions():
    from decimal import Decimal

    from campaigns.promotions.estimate import Assumptions, Basket

    return Assumptions(10, (Basket("b", Decimal(100), _cart()),), Decimal(40), NOW)


def _post(c, ch, state="draft"):
    """A post made by the system and put in ``state`` (its approval holding where the state needs one)."""
    from sqlalchemy import update

    from data.models import Post

    [pid] = posts.compose_posts(
        c, Actor.system(), posts.Draft("matrix", (ch,), local_time=datetime(2027, 1, 5, 10), timezone="UTC")
    )
    approved = 1 if state in ("approved", "scheduled", "failed") else None
    with c.uow(write=True) as uow:
        uow.session.execute(update(Post).where(Post.id == pid).values(state=state, approved_revision=approved))
    return pid


def _png():
    return b"\x89PNG\r\n\x1a\n" + b"\0" * 64


# operation -> how to call it (c, actor, target user id, channel account id)
CALLS = {
    "accounts.list_users": lambda c, a, u, ch: accounts.list_users(c, a),
    "accounts.create_user": lambda c, a, u, ch: accounts.create_user(c, a, f"new-{a.role}@t.test", "N", "analyst"),
    "accounts.set_role": lambda c, a, u, ch: accounts.set_role(c, a, u, "analyst"),
    "accounts.set_active": lambda c, a, u, ch: accounts.set_active(c, a, u, True),
    "accounts.reset_password": lambda c, a, u, ch: accounts.reset_password(c, a, u),
    "accounts.unlock": lambda c, a, u, ch: accounts.unlock(c, a, u),
    "audit_log.events": lambda c, a, u, ch: audit_log.events(c, a, audit_log.AuditFilter()),
    "audit_log.actions": lambda c, a, u, ch: audit_log.actions(c, a),
    "audit_log.export_csv": lambda c, a, u, ch: audit_log.export_csv(c, a, audit_log.AuditFilter()),
    "health.status": lambda c, a, u, ch: health.status(c, a),
    "overview.get_overview": lambda c, a, u, ch: overview.get_overview(c, a, now=NOW),
    "privacy.retention": lambda c, a, u, ch: privacy.retention(c, a),
    "privacy.set_retention": lambda c, a, u, ch: privacy.set_retention(c, a, "metric_daily", 400),
    "privacy.erase_customer": lambda c, a, u, ch: privacy.erase_customer(c, a, "13800138000"),
    "festivals.year_view": lambda c, a, u, ch: festivals.year_view(c, a, 2026),
    "festivals.add_custom": lambda c, a, u, ch: festivals.add_custom(
        c, a, "店庆", date(2026, 8, 8), date(2026, 8, 8), "Asia/Shanghai", "CN"
    ),
    "festivals.remove_custom": lambda c, a, u, ch: _remove_any(c, a),
    "planning.campaigns": lambda c, a, u, ch: planning.campaigns(c, a),
    "planning.create_from_template": lambda c, a, u, ch: planning.create_from_template(
        c, a, "double_11", 2027, f"D11 {a.role}", 100
    ),
    "planning.save": lambda c, a, u, ch: planning.save(c, a, *_any_plan(c)),
    "planning.copy_to_year": lambda c, a, u, ch: planning.copy_to_year(c, a, _any_plan(c)[0], 2028),
    "planning.set_status": lambda c, a, u, ch: planning.set_status(c, a, _draft(c), "planned"),
    "planning.template_choices": lambda c, a, u, ch: planning.template_choices(c, a),
    "planning.save_as_template": lambda c, a, u, ch: planning.save_as_template(c, a, _draft(c), f"T {a.role}"),
    "planning.remove_template": lambda c, a, u, ch: planning.remove_template(c, a, _template(c)),
    "budgets.view": lambda c, a, u, ch: budgets.view(c, a, _draft(c)),
    "budgets.commit": lambda c, a, u, ch: budgets.commit(c, a, _draft(c), "douyin", None, date(2027, 6, 1), 100),
    "budgets.uncommit": lambda c, a, u, ch: budgets.uncommit(c, a, *_commitment(c)),
    "campaign_detail.choices": lambda c, a, u, ch: campaign_detail.choices(c, a),
    "campaign_detail.detail": lambda c, a, u, ch: campaign_detail.detail(c, a, _draft(c)),
    "festivals.set_windows": lambda c, a, u, ch: festivals.set_windows(c, a, Windows()),
    "group_buys.define_rule": lambda c, a, u, ch: group_buys.define_rule(c, a, f"g-{a.role}", "g", 3, 60, 1, 1),
    "group_buys.open_group": lambda c, a, u, ch: group_buys.open_group(c, a, _group_rule(c), "x@t.test"),
    "group_buys.join": lambda c, a, u, ch: group_buys.join(c, a, _group(c), "y@t.test"),
    "group_buys.groups": lambda c, a, u, ch: group_buys.groups(c, a),
    "group_buys.rules": lambda c, a, u, ch: group_buys.rules(c, a),
    "offers.offers": lambda c, a, u, ch: offers.offers(c, a),
    "offers.save": lambda c, a, u, ch: offers.save(c, a, _offer(f"o-{a.role}")),
    "offers.set_active": lambda c, a, u, ch: offers.set_active(c, a, _saved_offer(c), False),
    "offers.quote_cart": lambda c, a, u, ch: offers.quote_cart(c, a, _cart(), _context()),
    "secrets.set_credentials": lambda c, a, u, ch: secrets.set_credentials(c, a, ch, {"token": "abc"}),
    "secrets.clear_credentials": lambda c, a, u, ch: secrets.clear_credentials(c, a, ch),
    "secrets.statuses": lambda c, a, u, ch: secrets.statuses(c, a),
    "coupons.create_batch": lambda c, a, u, ch: coupons.create_batch(c, a, "d11-coupon", "B", 3, "single_use"),
    "coupons.batches": lambda c, a, u, ch: coupons.batches(c, a),
    "coupons.export_batch": lambda c, a, u, ch: coupons.export_batch(c, a, _batch(c), "shopify"),
    "coupons.redeem": lambda c, a, u, ch: coupons.redeem(c, a, _code(c), "order-9", "buyer@t.test"),
    "coupons.release": lambda c, a, u, ch: coupons.release(c, a, *_redeemed(c)),
    "flash_sales.set_stock": lambda c, a, u, ch: flash_sales.set_stock(c, a, "seckill-tea", 100, 2, 2),
    "flash_sales.stocks": lambda c, a, u, ch: flash_sales.stocks(c, a),
    "flash_sales.reserve": lambda c, a, u, ch: flash_sales.reserve(c, a, _stock(c), "order-9", "buyer@t.test", 1),
    "flash_sales.release": lambda c, a, u, ch: flash_sales.release(c, a, *_reserved(c)),
    "offer_exchange.find_campaign": lambda c, a, u, ch: offer_exchange.find_campaign(c, a, str(_draft(c))),
    "offer_exchange.export_rules": lambda c, a, u, ch: offer_exchange.export_rules(c, a, _draft(c)),
    "offer_exchange.import_rules": lambda c, a, u, ch: offer_exchange.import_rules(
        c, a, _draft(c), _rules_doc(f"imported-{a.role}")
    ),
    "post_csv.import_posts": lambda c, a, u, ch: post_csv.import_posts(
        c, a, b"account,body\r\n@shop,hi\r\n", "m.csv", dry_run=True
    ),
    "post_csv.export_posts": lambda c, a, u, ch: post_csv.export_posts(c, a, NOW, NOW + timedelta(days=1)),
    "posts.compose_posts": lambda c, a, u, ch: posts.compose_posts(c, a, posts.Draft("hi", (ch,))),
    "posts.edit": lambda c, a, u, ch: posts.edit(c, a, _post(c, ch), 1, body="changed"),
    "posts.submit": lambda c, a, u, ch: posts.submit(c, a, _post(c, ch)),
    "posts.approve": lambda c, a, u, ch: posts.approve(c, a, _post(c, ch, "in_review"), 1),
    "posts.request_changes": lambda c, a, u, ch: posts.request_changes(c, a, _post(c, ch, "in_review"), 1, "why"),
    "posts.schedule": lambda c, a, u, ch: posts.schedule(c, a, _post(c, ch, "approved")),
    "posts.unschedule": lambda c, a, u, ch: posts.unschedule(c, a, _post(c, ch, "scheduled")),
    "posts.move": lambda c, a, u, ch: posts.move(c, a, _post(c, ch, "scheduled"), datetime(2027, 1, 6, 9), "UTC"),
    "posts.cancel": lambda c, a, u, ch: posts.cancel(c, a, _post(c, ch)),
    "posts.retry": lambda c, a, u, ch: posts.retry(c, a, _post(c, ch, "failed")),
    "posts.resolve": lambda c, a, u, ch: posts.resolve(c, a, _post(c, ch, "unknown"), True),
    "posts.comment": lambda c, a, u, ch: posts.comment(c, a, _post(c, ch), "looks good"),
    "publish_views.calendar": lambda c, a, u, ch: publish_views.calendar(c, a, NOW, NOW + timedelta(days=7)),
    "publish_views.unscheduled": lambda c, a, u, ch: publish_views.unscheduled(c, a),
    "publish_views.review_queue": lambda c, a, u, ch: publish_views.review_queue(c, a),
    "publish_views.detail": lambda c, a, u, ch: publish_views.detail(c, a, _post(c, ch)),
    "publish_views.health": lambda c, a, u, ch: publish_views.health(c, a),
    "handoffs.waiting": lambda c, a, u, ch: handoffs.waiting(c, a),
    "handoffs.mine": lambda c, a, u, ch: handoffs.mine(c, a),
    "kol_schedule.deliverables_between": lambda c, a, u, ch: kol_schedule.deliverables_between(
        c, a, NOW, NOW + timedelta(days=7)
    ),
    "kol_schedule.reminders": lambda c, a, u, ch: kol_schedule.reminders(c, a),
    "kol_schedule.mine": lambda c, a, u, ch: kol_schedule.mine(c, a),
    "publish_views.phases": lambda c, a, u, ch: publish_views.phases(c, a, 1),
    "publish_views.outbox": lambda c, a, u, ch: publish_views.outbox(c, a),
    "publish_views.add_media": lambda c, a, u, ch: publish_views.add_media(c, a, "p.png", "image/png", _png()),
    "channel_accounts.accounts": lambda c, a, u, ch: channel_accounts.accounts(c, a),
    "channel_accounts.add_account": lambda c, a, u, ch: channel_accounts.add_account(
        c, a, f"acct-{a.role}", "sandbox", "x", "UTC"
    ),
    "channel_accounts.update_settings": lambda c, a, u, ch: channel_accounts.update_settings(
        c, a, ch, timezone="UTC", max_per_hour=10, max_per_day=None, max_lateness_minutes=None
    ),
    "channel_accounts.test_connection": lambda c, a, u, ch: channel_accounts.test_connection(c, a, ch),
    "presales.define": lambda c, a, u, ch: presales.define(c, a, f"p-{a.role}", 100, 200, *PRESALE_WINDOWS),
    "presales.pay_deposit": lambda c, a, u, ch: presales.pay_deposit(c, a, _presale(c), "order-9", "buyer@t.test"),
    "presales.pay_final": lambda c, a, u, ch: presales.pay_final(c, a, _presale(c), _deposit(c), 300),
    "presales.cancel": lambda c, a, u, ch: presales.cancel(c, a, _presale(c), _deposit(c)),
    "presales.presales": lambda c, a, u, ch: presales.presales(c, a),
    "promotion_estimate.offers_for": lambda c, a, u, ch: promotion_estimate.offers_for(c, a, _draft(c)),
    "promotion_estimate.history": lambda c, a, u, ch: promotion_estimate.history(c, a, _draft(c)),
    "promotion_estimate.run": lambda c, a, u, ch: promotion_estimate.run(c, a, _draft(c), _assumptions()),
    "promotion_estimate.commit": lambda c, a, u, ch: promotion_estimate.commit(c, a, _draft(c), _assumptions()),
    "imports.preview": lambda c, a, u, ch: imports.preview(c, a, "x.csv", ADS_CSV),
    "imports.commit": lambda c, a, u, ch: imports.commit(c, a, _preview(c)),
    "imports.undo": lambda c, a, u, ch: imports.undo(c, a, _import_batch(c)),
    "imports.batches": lambda c, a, u, ch: imports.batches(c, a),
    "imports.unassigned": lambda c, a, u, ch: imports.unassigned(c, a),
    "imports.assign": lambda c, a, u, ch: imports.assign(c, a, _unassigned(c), _draft(c)),
    "imports.add_rule": lambda c, a, u, ch: imports.add_rule(c, a, "campaign", "contains", f"r-{a.role}", _draft(c)),
    "imports.rules": lambda c, a, u, ch: imports.rules(c, a),
    "imports.remove_rule": lambda c, a, u, ch: imports.remove_rule(c, a, _rule(c)),
    "import_mappings.layout": lambda c, a, u, ch: import_mappings.layout(c, a, "x.csv", ADS_CSV),
    "import_mappings.save": lambda c, a, u, ch: import_mappings.save(
        c, a, "m", ["Day", "Clicks"], {"day": "Day", "clicks": "Clicks"}
    ),
    "import_mappings.saved": lambda c, a, u, ch: import_mappings.saved(c, a),
    "measure.report": lambda c, a, u, ch: measure.report(c, a),
    "measure.campaigns_with_figures": lambda c, a, u, ch: measure.campaigns_with_figures(c, a),
    "measure.year_over_year": lambda c, a, u, ch: measure.year_over_year(c, a, _draft(c)),
    "kol_roster.roster": lambda c, a, u, ch: kol_roster.roster(c, a),
    "kol_deals.deals": lambda c, a, u, ch: kol_deals.deals(c, a),
    "kol_deals.deal": lambda c, a, u, ch: kol_deals.deal(c, a, _deal(c)),
    "kol_deals.events": lambda c, a, u, ch: kol_deals.events(c, a, _deal(c)),
    "kol_deals.create_deal": lambda c, a, u, ch: kol_deals.create_deal(c, a, _draft(c), _partner(c), _deal_draft()),
    "kol_deals.edit_deal": lambda c, a, u, ch: kol_deals.edit_deal(c, a, _deal(c), _deal_draft()),
    "kol_deals.move": lambda c, a, u, ch: kol_deals.move(c, a, _deal(c), "agreed"),
    "kol_deals.comment": lambda c, a, u, ch: kol_deals.comment(c, a, _deal(c), "ok"),
    "kol_deals.record_link": lambda c, a, u, ch: _record_link(c, a),
    "kol_deals.pay": lambda c, a, u, ch: kol_deals.pay(c, a, _deal(c, ["agreed"]), 50, date(2027, 6, 1)),
    "kol_roster.add_partner": lambda c, a, u, ch: kol_roster.add_partner(c, a, _kol(f"add-{a.role}")),
    "kol_roster.edit_partner": lambda c, a, u, ch: kol_roster.edit_partner(c, a, _partner(c), _kol("edited")),
    "kol_roster.remove_partner": lambda c, a, u, ch: kol_roster.remove_partner(c, a, _partner(c)),
    "kol_roster.export_roster": lambda c, a, u, ch: kol_roster.export_roster(c, a, "xlsx"),
    "kol_roster.import_roster": lambda c, a, u, ch: kol_roster.import_roster(
        c, a, f"name,platform,handle\nI,douyin,imp-{a.role}\n".encode(), "r.csv"
    ),
    "kol_roster.set_tiers": lambda c, a, u, ch: kol_roster.set_tiers(c, a, kol_roster.kol.Thresholds()),
    "kol_roster.shortlist": lambda c, a, u, ch: kol_roster.shortlist(c, a, 100_000, "short_video"),
    "kol_results.campaign_board": lambda c, a, u, ch: kol_results.campaign_board(c, a, _draft(c)),
    "kol_results.across": lambda c, a, u, ch: kol_results.across(c, a),
    "kol_results.partner_history": lambda c, a, u, ch: kol_results.partner_history(c, a, _partner(c)),
    "kol_results.past_cpe": lambda c, a, u, ch: kol_results.past_cpe(c, a),
}


def _deal(c, to=()):
    """A fresh deal (a fresh partner in a fresh 618 campaign), moved along ``to`` by the system."""
    from campaigns.kol_deals import DealDraft, DeliverableDraft

    cid, pid = _draft(c), _partner(c)
    item = DeliverableDraft("short_video", "douyin", datetime(2027, 6, 10, tzinfo=UTC), 100)
    did = kol_deals.create_deal(c, Actor.system(), cid, pid, DealDraft("CNY", (item,)))
    for step in to:
        kol_deals.move(c, Actor.system(), did, step)
    return did


def _record_link(c, a):
    did = _deal(c, ["agreed", "submitted", "approved"])
    item = kol_deals.deal(c, Actor.system(), did).deliverables[0]
    kol_deals.record_link(c, a, did, item.id, "https://v.douyin.example/m")


def _deal_draft():
    from campaigns.kol_deals import DealDraft, DeliverableDraft

    return DealDraft("CNY", (DeliverableDraft("image_post", "douyin", datetime(2027, 6, 12, tzinfo=UTC), 200),))


def _kol(handle):
    from campaigns.kol import Account, PartnerDraft

    return PartnerDraft(handle, (Account("douyin", handle),), "CNY")


def _partner(c, n=iter(range(1_000_000))):
    """A fresh partner made by the system for each call."""
    return kol_roster.add_partner(c, Actor.system(), _kol(f"matrix-{next(n)}"))


ADS_CSV = b"Day,Campaign,Clicks,Impr.,Cost,Currency code\n2026-11-20,Unknown campaign,1,10,1.00,CNY\n"


def _preview(c):
    return imports.preview(c, Actor.system(), "x.csv", ADS_CSV)


def _import_batch(c) -> int:
    """A fresh batch for every call, so each role's undo has one to undo."""
    with c.uow(write=True) as uow:
        for b in uow.measure.batches(uow.workspaces.current().id):
            if b.undone_at is None:
                return b.id
    imports.commit(c, Actor.system(), _preview(c))
    return _import_batch(c)


def _unassigned(c):
    found = imports.unassigned(c, Actor.system())
    if not found:
        imports.undo(c, Actor.system(), _import_batch(c))
        imports.commit(c, Actor.system(), _preview(c))
        found = imports.unassigned(c, Actor.system())
    return found[0]


def _rule(c) -> int:
    rules = imports.rules(c, Actor.system())
    if rules:
        return rules[0].id
    return imports.add_rule(c, Actor.system(), "campaign", "equals", "matrix rule", _draft(c))


ADMIN = {Role.ADMIN}
EVERYONE = set(Role)
# Who may call what, written out from the issue (not derived from the code under test).
EXPECTED = {
    "accounts.list_users": ADMIN,
    "accounts.create_user": ADMIN,
    "accounts.set_role": ADMIN,
    "accounts.set_active": ADMIN,
    "accounts.reset_password": ADMIN,
    "accounts.unlock": ADMIN,
    "audit_log.events": ADMIN,
    "audit_log.actions": ADMIN,
    "audit_log.export_csv": ADMIN,
    "health.status": {Role.ADMIN, Role.MANAGER},
    "overview.get_overview": EVERYONE,
    "privacy.retention": ADMIN,
    "privacy.set_retention": ADMIN,
    "privacy.erase_customer": ADMIN,
    "festivals.year_view": EVERYONE,
    "festivals.add_custom": {Role.MARKETER},
    "festivals.remove_custom": {Role.MARKETER},
    "planning.campaigns": EVERYONE,
    "planning.create_from_template": {Role.MARKETER},
    "planning.save": {Role.MARKETER},
    "planning.copy_to_year": {Role.MARKETER},
    "planning.set_status": {Role.MARKETER},
    "planning.template_choices": EVERYONE,
    "planning.save_as_template": {Role.MARKETER},
    "planning.remove_template": {Role.MARKETER},
    "budgets.view": EVERYONE,
    "budgets.commit": {Role.MARKETER},
    "budgets.uncommit": {Role.MARKETER},
    "campaign_detail.choices": EVERYONE,
    "campaign_detail.detail": EVERYONE,
    "festivals.set_windows": {Role.MARKETER},
    "group_buys.define_rule": {Role.MARKETER},
    "group_buys.open_group": {Role.MARKETER},
    "group_buys.join": {Role.MARKETER},
    "group_buys.groups": EVERYONE,
    "group_buys.rules": EVERYONE,
    "offers.offers": EVERYONE,
    "offers.save": {Role.MARKETER},
    "offers.set_active": {Role.MARKETER},
    "offers.quote_cart": EVERYONE,
    "secrets.set_credentials": ADMIN,
    "secrets.clear_credentials": ADMIN,
    "secrets.statuses": ADMIN,
    "coupons.create_batch": {Role.MARKETER},
    "coupons.batches": EVERYONE,
    "coupons.export_batch": {Role.MARKETER},
    "coupons.redeem": {Role.MARKETER},
    "coupons.release": {Role.MARKETER},
    "flash_sales.set_stock": {Role.MARKETER},
    "flash_sales.stocks": EVERYONE,
    "flash_sales.reserve": {Role.MARKETER},
    "flash_sales.release": {Role.MARKETER},
    "offer_exchange.find_campaign": EVERYONE,
    "offer_exchange.export_rules": EVERYONE,
    "offer_exchange.import_rules": {Role.MARKETER},
    "post_csv.import_posts": {Role.CONTENT},
    "post_csv.export_posts": EVERYONE,
    "posts.compose_posts": {Role.CONTENT},
    "posts.edit": {Role.CONTENT},
    "posts.submit": {Role.CONTENT},
    "posts.approve": {Role.MANAGER},
    "posts.request_changes": {Role.MANAGER},
    "posts.schedule": {Role.CONTENT},
    "posts.unschedule": {Role.CONTENT},
    "posts.move": {Role.CONTENT},
    "posts.cancel": {Role.CONTENT},
    "posts.retry": {Role.CONTENT},
    "posts.resolve": {Role.CONTENT},
    "posts.comment": EVERYONE,
    "publish_views.calendar": EVERYONE,
    "publish_views.unscheduled": EVERYONE,
    "publish_views.review_queue": EVERYONE,
    "publish_views.detail": EVERYONE,
    "publish_views.health": EVERYONE,
    "handoffs.waiting": EVERYONE,
    "handoffs.mine": EVERYONE,
    "kol_schedule.deliverables_between": EVERYONE,
    "kol_schedule.reminders": EVERYONE,
    "kol_schedule.mine": EVERYONE,
    "publish_views.phases": EVERYONE,
    "publish_views.outbox": EVERYONE,
    "publish_views.add_media": {Role.CONTENT},
    "channel_accounts.accounts": EVERYONE,
    "channel_accounts.add_account": {Role.ADMIN},
    "channel_accounts.update_settings": {Role.ADMIN},
    "channel_accounts.test_connection": {Role.ADMIN},
    "presales.define": {Role.MARKETER},
    "presales.pay_deposit": {Role.MARKETER},
    "presales.pay_final": {Role.MARKETER},
    "presales.cancel": {Role.MARKETER},
    "presales.presales": EVERYONE,
    "promotion_estimate.offers_for": EVERYONE,
    "promotion_estimate.history": EVERYONE,
    "promotion_estimate.run": EVERYONE,
    "promotion_estimate.commit": {Role.MARKETER},
    "imports.preview": {Role.ANALYST},
    "imports.commit": {Role.ANALYST},
    "imports.undo": {Role.ANALYST},
    "imports.batches": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "imports.unassigned": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "imports.assign": {Role.ANALYST},
    "imports.add_rule": {Role.ANALYST},
    "imports.rules": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "imports.remove_rule": {Role.ANALYST},
    "import_mappings.layout": {Role.ANALYST},
    "import_mappings.save": {Role.ANALYST},
    "import_mappings.saved": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "measure.report": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "measure.campaigns_with_figures": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "measure.year_over_year": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "kol_roster.roster": EVERYONE,
    "kol_deals.deals": EVERYONE,
    "kol_deals.deal": EVERYONE,
    "kol_deals.events": EVERYONE,
    "kol_deals.create_deal": {Role.MARKETER},
    "kol_deals.edit_deal": {Role.MARKETER},
    "kol_deals.move": {Role.MARKETER},
    "kol_deals.comment": {Role.MARKETER},
    "kol_deals.record_link": {Role.MARKETER},
    "kol_deals.pay": {Role.MARKETER},
    "kol_roster.add_partner": {Role.MARKETER},
    "kol_roster.edit_partner": {Role.MARKETER},
    "kol_roster.remove_partner": {Role.MARKETER},
    "kol_roster.export_roster": EVERYONE,
    "kol_roster.import_roster": {Role.MARKETER},
    "kol_roster.set_tiers": {Role.MARKETER},
    "kol_roster.shortlist": EVERYONE,
    "kol_results.campaign_board": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "kol_results.across": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "kol_results.partner_history": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
    "kol_results.past_cpe": {Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.ANALYST},
}


def test_the_matrix_test_knows_every_guarded_operation():
    assert set(CALLS) == set(OPERATIONS) == set(EXPECTED), "add the new operation to CALLS and EXPECTED"


@pytest.mark.parametrize("role", list(Role))
def test_every_operation_as_every_role(world, role):
    c, actors, target, channel = world
    for name, call in CALLS.items():
        if role in EXPECTED[name]:
            call(c, actors[role], target, channel)
        else:
            with pytest.raises(AccessDenied):
                call(c, actors[role], target, channel)
    denied = [
        e
        for e in audit_log.events(c, Actor.system(), audit_log.AuditFilter(action="authz_fail"))
        if e.actor == actors[role].email
    ]
    expected = sum(role not in EXPECTED[n] for n in CALLS)
    assert len(denied) == expected


def test_matrix_matches_the_issue():
    assert allows(Role.ADMIN, "manage_users") and allows(Role.ADMIN, "manage_channels")
    assert allows(Role.MANAGER, "approve_posts") and allows(Role.MANAGER, "approve_budgets")
    assert not allows(Role.CONTENT, "approve_posts") and allows(Role.CONTENT, "compose_posts")
    assert allows(Role.MARKETER, "edit_campaigns") and allows(Role.MARKETER, "edit_kol_deals")
    assert MATRIX[Role.ANALYST] == {"view_overview", "view_dashboards", "import_metrics"}


def test_a_crafted_actor_gains_nothing(world):
    """Role escalation through a crafted request: the role comes from the database, not the caller."""
    c, actors, target, _ = world
    content = actors[Role.CONTENT]
    forged = Actor(content.user_id, content.email, content.name, Role.ADMIN)
    with pytest.raises(AccessDenied):
        accounts.set_role(c, forged, content.user_id, "admin")
    with c.uow() as uow:
        assert uow.users.get(content.user_id).role == "content"
        event = uow.session.query(AuditEvent).filter_by(action="authz_fail", actor=content.email).one()
    assert event.result == "denied" and "role content lacks manage_users" in event.detail
    with pytest.raises(AccessDenied):  # an actor that is no account at all
        accounts.list_users(c, Actor(None, "admin", "admin", Role.ADMIN))
    with pytest.raises(AccessDenied):
        accounts.list_users(c, None)


def test_a_role_change_takes_effect_at_once(world):
    c, actors, _, _ = world
    analyst = actors[Role.ANALYST]
    with pytest.raises(AccessDenied):
        accounts.list_users(c, analyst)
    accounts.set_role(c, actors[Role.ADMIN], analyst.user_id, "admin")
    assert accounts.list_users(c, analyst)  # the same actor object, now allowed
    accounts.set_active(c, actors[Role.ADMIN], analyst.user_id, False)
    with pytest.raises(AccessDenied):
        accounts.list_users(c, analyst)


def test_a_password_change_is_required_before_anything_else(world):
    c, actors, target, _ = world
    with c.uow() as uow:
        email = uow.users.get(target).email
    temp = accounts.reset_password(c, actors[Role.ADMIN], target)
    signed = auth.sign_in(c, email, temp)
    assert signed.outcome == "ok" and signed.actor.must_change_password
    with pytest.raises(AccessDenied, match="password change required"):
        overview.get_overview(c, signed.actor, now=NOW)
    accounts.change_own_password(c, signed.actor, temp, "a much better passphrase")
    overview.get_overview(c, signed.actor, now=NOW)
