"""The ``dissect`` command: records in frame order, selected and printed like tshark."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from ..decode import describe
from ..decode.session_vendor import MAX_DEVICE_INFO, SessionVendors
from ..frame_order import FrameOrder
from ..model import Connection, Direction, Gap, Malformed, Packet, Record, Role
from ..protocol import RESPONSE_OK as OK
from ..terminal_text import escape
from . import common, selection
from .discovery_lines import DiscoveryLines
from .output import TIME_FORMATS, FieldWriter, JsonDocument, Palette, TimeFormat, colour_wanted

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..engine import Item
    from ..validate.validator import Validator



def packet_fields() -> list[str]:
    """The -e names for packets: the -Y fields (importing filters loads the code tables)."""
    from ..filters import FIELDS
    return [f for f in FIELDS["packets"] if f != "capture"]

# Fields only the annotator fills in (vendor tables, named parameters, datasets); ``code``
# compared with a vendor code's name adds "vendor" (selection.packet_fields_needed).
_ANNOTATED = {"vendor", "named_params", "dataset", "code_name"}


def add_parsers(sub: Any) -> None:
    d = sub.add_parser("dissect", help="one line per PTP/IP packet, like tshark")
    common.add_input_options(d)
    d.add_argument("-V", dest="verbose", action="store_true", help="detail tree per packet")
    d.add_argument("-x", dest="hex", action="store_true", help="hex dump of each packet")
    d.add_argument("--format", choices=("text", "jsonl", "json"), default="text",
                   help="text lines, one JSON object per line, or one JSON document")
    add_output_options(d)
    selection.add_filter_option(d, "records")
    selection.add_packet_shortcuts(d)
    selection.add_count_option(d, "records")
    d.add_argument("-t", dest="time_format", choices=tuple(TIME_FORMATS), default="r",
                   help="time column: " + "; ".join(f"{k}: {v}" for k, v in
                                                    TIME_FORMATS.items()))
    d.set_defaults(func=cmd_dissect)


def add_output_options(p: argparse.ArgumentParser) -> None:
    """-T / -e / -E, as tshark's (the same for dissect and transactions)."""
    p.add_argument("-T", dest="format", choices=("text", "fields", "json", "jsonl"),
                   help="output format (fields: the -e fields, tab-separated)")
    p.add_argument("-e", dest="fields", action="append", metavar="FIELD",
                   help="a field for -T fields (repeatable; the -Y field names)")
    p.add_argument("-E", dest="field_options", action="append", default=[], metavar="OPT",
                   help="-T fields options: header=y|n, separator=/t|/s|C, quote=d|s|n, "
                        "aggregator=C (list elements), occurrence=a|f|l (all, first, last)")


def _stages(args: argparse.Namespace, needed: set[str]) -> dict[str, bool | int]:
    """dissect -V / json / --vendor / vendor-named fields need the annotator; session needs
    the validator (it pairs connections into sessions)."""
    ptp = bool(args.verbose or args.format in ("jsonl", "json") or args.vendor
               or needed & _ANNOTATED)
    # Without the annotator, small data phases are kept for DeviceInfo, whose vendor names
    # the text lines' vendor codes (decode.session_vendor): +0.8 µs CPU per packet, 4%
    keep = common.keep_all() if args.hex else 1 << 20 if ptp else MAX_DEVICE_INFO
    return {"annotate": ptp, "validate": "session" in needed, "keep_payload": keep}


