"""Answers to the common questions about a capture, as small DataFrames (no hand-written pandas).

Each function takes the table(s) it needs from ``Capture`` and returns a tidy frame: throughput
over time, latency per operation (Wireshark's "service response time" table), idle gaps, the
slowest transactions, per-object transfer speed, where each session's time went.

The time of a transaction splits into the camera's (its wait before the first reply, and
from the last data to the response), the transfer's and, for data-out operations, the host's
(its own delay before Start Data: libgphoto2 waits for the camera's delayed ACK, ~40 ms,
PROTOCOL.md). Rankings use the time the host did not cause (``service_s``), so the camera
is not blamed for the host's delay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

LATENCY_COLUMNS = ["count", "unanswered", "failed", "min_s", "median_s", "p95_s", "max_s",
                   "mean_s", "total_s", "host_wait_s"]
BREAKDOWN_COLUMNS = ["session", "transactions", "span_s", "camera_s", "transfer_s", "host_s",
                     "idle_s", "other_s", "tcp_stall_s"]


def host_wait_s(transactions: pd.DataFrame) -> pd.Series:
    """Per transaction, the part of its latency that is the host's own delay (data-out
    operations' wait before the host's Start Data; 0 elsewhere)."""
    host = transactions["wait_side"].astype("string").eq("host").fillna(False)
    return transactions["wait_s"].where(host, 0.0).fillna(0.0)


def service_s(transactions: pd.DataFrame) -> pd.Series:
    """Per transaction, latency minus the host's delay: the time the camera and the transfer
    took (NaN: no response)."""
    return transactions["latency_s"] - host_wait_s(transactions)


def throughput(packets: pd.DataFrame, interval: str = "1s",
               by: list[str] | None = None) -> pd.DataFrame:
    """Bytes and bytes/s per ``interval`` (a pandas offset such as "100ms", "1s") and group.

    A packet's bytes count at the time of the frame holding its first byte, so an interval much
    shorter than one big Data packet's transfer time shows bursts, not the wire's shape.
    Intervals without traffic inside a group's span are rows with 0 bytes.
    """
    return throughput_of_parts(lambda: (packets,), interval, by)


def throughput_of_parts(parts: Callable[[], Iterable[pd.DataFrame]], interval: str = "1s",
                        by: list[str] | None = None, empty: bool = True) -> pd.DataFrame:
    """``throughput`` of the packets that ``parts()`` gives a part at a time (each with time,
    length and the ``by`` columns), read twice and never held together: the packets table of
    1,120,000 packets resampled by pandas took ~85 MB of scratch (issue 17). The bins are
    pandas' resample bins (per group from its first interval to its last, counted from the
    midnight before the group's first packet: resample's "start_day" origin); an interval that
    is not a fixed length, or times that are not UTC, go to pandas' resample itself."""
    keys = list(by) if by is not None else ["session", "direction"]
    seconds = pd.Timedelta(interval).total_seconds()
    columns = [*keys, "time", "bytes", "bytes_per_s"]
    out = _binned(parts, interval, keys, empty)
    if out is None:
        frames = [p[["time", "length", *keys]] for p in parts() if len(p)]
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        out = _resampled(pd.concat(frames, ignore_index=True), interval, keys)
        if not empty:
            out = out[out["bytes"] != 0].reset_index(drop=True)
    out["bytes_per_s"] = out["bytes"] / seconds
    return out[columns]


def _resampled(packets: pd.DataFrame, interval: str, keys: list[str]) -> pd.DataFrame:
    indexed = packets.set_index("time")[["length", *keys]]
    if keys:
        series = indexed.groupby(keys, observed=True)["length"].resample(interval).sum()
    else:
        series = indexed["length"].resample(interval).sum()
    return series.rename("bytes").reset_index()


_PER_UNIT_NS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}


MAX_BINS = 10_000_000  # intervals one throughput frame may hold with its empty ones (80 MB
# of sums): a capture whose clock jumps from 1970 to now has 17 billion of 100 ms


