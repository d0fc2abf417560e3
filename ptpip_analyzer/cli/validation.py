"""The ``validate`` and ``transactions`` commands: arguments and printing only."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, overload

from ..model import Finding, Severity
from ..protocol import RESPONSE_OK
from ..terminal_text import escape
from . import common, selection
from .output import FieldWriter, JsonDocument, Palette, UsageError, colour_wanted

if TYPE_CHECKING:
    import pandas as pd

    from ..analyze.transactions import Transaction, ValidationResult
    from ..engine import Dissection


def add_parsers(sub: Any) -> None:
    from .dissect import add_output_options
    v = sub.add_parser("validate", help="protocol findings, grouped by session")
    common.add_input_options(v)
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--fail-on", choices=("error", "warning", "note"), default="error",
                   help="exit 1 when a finding shown is at or above this severity "
                        "(default error)")
    selection.add_filter_option(v, "findings")
    selection.add_count_option(v, "findings")
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser("transactions", help="one row per PTP transaction")
    common.add_input_options(t, many=True)
    t.add_argument("--format", choices=("table", "jsonl", "csv", "json"), default="table",
                   help="csv and jsonl: the transactions table of export, column for column")
    add_output_options(t)
    selection.add_filter_option(t, "transactions")
    selection.add_count_option(t, "transactions")
    t.set_defaults(func=cmd_transactions)


def _validated(args: argparse.Namespace, path: str,
               rows: bool = True) -> tuple[Dissection, ValidationResult]:
    """One pass through the engine: validator, transaction rows (unless ``rows`` is False)
    and the vendor per session (the vendor-aware names of the transactions table)."""
    from ..analyze.transactions import validation_of  # not needed by dissect: start faster
    from ..decode.session_vendor import MAX_DEVICE_INFO
    vendors = args.command == "transactions" or bool(args.vendor)
    source = common.dissection(common.for_file(args, path), annotate=False, validate=True,
                               vendors=vendors, keep_payload=MAX_DEVICE_INFO if vendors else 0)
    for _ in source.items():
        pass
    return source, validation_of(source.engine, rows)


# -- validate ---------------------------------------------------------------------------------
def finding_line(f: Finding, palette: Palette) -> str:
    tid = f"tid {f.transaction_id}" if f.transaction_id is not None else ""
    severity = f"{f.severity.name.lower():8s}"
    if f.severity is Severity.ERROR:
        severity = palette.paint("red", severity)
    elif f.severity is Severity.WARNING:
        severity = palette.paint("yellow", severity)
    return f"  {severity} {f.rule:13s} frame {f.frame:<7d} {tid:14s} {escape(f.message)}"


def _print_findings(result: ValidationResult, findings: list[Finding], out: TextIO,
                    cameras: dict[int, str] | None = None) -> None:
    palette = Palette(colour_wanted(common.COLOUR.choice, out))
    by_session: dict[int | None, list[Finding]] = {}
    for f in findings:
        by_session.setdefault(f.session, []).append(f)
    for session in result.sessions:
        event = f"event stream {session.event_stream}" if session.event_stream is not None \
            else "no event connection seen"
        camera = (cameras or {}).get(session.number)
        named = f", camera \"{escape(camera)}\"" if camera else ""
        out.write(f"Session {session.number}: command stream {session.command_stream}, "
                  f"{event}, connection number {session.connection_number}{named}\n")
        for f in by_session.pop(session.number, []) or []:
            out.write(finding_line(f, palette) + "\n")
    for f in by_session.pop(None, []):
        out.write(finding_line(f, palette) + "\n")
    counts = {sev: sum(f.severity is sev for f in findings) for sev in Severity}
    of = f" shown of {len(result.findings)}" if len(findings) != len(result.findings) else ""
    out.write(f"Summary: {len(result.sessions)} session(s), {result.transaction_count} "
              f"transaction(s), {counts[Severity.ERROR]} error(s), "
              f"{counts[Severity.WARNING]} warning(s), {counts[Severity.NOTE]} note(s){of}\n")


def _selected_findings(args: argparse.Namespace, result: ValidationResult) -> list[Finding]:
    from ..validate import finding_to_dict
    compiled = selection.display_filter(args, "findings")
    findings = [f for f in result.findings
                if compiled is None or compiled.matches(finding_to_dict(f))]
    return findings[:args.count] if args.count is not None else findings


def cmd_validate(args: argparse.Namespace) -> int:
    selection.display_filter(args, "findings")  # a bad filter stops before reading
    source, result = _validated(args, args.file, rows=False)
    findings = _selected_findings(args, result)
    if args.format == "json":
        from ..validate import finding_to_dict
        json.dump([finding_to_dict(f) for f in findings], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        _print_findings(result, findings, sys.stdout, _cameras(source.engine, result))
    code = common.input_exit_code(source.engine)
    if source.engine.error:
        common.error(f"{args.file}: {source.engine.error}")
    if code == common.EXIT_UNUSABLE:
        return code
    threshold = Severity[args.fail_on.upper()]
    failed = any(f.severity >= threshold for f in findings)
    return common.EXIT_PROBLEMS if failed else code


def _cameras(engine: Any, result: ValidationResult) -> dict[int, str]:
    """Session number -> the camera its Init Command Ack named (validate/quirks.py)."""
    names = engine.validator.quirks.names if engine.validator is not None else {}
    out = {}
    for session in result.sessions:
        conn = engine.dissector.connection(session.command_stream)
        if conn is not None and conn.responder.address in names:
            out[session.number] = names[conn.responder.address]
    return out


# -- transactions -----------------------------------------------------------------------------
def _table_row(row: dict[str, Any], tcp: str = "") -> str:
    params = ", ".join(row["named_params"])
    latency = row["latency_s"]
    ms = f"{latency * 1000:9.3f}" if isinstance(latency, float) else "        -"
    code = row["response_code"]
    response = f"{row['response_name']} (0x{code:04X})" if isinstance(code, int) else "-"
    data = f"{row['data_direction'] or '':3s} {row['data_bytes']:>10}"
    return f"{row['session'] or '-':>3} {row['transaction_id']:>6} " \
           f"{row['opcode_name']:>24s} (0x{row['opcode']:04X}) {response:28s} " \
           f"{row['status']:10s} {row['findings']:>3} " \
           f"{data} {ms} {row['start_frame']:>7}{tcp}  {params}"


TCP_HEADER = f" {'rtx':>4} {'stall ms':>9}"


def _tcp_cells(table: pd.DataFrame) -> list[str] | None:
    """Each row's TCP columns (retransmissions, stall_s in ms), when any row has one that is
    not 0; None when TCP held nothing up (the table stays as narrow as before)."""
    if "retransmissions" not in table or "stall_s" not in table:
        return None
    resent = table["retransmissions"].fillna(0).astype(int).tolist()
    stall = table["stall_s"].astype(float).fillna(0.0).tolist()
    if not any(resent) and not any(stall):
        return None
    return [f" {n:>4} {s * 1000:9.1f}" for n, s in zip(resent, stall, strict=True)]


class TransactionDicts(Sequence[dict[str, Any]]):
    """The transaction_to_dict rows of one capture (named parameters for the text table),
    each made when read and not kept: 100,000 of them held at once were ~100 MB."""

    def __init__(self, rows: Sequence[Transaction], vendor_of: Callable[[int], str | None],
                 capture: str | None = None) -> None:
        self.rows, self.vendor_of, self.capture = rows, vendor_of, capture

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> TransactionDicts: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | TransactionDicts:
        if isinstance(index, slice):
            return self.keeping(self.rows[index])
        from ..analyze.transactions import transaction_to_dict
        row = self.rows[index]
        out = transaction_to_dict(row, self.vendor_of(row.stream))
        if self.capture is not None:
            out["capture"] = self.capture
        return out

    def keeping(self, rows: Sequence[Transaction]) -> TransactionDicts:
        return TransactionDicts(rows, self.vendor_of, self.capture)


CHUNK_ROWS = 5_000  # transactions tabled and written at a time (issue 17: 280,000 rows as
# one table were ~250 MB; a chunk is a few MB and every output is the same)


class CaptureTransactions:
    """One capture's transactions after its engine run: tabled a chunk at a time, each
    with the transaction_to_dict rows (named parameters for the text table), ``-Y`` applied."""

    def __init__(self, args: argparse.Namespace, path: str, capture: str | None = None,
                 run: Dissection | None = None) -> None:
        """``run``: an engine run of ``path`` already made (validator and annotator on);
        without it, one is made here."""
        if run is None:
            source, result = _validated(args, path)
        else:
            from ..analyze.transactions import validation_of
            source, result = run, validation_of(run.engine)
        self.engine, self.rows, self.capture = source.engine, result.transactions, capture
        self.code = common.input_exit_code(self.engine)
        self.compiled = selection.display_filter(args, "transactions")
        # whether each chunk is tabled: the text table writes its lines from the rows (and
        # the table only for -Y or TCP's columns); without it, pandas is not even imported
        self.tables = True
        if self.engine.error:
            common.error(f"{path}: {self.engine.error}")

    def chunks(self) -> Iterator[tuple[pd.DataFrame | None, TransactionDicts]]:
        for start in range(0, len(self.rows), CHUNK_ROWS):
            yield self._select(self.rows[start:start + CHUNK_ROWS])
        if not self.rows:
            yield self._select([])

    def _select(self, rows: Sequence[Transaction]
                ) -> tuple[pd.DataFrame | None, TransactionDicts]:
        engine = self.engine
        dicts = TransactionDicts(rows, engine.vendor_of, self.capture)
        if not self.tables and self.compiled is None:
            return None, dicts
        # pandas only now, not on top of the engine's state at its peak (issue 17)
        from ..analyze.tables import transactions_frame
        table = transactions_frame(engine, rows, engine.t0 or 0.0, engine.dissector.flows)
        if self.capture is not None:
            table.insert(0, "capture", self.capture)
        if self.compiled is not None:
            # A row is the table's columns plus transaction_to_dict's lists (params,
            # named_params)
            keep = [self.compiled.matches({**d, **r})
                    for r, d in zip(table.to_dict("records"), dicts, strict=True)]
            table = table[keep].reset_index(drop=True)
            dicts = dicts.keeping([t for t, k in zip(dicts.rows, keep, strict=True) if k])
        return table, dicts

    def tcp_events(self) -> bool:
        """Whether TCP had any event (retransmission, stall) on this capture's connections:
        only then may a transaction's TCP columns be other than 0."""
        return any(half.counts is not None and half.counts.events
                   for pair in self.engine.dissector.flows.tcp for half in pair)


