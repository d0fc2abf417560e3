"""Display filters (ptpip_analyzer/filters/): each operator against a hand-written predicate
over the rows of shipped captures, code names resolved per vendor, and every kind of bad
filter as a FilterError at the right character."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.analyze.transactions import transaction_to_dict, validation_of
from ptpip_analyzer.decode import describe
from ptpip_analyzer.decode.tables import VENDORS
from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.filters import MATCH_LIMIT, FilterError, compile_filter
from ptpip_analyzer.validate import finding_to_dict

REAL = Path(__file__).resolve().parent.parent / "captures" / "real"
Row = dict[str, Any]


@cache
def rows_of(name: str) -> tuple[list[Row], list[Row], list[Row]]:
    """Packet, transaction and finding rows of a shipped capture, as the CLI builds them."""
    run = Dissection(REAL / name, EngineOptions(annotate=True, validate=True))
    packets = [describe.to_dict(i.conn, i.record, i.annotation) for i in run.items()]
    result = validation_of(run.engine)
    transactions = [transaction_to_dict(t, run.engine.vendor_of(t.stream))
                    for t in result.transactions]
    return packets, transactions, [finding_to_dict(f) for f in result.findings]


def selected(text: str, table: str, rows: list[Row]) -> list[Row]:
    f = compile_filter(text, table)
    return [r for r in rows if f.matches(r)]


PACKET_CASES: list[tuple[str, Callable[[Row], bool]]] = [
    ("frame == 52", lambda r: r["frame"] == 52),
    ("frame != 52", lambda r: r["frame"] != 52),
    ("frame >= 20 and frame < 30", lambda r: 20 <= r["frame"] < 30),
    ("frame > 0x20 or frame <= 10", lambda r: r["frame"] > 32 or r["frame"] <= 10),
    ("not frame > 5", lambda r: not r["frame"] > 5),
    ("!(frame > 5) || frame == 52", lambda r: r["frame"] <= 5 or r["frame"] == 52),
    ("code == GetObject", lambda r: r["type"] == 6 and r.get("code") == 0x1009),
    ("code == 0x1009", lambda r: r.get("code") == 0x1009),
    ("code == OK", lambda r: r["type"] == 7 and r.get("code") == 0x2001),
    ("code != OK", lambda r: not (r["type"] == 7 and r.get("code") == 0x2001)),
    ("type == StartData", lambda r: r["type"] == 9),
    ('type == "Operation Request"', lambda r: r["type"] == 6),
    ("transaction_id in {1..3, 7}", lambda r: r.get("transaction_id") in (1, 2, 3, 7)),
    ("transaction_id in {1 2}", lambda r: r.get("transaction_id") in (1, 2)),
    ("transaction_id", lambda r: "transaction_id" in r),
    ("transaction_id != 3", lambda r: r.get("transaction_id") != 3),
    ("params contains 1", lambda r: 1 in r.get("params", [])),
    ("params > 0x10000", lambda r: any(p > 0x10000 for p in r.get("params", []))),
    ('code_name == "GetObjectInfo"', lambda r: r.get("code_name") == "GetObjectInfo"),
    ("code_name == GetObjectInfo", lambda r: r.get("code_name") == "GetObjectInfo"),
    ('type_name contains "Init"', lambda r: "Init" in r["type_name"]),
    ('type_name matches "^(Start|End) Data$"', lambda r: r["type_name"] in ("Start Data",
                                                                            "End Data")),
    ('role == "event"', lambda r: r["role"] == "event"),
    ("role == command and data_length > 1000",
     lambda r: r["role"] == "command" and r.get("data_length", 0) > 1000),
    ('named_params contains "Handle"',
     lambda r: any("Handle" in p["name"] for p in r.get("named_params", []))),
    ("dataset", lambda r: "dataset" in r),
    ("time > 1795612661.396", lambda r: r["time"] > 1795612661.396),
    ('src matches "^127\\.0\\.0\\.1:4"', lambda r: r["src"].startswith("127.0.0.1:4")),
]


@pytest.mark.parametrize(("text", "predicate"), PACKET_CASES, ids=[c[0] for c in PACKET_CASES])
def test_packet_filters_select_what_they_say(text: str, predicate: Callable[[Row], bool]) -> None:
    packets, _, _ = rows_of("gphoto2-get-all-files.pcapng")
    assert selected(text, "packets", packets) == [r for r in packets if predicate(r)]


def test_the_filters_are_not_trivial_on_the_capture() -> None:
    """Each case above selects some packets and leaves some out (else it proves little)."""
    packets, _, _ = rows_of("gphoto2-get-all-files.pcapng")
    for text, _ in PACKET_CASES:
        assert 0 < len(selected(text, "packets", packets)) < len(packets), text


def test_transaction_filters_on_dicts_and_dataframe_rows() -> None:
    """The same filter selects the same transactions from transaction_to_dict rows and from
    the transactions DataFrame (numpy scalars, NA, Timestamps)."""
    from ptpip_analyzer import load
    _, transactions, _ = rows_of("fault-slow.pcapng")
    frame = load(REAL / "fault-slow.pcapng").transactions
    records = frame.to_dict("records")
    cases = {
        "opcode == GetObject and latency_s > 0.5": lambda r: r["opcode"] == 0x1009
        and (r["latency_s"] or 0) > 0.5,
        "response_code == OK": lambda r: r["response_code"] == 0x2001,
        "not complete": lambda r: not r["complete"],
        "complete == true and data_bytes >= 1000": lambda r: r["complete"]
        and r["data_bytes"] >= 1000,
        'opcode_name in {"GetObjectInfo", GetObject}':
            lambda r: r["opcode_name"] in ("GetObjectInfo", "GetObject"),
        "start > 0 and end_frame": lambda r: r["end_frame"] is not None,
    }
    for text, predicate in cases.items():
        want = [r["transaction_id"] for r in transactions if predicate(r)]
        assert [r["transaction_id"] for r in selected(text, "transactions", transactions)] \
            == want, text
        assert [r["transaction_id"] for r in selected(text, "transactions", records)] == want
    assert selected("ok == false", "transactions", records) == []


def test_missing_values_compare_false_except_not_equal() -> None:
    import pandas as pd
    for empty in (None, float("nan"), pd.NA, pd.NaT):
        row = {"latency_s": empty, "response_code": empty, "end": empty, "complete": empty}
        for text in ("latency_s > 0", "latency_s == 0", "response_code == OK", "end > 0",
                     "complete", "complete == true", "latency_s in {0..10}", "latency_s"):
            assert not compile_filter(text, "transactions").matches(row), (text, empty)
        assert compile_filter("latency_s != 1", "transactions").matches(row)


def test_finding_filters() -> None:
    _, _, findings = rows_of("fault-wrong-transaction-id.pcapng")
    assert findings
    assert selected("severity >= warning", "findings", findings) == findings
    assert selected("severity == note", "findings", findings) == []
    assert selected('rule matches "^PTPIP-TX-"', "findings", findings) == \
        [f for f in findings if f["rule"].startswith("PTPIP-TX-")]
    assert selected('message contains "GetObject"', "findings", findings) == \
        [f for f in findings if "GetObject" in f["message"]]


def _vendor_code() -> tuple[int, str, str, str]:
    """An operation code that two vendors name differently."""
    nikon, canon = VENDORS["nikon"].codes["operation"], VENDORS["canon"].codes["operation"]
    code = next(c for c in sorted(nikon) if c in canon and nikon[c] != canon[c])
    return code, nikon[code], canon[code], "nikon"


def test_code_names_are_vendor_aware() -> None:
    code, nikon_name, canon_name, _ = _vendor_code()
    row = {"type": 6, "code": code}
    by_nikon = compile_filter(f'code == "{nikon_name}"', "packets")
    by_canon = compile_filter(f'code == "{canon_name}"', "packets")
    assert by_nikon.matches({**row, "vendor": "nikon"})
    assert not by_nikon.matches({**row, "vendor": "canon"})
    assert by_canon.matches({**row, "vendor": "canon"})
    assert not by_canon.matches({**row, "vendor": None})  # no vendor: vendor codes unnamed
    tx = compile_filter(f'opcode == "{nikon_name}"', "transactions")
    assert tx.matches({"opcode": code, "vendor": "nikon"})
    assert not tx.matches({"opcode": code})


def test_code_names_follow_the_packet_type() -> None:
    """``code`` of a response is a response code: OK (0x2001) never matches a request."""
    f = compile_filter("code == OK", "packets")
    assert f.matches({"type": 7, "code": 0x2001})
    assert not f.matches({"type": 6, "code": 0x2001})
    assert compile_filter("code == ObjectAdded", "packets").matches({"type": 8, "code": 0x4002})


ERRORS = [
    ("fram == 1", 0, "unknown field 'fram' for packets (did you mean frame?)"),
    ("frame == \"a\"", 9, "frame is an integer"),
    ("frame == 1.5", 9, "frame is an integer"),
    ("src == 5", 7, "src is a string"),
    ("code == GetObjekt", 8, "unknown operation, response or event name 'GetObjekt'"),
    ("code > GetObject", 7, "a code name compares with == or != only"),
    ("type == Foo", 8, "unknown packet type 'Foo'"),
    ("frame ==", 8, "expected a value after =="),
    ("(frame == 1", 11, "expected ) to close the ( at character 1"),
    ("frame == 1 frame", 11, "expected and, or or the end of the filter"),
    ("frame == 1 and", 14, "expected a field name"),
    ("== 1", 0, "expected a field name"),
    ('name == "abc', 8, "unterminated string"),
    ("frame @ 1", 6, "unexpected character '@'"),
    ("frame in {}", 9, "an empty set selects nothing"),
    ("frame in {1, 2", 14, "expected } to close the {"),
    ("frame in 1", 9, "expected { after in"),
    ("", 0, "empty filter"),
    ("frame contains 1", 6, "contains applies to strings and lists"),
    ("frame matches \"1\"", 6, "matches applies to strings"),
    ("src matches 1", 12, "matches takes a regular expression"),
    ('src matches "("', 13, "bad regular expression"),
    ('src matches "(a+)+$"', 12, "a repeat inside a repeat"),
    ('src matches "(a|aa)*b"', 12, "alternatives inside a repeat"),
    ('src matches "(a)\\1"', 12, "back references"),
    ('src matches "a*b*c*"', 12, "more than 2 unbounded repeats"),
    ("dataset == 1", 8, "dataset can only be tested for presence"),
]


@pytest.mark.parametrize(("text", "position", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_filters_name_the_offending_character(text: str, position: int,
                                                  message: str) -> None:
    with pytest.raises(FilterError) as caught:
        compile_filter(text, "packets")
    assert caught.value.position == position
    assert message in caught.value.message


def test_table_specific_errors() -> None:
    with pytest.raises(FilterError, match="boolean"):
        compile_filter("complete > 1", "transactions")
    with pytest.raises(FilterError, match="severity is one of"):
        compile_filter("severity == fatal", "findings")
    with pytest.raises(FilterError, match="unknown field 'latency_s' for packets"):
        compile_filter("latency_s > 1", "packets")
    with pytest.raises(ValueError, match="unknown table"):
        compile_filter("frame == 1", "frames")


def test_render_puts_the_caret_under_the_character() -> None:
    text = 'type_name == "\x1b[2J" and fram == 1'
    with pytest.raises(FilterError) as caught:
        compile_filter(text, "packets")
    message, shown, caret = caught.value.render(text, "error: ").split("\n")
    assert message.startswith("error: unknown field 'fram'")
    assert "\x1b" not in shown  # the echo is escaped for the terminal, the caret follows it
    assert shown[caret.index("^"):].startswith("fram")


def test_regex_cost_is_bounded() -> None:
    """The worst pattern allowed, on the longest value looked at, stays in milliseconds."""
    f = compile_filter('name matches "a*a*b"', "packets")
    t0 = time.perf_counter()
    assert not f.matches({"name": "a" * 100_000})
    assert time.perf_counter() - t0 < 0.5
    assert compile_filter('name matches "b"', "packets").matches(
        {"name": "a" * (MATCH_LIMIT - 1) + "b"})


def test_fields_lists_what_the_filter_reads() -> None:
    f = compile_filter("code == GetObject and (session == 1 or not vendor)", "packets")
    assert f.fields == {"code", "session", "vendor"}


def test_vendor_names_say_when_rows_need_their_vendor() -> None:
    code, nikon_name, _, _ = _vendor_code()
    assert compile_filter(f'code == "{nikon_name}"', "packets").vendor_names
    assert not compile_filter("code == GetObject or code == OK", "packets").vendor_names
    assert not compile_filter(f"code == {code}", "packets").vendor_names