class TooManyBins(ValueError):
    """The span of a group's packets holds more than ``MAX_BINS`` intervals."""


def _binned(parts: Callable[[], Iterable[pd.DataFrame]], interval: str, keys: list[str],
            empty: bool = True) -> pd.DataFrame | None:
    """The resampled sums by integer bins (None: left to pandas); without the ``empty``
    intervals, only those with packets: as many rows as there are, whatever the span."""
    from pandas.tseries.offsets import Tick
    if not isinstance(pd.tseries.frequencies.to_offset(interval), Tick):
        return None
    step_ns = pd.Timedelta(interval).value
    spans: dict[tuple[Any, ...], list[int]] = {}
    categories: dict[str, set[str]] = {}
    kind = None
    for part in parts():
        if not len(part):
            continue
        time = part["time"]
        unit, tz = getattr(time.dt, "unit", None), getattr(time.dt, "tz", None)
        if kind is None:
            kind = (unit, tz, time.dtype, {k: part[k].dtype for k in keys})
        if unit not in _PER_UNIT_NS or (tz is not None and str(tz) != "UTC") \
                or time.dtype != kind[2] or step_ns <= 0 or step_ns % _PER_UNIT_NS[unit]:
            return None
        ticks = time.array.asi8
        for k in keys:
            if isinstance(part[k].dtype, pd.CategoricalDtype):
                categories.setdefault(k, set()).update(part[k].cat.categories)
        for key, at in _groups(part, keys):
            low, high = int(ticks[at].min()), int(ticks[at].max())
            span = spans.get(key)
            spans[key] = [low, high] if span is None else [min(span[0], low), max(span[1], high)]
    if kind is None or not spans:
        return None
    unit, tz, key_dtypes = kind[0], kind[1], kind[3]
    step, day = step_ns // _PER_UNIT_NS[unit], 86_400_000_000_000 // _PER_UNIT_NS[unit]
    order = sorted(spans)
    origins = {key: spans[key][0] - spans[key][0] % day for key in order}
    if empty:
        labels, sums, counts = _dense(parts, keys, order, spans, origins, step, interval)
    else:
        labels, sums, counts = _sparse(parts, keys, order, origins, step)
    out: dict[str, Any] = {}
    for i, k in enumerate(keys):
        values = np.repeat(np.array([key[i] for key in order], dtype=object), counts)
        if k in categories:
            names = pd.Index(sorted(categories[k]), dtype=key_dtypes[k].categories.dtype)
            out[k] = pd.Categorical(values, categories=names)
        else:
            out[k] = pd.array(values, dtype=key_dtypes[k])
    out["time"] = pd.Series(labels.view(f"M8[{unit}]")).dt.tz_localize(tz) if tz is not None \
        else pd.Series(labels.view(f"M8[{unit}]"))
    out["bytes"] = sums
    return pd.DataFrame(out)


