"""Which records a command shows: ``-Y`` display filters (``ptpip_analyzer.filters``), the
packet shortcuts ``--frame``, ``--transaction``, ``--session`` and ``-c`` (docs/filters.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .output import UsageError

if TYPE_CHECKING:  # the filter module loads the code tables: only when -Y is given
    from ..filters import Filter

Row = Mapping[str, Any]


class Ranges:
    """``"100-200,305"``: inclusive integer ranges, tested without expanding them."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            low, _, high = part.partition("-")
            try:
                first, last = int(low, 0), int(high or low, 0)
            except ValueError:
                raise UsageError(f"{what}: {part!r} is not a number or a range like "
                                 "12-15") from None
            if last < first:
                raise UsageError(f"{what}: range {part!r} ends before it starts")
            self.spans.append((first, last))
        if not self.spans:
            raise UsageError(f"{what}: give numbers or ranges, e.g. 12-15 or 3,7,12-15")

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and any(lo <= value <= hi for lo, hi in self.spans)


def add_filter_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-Y", "--display-filter", dest="display_filter", metavar="EXPR",
                   help=f"show only the {what} matching EXPR (docs/filters.md), e.g. "
                        "'code == GetObject and session == 1'")


def add_count_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-c", dest="count", type=_positive, metavar="N",
                   help=f"stop after N {what} shown")


def add_packet_shortcuts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--frame", metavar="RANGES", help="only records of these frames (100-200)")
    p.add_argument("--transaction", metavar="IDS",
                   help="only packets of these transaction ids (12-15 or 3,7,12-15)")
    p.add_argument("--session", type=int, metavar="N", help="only packets of session N")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("give a count of at least 1")
    return n


def display_filter(args: argparse.Namespace, table: str) -> Filter | None:
    """The compiled ``-Y`` of ``args`` for ``table`` rows; a bad one is a UsageError whose
    message shows the caret."""
    text = getattr(args, "display_filter", None)
    if text is None:
        return None
    from ..filters import FilterError, compile_filter
    try:
        return compile_filter(text, table)
    except FilterError as exc:
        raise UsageError(exc.render(text, "-Y: ")) from None


def packet_selector(args: argparse.Namespace) -> Callable[[Row], bool] | None:
    """-Y and the packet shortcuts as one test on a packet row (None: everything)."""
    tests: list[Callable[[Row], bool]] = []
    compiled = display_filter(args, "packets")
    if compiled is not None:
        tests.append(compiled.matches)
    if getattr(args, "frame", None):
        frames = Ranges(args.frame, "--frame")
        tests.append(lambda row: row["frame"] in frames)
    if getattr(args, "transaction", None):
        ids = Ranges(args.transaction, "--transaction")
        tests.append(lambda row: row.get("transaction_id") in ids)
    if getattr(args, "session", None) is not None:
        session = args.session
        tests.append(lambda row: row.get("session") == session)
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda row: all(t(row) for t in tests)


def packet_fields_needed(args: argparse.Namespace) -> set[str]:
    """Packet fields the selection and output read (session and vendor cost extra stages)."""
    needed: set[str] = set()
    compiled = display_filter(args, "packets")
    if compiled is not None:
        needed |= compiled.fields
        if compiled.vendor_names:
            needed.add("vendor")
    if getattr(args, "session", None) is not None:
        needed.add("session")
    needed.update(getattr(args, "fields", None) or ())
    return needed
