"""`ptpip-analyzer dissect`: output formats, exit codes, and one clear error line for bad input.

Exit codes (cli.py): 0 clean, 1 input problems (gaps, malformed, truncated frames or file),
2 unusable input (not a capture, missing, only unsupported link types) or a usage error.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.decode import encode
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.synthetic import CAMERA_GUID, GUID

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO / "captures" / "synthetic"
REAL = REPO / "captures" / "real"
WritePcap = Callable[..., Path]  # the write_pcap fixture of conftest.py
EXIT_CODES = {
    "basic-ethernet.pcap": 0,
    "heuristic-port-loop.pcap": 0,
    "reorder-retransmit-ipv6-sll2.pcapng": 0,
    "simple-packet-blocks.pcapng": 0,
    "wraparound-two-interfaces.pcapng": 0,
    "loss-midstream-vlan.pcap": 1,
    "bad-lengths-null.pcap": 1,
    "not-ptpip-raw.pcap": 1,
}
HEX_ROW = re.compile(r"^[0-9a-f]{4}  ([0-9a-f ]{47})  ")  # offset, 16 bytes in hex, text


def dissect(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["dissect", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[Any]]:
    code, out, _ = dissect(capsys, "--format", "jsonl", *args)
    return code, [json.loads(line) for line in out.splitlines()]


def one_error(err: str) -> str:
    """The single ``error:`` line of stderr (warnings may precede it); never a traceback."""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, err
    return errors[0]


# -- shipped captures -------------------------------------------------------------------------
def test_every_shipped_capture_has_an_expected_exit_code() -> None:
    assert sorted(p.name for p in SYNTHETIC.iterdir() if p.suffix in (".pcap", ".pcapng")) == \
        sorted(EXIT_CODES)


@pytest.mark.parametrize("name", sorted(EXIT_CODES))
def test_exit_codes_of_shipped_captures(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = dissect(capsys, SYNTHETIC / name)
    assert code == EXIT_CODES[name]
    assert out.strip()
    if code == 0:
        assert err == ""
    else:
        one_error(err)


PACKET_KEYS = {"frame", "time", "src", "dst", "role", "type", "type_name", "length"}
KEYS_BY_TYPE = {  # PROTOCOL.md "Packet types": what each packet type carries
    6: {"transaction_id", "code", "code_name", "params"},
    7: {"transaction_id", "code", "code_name", "params"},
    8: {"transaction_id", "code", "code_name", "params"},
    9: {"transaction_id", "data_length"},
    10: {"transaction_id", "data_length"},
    12: {"transaction_id", "data_length"},
}


@pytest.mark.parametrize("name", sorted(EXIT_CODES))
def test_jsonl_objects_have_their_keys(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, objects = jsonl(capsys, SYNTHETIC / name)
    assert code == EXIT_CODES[name] and objects
    for obj in objects:
        assert PACKET_KEYS <= obj.keys()
        assert KEYS_BY_TYPE.get(obj["type"], set()) <= obj.keys(), obj
        assert isinstance(obj["frame"], int) and isinstance(obj["time"], float)
    frames = [o["frame"] for o in objects]
    assert all(f >= 1 for f in frames)


def test_jsonl_gap_and_malformed_lines(capsys: pytest.CaptureFixture[str]) -> None:
    _, lossy = jsonl(capsys, SYNTHETIC / "loss-midstream-vlan.pcap")
    _, broken = jsonl(capsys, SYNTHETIC / "bad-lengths-null.pcap")
    gaps = [o for o in lossy if o["type_name"] == "gap"]
    malformed = [o for o in broken if o["type_name"] == "malformed"]
    assert gaps and all(o["type"] == 0 and o["length"] > 0 and o["reason"] for o in gaps)
    assert [o["offset"] for o in malformed] == [60, 82, 143, 138]


def test_jsonl_of_a_clean_capture_decodes_the_session(capsys: pytest.CaptureFixture[str]) -> None:
    _, objects = jsonl(capsys, SYNTHETIC / "basic-ethernet.pcap")
    assert [o["type_name"] for o in objects[:4]] == [
        "Init Command Request", "Init Command Ack", "Init Event Request", "Init Event Ack"]
    open_session = objects[4]
    assert (open_session["code"], open_session["code_name"], open_session["transaction_id"],
            open_session["params"]) == (0x1002, "OpenSession", 0, [1, 0, 0, 0, 0])
    assert {o["role"] for o in objects} == {"command", "event"}


def test_verbose_prints_a_tree_under_each_packet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = dissect(capsys, "-V", SYNTHETIC / "basic-ethernet.pcap")
    lines = out.splitlines()
    assert code == 0
    request = lines.index(next(line for line in lines if "OpenSession" in line))
    assert lines[request + 1] == "    PTP/IP: Operation Request, stream offset 78"
    assert "        Transaction ID: 0 (0x00000000)" in lines[request + 2:request + 12]
    assert not any(HEX_ROW.match(line) for line in lines)


def test_hex_dump_holds_the_packet_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = dissect(capsys, "-x", SYNTHETIC / "basic-ethernet.pcap")
    lines = out.splitlines()
    assert code == 0
    dump = []
    for line in lines[1:]:
        match = HEX_ROW.match(line)
        if not match:
            break
        dump.append(bytes.fromhex(match.group(1)))
    assert b"".join(dump) == encode.init_command_request(GUID, "ptpip-analyzer test host")


def test_entry_point_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ptpip_analyzer", "dissect",
         "captures/synthetic/basic-ethernet.pcap"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert "Init Command Request" in result.stdout.splitlines()[0]


# -- bad input: one error line, the right exit code -------------------------------------------
def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = dissect(capsys, tmp_path / "nope.pcap")
    assert (code, out) == (2, "")
    assert "No such file" in one_error(err) and "nope.pcap" in err


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = dissect(capsys, tmp_path)
    assert (code, out) == (2, "")
    assert "directory" in one_error(err).lower()


@pytest.mark.parametrize(("content", "says"), [
    (b"", "empty"),
    (b"GET / HTTP/1.1\r\nHost: camera\r\n\r\n", "not a pcap or pcapng file"),
    (b"Frame,Time,Source\n1,0.0,10.0.0.1\n", "not a pcap or pcapng file"),
], ids=["empty", "http-text", "csv-text"])
def test_not_a_capture(content: bytes, says: str, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "input.pcap"
    path.write_bytes(content)
    code, out, err = dissect(capsys, path)
    assert (code, out) == (2, "")
    assert says in one_error(err) and str(path) in err


def test_truncated_capture_prints_the_frames_before_the_cut(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = (SYNTHETIC / "basic-ethernet.pcap").read_bytes()
    path = tmp_path / "cut.pcap"
    path.write_bytes(whole[:len(whole) // 2 + 7])
    code, out, err = dissect(capsys, path)
    full_lines = dissect(capsys, SYNTHETIC / "basic-ethernet.pcap")[1].splitlines()
    lines = out.splitlines()
    assert code == 1
    assert "file truncated in frame" in one_error(err)
    assert 5 < len(lines) < len(full_lines)
    assert lines[:5] == full_lines[:5]


def test_only_unsupported_link_types(write_pcap: WritePcap,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    conv = w.TcpConversation(("10.0.0.2", 40000), ("10.0.0.1", 15740))
    conv.handshake()
    path = write_pcap(w.frames_for(conv.ip_packets(), w.LINKTYPE_RAW), 147)  # LINKTYPE_USER0
    code, out, err = dissect(capsys, path)
    assert (code, out) == (2, "")
    assert "unsupported link type 147 (3 frames)" in one_error(err)


def ptpip_with_bad_header(write_pcap: WritePcap, length: int, ptype: int) -> tuple[Path, int]:
    """A command connection whose camera sends ``length, ptype`` as a header, then a valid
    response. Returns the capture and the frame that carries the bad header."""
    conv = w.TcpConversation(("10.0.0.2", 40000), ("10.0.0.1", 15740))
    conv.handshake()
    conv.send(True, encode.init_command_request(GUID, "cli test"))
    conv.send(False, encode.init_command_ack(1, CAMERA_GUID, "cam"))  # 40 bytes
    conv.send(True, encode.operation_request(0x1002, 0, [1]))
    bad = conv.send(False, struct.pack("<II", length, ptype)
                    + encode.operation_response(0x2001, 0))
    conv.finish()
    path = write_pcap(w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET), 1)
    return path, conv.segments.index(bad[0]) + 1


@pytest.mark.parametrize(("length", "ptype"), [(0, 7), (7, 9), (0xFFFFFFFF, 10)],
                         ids=["length-0", "length-7", "length-ffffffff"])
def test_bad_length_fields_are_malformed_records(length: int, ptype: int,
                                                 write_pcap: WritePcap,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path, frame = ptpip_with_bad_header(write_pcap, length, ptype)
    code, out, err = dissect(capsys, path)
    assert code == 1
    assert "1 malformed region" in one_error(err)
    malformed = [line for line in out.splitlines() if "[malformed]" in line]
    assert len(malformed) == 1
    assert malformed[0].split()[0] == str(frame)
    assert "at stream offset 40:" in malformed[0] and str(length) in malformed[0]
    assert out.splitlines()[-1].endswith("Operation Response  OK (0x2001) tid=0")  # resynced

    code, objects = jsonl(capsys, path)
    bad = [o for o in objects if o["type_name"] == "malformed"]
    assert code == 1
    assert [(o["frame"], o["offset"], o["length"]) for o in bad] == [(frame, 40, 8)]


def test_http_on_the_ptpip_port(write_pcap: WritePcap,
                                capsys: pytest.CaptureFixture[str]) -> None:
    conv = w.TcpConversation(("192.168.1.10", 43210), ("192.168.1.1", 15740))
    conv.handshake()
    conv.send(True, b"GET /index.html HTTP/1.1\r\nHost: 192.168.1.1\r\n\r\n")
    conv.send(False, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    conv.finish()
    path = write_pcap(w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET), 1)
    code, objects = jsonl(capsys, path)
    assert code == 1
    assert {o["type_name"] for o in objects} == {"malformed"}
    assert sorted(o["src"] for o in objects) == ["192.168.1.10:43210", "192.168.1.1:15740"]
    code, _, err = dissect(capsys, path)
    assert "malformed region" in one_error(err)


def test_port_option_finds_ptpip_elsewhere(capsys: pytest.CaptureFixture[str]) -> None:
    capture = SYNTHETIC / "heuristic-port-loop.pcap"
    assert dissect(capsys, "--no-heuristics", capture)[1] == ""
    code, out, _ = dissect(capsys, "--no-heuristics", "--port", "55555", capture)
    assert code == 0 and "Init Command Request" in out and "Init Event" not in out


@pytest.mark.parametrize("argv", [[], ["dissect"], ["dissect", "--format", "xml", "x.pcap"],
                                  ["dissect", "--port", "http", "x.pcap"], ["frobnicate"]],
                         ids=["nothing", "no-file", "bad-format", "bad-port", "bad-command"])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "arrow"), [
    (["export", "c.pcap", "-o", "t.csv"], False),
    (["export", "c.pcap", "-o", "t.parquet"], False),
    (["export", "c.pcap", "-o", "dir", "--table", "all"], False),
    (["stats", "c.pcap"], False),
    (["batch", "c.pcap", "-o", "dir"], True),
])
def test_pandas_is_kept_from_pyarrow_but_by_batch(argv: list[str], arrow: bool) -> None:
    """(pandas' arrow-backed strings cost ~35-70 MB resident: issue 17; writing Parquet loads
    pyarrow itself, after the tables are built)"""
    code = ("import sys; from ptpip_analyzer.cli import build_parser, common; "
            f"args = build_parser({argv[0]!r}).parse_args({argv!r}); "
            "common.leave_out_arrow(args); import pandas; "
            "print('pyarrow' in sys.modules and sys.modules['pyarrow'] is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == str(arrow)


@pytest.mark.parametrize("table", ["transactions", "packets", "findings"])
def test_parquet_written_by_the_program_reads_back_as_the_table(table: str,
                                                                tmp_path: Path) -> None:
    """The program's pandas holds Python-backed strings; its Parquet reads back as the table
    ``load`` gives (whose strings are pandas' default)."""
    import pandas as pd

    from ptpip_analyzer import load
    capture = REAL / "fault-short-data.pcapng"
    out = tmp_path / f"{table}.parquet"
    done = subprocess.run([sys.executable, "-m", "ptpip_analyzer", "export", str(capture),
                           "--table", table, "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    want = load(capture).table(table)
    empty = [c for c in want if isinstance(want[c].dtype, pd.CategoricalDtype)
             and want[c].cat.categories.empty]  # (Arrow's null dictionary: object)
    pd.testing.assert_frame_equal(pd.read_parquet(out).drop(columns=empty),
                                  want.drop(columns=empty))