def _shown(captures: Sequence[CaptureTransactions], count: int | None
           ) -> Iterator[tuple[pd.DataFrame | None, TransactionDicts]]:
    """The chunks written, over the captures in turn: the first ``count`` rows selected."""
    left = count
    for found in captures:
        for table, dicts in found.chunks():
            if left is not None:
                table, dicts = None if table is None else table.head(left), dicts[:left]
                left -= len(dicts)
            yield table, dicts
            if left == 0:
                return


def _tcp_shown(captures: Sequence[CaptureTransactions], count: int | None) -> bool:
    """The text table's TCP columns are shown when TCP held up a row shown (a first pass
    over the rows, only for a capture with TCP events)."""
    if not any(found.tcp_events() for found in captures):
        return False
    return any(table is not None and _tcp_cells(table) is not None
               for table, _ in _shown(captures, count))


def selected_transactions(args: argparse.Namespace, path: str,
                          run: Dissection | None = None) -> list[dict[str, Any]]:
    """The transactions ``-Y`` selects in ``path``: of ``run`` if given (excerpt's one pass),
    else of a first pass (export-objects)."""
    if path == "-" and run is None:
        raise UsageError("-Y needs a second pass over the capture here: give a file, not "
                         "standard input")
    saved, args.command = args.command, "transactions"
    try:
        found = CaptureTransactions(args, path, run=run)
    finally:
        args.command = saved
    count = getattr(args, "count", None)
    out: list[dict[str, Any]] = []
    for _, dicts in found.chunks():
        out += list(dicts[:None if count is None else count - len(out)])
    return out


