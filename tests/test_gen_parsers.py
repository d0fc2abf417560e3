"""The committed Kaitai parser must be what ksy/ compiles to (scripts/gen_parsers.py --check)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_parser_matches_the_spec() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_parsers.py"), "--check"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"generated parser drifted from ksy/: {result.stderr}"
