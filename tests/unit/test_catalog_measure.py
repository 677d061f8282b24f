"""Every problem an import can report has a message in both languages, with the parameters the code passes."""

import ast
import string
from pathlib import Path

from app.ui.catalog import CATALOG

ROOT = Path(__file__).resolve().parents[2]


def _codes():
    files = [*(ROOT / "connectors" / "exports").glob("*.py"), *(ROOT / "app" / "services").glob("import*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "problem" and len(node.args) >= 2:
                code = node.args[1]
                if isinstance(code, ast.Constant):
                    yield path.name, code.value, {k.arg for k in node.keywords} - {"row", "column"}
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DocumentError" and node.args:
                if isinstance(node.args[0], ast.Constant):
                    yield path.name, f"file_{node.args[0].value}", {k.arg for k in node.keywords} - {"row"}


def test_every_import_problem_speaks_both_languages():
    found = list(_codes())
    assert len(found) >= 30, "the scan is broken"
    for where, code, params in found:
        key = f"import_error.{code}"
        assert key in CATALOG, f"{where}: {code} has no message"
        used = {n for _, n, _, _ in string.Formatter().parse(CATALOG[key]["en"]) if n}
        assert used <= params | {"column", "row"}, f"{where}: {code} message needs {used - params}"
