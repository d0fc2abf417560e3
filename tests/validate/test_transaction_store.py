"""The packed store of finished transactions gives back equal states, in both orders, from
compressed chunks too, and its fields as columns."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from ptpip_analyzer.validate.command import TransactionState
from ptpip_analyzer.validate.data_direction import DataDirection
from ptpip_analyzer.validate.transaction_ids import UsedIds
from ptpip_analyzer.validate.transaction_store import CHUNK, TransactionStore

u32 = st.integers(0, 0xFFFFFFFF)
times = st.floats(allow_nan=False, allow_infinity=False)


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


states = st.builds(
    TransactionState,
    session=optional(st.integers(0, 1 << 40)), stream=u32, transaction_id=u32,
    opcode=st.integers(0, 0xFFFF), params=st.lists(u32, max_size=5).map(tuple),
    data_phase=optional(u32), start_frame=st.integers(0, 1 << 33), start_time=times,
    data_direction=optional(st.sampled_from(DataDirection)),
    announced_bytes=optional(st.integers(0, (1 << 64) - 2)),
    data_bytes=st.integers(0, 1 << 65), response_code=optional(st.integers(0, 0xFFFF)),
    response_params=st.lists(u32, max_size=6).map(tuple), end_frame=optional(u32),
    end_time=optional(times), cancelled=st.booleans(), uncertain=st.booleans(),
    data_start_time=optional(times), data_end_time=optional(times),
    previous_end_time=optional(times))


@given(st.lists(states, max_size=30))
def test_every_state_comes_back_equal_in_end_order_and_by_start(given_states):
    store = TransactionStore()
    store.extend(given_states)
    assert len(store) == len(given_states)
    assert list(store) == given_states
    assert store[1:4] == given_states[1:4]
    if given_states:
        assert store[-1] == given_states[-1]
    by_start = sorted(given_states, key=lambda t: t.start_frame)  # stable, as before
    assert list(store.by_start()) == by_start
    assert [store.stream(i) for i in range(len(store))] == [t.stream for t in given_states]
    assert [store.keys(i) for i in range(len(store))] == [
        (t.session, t.stream, t.transaction_id, t.start_frame, t.end_frame) for t in given_states]


def test_a_state_that_does_not_fit_is_kept_whole_and_the_rows_are_made():
    plain = TransactionState(1, 0, 5, 0x1015, (0x5001,), None, 10, 1.5)
    odd = TransactionState(1, 0, 6, 0x1015, (1, 2, 3, 4, 5, 6), None, 1 << 40, 2.5)
    store = TransactionStore()
    store.append(plain)
    assert store.by_start().fields() is not None
    store.append(odd)
    assert store[1] is odd and store[0] == plain and store[0] is not plain
    tail = [TransactionState(1, 0, 7, 0x1015, (), None, 99, 3.0)]
    assert list(store.by_start().then(tail)) == [plain, odd, *tail]
    assert store.field("stream") is None and store.by_start().fields() is None


def test_chunks_read_back_in_any_order_and_as_fields():
    """Enough transactions for several compressed chunks and an open one, ending out of start
    order (interleaved sessions), with open ones after them."""
    rng = random.Random(7)
    made = [TransactionState(rng.choice([1, None]), i % 3, i, 0x1015, (i,) * (i % 6), None,
                             i + rng.randrange(50), i / 7, end_frame=i + 60 if i % 9 else None,
                             end_time=(i + 1) / 7)
            for i in range(CHUNK * 3 + 100)]
    store = TransactionStore()
    store.extend(made)
    positions = list(range(len(made)))
    rng.shuffle(positions)
    assert all(store[i] == made[i] for i in positions[:2000])
    tail = [TransactionState(1, 0, 99999, 0x1009, (3,), None, 1 << 20, 9.5)]
    view = store.by_start().then(tail)
    expected = [*sorted(made, key=lambda t: t.start_frame), *tail]
    assert list(view) == expected
    fields = view.fields()
    assert fields is not None and len(fields) == len(expected)
    assert fields["start_frame"].tolist() == [t.start_frame for t in expected]
    assert fields["start_time"].tolist() == [t.start_time for t in expected]
    assert fields["p2"].tolist() == [(t.params + (0, 0))[1] for t in expected]
    assert fields["param_count"].tolist() == [len(t.params) for t in expected]


def test_used_ids_hold_runs_and_scattered_ids():
    used = UsedIds()
    for tid in [*range(1, 5000), 0xFFFFFFFE, 77777]:
        used.add(tid)
    assert all(tid in used for tid in range(1, 5000))
    assert 0xFFFFFFFE in used and 77777 in used
    assert 0 not in used and 5000 not in used and 77776 not in used and None not in used
