"""The KOL roster on a real SQLite file and a real PostgreSQL: partners with accounts, unique handles,
all-or-nothing writes and imports, filters and sorting, export, shortlist, the demo roster, the migration."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.services import kol_roster as kr
from app.services.auth import Actor
from campaigns import kol
from data import migrate
from data.models import AuditEvent, CampaignBudget, Partner, Workspace
from data.models_kol import PartnerAccount
from tests.conftest import NOW

SYSTEM = Actor.system()


@pytest.fixture
def c(container):
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="w", name="w", timezone="Asia/Shanghai", currency="CNY", created_at=NOW, salt="ab" * 32)
        )
    return container


def _acct(platform, handle, followers=0, views=None, er=None, variant=None):
    return kol.Account(platform, handle, "", followers, views, None if er is None else Decimal(er), variant)


def _draft(name, *accounts, **kw):
    return kol.PartnerDraft(name, tuple(accounts), kw.pop("currency", "CNY"), **kw)


def _count(c, model) -> int:
    with c.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


MEI = _draft(
    "小美",
    _acct("xiaohongshu", "@Mei", 860_000, 120_000, "0.06", "views"),
    _acct("douyin", "mei_dy", 1_200_000, 50_000, "0.01", "views"),
    region="上海",
    categories=("美妆",),
    tags=("种草",),
    rate_card={"short_video": 4_500_000, "image_post": 2_800_000},
)


def test_a_partner_is_added_with_accounts_and_edited_and_removed(c):
    pid = kr.add_partner(c, SYSTEM, MEI)
    (v,) = kr.roster(c, SYSTEM).partners
    assert v.id == pid and v.tier == "mega" and v.followers == 1_200_000  # the largest account sets the tier
    assert [a.handle for a in v.draft.accounts] == ["mei", "mei_dy"] and v.engagements == 500
    with c.uow() as uow:
        p = uow.kol.partner(uow.workspaces.current().id, pid)
        assert (p.platform, p.handle, p.currency) == ("xiaohongshu", "mei", "CNY")  # mirrors the first account
    edited = _draft("小美", _acct("weibo", "mei_wb", 50_000), currency="CNY", categories=("美妆", "护肤"))
    kr.edit_partner(c, SYSTEM, pid, edited)
    (v,) = kr.roster(c, SYSTEM).partners
    assert [a.platform for a in v.draft.accounts] == ["weibo"] and v.tier == "micro" and _count(c, PartnerAccount) == 1
    kr.remove_partner(c, SYSTEM, pid)
    assert kr.roster(c, SYSTEM).partners == [] and _count(c, PartnerAccount) == 0
    with c.uow() as uow:
        actions = [e.action for e in uow.session.execute(select(AuditEvent)).scalars()]
    assert actions == ["kol_partner_added", "kol_partner_edited", "kol_partner_removed"]


def test_a_duplicate_handle_is_refused_at_its_field_and_nothing_is_saved(c):
    kr.add_partner(c, SYSTEM, MEI)
    again = _draft("另一个", _acct("douyin", "new_one"), _acct("douyin", "MEI_DY"))
    with pytest.raises(kr.KolRejected) as err:
        kr.add_partner(c, SYSTEM, again)
    (p,) = err.value.problems
    assert (p.field, p.code, p.params) == ("accounts.1.handle", "handle_taken", {"handle": "mei_dy", "partner": "小美"})
    assert _count(c, Partner) == 1 and _count(c, PartnerAccount) == 2
    with pytest.raises(kr.KolRejected) as err:
        kr.add_partner(c, SYSTEM, _draft("", _acct("douyin", "x"), currency="XXX1"))
    assert {p.field for p in err.value.problems} == {"name", "currency"}
    assert _count(c, Partner) == 1


def test_filters_and_sorts(c):
    kr.add_partner(c, SYSTEM, MEI)
    wang = _acct("douyin", "laowang", 95_000, 70_000, "0.072", "views")
    kr.add_partner(
        c, SYSTEM, _draft("老王", wang, region="成都", categories=("美食",), rate_card={"short_video": 3_500_000})
    )
    kr.add_partner(c, SYSTEM, _draft("Tom", _acct("tiktok", "tom", 5_000), currency="USD"))

    def names(**kw):
        return [v.draft.name for v in kr.roster(c, SYSTEM, kr.RosterFilter(**kw)).partners]

    assert names() == ["小美", "老王", "Tom"]
    assert names(platform="douyin") == ["小美", "老王"] and names(tier="nano") == ["Tom"]
    assert names(category="美食") == ["老王"] and names(region="上海") == ["小美"] and names(tag="种草") == ["小美"]
    assert names(text="LAOW") == ["老王"]
    assert names(sort="engagement_rate") == ["老王", "小美", "Tom"]
    # cost per engagement for a short video: 老王 35,000 ÷ 5,040 < 小美 45,000 ÷ 500; Tom has no fee
    assert names(sort="cpe", deliverable="short_video") == ["老王", "小美", "Tom"]


def test_tier_thresholds_are_the_workspaces(c):
    kr.add_partner(c, SYSTEM, _draft("A", _acct("douyin", "a", 60_000)))
    assert kr.roster(c, SYSTEM).partners[0].tier == "micro"
    kr.set_tiers(c, SYSTEM, kol.Thresholds(mega=500_000, macro=50_000, micro=5_000))
    r = kr.roster(c, SYSTEM)
    assert r.partners[0].tier == "macro" and r.thresholds.macro == 50_000
    with pytest.raises(kr.KolRejected):
        kr.set_tiers(c, SYSTEM, kol.Thresholds(mega=1, macro=2, micro=3))


ROSTER = (
    "name,platform,handle,followers,typical_views,engagement_rate,er_variant,currency,fee_short_video\n"
    "小美,xiaohongshu,mei,86万,12w,6%,views,CNY,45000\n"
    "小美,douyin,mei_dy,120万,5w,1%,views,,\n"
    "Tom,tiktok,tom,5000,2000,5%,views,USD,800\n"
).encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_and_export_round_trip(c, fmt):
    result = kr.import_roster(c, SYSTEM, ROSTER, "roster.csv")
    assert (result.partners, result.accounts, result.problems) == (2, 3, [])
    data = kr.export_roster(c, SYSTEM, fmt, {"mega": "头部"})
    before = [(v.draft, v.tier) for v in kr.roster(c, SYSTEM).partners]
    for v in kr.roster(c, SYSTEM).partners:
        kr.remove_partner(c, SYSTEM, v.id)
    assert kr.import_roster(c, SYSTEM, data, f"roster.{fmt}").problems == []
    after = [(v.draft, v.tier) for v in kr.roster(c, SYSTEM).partners]
    assert sorted(after, key=lambda x: x[0].name) == sorted(before, key=lambda x: x[0].name)


def test_an_import_with_any_problem_saves_nothing(c):
    kr.add_partner(c, SYSTEM, _draft("Old", _acct("douyin", "old")))
    bad = ROSTER + b"B,douyin,OLD,1,,,,,\nC,tiktok,tom,1,,,,CNY,USD 80\n"
    result = kr.import_roster(c, SYSTEM, bad, "roster.csv")
    found = [(p.file, p.row, p.field, p.code) for p in result.problems]
    assert found == [
        ("roster.csv", 5, "handle", "handle_taken"),
        ("roster.csv", 6, "fee_short_video", "no_rate"),
        ("roster.csv", 6, "handle", "duplicate_in_file"),
    ]
    assert result.partners == 0 and _count(c, Partner) == 1
    ok = kr.import_roster(c, SYSTEM, ROSTER, "roster.csv", dry_run=True)
    assert ok.problems == [] and ok.partners == 2 and _count(c, Partner) == 1


def test_shortlist_states_its_method_and_keeps_within_the_budget(c):
    kr.import_roster(c, SYSTEM, ROSTER, "roster.csv")
    r = kr.shortlist(c, SYSTEM, 50_000_00, "short_video", "greedy")
    assert r.result.method == "greedy" and [x.name for x in r.result.picked] == ["小美"]
    assert r.skipped == [("Tom", "other_currency")]
    k = kr.shortlist(c, SYSTEM, 51_000_00, "short_video", "knapsack", rates={"USD/CNY": Decimal("7.1")})
    assert k.result.method == "knapsack" and k.result.unit_minor == 10_000
    assert {x.name for x in k.result.picked} == {"小美", "Tom"} and k.result.fee_minor == 50_680_00
    with pytest.raises(kr.KolRejected):
        kr.shortlist(c, SYSTEM, -1, "banner", "magic")


def test_the_demo_roster_has_accounts_rate_cards_and_a_shortlist(demo):
    r = kr.roster(demo, SYSTEM)
    assert len(r.partners) == 4 and all(v.draft.rate_card and v.engagements for v in r.partners)
    assert {v.tier for v in r.partners} >= {"mega", "micro"}
    with demo.uow() as uow:  # budget lines still name the partners
        lines = uow.session.execute(select(func.count()).where(CampaignBudget.partner_id.is_not(None))).scalar_one()
    assert lines > 0
    s = kr.shortlist(demo, SYSTEM, 150_000_00, "short_video", "knapsack")
    assert s.result.picked and s.result.fee_minor <= 150_000_00


def test_existing_partners_become_their_own_first_account(bare_container):
    engine = bare_container.engine
    migrate.upgrade(engine, "0012")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO workspace (id, slug, name, timezone, currency, created_at, salt) "
                 "VALUES (1, 'w', 'w', 'UTC', 'USD', :t, '00')"), {"t": NOW},
        )  # fmt: skip
        conn.execute(
            text("INSERT INTO partner (id, workspace_id, name, platform, handle) VALUES (7, 1, 'p', 'x', 'h')")
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT partner_id, platform, handle FROM partner_account")).all() == [(7, "x", "h")]
        assert conn.execute(text("SELECT currency, region, rate_card FROM partner")).one()[:2] == ("USD", "")


def test_an_edit_keeps_the_rows_of_accounts_it_keeps(c):
    pid = kr.add_partner(c, SYSTEM, MEI)

    def ids():
        with c.uow() as uow:
            q = select(PartnerAccount.handle, PartnerAccount.id, PartnerAccount.position)
            return {h: (i, pos) for h, i, pos in uow.session.execute(q.order_by(PartnerAccount.id))}

    before = ids()
    swapped = _draft("小美", MEI.accounts[1], _acct("weibo", "mei_wb", 10), rate_card={"short_video": 1})
    kr.edit_partner(c, SYSTEM, pid, swapped)
    after = ids()
    assert after["mei_dy"] == (before["mei_dy"][0], 0) and "mei" not in after and after["mei_wb"][1] == 1
    with c.uow() as uow:
        p = uow.kol.partner(uow.workspaces.current().id, pid)
        assert (p.platform, p.handle, p.rate_card) == ("douyin", "mei_dy", {"short_video": 1})


def test_an_exported_roster_edited_comes_back_as_updates_keeping_ids_and_deals(c):
    kr.import_roster(c, SYSTEM, ROSTER, "roster.csv")
    ids = {v.draft.name: v.id for v in kr.roster(c, SYSTEM).partners}
    data = kr.export_roster(c, SYSTEM, "csv").decode("utf-8-sig")
    assert kr.import_roster(c, SYSTEM, data.encode(), "roster.csv").problems  # without update: duplicates
    header = data.splitlines()[0].split(",")
    nina = {"name": "Nina", "platform": "bilibili", "handle": "nina_b", "followers": "150000"}
    edited = data.replace("小美", "小美 Mei") + ",".join(nina.get(h, "") for h in header) + "\n"
    result = kr.import_roster(c, SYSTEM, edited.encode(), "roster.csv", update=True)
    assert result.problems == [] and (result.partners, result.updated) == (1, 2)
    after = {v.draft.name: v.id for v in kr.roster(c, SYSTEM).partners}
    assert after["小美 Mei"] == ids["小美"] and after["Tom"] == ids["Tom"] and "Nina" in after
    assert _count(c, Partner) == 3


def test_an_update_cannot_merge_two_partners_or_take_anothers_handle(c):
    kr.import_roster(c, SYSTEM, ROSTER, "roster.csv")
    merged = "name,platform,handle\nBoth,xiaohongshu,mei\nBoth,tiktok,tom\n"
    result = kr.import_roster(c, SYSTEM, merged.encode(), "roster.csv", update=True)
    assert {p.code for p in result.problems} == {"handle_taken"} and result.updated == 0
    assert sorted(v.draft.name for v in kr.roster(c, SYSTEM).partners) == ["Tom", "小美"]