def cmd_transactions(args: argparse.Namespace) -> int:
    fmt = args.format or "table"
    selection.display_filter(args, "transactions")  # a bad filter stops before reading
    from ..analyze.schema import SCHEMAS
    schema = [c.name for c in SCHEMAS["transactions"]]
    many = len(args.files) > 1
    writer = FieldWriter(args.fields or [], ["capture", *schema] if many else schema,
                         args.field_options) if fmt == "fields" else None
    captures = [CaptureTransactions(args, path, path if many else None) for path in args.files]
    tcp = fmt == "table" and _tcp_shown(captures, args.count)
    for found in captures:  # the text table's lines come from the rows
        found.tables = fmt != "table" or tcp
    output = TransactionsOutput(fmt, writer, many, tcp)
    for table, dicts in _shown(captures, args.count):
        output.write(table, dicts)
    output.end()
    return max(c.code for c in captures)


class TransactionsOutput:
    """The transactions command's output in one format, written chunk by chunk (the same
    bytes as one table written whole)."""

    def __init__(self, fmt: str, writer: FieldWriter | None, many: bool, tcp: bool) -> None:
        self.fmt, self.writer, self.many, self.tcp = fmt, writer, many, tcp
        self.out, self.started = sys.stdout, False
        self.document = JsonDocument(self.out) if fmt == "json" else None
        self.palette = Palette(colour_wanted(common.COLOUR.choice, self.out))

    def write(self, table: pd.DataFrame | None, rows: Iterable[dict[str, Any]]) -> None:
        first, self.started = not self.started, True
        out = self.out
        if self.fmt == "table":
            self._text(table, rows, first)
            return
        assert table is not None  # (CaptureTransactions.tables)
        if self.fmt in ("csv", "jsonl"):
            if self.fmt == "csv":
                table.to_csv(out, index=False, header=first)
            else:
                from ..analyze.export import write_text_table
                write_text_table(table, out, self.fmt)
        elif self.document is not None:
            for record in json.loads(table.to_json(orient="records", date_format="iso",
                                                   date_unit="us")):
                self.document.write(record)
        elif self.writer is not None:
            if first:
                self.writer.start(out)
            for record in table.to_dict("records"):
                self.writer.write(record, out)

    def _text(self, table: pd.DataFrame | None, rows: Iterable[dict[str, Any]],
              first: bool) -> None:
        out = self.out
        if first:
            capture = "capture  " if self.many else ""
            out.write(f"{capture}{'ses':>3} {'tid':>6} {'operation':>33s} {'response':28s} "
                      f"{'status':10s} {'fnd':>3} {'dir':3s} {'data bytes':>10} {'ms':>9} "
                      f"{'frame':>7}{TCP_HEADER if self.tcp else ''}  parameters\n")
        cells = (_tcp_cells(table) or [f" {0:>4} {0.0:9.1f}"] * len(table)) \
            if self.tcp and table is not None else None
        for i, row in enumerate(rows):
            line = (f"{row['capture']}  " if self.many else "") + \
                _table_row(row, cells[i] if cells else "")
            colour = _colour(row)
            out.write((self.palette.paint(colour, line) if colour else line) + "\n")

    def end(self) -> None:
        if self.document is not None:
            self.document.end()


def _colour(row: dict[str, Any]) -> str | None:
    """Red: a response other than OK (TransactionCancelled too), damaged, invalid or
    unanswered;
    yellow: cancelled but answered OK."""
    if row["response_code"] not in (None, RESPONSE_OK) or row["status"] in _RED:
        return "red"
    return "yellow" if row["status"] == "cancelled" else None


_RED = frozenset({"failed", "damaged", "invalid", "unanswered"})
