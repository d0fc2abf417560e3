"""Throughput from parts of the packets table (issue 17): the same frame, cell for cell and
dtype for dtype, as pandas' groupby-resample of the whole table, on every shipped capture,
for several intervals and groupings, with parts of a few rows; and across midnight, where
resample's bins start from the day of each group's first packet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ptpip_analyzer import load
from ptpip_analyzer.analyze import stats

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "captures").glob("*/*.pcap*"))
KEYS = ([], ["direction"], ["session", "direction"], ["stream"])


def _pandas(packets: pd.DataFrame, interval: str, keys: list[str]) -> pd.DataFrame:
    out = stats._resampled(packets[["time", "length", *keys]], interval, keys)
    out["bytes_per_s"] = out["bytes"] / pd.Timedelta(interval).total_seconds()
    return out[[*keys, "time", "bytes", "bytes_per_s"]]


def _parts(packets: pd.DataFrame, rows: int):  # type: ignore[no-untyped-def]
    return lambda: (packets.iloc[i:i + rows] for i in range(0, len(packets), rows))


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_parts_give_pandas_resample(path: Path) -> None:
    cap = load(path)
    packets = cap.packets
    if packets.empty or packets["time"].isna().all():
        return
    # intervals for the span: a clock that jumps an hour, 1 s (not 3.6 million of 1 ms);
    # one that jumps from 1970, 30 and 400 days (pandas' reference holds every empty one)
    span_s = cap.packet_totals.span_s
    intervals = ("1000us", "7s") if span_s < 60 else ("1s", "7s") if span_s < 86_400 \
        else ("30D", "400D")
    for interval in intervals:
        for keys in KEYS:
            want = _pandas(packets, interval, keys)
            pd.testing.assert_frame_equal(stats.throughput(packets, interval, keys), want)
            pd.testing.assert_frame_equal(
                stats.throughput_of_parts(_parts(packets, 5), interval, keys), want)
            pd.testing.assert_frame_equal(  # the intervals with packets alone
                stats.throughput_of_parts(_parts(packets, 5), interval, keys, empty=False),
                want[want["bytes"] != 0].reset_index(drop=True))
    if set(KEYS[2]) <= set(cap.packet_places.columns):
        interval = "100000us" if span_s < 86_400 else "30D"
        want = _pandas(packets, interval, ["direction"])
        got = cap.throughput(interval, by=["direction"])
        pd.testing.assert_frame_equal(got, want)
        sparse = cap.throughput(interval, by=["direction"], empty=False)
        pd.testing.assert_frame_equal(
            sparse, want[want["bytes"] != 0].reset_index(drop=True))


def test_bins_count_from_each_groups_midnight() -> None:
    # a group starting before midnight and one after, with an interval that does not divide
    # a day (500 s): each group's bins are counted from its own first day
    start = pd.Timestamp("2026-01-01 23:50:00.123", tz="UTC")
    times = [start + pd.Timedelta(seconds=s) for s in (0, 30, 700, 1400, 2000, 2600, 9000)]
    packets = pd.DataFrame({
        "time": pd.Series(times).astype("datetime64[ns, UTC]"),
        "length": np.array([10, 20, 30, 40, 50, 60, 70], np.int64),
        "direction": pd.Series(["to_host", "to_host", "to_camera", "to_host", "to_camera",
                                "to_camera", "to_host"], dtype="str").astype("category")})
    packets.loc[2:, "time"] += pd.Timedelta(days=1)  # to_camera's first packet: the next day
    for interval in ("500s", "7s", "1h"):
        for keys in ([], ["direction"]):
            want = _pandas(packets.sort_values("time"), interval, keys)
            got = stats.throughput_of_parts(_parts(packets.sort_values("time"), 2), interval,
                                            keys)
            pd.testing.assert_frame_equal(got, want)
            sparse = stats.throughput_of_parts(_parts(packets.sort_values("time"), 2),
                                               interval, keys, empty=False)
            pd.testing.assert_frame_equal(sparse, want[want["bytes"] != 0]
                                          .reset_index(drop=True))