def _dense(parts: Callable[[], Iterable[pd.DataFrame]], keys: list[str],
           order: list[tuple[Any, ...]], spans: dict[tuple[Any, ...], list[int]],
           origins: dict[tuple[Any, ...], int], step: int, interval: str
           ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Every interval from each group's first to its last: (labels, sums, rows per group)."""
    plan: dict[tuple[Any, ...], tuple[int, int, int]] = {}
    total = 0
    for key in order:
        low, high = spans[key]
        first, last = (low - origins[key]) // step, (high - origins[key]) // step
        plan[key] = (first, total, last - first + 1)
        total += last - first + 1
    if total > MAX_BINS:
        raise TooManyBins(f"throughput: {total:,} intervals of {interval} between the first "
                          f"and the last packet (more than {MAX_BINS:,}; the capture's clock "
                          "may jump): choose a longer interval, or leave out the empty ones")
    sums = np.zeros(total, np.int64)
    for key, ticks, length in _grouped(parts, keys):
        first, offset, _ = plan[key]
        np.add.at(sums, (ticks - origins[key]) // step - first + offset, length)
    labels = np.concatenate([origins[key] + (first + np.arange(n, dtype=np.int64)) * step
                             for key, (first, _, n) in plan.items()])
    return labels, sums, [n for *_, n in plan.values()]


def _sparse(parts: Callable[[], Iterable[pd.DataFrame]], keys: list[str],
            order: list[tuple[Any, ...]], origins: dict[tuple[Any, ...], int], step: int
            ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Only the intervals with packets: each part's sums by interval, merged into the
    group's so far (as many as the group has intervals with packets, never its span)."""
    found: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = {}
    for key, ticks, weights in _grouped(parts, keys):
        bins = (ticks - origins[key]) // step
        if key in found:
            bins = np.concatenate([found[key][0], bins])
            weights = np.concatenate([found[key][1], weights])
        distinct, inverse = np.unique(bins, return_inverse=True)
        sums = np.zeros(len(distinct), np.int64)
        np.add.at(sums, inverse.reshape(-1), weights)
        found[key] = (distinct, sums)
    labels = [origins[key] + found[key][0] * step for key in order]
    return (np.concatenate(labels), np.concatenate([found[key][1] for key in order]),
            [len(found[key][0]) for key in order])


def _grouped(parts: Callable[[], Iterable[pd.DataFrame]], keys: list[str]
             ) -> Iterator[tuple[tuple[Any, ...], np.ndarray, np.ndarray]]:
    """(key, times as integers, lengths) of each group of each part, a part at a time."""
    for part in parts():
        if not len(part):
            continue
        ticks = part["time"].array.asi8
        length = part["length"].to_numpy(dtype=np.int64)
        for key, at in _groups(part, keys):
            yield key, ticks[at], length[at]


def _groups(part: pd.DataFrame, keys: list[str]) -> list[tuple[tuple[Any, ...], np.ndarray]]:
    """(key values, row positions) of each group of ``part`` (rows with a missing key are left
    out, as groupby does)."""
    if not keys:
        return [((), np.arange(len(part)))]
    found = part.groupby(keys, observed=True, sort=False, dropna=True).indices
    return [(key if isinstance(key, tuple) else (key,), at) for key, at in found.items()]


def latency_stats(transactions: pd.DataFrame, by: str = "opcode_name") -> pd.DataFrame:
    """Per ``by`` (operation name by default): answered count, unanswered, non-OK responses,
    min / median / 95th percentile / max / mean / total latency in seconds and the host's
    share of the total (``host_wait_s``), slowest first by the time the host did not cause."""
    if transactions.empty:
        return pd.DataFrame(columns=[by, *LATENCY_COLUMNS])
    transactions = transactions.assign(_host=host_wait_s(transactions),
                                       _service=service_s(transactions))
    groups = transactions.groupby(by, observed=True)
    latency = groups["latency_s"]
    out = pd.DataFrame({
        "count": latency.count(),
        "unanswered": groups["latency_s"].apply(lambda s: int(s.isna().sum())),
        "failed": groups["ok"].apply(lambda s: int(s.eq(False).sum())),
        "min_s": latency.min(), "median_s": latency.median(), "p95_s": latency.quantile(0.95),
        "max_s": latency.max(), "mean_s": latency.mean(), "total_s": latency.sum(),
        "host_wait_s": groups["_host"].sum(), "_service": groups["_service"].max(),
    })
    out = out.sort_values(["_service", "max_s"], ascending=False).drop(columns="_service")
    return out.reset_index()


def idle_gaps(packets: pd.DataFrame, min_idle_s: float = 1.0) -> pd.DataFrame:
    """Silences of at least ``min_idle_s`` between consecutive packets of the same session."""
    columns = ["session", "start", "end", "idle_s", "frame_before", "frame_after",
               "before", "after"]
    rows = []
    for session, group in packets.sort_values("time").groupby("session", observed=True):
        rel = group["rel_s"].to_numpy()
        for i in (rel[1:] - rel[:-1] >= min_idle_s).nonzero()[0]:
            before, after = group.iloc[i], group.iloc[i + 1]
            rows.append((session, before["time"], after["time"], rel[i + 1] - rel[i],
                         before["frame"], after["frame"], _label(before), _label(after)))
    return pd.DataFrame(rows, columns=columns)


def _label(packet: pd.Series) -> str:
    name = packet["code_name"]
    return f"{packet['type_name']} {name}" if isinstance(name, str) else str(packet["type_name"])


def slowest_transactions(transactions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` answered transactions that took longest not counting the host's own delay
    (``service_s``), with their time breakdown."""
    columns = ["session", "transaction_id", "opcode_name", "response_name", "status",
               "data_bytes", "latency_s", "service_s", "wait_s", "wait_side", "transfer_s",
               "finish_s", "findings", "start_frame", "end_frame", "start"]
    ranked = transactions.assign(service_s=service_s(transactions))
    return ranked.nlargest(n, "service_s")[columns].reset_index(drop=True)


def time_breakdown(transactions: pd.DataFrame, sessions: pd.DataFrame,
                   tcp_stall_s: pd.Series | None = None) -> pd.DataFrame:
    """Where each session's time went, in seconds: ``camera_s`` (its waits before the first
    reply and from the last data to the response), ``transfer_s`` (Start Data to the last data
    packet), ``host_s`` (data-out operations' delay before the host's Start Data),
    ``idle_s`` (previous response to the next request: host think time), ``other_s`` (the rest
    of the session's span: handshakes, the time after the last response, unanswered
    requests). The five add up to ``span_s``. ``tcp_stall_s`` is the TCP layer's own measure
    (retransmission timeouts, zero windows) by session number, when given: it overlaps the
    others (a stall happens inside a transfer or a wait), so it is not part of the sum."""
    # one pass over the transactions, grouped (a filter per session was quadratic: 5,000
    # sessions took 20 s)
    host = host_wait_s(transactions)
    per_tx = pd.DataFrame({
        "session": transactions["session"],
        "camera_s": transactions["wait_s"].fillna(0.0) - host
        + transactions["finish_s"].fillna(0.0),
        "transfer_s": transactions["transfer_s"].fillna(0.0), "host_s": host,
        "idle_s": transactions["idle_before_s"].fillna(0.0)})
    grouped = per_tx.groupby("session", observed=True, dropna=True)
    sums, counts = grouped[_PARTS].sum(), grouped.size()
    if sessions.empty:
        return pd.DataFrame([], columns=BREAKDOWN_COLUMNS).astype({"tcp_stall_s": "float64"})
    # by session number, whole columns at once (a lookup per session took 4 s for 20,000)
    numbers = sessions["session"].to_numpy()
    out = pd.DataFrame({"session": numbers,
                        "transactions": counts.reindex(numbers, fill_value=0).to_numpy()
                        .astype("int64"),
                        "span_s": sessions["duration_s"].fillna(0.0).to_numpy("float64")})
    spent = 0.0
    for name in _PARTS:
        out[name] = sums[name].reindex(numbers, fill_value=0.0).to_numpy("float64")
        spent = spent + out[name]  # in the order the parts were summed one by one
    rest = out["span_s"] - spent
    out["other_s"] = rest.where(rest > 0, 0.0)  # max(0.0, rest), as the sum per session was
    out["tcp_stall_s"] = (tcp_stall_s.reindex(numbers).to_numpy("float64")
                          if tcp_stall_s is not None else float("nan"))
    return out[BREAKDOWN_COLUMNS]


_PARTS = ["camera_s", "transfer_s", "host_s", "idle_s"]


def object_speeds(objects: pd.DataFrame) -> pd.DataFrame:
    """Objects whose data was transferred, with bytes, time and speed, fastest first."""
    columns = ["session", "handle", "filename", "transfer", "size", "bytes", "complete",
               "transfer_s", "rate_Bps"]
    moved = objects[objects["bytes"] > 0][columns].copy()
    moved["rate_MBps"] = moved["rate_Bps"] / 1e6
    return moved.sort_values("rate_Bps", ascending=False).reset_index(drop=True)
