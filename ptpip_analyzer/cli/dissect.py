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
from ..model import Gap, Malformed, Packet, Record
from ..protocol import RESPONSE_OK as OK
from ..terminal_text import escape
from . import common, selection
from .discovery_lines import DiscoveryLines
from .output import TIME_FORMATS, FieldWriter, JsonDocument, Palette, TimeFormat, colour_wanted

if TYPE_CHECKING:
    from ..engine import Item



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
            self.write = self._text  # type: ignore[method-assign]  # the hot path from now on
            self._text(item, row, origin)

    def _text(self, item: Item, row: Any, origin: float | None) -> None:
        out, conn, record, note = self.out, item.conn, item.record, item.annotation
        assert self.times is not None
        src, dst = conn.endpoints(record.direction)
        role = conn.role.value if conn.variant == "ptpip" else f"{conn.role.value}/{conn.variant}"
        vendor = None
        code = getattr(record, "code", None)
        if note is None and code is not None and code & 0x8000 and self.vendors is not None:
            vendor = self.vendors.vendor(conn)  # only vendor codes (bit 15) need the table
        line = f"{record.frame:7d} {self.times(record.time)} {src} → {dst} {role:7s} " \
               f"{describe.summary(record, note, vendor)}"
        comment = self.comments.get(record.frame)
        if comment is not None:
            line += f"  [{escape(comment)}]"
        out.write(self._painted(record, line) + "\n")
        if self.args.verbose:
            _print_tree(describe.detail_tree(record, note), out, 1)
        if self.args.hex and isinstance(record, Packet):
            _hexdump(record.raw, out)

    def _painted(self, record: Record, line: str) -> str:
        if not self.palette.on:
            return line
        if not isinstance(record, Packet) or record.missing:
            return self.palette.paint("dim", line)
        if record.ptype == 7 and record.code is not None and record.code != OK:
            return self.palette.paint("red", line)  # a failed response
        return line

    def end(self) -> None:
        if self.document is not None:
            self.document.end()


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
    problems: Counter[str] = Counter()
    # The filter reads a lazy row (only the fields it names are computed); the JSON formats
    # print the whole dict, built only for the records shown.
    whole = printer.format in ("json", "jsonl")
    sessions = engine.validator if "session" in needed else None
    shown, finished = 0, True
    printer.start()
    discovery = DiscoveryLines(engine, sys.stdout, printer.format, args.time_format) \
        if selector is None and printer.format in ("text", "jsonl") else None
    for item in order.items(source.batches()):
        record = item.record
        if discovery is not None and item.index % 256 == 0:  # discovery lines in between
            discovery.flush(record.frame)
        printer.learn(item)
        if not isinstance(record, Packet) or record.missing > 0:
            problems[_problem_kind(record)] += 1
        row: Any = None
        if selector is not None or printer.fields is not None:
            session = sessions.session_of(record.stream) if sessions is not None else None
            row = describe.PacketRow(item.conn, record, item.annotation, session)
            if selector is not None and not selector(row):
                continue
        if whole:
            row = describe.to_dict(item.conn, record, item.annotation)
            if sessions is not None:
                row["session"] = sessions.session_of(record.stream)
            if record.frame in printer.comments:
                row["comment"] = printer.comments[record.frame]
        printer.write(item, row, engine.first_frame_time)
        shown += 1
        if item.index % 1024 == 0:
            progress.update(record.frame)
        if args.count is not None and shown >= args.count:
            finished = False
            break
    if discovery is not None:
        discovery.flush()
    printer.end()
    progress.done()
    if order.forced:
        common.warning(f"{order.forced} records shown out of frame order: more than the "
                       "reordering window held back (docs/filters.md)")
    damaged = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(problems.items()))
    return common.report_input(engine, args.file, damaged=damaged or None, finished=finished)


def _problem_kind(record: Record) -> str:
    if isinstance(record, Gap):
        return "gap"
    return "malformed region" if isinstance(record, Malformed) else "incomplete packet"
