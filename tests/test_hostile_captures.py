"""Hostile captures (captures/hostile, and two big ones made here): every command gives a clear
finding or a one-line error, never an internal error, and stays under 200 MB of peak RSS.

Each command runs in a subprocess (tests/peak_rss.py) so that its peak RSS is its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.sources import hostile
from tests.peak_rss import BOUND_KB, ROOT, Run, run_analyzer

HOSTILE = ROOT / "captures" / "hostile"
CPU_SECONDS = ("import resource, subprocess, sys; "
               "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
               "r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime + r.ru_stime)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what must never reach a terminal raw

# dissect: exit code and a line its stderr must hold (README.md: exit 1 = input problems)
DISSECT: dict[str, tuple[int, str]] = {
    "start-data-totals.pcap": (0, ""),
    "partial-object-offsets.pcap": (0, ""),
    "lost-data-bodies.pcap": (1, "20 gaps, 20 incomplete packets"),
    "dataset-counts.pcap": (0, ""),
    "ptpip-lengths.pcap": (1, "6 malformed regions"),
    "ip-lengths.pcap": (1, "IPv4 total length 7 leaves no room for its 20-byte header"),
    "timestamps-backwards.pcap": (1, "timestamp 3599.999900 s earlier than the previous"),
    "clock-at-epoch.pcap": (1, "timestamp 1699999998.999900 s earlier than the previous"),
    "caplen-over-len.pcap": (1, "record holds 108 bytes but says the frame was 98 bytes"),
    "terminal-escapes.pcap": (0, ""),
    "ends-inside-gapped-packet.pcap": (1, "2 gaps, 4 malformed regions"),
    "ends-inside-header.pcap": (1, "2 malformed regions"),
    "snaplen-cuts.pcap": (1, "frame 12: headers incomplete (40 bytes captured, cut by the"),
    "truncated-pcap-file-header.pcap": (1, "pcap file header is truncated"),
    "truncated-pcap-record-header.pcap": (1, "truncated in the record header of frame 3"),
    "truncated-pcap-frame.pcap": (1, "file truncated in frame 3: 30 of 54 bytes present"),
    "truncated-pcapng-section-header.pcapng": (1, "file truncated in a block header"),
    "truncated-pcapng-interface-block.pcapng": (1, "truncated in a pcapng block at file offset 28"),
    "truncated-pcapng-packet-block.pcapng": (1, "truncated in a pcapng block at file offset 236"),
    "pcap-record-length-0.pcap": (1, "file truncated in frame 4"),
    "pcap-record-length-7.pcap": (1, "file truncated in frame 4"),
    "pcap-record-length-8.pcap": (1, "file truncated in frame 4"),
    "pcap-record-length-9.pcap": (1, "frame 4: record claims 1073741864 bytes"),
    "pcap-record-length-0x80000000.pcap": (1, "frame 3: record claims 2147483648 bytes"),
    "pcap-record-length-0xffffffff.pcap": (1, "frame 3: record claims 4294967295 bytes"),
    **{f"pcapng-block-length-{n}.pcapng": (1, f"corrupt pcapng block at file offset 236 ({v=})"
                                           .replace("v=", "length "))
       for n, v in hostile.ABSURD.items()},
    **{f"pcapng-captured-length-{n}.pcapng": (1, f"frame 3: headers incomplete ({n} bytes")
       for n in ("0", "7", "8", "9")},
    "pcapng-captured-length-0x80000000.pcapng": (1, "claims 2147483648 captured bytes"),
    "pcapng-captured-length-0xffffffff.pcapng": (1, "claims 4294967295 captured bytes"),
}


def _run(tmp_path: Path, *args: str | Path) -> Run:
    run = run_analyzer(*args, report=tmp_path / "run.json")
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert run.peak_kb < BOUND_KB, (args, run.peak_kb)
    return run


def test_shipped_files_are_what_the_script_makes() -> None:
    result = subprocess.run([sys.executable, "scripts/make_hostile_captures.py", "--check"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in HOSTILE.glob("*.pcap*")) == sorted(hostile.CAPTURES)
    assert set(DISSECT) == set(hostile.CAPTURES)


def test_readme_names_every_capture() -> None:
    readme = (HOSTILE / "README.md").read_text()
    for name in hostile.CAPTURES:
        braced = re.sub(r"-(0|7|8|9|0x80000000|0xffffffff)\.", "-{0,7,8,9,0x80000000,0xffffffff}.",
                        name)
        assert f"| `{name}` |" in readme or f"| `{braced}` |" in readme, name


@pytest.mark.parametrize("name", sorted(DISSECT))
def test_dissect_says_what_is_wrong_in_one_line(name: str, tmp_path: Path) -> None:
    code, says = DISSECT[name]
    run = _run(tmp_path, "dissect", HOSTILE / name)
    assert run.returncode == code, run.stderr
    assert says in run.stderr
    errors = [line for line in run.stderr_lines if line.startswith("error:")]
    assert len(errors) <= 1 and not CONTROL.search(run.stdout + run.stderr)


@pytest.mark.parametrize("args", [
    ("stats",), ("report", "-o", "r.html"), ("export", "--table", "all", "-o", "out"),
    ("compare", HOSTILE / "timestamps-backwards.pcap"), ("batch", "-o", "dataset"),
])
def test_a_clock_that_jumps_decades_gives_tables_not_an_error(args: tuple[str | Path, ...],
                                                              tmp_path: Path) -> None:
    """The throughput of a capture whose clock jumps 54 years: only the intervals with
    packets where an answer is one number (compare's peak rate), and the intervals a chart
    can draw (report); stats, export and batch hold no throughput table."""
    args = tuple(tmp_path / a if a in ("r.html", "out", "dataset") else a for a in args)
    command, rest = args[0], args[1:]
    capture = HOSTILE / "clock-at-epoch.pcap"
    files = (capture, *rest) if command == "compare" else (*rest, capture)
    run = _run(tmp_path, command, *files)
    assert run.returncode in (0, 1), run.stderr


def test_throughput_with_empty_intervals_says_when_they_are_too_many() -> None:
    from ptpip_analyzer import load
    from ptpip_analyzer.analyze.stats import MAX_BINS, TooManyBins
    cap = load(HOSTILE / "clock-at-epoch.pcap")
    with pytest.raises(TooManyBins, match="choose a longer interval"):
        cap.throughput("100ms", by=["direction"])
    sparse = cap.throughput("100ms", by=["direction"], empty=False)
    assert 0 < len(sparse) < 20 and (sparse["bytes"] > 0).all()
    assert sparse["bytes"].sum() == cap.packets["length"].sum()
    assert len(cap.throughput("3650D", by=["direction"])) < MAX_BINS


def test_start_data_totals_beyond_int64_fit_the_tables(tmp_path: Path) -> None:
    import ptpip_analyzer
    cap = ptpip_analyzer.load(HOSTILE / "start-data-totals.pcap")
    announced = cap.transactions.set_index("transaction_id")["announced_bytes"]
    assert (announced[1], announced[2]) == (1 << 63, (1 << 64) - 2)
    assert list(cap.data_phases["announced"]) == [1 << 63, (1 << 64) - 2]
    for command in ("stats", "transactions"):
        assert _run(tmp_path, command, HOSTILE / "start-data-totals.pcap").returncode == 0
    export = _run(tmp_path, "export", HOSTILE / "start-data-totals.pcap", "--table", "all",
                  "-o", tmp_path / "tables")
    assert export.returncode == 0, export.stderr
    run = _run(tmp_path, "report", HOSTILE / "start-data-totals.pcap", "-o", tmp_path / "r.html")
    assert run.returncode == 0, run.stderr


def test_partial_object_offsets_near_4g_become_a_sparse_file(tmp_path: Path) -> None:
    out = tmp_path / "objects"
    run = _run(tmp_path, "export-objects", HOSTILE / "partial-object-offsets.pcap", "-d", out)
    assert run.returncode == 0, run.stderr
    [row] = json.loads((out / "manifest.json").read_text())
    assert (row["file"], row["status"], row["expected_size"]) == \
        ("IMG_0001.JPG.partial", "partial", 0xFFFFFFFE)
    # the read at 0xFFFFFF00 ends 2 bytes past the announced size: no hole after it
    assert row["holes"] == [[256, (1 << 30) - 256], [(1 << 30) + 256, 0xFFFFFF00 - (1 << 30) - 256]]
    path = out / row["file"]
    assert path.stat().st_size == 0xFFFFFF00 + 256  # apparent size: the last byte read
    assert path.stat().st_blocks * 512 < 1 << 20  # on disk: the 768 bytes captured
    with open(path, "rb") as f:
        assert f.read(256) == bytes([4]) * 256
        f.seek(1 << 30)
        assert f.read(256) == bytes([3]) * 256
        f.seek(0xFFFFFF00)
        assert f.read() == bytes([2]) * 256


def test_lost_data_bodies_are_not_zero_filled_without_bound(tmp_path: Path) -> None:
    out = tmp_path / "objects"
    run = _run(tmp_path, "export-objects", HOSTILE / "lost-data-bodies.pcap", "-d", out)
    assert run.returncode == 1, run.stderr  # the object is incomplete: the capture lost it
    assert "incomplete because the capture lost bytes" in run.stderr
    [row] = json.loads((out / "manifest.json").read_text())
    assert (row["file"], row["size"], row["reason"]) == ("", 0, "bytes not in the capture")
    assert row["holes"] == [[0, 20 * ((1 << 24) - 12)]]
    hexdump = _run(tmp_path, "dissect", "-x", HOSTILE / "lost-data-bodies.pcap")
    assert len(hexdump.stdout) < 32 << 20  # at most 4 MiB of zero fill per data phase


def test_dataset_counts_of_4g_elements_are_malformed_datasets(tmp_path: Path) -> None:
    run = _run(tmp_path, "dissect", "-V", HOSTILE / "dataset-counts.pcap")
    for dataset in ("StorageIDs", "ObjectHandles", "DeviceInfo"):
        assert f"{dataset} (malformed): {dataset} does not fit the data" in run.stdout


def test_ptpip_lengths_are_each_a_malformed_region(tmp_path: Path) -> None:
    run = _run(tmp_path, "validate", HOSTILE / "ptpip-lengths.pcap")
    for reason in ("packet length 0 is below the 8-byte header",
                   "packet length 7 is below the 8-byte header",
                   "length 8 is impossible for Operation Request",
                   "length 9 is impossible for Operation Request",
                   "length 2147483648 is impossible", "length 4294967295 is impossible"):
        assert "PTPIP-PK-005" in run.stdout and reason in run.stdout, reason
    assert "7 transaction(s)" in run.stdout  # every good transaction between them is found


def test_frame_problems_name_their_kind() -> None:
    backwards = dissect_file(HOSTILE / "timestamps-backwards.pcap")
    list(backwards.records())
    assert [(p.frame, p.kind) for p in backwards.problems] == [(13, "time-backwards")]
    oversized = dissect_file(HOSTILE / "caplen-over-len.pcap")
    list(oversized.records())
    assert [(p.frame, p.kind) for p in oversized.problems] == \
        [(4, "caplen-over-len"), (5, "caplen-over-len"), (6, "caplen-over-len")]
    assert oversized.frame_stats.oversized == 3


@pytest.mark.parametrize("args", [("dissect",), ("dissect", "-V"), ("dissect", "-x"),
                                  ("dissect", "--format", "jsonl"), ("validate",),
                                  ("transactions",), ("stats",)])
def test_wire_strings_reach_the_terminal_escaped(args: tuple[str, ...], tmp_path: Path) -> None:
    run = _run(tmp_path, *args, HOSTILE / "terminal-escapes.pcap")
    assert run.returncode == 0, run.stderr
    assert not CONTROL.search(run.stdout + run.stderr)
    if args[-1] in ("-V", "stats"):
        assert "\\x1b]0;pwned\\a\\x1b[2JX" in run.stdout


# -- big inputs, made here --------------------------------------------------------------------
@pytest.fixture(scope="module")
def many_connections(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("connections")
    paths = {}
    for count in (5_000, 20_000):
        paths[count] = folder / f"connections-{count}.pcap"
        with open(paths[count], "wb") as f:
            hostile.write_many_connections(f, count)
    return paths


def test_20000_concurrent_connections(many_connections: dict[int, Path], tmp_path: Path) -> None:
    path = many_connections[20_000]
    dissect = _run(tmp_path, "dissect", path)
    assert dissect.returncode == 0 and dissect.stdout.count("Init Command Ack") == 20_000
    validate = _run(tmp_path, "validate", path)
    assert "Summary: 20000 session(s)" in validate.stdout
    # (each run's peak RSS is under BOUND_KB, _run checks; transactions builds its table
    # after the engine let go of the connections' framing state: measured 150 MB)
    transactions = _run(tmp_path, "transactions", path)
    assert transactions.returncode == 0, transactions.stderr


def test_stats_time_is_linear_in_connections(many_connections: dict[int, Path]) -> None:
    """CPU seconds of ``stats`` for 5k and 20k connections: linear is 4x, the quadratic table
    layout it had was 8x (4.2 s, 35 s); a generous bound, not an absolute time."""
    seconds = {}
    for count, path in many_connections.items():
        result = subprocess.run(
            [sys.executable, "-c", CPU_SECONDS, sys.executable, "-m", "ptpip_analyzer", "stats", str(path)],
            cwd=ROOT, capture_output=True, text=True, check=True)
        seconds[count] = float(result.stdout)
    assert seconds[20_000] < 6 * seconds[5_000], seconds


def test_a_million_frames_of_non_ptpip_bytes(tmp_path: Path) -> None:
    path = tmp_path / "junk.pcap"
    with open(path, "wb") as f:
        hostile.write_junk_frames(f, 1_000_000)
    assert path.stat().st_size < 100 << 20
    run = _run(tmp_path, "dissect", path)
    assert run.returncode == 1 and "62 malformed regions" in run.stderr
    assert run.stdout.count("[malformed]") == 62


def test_a_syn_flood_to_another_port_is_forgotten_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "syn.pcap"
    with open(path, "wb") as f:
        hostile.write_syn_flood(f, 150_000)
    for args in (("dissect",), ("dissect", "--no-heuristics")):
        run = _run(tmp_path, *args, path)
        assert (run.returncode, run.stdout) == (0, "")
        assert run.peak_kb < 100 * 1024  # the flow table remembers 65536 of them at most


@pytest.mark.parametrize("seq", [0, 1, 1001, 0xFFFF, 0x10000, 0x12345678, 0xFFFFFFFF])
def test_junk_frames_are_what_the_capture_writer_makes(seq: int) -> None:
    from ptpip_analyzer.model import ACK, PSH
    from ptpip_analyzer.sources import pcap_writer as w
    junk = bytes(range(0x41, 0x51))
    assert hostile.junk_segment(seq, junk) == w.ip_tcp(*hostile.HOST, *hostile.CAMERA, seq,
                                                       5001, ACK | PSH, junk)
