"""Answers to the common questions about a capture, as small DataFrames (no hand-written pandas).

Each function takes the table(s) it needs from ``Capture`` and returns a tidy frame: throughput
over time, latency per operation (Wireshark's "service response time" table), idle gaps, the
slowest transactions, per-object transfer speed.
"""

from __future__ import annotations

import pandas as pd

LATENCY_COLUMNS = ["count", "unanswered", "failed", "min_s", "median_s", "p95_s", "max_s",
                   "mean_s", "total_s"]


def throughput(packets: pd.DataFrame, interval: str = "1s",
               by: list[str] | None = None) -> pd.DataFrame:
    """Bytes and bytes/s per ``interval`` (a pandas offset such as "100ms", "1s") and group.

    A packet's bytes count at the time of the frame holding its first byte, so an interval much
    shorter than one big Data packet's transfer time shows bursts, not the wire's shape.
    Intervals without traffic inside a group's span are rows with 0 bytes.
    """
    keys = list(by) if by is not None else ["session", "direction"]
    seconds = pd.Timedelta(interval).total_seconds()
    columns = [*keys, "time", "bytes", "bytes_per_s"]
    if packets.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    indexed = packets.set_index("time")[["length", *keys]]
    if keys:
        series = indexed.groupby(keys, observed=True)["length"].resample(interval).sum()
    else:
        series = indexed["length"].resample(interval).sum()
    out = series.rename("bytes").reset_index()
    out["bytes_per_s"] = out["bytes"] / seconds
    return out[columns]


def latency_stats(transactions: pd.DataFrame, by: str = "opcode_name") -> pd.DataFrame:
    """Per ``by`` (operation name by default): answered count, unanswered, non-OK responses,
    min / median / 95th percentile / max / mean / total latency in seconds, slowest first."""
    if transactions.empty:
        return pd.DataFrame(columns=[by, *LATENCY_COLUMNS])
    groups = transactions.groupby(by, observed=True)
    latency = groups["latency_s"]
    out = pd.DataFrame({
        "count": latency.count(),
        "unanswered": groups["latency_s"].apply(lambda s: int(s.isna().sum())),
        "failed": groups["ok"].apply(lambda s: int(s.eq(False).sum())),
        "min_s": latency.min(), "median_s": latency.median(), "p95_s": latency.quantile(0.95),
        "max_s": latency.max(), "mean_s": latency.mean(), "total_s": latency.sum(),
    })
    return out.sort_values("max_s", ascending=False).reset_index()


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
    columns = ["session", "transaction_id", "opcode_name", "response_name", "data_bytes",
               "latency_s", "findings", "start_frame", "end_frame", "start"]
    return transactions.nlargest(n, "latency_s")[columns].reset_index(drop=True)


def object_speeds(objects: pd.DataFrame) -> pd.DataFrame:
    """Objects whose data was transferred, with bytes, time and speed, fastest first."""
    columns = ["session", "handle", "filename", "transfer", "size", "bytes", "complete",
               "transfer_s", "rate_Bps"]
    moved = objects[objects["bytes"] > 0][columns].copy()
    moved["rate_MBps"] = moved["rate_Bps"] / 1e6
    return moved.sort_values("rate_Bps", ascending=False).reset_index(drop=True)
