"""`python -m app import` and `python -m app report`, called through app.cli.main on the demo workspace."""

import json

import pytest

from app import cli
from tests.integration.test_imports import ADS


@pytest.fixture
def shop(demo, monkeypatch):
    monkeypatch.setattr(cli, "_container", lambda: demo)
    return demo


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _file(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_dry_run_prints_what_would_be_written_and_writes_nothing(shop, tmp_path, capsys):
    path = _file(tmp_path, "campaign.csv", ADS)
    code, out, _ = _run(capsys, "import", path, "--dry-run", "--json")
    data = json.loads(out)
    assert code == 0 and data["source"] == "google_ads" and data["written"] == 0 and data["batch"] is None
    assert data["totals"]["clicks"] == 1560 and data["totals"]["spend_minor"] == {"CNY": 132545}
    assert data["skipped"] == [{"row": 7, "reason": "total"}]
    code, out, _ = _run(capsys, "report", "--campaign", "双12 2026", "--json")
    assert json.loads(out)["totals"]["clicks"] == 0


def test_import_then_report_then_import_again(shop, tmp_path, capsys):
    path = _file(tmp_path, "campaign.csv", ADS)
    code, out, _ = _run(capsys, "import", path, "--source", "google-ads")
    assert code == 0 and "written: 3 rows as batch" in out and "spend          1,325.45 CNY" in out
    code, out, _ = _run(capsys, "report", "--campaign", "双12 2026", "--json")
    report = json.loads(out)
    assert report["totals"]["clicks"] == 1550 and report["kpis"]["ctr"] == pytest.approx(1550 / 17320, abs=1e-6)
    assert report["by_source"]["google_ads"]["roas"] == pytest.approx(537000 / 132045, abs=1e-6)
    code, out, _ = _run(capsys, "import", path)
    assert code == 0 and "imported before" in out and "written: 0 rows" in out


def test_a_bad_file_names_row_and_column_and_exits_2(shop, tmp_path, capsys):
    path = _file(tmp_path, "campaign.csv", ADS.replace("316.05", "abc"))
    code, out, err = _run(capsys, "import", path)
    assert code == 2 and "campaign.csv, row 5, column “Cost”: Not a valid amount (or negative): abc" in err
    assert "nothing written" in out


def test_ambiguous_dates_ask_for_the_order(shop, tmp_path, capsys):
    orders = "order_id,ordered_at,amount,currency\nA-1,03/04/2026,10.00,CNY\n"
    path = _file(tmp_path, "orders.csv", orders)
    code, _, err = _run(capsys, "import", path)
    assert code == 2 and "--date-order" in err
    code, out, _ = _run(capsys, "import", path, "--date-order", "dmy", "--json")
    assert code == 0 and json.loads(out)["written"] == 1


def test_wrong_options_say_what_to_use(shop, tmp_path, capsys):
    path = _file(tmp_path, "campaign.csv", ADS)
    code, _, err = _run(capsys, "import", path, "--source", "facebook")
    assert code == 2 and "use one of auto, x, meta" in err
    code, _, err = _run(capsys, "import", path, "--source", "mapping")
    assert code == 2 and "mapping NAME" in err
    code, _, err = _run(capsys, "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot be read" in err
    code, _, err = _run(capsys, "import", path, "--campaign", "no such campaign")
    assert code == 2 and "no such campaign" in err