class Printer:
    """One record out, in the chosen format."""

    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.args, self.out = args, out
        self.format = args.format
        self.fields = FieldWriter(args.fields or [], packet_fields(), args.field_options) \
            if self.format == "fields" else None
        self.palette = Palette(colour_wanted(args.color, out))
        self.times: TimeFormat | None = None
        self.document: JsonDocument | None = None
        # text lines of records without annotation still name vendor codes
        self.vendors = SessionVendors(args.vendor) if self.format == "text" else None
        # pcapng packet comments by frame (the reader's; an excerpt's: original frame numbers)
        self.comments: dict[int, str] = {}
        self.lines: TextLines | None = None  # the plain text lines (no -V, -x or colour)

    def learn(self, item: Item) -> None:
        """Every record, shown or not, in order: what the vendor names need."""
        if self.vendors is not None and item.annotation is None:
            self.vendors.feed(item.conn, item.record)

    def start(self) -> None:
        if self.fields is not None:
            self.fields.start(self.out)
        elif self.format == "json":
            self.document = JsonDocument(self.out)

    def write(self, item: Item, row: Any, origin: float | None) -> None:
        if self.document is not None:
            self.document.write(row)
        elif self.fields is not None:
            self.fields.write(row, self.out)
        elif self.format == "jsonl":
            self.out.write(json.dumps(row) + "\n")
        else:
            if self.times is None:
                self.times = TimeFormat(self.args.time_format, origin)
            self.lines = TextLines(self.times, self.vendors) \
                if not (self.palette.on or self.args.verbose or self.args.hex) else None
            self.write = self._text  # type: ignore[method-assign]  # the hot path from now on
            self._text(item, row, origin)

    def _text(self, item: Item, row: Any, origin: float | None) -> None:
        record = item.record
        lines = self.lines
        if lines is not None and item.annotation is None and type(record) is Packet:
            lines.packet(item.conn, record, self.comments.get(record.frame)
                         if self.comments else None)
            return
        if lines is not None:
            lines.add(self._line(item))
            return
        self.out.write(self._line(item))
        if self.args.verbose:
            _print_tree(describe.detail_tree(record, item.annotation), self.out, 1)
        if self.args.hex and isinstance(record, Packet):
            _hexdump(record.raw, self.out)

    def flush(self) -> None:
        """Write the text lines gathered so far (dissect calls this after each input piece,
        so a pipe's packets still show as they arrive)."""
        if self.lines is not None:
            self.lines.write(self.out)

    def _line(self, item: Item) -> str:
        conn, record, note = item.conn, item.record, item.annotation
        assert self.times is not None
        vendor = None
        code = getattr(record, "code", None)
        if note is None and code is not None and code & 0x8000 and self.vendors is not None:
            vendor = self.vendors.vendor(conn)  # only vendor codes (bit 15) need the table
        line = f"{record.frame:7d} {self.times(record.time)} {_side(conn)[2][record.direction]}" \
               f"{describe.summary(record, note, vendor)}"
        comment = self.comments.get(record.frame)
        if comment is not None:
            line += f"  [{escape(comment)}]"
        return self._painted(record, line) + "\n"

    def _painted(self, record: Record, line: str) -> str:
        if not self.palette.on:
            return line
        if not isinstance(record, Packet) or record.missing:
            return self.palette.paint("dim", line)
        if record.ptype == 7 and record.code is not None and record.code != OK:
            return self.palette.paint("red", line)  # a failed response
        return line

    def end(self) -> None:
        self.flush()
        if self.document is not None:
            self.document.end()


class TextLines:
    """dissect's plain text lines (no -V, -x or colour), gathered per input piece and written
    at once. A packet's line is ``Printer._line``'s, from pieces made once: per connection and
    direction the addresses and role, per type and code the summary's head
    (``describe.summary_head``); only the frame, time and fields are formatted per packet
    (benchmarks/RESULTS.md: the text line was the largest cost outside the engine)."""

    def __init__(self, times: TimeFormat, vendors: SessionVendors | None) -> None:
        self.times, self.vendors = times, vendors
        self.origin = times.origin if times.mode == "r" else None  # else: times() per line
        # stream -> (role, variant, its two prefixes by direction): rebuilt when the role is
        # learnt (a connection's role comes from its packets)
        self.sides: dict[int, tuple[Role, str, list[str]]] = {}
        self.pending: list[str] = []

    def packet(self, conn: Connection, record: Packet, comment: str | None) -> None:
        code = record.code
        vendor = None
        if code is not None and code & 0x8000 and self.vendors is not None:
            vendor = self.vendors.vendor(conn)  # only vendor codes (bit 15) need the table
        side = self.sides.get(conn.stream)
        if side is None or side[0] is not conn.role or side[1] != conn.variant:
            side = self.sides[conn.stream] = _side(conn)
        time = self.times(record.time) if self.origin is None \
            else f"{record.time - self.origin:11.6f}"
        line = f"{record.frame:7d} {time} {side[2][record.direction]}" \
               f"{describe.summary_head(record.ptype, code, vendor)}" \
               f"{describe.summary_tail(record)}"
        if comment is not None:
            line += f"  [{escape(comment)}]"
        self.pending.append(line + "\n")

    def add(self, line: str) -> None:
        self.pending.append(line)

    def write(self, out: TextIO) -> None:
        if self.pending:
            out.write("".join(self.pending))
            self.pending.clear()


def _side(conn: Connection) -> tuple[Role, str, list[str]]:
    """A connection's role and variant, and the line's addresses and role for each direction."""
    role = conn.role.value if conn.variant == "ptpip" else f"{conn.role.value}/{conn.variant}"
    prefixes = []
    for direction in Direction:  # indexed by Direction's value
        src, dst = conn.endpoints(direction)
        prefixes.append(f"{src} → {dst} {role:7s} ")
    return conn.role, conn.variant, prefixes


