"""The rule catalogue: ids unique and well formed, docs/rules.md fresh, every rule tested."""

import re
import subprocess
import sys
from pathlib import Path

from ptpip_analyzer.validate.rules import RULES, RULES_BY_ID

ROOT = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).parent


def test_rule_ids_are_unique_and_well_formed() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    assert all(re.fullmatch(r"PTPIP-(HS|EV|PK|PR|TX|DP|CN|TCP)-\d{3}", r.id) for r in RULES)
    assert all(r.title and r.explanation.endswith(".") for r in RULES)


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"),
                            "--check"], check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_every_rule_has_a_transcript_test() -> None:
    text = "".join(p.read_text() for p in TESTS.glob("test_*.py") if p != Path(__file__))
    untested = [r.id for r in RULES if f'"{r.id}"' not in text]
    assert untested == []
