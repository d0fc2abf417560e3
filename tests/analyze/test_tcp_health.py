"""The tcp table, the transactions' TCP columns and stats' TCP health section, on captures made
by the project's writer (tcp_trouble) and the simulator."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from ptpip_analyzer import load
from ptpip_analyzer.analyze.schema import SCHEMAS
from ptpip_analyzer.report.terminal import print_stats
from ptpip_analyzer.sources import tcp_trouble

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"


@pytest.fixture(scope="module")
def lossy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tcp-health") / "lossy.pcapng"
    with open(path, "wb") as f:
        tcp_trouble.write_pcapng(tcp_trouble.lossy_download(), f)
    return path


def test_tcp_table_one_row_per_direction_with_the_schema(lossy: Path) -> None:
    tcp = load(lossy).tcp
    assert list(tcp.columns) == [c.name for c in SCHEMAS["tcp"]]
    assert [str(t) for t in tcp.dtypes] == \
        [{"Int64": "Int64"}.get(c.dtype, c.dtype) for c in SCHEMAS["tcp"]]
    rows = tcp.set_index(["stream", "direction"])
    camera = rows.loc[(0, "to_host")]
    assert (camera.retransmissions, camera.fast_retransmissions,
            camera.spurious_retransmissions, camera.out_of_order) == (3, 1, 1, 1)
    assert camera.stall_s == pytest.approx(tcp_trouble.RTO_S, abs=1e-3)
    host = rows.loc[(0, "to_camera")]
    assert (host.dup_acks, host.zero_windows) == (2, 1)
    assert host.stall_s == pytest.approx(tcp_trouble.ZERO_WINDOW_S, abs=1e-3)
    assert host.initial_rtt_s == pytest.approx(0.0002, abs=1e-6)
    assert tcp["role"].tolist() == ["command", "command", "event", "event"]
    assert tcp["fin_frame"].notna().all() and tcp["rst_frame"].isna().all()


def test_transactions_carry_their_retransmissions_and_stalls(lossy: Path) -> None:
    tx = load(lossy).transactions.set_index("opcode_name")
    assert tx.loc["GetObject", "retransmissions"] == 3
    assert tx.loc["GetObject", "stall_s"] == pytest.approx(0.8, abs=1e-3)
    others = tx.drop(index="GetObject")
    assert (others["retransmissions"] == 0).all() and (others["stall_s"] == 0).all()


def test_the_text_transactions_table_shows_tcp_columns_when_tcp_held_something_up(
        lossy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ptpip_analyzer.cli import main
    assert main(["transactions", str(lossy), "--color", "never"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert "rtx" in header and "stall ms" in header
    at = header.index("stall ms") + len("stall ms")
    [get_object] = [r for r in rows if "GetObject (0x1009)" in r]
    assert get_object[:at].split()[-2:] == ["3", "800.0"]  # 3 retransmissions, 0.8 s stalled
    assert main(["transactions", str(REAL / "gphoto2-get-all-files.pcapng")]) == 0
    assert "rtx" not in capsys.readouterr().out.splitlines()[0]  # a healthy link: no columns


def test_time_breakdown_takes_the_tcp_stalls(lossy: Path) -> None:
    breakdown = load(lossy).time_breakdown()
    assert breakdown["tcp_stall_s"].tolist() == [pytest.approx(0.8, abs=1e-3)]


def test_reset_shows_its_rst_frame() -> None:
    cap = load(REAL / "fault-reset-mid-transfer.pcapng")
    resets = cap.tcp.dropna(subset=["rst_frame"])
    assert resets[["stream", "direction", "rst_frame"]].values.tolist() == [[0, "to_host", 56]]
    finding = cap.findings[cap.findings["rule"] == "PTPIP-TCP-001"]
    assert finding[["frame", "transaction_id"]].values.tolist() == [[56, 8]]


def test_stats_has_a_tcp_health_section(lossy: Path) -> None:
    out = io.StringIO()
    print_stats(load(lossy), Console(file=out, width=200))
    text = out.getvalue()
    section = text[text.index("TCP health"):text.index("Where the time went")]
    assert "to_host" in section and "to_camera" in section
    healthy = io.StringIO()
    print_stats(load(REAL / "gphoto2-get-all-files.pcapng"), Console(file=healthy, width=200))
    assert "TCP health (directions with retransmissions, reordering, duplicate ACKs, zero " \
           "windows or a reset): none" in healthy.getvalue()


def test_transactions_filter_on_tcp_columns(lossy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ptpip_analyzer.cli import main
    main(["transactions", str(lossy), "-Y", "retransmissions > 0 and stall_s > 0.2",
          "--format", "jsonl"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["opcode_name"], r["retransmissions"]) for r in rows] == [("GetObject", 3)]