def _print_tree(node: describe.Node, out: TextIO, depth: int = 0) -> None:
    text = f"{node.label}: {node.value}" if node.value else node.label
    out.write("    " * depth + text + "\n")
    for child in node.children:
        _print_tree(child, out, depth + 1)


def _hexdump(data: bytes, out: TextIO) -> None:
    for i in range(0, len(data), 16):
        row = data[i:i + 16]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        out.write(f"{i:04x}  {row.hex(' '):<47}  {text}\n")


# What a caller's parser may lack (``live`` drives dissect with its own options).
_DEFAULTS: dict[str, Any] = {"fields": None, "field_options": [], "color": "auto", "count": None,
             "time_format": "r", "display_filter": None, "frame": None, "transaction": None,
             "session": None, "verbose": False, "hex": False}


class RecordsShown:
    """dissect's loop over the records in frame order: counts the problems, selects, prints."""

    def __init__(self, args: argparse.Namespace, printer: Printer,
                 selector: Callable[[Any], bool] | None, sessions: Validator | None) -> None:
        self.args, self.printer, self.selector, self.sessions = args, printer, selector, sessions
        self.discovery: DiscoveryLines | None = None
        self.problems: Counter[str] = Counter()
        self.shown = 0
        # The filter reads a lazy row (only the fields it names are computed); the JSON
        # formats print the whole dict, built only for the records shown.
        self.whole = printer.format in ("json", "jsonl")

    def show(self, batch: list[Item], origin: float | None, progress: common.Progress) -> bool:
        """The batch's records; False once -c N records are shown."""
        printer, discovery, count = self.printer, self.discovery, self.args.count
        plain = self.selector is None and printer.fields is None and not self.whole
        # the plain text lines, once the first record has set them up: straight there
        lines, comments = printer.lines if plain else None, printer.comments
        for item in batch:
            record = item.record
            if discovery is not None and item.index % 256 == 0:
                printer.flush()
                discovery.flush(record.frame)
            printer.learn(item)
            if not isinstance(record, Packet) or record.missing > 0:
                self.problems[_problem_kind(record)] += 1
            if lines is not None and item.annotation is None and isinstance(record, Packet):
                lines.packet(item.conn, record, comments.get(record.frame) if comments else None)
            else:
                row = None if plain else self._row(item)
                if row is False:
                    continue
                printer.write(item, row, origin)
            self.shown += 1
            if item.index % 1024 == 0:
                progress.update(record.frame)
            if count is not None and self.shown >= count:
                return False
        return True

    def _row(self, item: Item) -> Any:
        """What the selector and the field or JSON formats read; False: not selected."""
        record, sessions = item.record, self.sessions
        row: Any = None
        if self.selector is not None or self.printer.fields is not None:
            session = sessions.session_of(record.stream) if sessions is not None else None
            row = describe.PacketRow(item.conn, record, item.annotation, session)
            if self.selector is not None and not self.selector(row):
                return False
        if self.whole:
            row = describe.to_dict(item.conn, record, item.annotation)
            if sessions is not None:
                row["session"] = sessions.session_of(record.stream)
            if record.frame in self.printer.comments:
                row["comment"] = self.printer.comments[record.frame]
        return row


def cmd_dissect(args: argparse.Namespace) -> int:
    for name, value in _DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    args.format = args.format or "text"
    selector = selection.packet_selector(args)
    needed = selection.packet_fields_needed(args)
    printer = Printer(args, sys.stdout)
    source = common.dissection(args, **_stages(args, needed))
    source.source.before_read = sys.stdout.flush  # a pipe's packets show as they arrive
    engine = source.engine
    printer.comments = engine.reader.comments
    progress = common.Progress(source)
    order = FrameOrder(engine)
    shown = RecordsShown(args, printer, selector, engine.validator if "session" in needed
                         else None)
    printer.start()
    if selector is None and printer.format in ("text", "jsonl"):  # discovery lines in between
        shown.discovery = DiscoveryLines(engine, sys.stdout, printer.format, args.time_format)
    finished = True
    for batch in order.batches(source.batches()):
        if not shown.show(batch, engine.first_frame_time, progress):
            finished = False  # -c N reached
            break
        printer.flush()
    printer.flush()
    if shown.discovery is not None:
        shown.discovery.flush()
    printer.end()
    progress.done()
    if order.forced:
        common.warning(f"{order.forced} records shown out of frame order: more than the "
                       "reordering window held back (docs/filters.md)")
    damaged = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(shown.problems.items()))
    return common.report_input(engine, args.file, damaged=damaged or None, finished=finished)


def _problem_kind(record: Record) -> str:
    if isinstance(record, Gap):
        return "gap"
    return "malformed region" if isinstance(record, Malformed) else "incomplete packet"
