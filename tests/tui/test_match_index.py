"""MatchIndex: the rows a filter keeps, found in order, a page at once, the rest later."""

from __future__ import annotations

from ptpip_analyzer.tui.match_index import MatchIndex


def test_scan_stops_at_a_page_and_resumes_where_it_stopped() -> None:
    index = MatchIndex(lambda i: i % 3 == 0)
    assert not index.scan(10_000, want=50)
    assert len(index) >= 50 and index.scanned < 10_000
    assert index.scan(10_000)
    assert list(index.matches) == list(range(0, 10_000, 3))


def test_rows_added_later_are_scanned_on_the_next_pass() -> None:
    index = MatchIndex(lambda i: i % 2 == 1)
    assert index.scan(100)
    assert index.scan(250)  # the table grew
    assert len(index) == 125 and index[-1] == 249


def test_a_cancelled_scan_stops_and_a_failing_test_says_why() -> None:
    index = MatchIndex(lambda i: True)
    index.cancelled = True
    assert not index.scan(1000) and len(index) == 0
    broken = MatchIndex(lambda i: 1 // (i - 700) >= 0)
    assert not broken.scan(1000)
    assert broken.error == "ZeroDivisionError: integer division or modulo by zero"
    assert broken.cancelled


def test_next_after_finds_matches_beyond_the_scan() -> None:
    index = MatchIndex(lambda i: i in (5, 900))
    assert index.next_after(5, 1000) == 900
    assert index.next_after(900, 1000, backwards=True) == 5
    assert index.next_after(900, 1000) is None
