"""Every command in docs/filters.md runs on the shipped captures: exit 0 (or 1 for a damaged
capture), output, no traceback; the table's filter forms all compile."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.filters import compile_filter

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "filters.md").read_text()
COMMANDS = [line for block in re.findall(r"```sh\n(.*?)```", DOC, re.DOTALL)
            for line in block.splitlines() if line.startswith("ptpip-analyzer ")]


@pytest.mark.parametrize("line", COMMANDS, ids=range(len(COMMANDS)))
def test_every_example_runs(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    argv = shlex.split(line.replace("{tmp}", str(tmp_path)))[1:]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    # a damaged capture, and validate's error findings (--fail-on error), exit 1
    expected = 1 if "loss-midstream" in line or "validate" in line else 0
    assert code == expected, err
    if " -o " in line or " -d " in line:  # writes a file: what it wrote is said on stderr
        assert "wrote" in err or "written" in out or "object(s)" in out, line
    else:
        assert out.strip(), line  # every example selects something


def test_there_are_examples_for_every_command() -> None:
    assert {shlex.split(c)[1] for c in COMMANDS} >= {
        "dissect", "transactions", "validate", "stats", "export", "excerpt", "export-objects"}


def test_the_forms_in_the_table_compile() -> None:
    forms = re.findall(r"^\| `([^|]+?)`(?:, `([^|]+?)`)*", DOC, re.MULTILINE)
    assert len(forms) >= 6
    for form in ("frame == 52", "code == GetObject", "type == StartData", 'type == "Start Data"',
                 'type_name contains "Init"', 'src matches "^192\\.168\\."',
                 "transaction_id in {12..15, 20}", "transaction_id", "dataset"):
        compile_filter(form, "packets")
    compile_filter("response_code == OK", "transactions")
    compile_filter("complete", "transactions")


README = (REPO / "README.md").read_text()
SECTION = README.split("## Selecting records, as with tshark")[1].split("\n## ")[0]
README_LINES = [line.split("  #")[0].strip() for line in
                re.search(r"```\n(.*?)```", SECTION, re.DOTALL).group(1).splitlines()]  # type: ignore[union-attr]


@pytest.mark.parametrize("line", README_LINES, ids=range(len(README_LINES)))
def test_the_readme_selections_run(line: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    capture = REPO / "captures" / "real" / "gphoto2-get-all-files.pcapng"
    lossy = REPO / "captures" / "synthetic" / "loss-midstream-vlan.pcap"
    monkeypatch.chdir(tmp_path)
    line = line.replace("LOSSY", str(lossy))
    words = shlex.split(line.replace("A.pcapng", str(capture)).replace(
        "B.pcapng", str(REPO / "captures" / "real" / "fault-slow.pcapng")).replace(
        "FILE", str(capture)).split(" > packets.json")[0])
    with open(lossy if str(lossy) in line else capture, "rb") as stdin:
        if words[0] == "cat":  # cat FILE | ptpip-analyzer dissect - ...
            words = words[3:]
            monkeypatch.setattr("sys.stdin", stdin)
        code = main(words[1:])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code == (1 if str(lossy) in line else 0), err  # a lossy capture exits 1
    assert out.strip() or "wrote" in err or "frames written" in out, line
