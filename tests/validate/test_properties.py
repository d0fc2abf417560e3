"""Property tests: any record sequence in, no exception out, only catalogued findings."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.engine import validate_records
from ptpip_analyzer.model import Connection, Direction, Endpoint, Gap, Malformed, Packet, Record
from ptpip_analyzer.validate.rules import RULES_BY_ID

CONNECTIONS = [Connection(s, Endpoint(bytes([10, 0, 0, 1 + s % 2]), 50000 + s),
                          Endpoint(bytes([10, 0, 0, 9]), 15740), 1) for s in range(3)]
TIDS = st.sampled_from([0, 1, 2, 3, 0xFFFFFFFE, 0xFFFFFFFF]) | st.integers(0, 2**32 - 1)
SMALL = st.integers(0, 4) | st.integers(0, 2**32 - 1)


@st.composite
def records(draw: st.DrawFn) -> list[tuple[Connection, Record]]:
    out: list[tuple[Connection, Record]] = []
    for frame in range(1, draw(st.integers(0, 40)) + 1):
        conn = draw(st.sampled_from(CONNECTIONS))
        direction = draw(st.sampled_from(Direction))
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.append((conn, Gap(conn.stream, direction, 0, 10, frame, frame, "lost")))
        elif kind == 1:
            out.append((conn, Malformed(conn.stream, direction, 0, 8, frame, frame, "bad")))
        else:
            out.append((conn, draw(packets(conn.stream, direction, frame))))
    return out


@st.composite
def packets(draw: st.DrawFn, stream: int, direction: Direction, frame: int) -> Packet:
    return Packet(
        stream, direction, 0, 8, draw(st.integers(0, 16)), frame, float(frame),
        transaction_id=draw(st.none() | TIDS),
        code=draw(st.none() | st.sampled_from([0x1001, 0x1002, 0x1003, 0x1009, 0x100D, 0x2001,
                                               0x201F, 0x4002, 0x9114])),
        params=tuple(draw(st.lists(SMALL, max_size=5))),
        data_length=draw(st.none() | st.integers(0, 2**64 - 1)),
        data_phase=draw(st.none() | SMALL),
        connection_number=draw(st.none() | SMALL),
        version=draw(st.none() | SMALL),
        reason=draw(st.none() | SMALL))


@settings(max_examples=200, deadline=None)
@given(records())
def test_any_record_sequence_validates_without_exceptions(pairs: list[tuple[Connection,
                                                                             Record]]) -> None:
    result = validate_records(pairs)
    frames = {record.frame for _, record in pairs}
    assert all(f.rule in RULES_BY_ID for f in result.findings)
    assert all(f.frame in frames for f in result.findings)
    assert all(f.severity is RULES_BY_ID[f.rule].severity for f in result.findings)
    assert len({t.start_frame for t in result.transactions}) == len(result.transactions)
