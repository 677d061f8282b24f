"""`python -m app quote` and `python -m app rules export|import`, called through app.cli.main."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app import cli
from app.services import coupons, offers, planning
from app.services.auth import Actor
from campaigns.promotions import rules as r
from campaigns.promotions import serialize
from data.models import Workspace

SYSTEM = Actor.system()
AT = datetime(2027, 11, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EVERY_300 = r.Offer("every-300-50", "每满300减50", "CNY", r.Stage.SHOP, r.EveryStep(30_000, 5_000, cap_minor=15_000))
COUPON_90 = r.Offer(
    "coupon-90",
    "9折券",
    "CNY",
    r.Stage.PLATFORM,
    r.PercentOff(10),
    window=r.Window.local(datetime(2027, 11, 11), datetime(2027, 11, 11, 23, 59, 59), "Asia/Shanghai"),
)
CART = {
    "currency": "CNY",
    "lines": [
        {"key": "tea", "product": "longjing", "price": "400.00", "quantity": 1},
        {"key": "cup", "product": "celadon", "unit_minor": 25_000, "quantity": 1},
    ],
    "shipping_minor": 800,
    "context": {"at": "2027-11-11T10:00:00+08:00"},
}


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _rules(*items):
    return {"format": "festa.rules", "version": 1, "offers": [serialize.to_json(o) for o in items]}


@pytest.fixture
def no_database(monkeypatch):
    def refuse():
        raise AssertionError("the database was asked")

    monkeypatch.setattr(cli, "_container", refuse)


@pytest.fixture
def shop(container, monkeypatch):
    """The CLI on a workspace with two campaigns: (container, 双11 id, 618 id)."""
    with container.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="s", name="s", timezone="Asia/Shanghai", currency="CNY", created_at=AT, salt="00" * 32)
        )
    d11 = planning.create_from_template(container, SYSTEM, "double_11", 2027, "Double 11 2027", 100_000)
    d618 = planning.create_from_template(container, SYSTEM, "day_618", 2027, "618 2027", 100_000)
    monkeypatch.setattr(cli, "_container", lambda: container)
    return container, d11, d618


def test_quote_with_a_rules_file_prints_the_priced_cart_without_a_database(tmp_path, capsys, no_database):
    cart, rules = _file(tmp_path, "cart.json", CART), _file(tmp_path, "rules.json", _rules(EVERY_300, COUPON_90))
    code, out, err = _run(capsys, "quote", cart, "--rules", rules)
    assert (code, err) == (0, "")
    q = json.loads(out)
    # ¥650: every ¥300 takes ¥50 (¥100), then 9折 on ¥550 takes ¥55; shipping ¥8
    assert (q["discount"], q["shipping"], q["total"], q["total_minor"]) == ("155.00", "8.00", "503.00", 50_300)
    assert [(a["offer"], a["amount_minor"]) for a in q["applied"]] == [("every-300-50", 10_000), ("coupon-90", 5_500)]
    assert {line["key"]: line["discount"] for line in q["lines"]} == {"cup": "59.61", "tea": "95.39"}
    assert q["hints"][0]["offer"] == "every-300-50" and q["hints"][0]["missing"] == "250.00"

    code, out, _ = _run(capsys, "quote", cart, "--rules", rules, "--at", "2027-11-12T00:00:00+08:00")
    (rejected,) = json.loads(out)["rejected"]  # --at wins over the cart's context.at
    assert (code, rejected["offer"], rejected["reason"]) == (0, "coupon-90", "not_in_window")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"currency": "RMB"}, "cart.json — currency: no currency RMB"),
        ({"lines": [{"key": "a", "product": "p", "unit_minor": 100, "quantity": 1.5}]}, "lines.0.quantity: must be a"),
        (
            {"lines": [{"key": "a", "product": "p", "unit_minor": 100, "quantity": -2}]},
            "lines.0.quantity: must be more",
        ),
        ({"context": {"at": "2027-11-11T10:00:00"}}, "cart.json — context.at: has no time zone"),
        ({"context": {"customer": {"points": True}}}, "context.customer.points: must be a whole number"),
    ],
)
def test_a_bad_cart_exits_2_naming_the_file_and_the_field(tmp_path, capsys, no_database, change, message):
    cart = _file(tmp_path, "cart.json", {**CART, **change})
    code, out, err = _run(capsys, "quote", cart, "--rules", _file(tmp_path, "rules.json", _rules()))
    assert (code, out) == (2, "")
    assert err.startswith("festa: ") and message in err and len(err.strip().splitlines()) == 1


def test_bad_files_and_options_exit_2_with_a_clear_line(tmp_path, capsys, no_database):
    cart = _file(tmp_path, "cart.json", CART)
    bad_rules = _rules(EVERY_300)
    bad_rules["offers"][0]["benefit"]["kind"] = "half_off"
    cases = {
        ("--rules", _file(tmp_path, "r.json", bad_rules)): "r.json — offers.0.benefit.kind: no such kind of offer",
        ("--rules", _file(tmp_path, "t.json", "{not json")): "t.json — not JSON: ",
        ("--rules", str(tmp_path / "missing.json")): "missing.json — cannot be read",
        ("--rules", cart): "cart.json — format: required (expected festa.rules)",
        ("--at", "2027-11-11T10:00", "--rules", cart): "--at '2027-11-11T10:00' — has no UTC offset",
        ("--at", "tomorrow", "--rules", cart): "--at 'tomorrow' — not an ISO 8601 moment",
    }
    for args, message in cases.items():
        code, out, err = _run(capsys, "quote", cart, *args)
        assert (code, out) == (2, ""), args
        assert err.startswith("festa: ") and len(err.strip().splitlines()) == 1, err
        assert message in err, (message, err)
    with pytest.raises(SystemExit) as exited:  # one source of offers at a time
        cli.main(["quote", cart, "--rules", cart, "--campaign", "x"])
    assert exited.value.code == 2


def test_quote_with_a_campaign_uses_its_stored_offers_and_their_usage(tmp_path, capsys, shop):
    c, d11, d618 = shop
    once = r.Offer("once", "每人一次", "CNY", r.Stage.ITEM, r.AmountOff(1_000), limits=r.Limits(uses_per_customer=1))
    offers.save(c, SYSTEM, EVERY_300, campaign_id=d11)
    offers.save(c, SYSTEM, COUPON_90, campaign_id=d618)
    offers.save(c, SYSTEM, once)  # workspace-wide: every campaign's orders meet it
    made = coupons.create_batch(c, SYSTEM, "once", "once", 1, "single_use")
    with c.uow() as uow:
        code = next(iter(uow.coupons.codes_of(made.id)))[0]
    coupons.redeem(c, SYSTEM, code, "order-1", "c-1")
    cart = _file(tmp_path, "cart.json", CART)

    code, out, err = _run(capsys, "quote", cart, "--campaign", "double-11-2027")
    q = json.loads(out)
    assert (code, err) == (0, "")
    assert [a["offer"] for a in q["applied"]] == ["once", "every-300-50"]
    code, out, _ = _run(capsys, "quote", cart, "--campaign", "double-11-2027", "--customer", "c-1")
    assert [(x["offer"], x["reason"]) for x in json.loads(out)["rejected"]] == [("once", "customer_limit_reached")]
    code, out, _ = _run(capsys, "quote", cart)  # every active offer of the workspace
    assert [a["offer"] for a in json.loads(out)["applied"]] == ["once", "every-300-50", "coupon-90"]

    code, out, err = _run(capsys, "quote", cart, "--campaign", "d12")
    assert (code, out) == (2, "")
    assert f"--campaign 'd12' — no such campaign; campaigns (id slug): {d11} double-11-2027, {d618} 618-2027" in err


def test_rules_export_and_import_through_files(tmp_path, capsys, shop):
    c, d11, d618 = shop
    offers.save(c, SYSTEM, EVERY_300, campaign_id=d11)
    offers.save(c, SYSTEM, COUPON_90, campaign_id=d11)
    path = str(tmp_path / "d11.json")
    code, out, _ = _run(capsys, "rules", "export", "--campaign", "Double 11 2027", "-o", path)
    assert (code, out) == (0, f"exported 2 offer(s) of campaign Double 11 2027 to {path}\n")
    code, out, _ = _run(capsys, "rules", "export", "--campaign", str(d11))
    assert json.loads(out) == json.loads(open(path, encoding="utf-8").read())
    assert json.loads(out) == _rules(COUPON_90, EVERY_300)
    code, _, err = _run(capsys, "rules", "export", "--campaign", str(d11), "-o", str(tmp_path / "no" / "dir.json"))
    assert code == 2 and "dir.json — cannot be written: No such file or directory" in err

    code, _, err = _run(capsys, "rules", "import", path, "--campaign", "618-2027")  # its keys are 双11's
    assert code == 2
    assert (
        "d11.json (nothing imported) — offers.0.key: already belongs to another campaign or to the whole "
        "workspace (offer_key coupon-90, campaign Double 11 2027)"
    ) in err
    data = json.loads(open(path, encoding="utf-8").read())
    for o in data["offers"]:
        o["key"] = "618-" + o["key"]
    code, out, _ = _run(capsys, "rules", "import", _file(tmp_path, "618.json", data), "--campaign", "618-2027")
    assert (code, out) == (0, "imported 2 offer(s) into campaign 618-2027: 618-coupon-90, 618-every-300-50\n")
    assert {s.offer.key: s.campaign_id for s in offers.offers(c, SYSTEM)} == {
        "coupon-90": d11,
        "every-300-50": d11,
        "618-coupon-90": d618,
        "618-every-300-50": d618,
    }


def test_a_bad_rules_file_imports_nothing(tmp_path, capsys, shop):
    c, _, d618 = shop
    data = _rules(EVERY_300, COUPON_90)
    data["offers"][1]["benefit"]["percent"] = 120
    code, out, err = _run(capsys, "rules", "import", _file(tmp_path, "bad.json", data), "--campaign", str(d618))
    assert (code, out) == (2, "")
    assert "bad.json (nothing imported) — offers.1.benefit.percent: cannot be over 100%" in err
    assert offers.offers(c, SYSTEM) == []
