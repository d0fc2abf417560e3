"""The CLI must start without pandas: only commands that need it import it."""

import subprocess
import sys

from ptpip_analyzer.analyze import schema
from ptpip_analyzer.cli import analysis as commands


def test_command_table_names_match_the_schema() -> None:
    assert commands.TABLES == schema.TABLES


def test_cli_start_does_not_import_pandas() -> None:
    code = ("import sys; from ptpip_analyzer.cli import build_parser; build_parser(); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
