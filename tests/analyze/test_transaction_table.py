"""The transactions table built from the packed records, a column at a time (issue 17), is the
table made from one ``Transaction`` per row, cell for cell, dtype for dtype and category for
category: on every shipped capture, read whole and cut in half (transactions still open), and
when a state does not fit a record (the rows are made then)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze import tables
from ptpip_analyzer.analyze.transaction_table import transactions_table
from ptpip_analyzer.analyze.transactions import transactions_of
from ptpip_analyzer.engine import Engine, EngineOptions

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "captures").glob("*/*.pcap*"))


def _engine(path: Path, part: float) -> Engine:
    data = path.read_bytes()
    engine = Engine(EngineOptions(tables=True))
    engine.feed_bytes(data[:int(len(data) * part)])
    if part == 1:
        engine.close()
    assert engine.collector is not None
    engine.collector.refresh()
    return engine


def _both(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = engine.collector
    assert c is not None
    findings = sorted(engine.findings, key=lambda f: f.frame)
    states = engine.transactions()
    made = tables.transactions_frame(c, transactions_of(states, findings), c.t0 or 0.0,
                                     engine.dissector.flows)
    return made, transactions_table(c, states, findings, c.t0 or 0.0, engine.dissector.flows)


def _same(made: pd.DataFrame, built: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(built, made, check_exact=True, check_categorical=True)
    assert list(built.dtypes) == list(made.dtypes)
    for name in made.columns:
        if isinstance(made[name].dtype, pd.CategoricalDtype):
            assert list(built[name].cat.categories) == list(made[name].cat.categories), name


@pytest.mark.parametrize("part", [1, 0.5])
@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_the_table_from_records_is_the_table_from_rows(path: Path, part: float) -> None:
    engine = _engine(path, part)
    assert engine.transactions().fields() is not None  # (the records path, not the fallback)
    _same(*_both(engine))


def test_every_shipped_kind_of_transaction_is_covered() -> None:
    """The captures above hold every status the columns tell apart, findings on
    transactions and data phases both ways."""
    seen: set[str] = set()
    for path in CAPTURES:
        for part in (1, 0.5):
            table = _both(_engine(path, part))[1]
            seen |= set(table["status"].astype(str)) | set(table["data_direction"].dropna())
            seen |= {"findings"} if (table["findings"] > 0).any() else set()
    assert {"ok", "failed", "unanswered", "damaged", "invalid", "cancelled", "in", "out",
            "findings"} <= seen


def test_a_state_no_record_holds_makes_the_rows() -> None:
    engine = _engine(CAPTURES[0], 1)
    assert engine.validator is not None
    store = engine.validator.completed
    first = store[0]
    store.append(dataclasses.replace(first, params=(1, 2, 3, 4, 5, 6)))  # six: no record
    assert engine.transactions().fields() is None
    made, built = _both(engine)
    _same(made, built)
    assert (built["param5"] == 5).any()


def test_a_table_over_several_compressed_chunks(tmp_path: Path) -> None:
    from benchmarks.bench import generate
    from ptpip_analyzer.validate.transaction_store import CHUNK
    path = tmp_path / "many.pcap"
    generate(path, 0, 0, False, False, small=CHUNK * 2 + 500)
    made, built = _both(_engine(path, 1))
    assert len(built) > CHUNK * 2
    _same(made, built)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_table_written_in_slices_is_the_table_written_whole(
        kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from ptpip_analyzer import load
    from ptpip_analyzer.analyze import export
    for path in CAPTURES:
        table = load(path).transactions
        whole = io.StringIO()
        export.write_text_table([table], whole, kind)
        monkeypatch.setattr(export, "PART_ROWS", 7)
        sliced = io.StringIO()
        export.write_text_table(table, sliced, kind)
        monkeypatch.undo()
        assert sliced.getvalue() == whole.getvalue(), path.name
