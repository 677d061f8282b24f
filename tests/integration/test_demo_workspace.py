from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from app.services.auth import Actor
from app.services.demo import METRIC_CHANNELS, seed_demo
from app.services.overview import get_overview
from campaigns import metrics
from campaigns.metrics import Totals
from campaigns.planning import CampaignStatus
from campaigns.publishing import PostState
from data.models import Campaign, ChannelAccount, MetricDaily, Partner, Post
from tests.conftest import NOW

SYSTEM = Actor.system()


def _count(c, model):
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def test_seed_builds_the_demo_workspace(demo):
    with demo.engine.connect() as conn:
        statuses = Counter(conn.execute(select(Campaign.status)).scalars())
        states = set(conn.execute(select(Post.state)).scalars())
        connectors = set(conn.execute(select(ChannelAccount.connector)).scalars())
        metric_channels = set(conn.execute(select(MetricDaily.channel)).scalars())
        days = conn.execute(select(func.count(func.distinct(MetricDaily.day)))).scalar()
        partners_with_metrics = conn.execute(
            select(func.count(func.distinct(MetricDaily.partner_id))).where(MetricDaily.partner_id.is_not(None))
        ).scalar()
    assert statuses == {CampaignStatus.FINISHED: 1, CampaignStatus.RUNNING: 1, CampaignStatus.PLANNED: 1}
    # every state but the two only a worker holding a lease may set
    assert states == set(PostState) - {PostState.CLAIMED, PostState.SENDING}
    assert connectors == {"sandbox", "manual"}  # Douyin and Xiaohongshu have no posting API: hand-offs
    assert metric_channels == {str(c) for c in METRIC_CHANNELS}
    assert days == 30  # a month of daily metrics
    assert _count(demo, Partner) == 4 and partners_with_metrics == 4


def test_seed_runs_once_only(demo):
    before = {m: _count(demo, m) for m in (Campaign, Post, MetricDaily, ChannelAccount)}
    again = seed_demo(demo, now=NOW + timedelta(days=3))
    assert not again.created
    assert {m: _count(demo, m) for m in before} == before


def test_seed_is_deterministic(demo, tmp_path):
    from app.bootstrap import build_container
    from data import migrate
    from tests.conftest import make_settings

    other = build_container(make_settings(tmp_path / "b", f"sqlite:///{tmp_path / 'b.db'}"), clock=lambda: NOW)
    migrate.upgrade(other.engine)
    seed_demo(other, now=NOW)
    a, b = get_overview(demo, SYSTEM, now=NOW), get_overview(other, SYSTEM, now=NOW)
    assert a.last_finished.totals == b.last_finished.totals
    assert [p.title for p in a.next_posts] == [p.title for p in b.next_posts]
    other.engine.dispose()


def test_overview_shows_what_a_manager_needs(demo):
    ov = get_overview(demo, SYSTEM, now=NOW)
    assert ov.workspace.startswith("Festa")
    # upcoming festivals from today on, in order
    assert [f.key for f in ov.festivals][:4] == ["thanksgiving", "black_friday", "cyber_monday", "double_12"]
    # the running campaign, in its current phase
    assert [k.status for k in ov.running] == ["running"]
    assert ov.running[0].phase == "warm_up"
    # the next scheduled posts, soonest first, all in the future
    times = [p.scheduled_at for p in ov.next_posts]
    assert times == sorted(times) and all(t > NOW for t in times) and len(times) == 8
    # headline figures of the finished Double 11: ratios of the summed rows
    h = ov.last_finished
    assert h.campaign.startswith("双11 2026")
    cols = (
        MetricDaily.impressions,
        MetricDaily.engagements,
        MetricDaily.clicks,
        MetricDaily.orders,  # the campaign's conversions are its first-party orders
        MetricDaily.revenue_minor,
        MetricDaily.spend_minor,
        MetricDaily.orders,
    )
    finished = select(Campaign.id).where(Campaign.status == "finished").scalar_subquery()
    with demo.engine.connect() as conn:
        rows = conn.execute(select(*cols).where(MetricDaily.campaign_id == finished)).all()
    expected = Totals.of(Totals(*r) for r in rows)
    assert h.totals == expected
    assert h.ctr == metrics.ctr(expected) and h.roi == metrics.roi(expected)
    assert h.revenue.minor == expected.revenue_minor and h.revenue.currency == "CNY"


def test_overview_on_an_empty_database_still_lists_festivals(container):
    ov = get_overview(container, SYSTEM, now=NOW)
    assert ov.workspace is None and ov.running == [] and ov.last_finished is None
    assert ov.festivals


def test_overview_lists_the_workspace_s_own_festivals_too(demo):
    from datetime import date

    from app.services import festivals

    festivals.add_custom(demo, SYSTEM, "店庆", date(2026, 12, 31), date(2027, 1, 2), "Asia/Shanghai", "CN")
    festivals.add_custom(demo, SYSTEM, "Far away", date(2027, 6, 1), date(2027, 6, 1), "Asia/Shanghai", "CN")
    listed = [f for f in get_overview(demo, SYSTEM, now=NOW).festivals if f.kind == "custom"]
    assert [(f.name, f.start) for f in listed] == [("店庆", date(2026, 12, 31))]  # once, though it spans two years


def test_demo_plans_are_valid_and_the_past_double_11_shows_an_over_committed_partner(demo):
    from app.services import budgets, planning
    from app.services.auth import Actor
    from campaigns.planning import validate

    camps = planning.campaigns(demo, Actor.system())
    assert [validate(k.plan) for k in camps] == [[]] * len(camps)  # a planner can save them as they are
    assert all(k.plan.owner_id and k.plan.budget_lines and k.plan.targets for k in camps)
    past = next(k for k in camps if k.status == "finished")
    view = budgets.view(demo, Actor.system(), past.id)
    assert [r.key for r in view.warnings] == [f"kol:{past.plan.budget_lines[6].partner_id}"]
    assert view.total.actual > 0 and view.total.committed == 312_000_00
