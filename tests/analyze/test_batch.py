"""Batch: many captures into one Parquet dataset per table; pandas and Dask read it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.batch import captures_of, partition_names, read_table, run_batch
from ptpip_analyzer.analyze.schema import TABLES
from ptpip_analyzer.cli import main

CAPTURES = Path(__file__).parents[2] / "captures"
PICKED = ["real/gphoto2-get-all-files.pcapng", "real/ptpy-download.pcapng",
          "real/fault-short-data.pcapng", "synthetic/basic-ethernet.pcap"]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in PICKED:
        shutil.copy(CAPTURES / name, folder / "sub" / Path(name).name)
    (folder / "broken.pcap").write_bytes(b"this is no capture at all")
    (folder / "notes.txt").write_text("ignored: not a capture suffix")
    return folder


def test_inputs_and_partition_names(inputs: Path) -> None:
    paths = captures_of(inputs)
    assert [p.name for p in paths] == ["broken.pcap", "basic-ethernet.pcap",
                                       "fault-short-data.pcapng", "gphoto2-get-all-files.pcapng",
                                       "ptpy-download.pcapng"]
    assert captures_of(str(inputs / "sub" / "*.pcapng"))[0].name == "fault-short-data.pcapng"
    assert partition_names([Path("a/x y.pcap"), Path("b/x y.pcap")]) == ["x_y.pcap",
                                                                         "x_y.pcap~2"]


def test_local_batch_isolates_a_bad_file_and_matches_single_loads(inputs: Path,
                                                                  tmp_path: Path) -> None:
    import ptpip_analyzer
    out = tmp_path / "out"
    results = run_batch(captures_of(inputs), out, workers=2)
    status = {r.capture: r.status for r in results}
    assert status.pop("broken.pcap") == "error" and set(status.values()) == {"ok"}
    files = pd.read_parquet(out / "captures.parquet")
    assert "CaptureError" in files.set_index("capture").loc["broken.pcap", "error"]
    for table in TABLES:
        assert (out / table / "capture=gphoto2-get-all-files.pcapng").is_dir()
    transactions = read_table(out, "transactions")
    single = ptpip_analyzer.load(CAPTURES / PICKED[0]).transactions
    mine = transactions[transactions.capture == "gphoto2-get-all-files.pcapng"]
    assert list(mine.transaction_id) == list(single.transaction_id)
    assert mine.data_bytes.sum() == single.data_bytes.sum() == 3 * 20_000 + 673
    objects = read_table(out, "objects")
    assert set(objects.capture) == {"gphoto2-get-all-files.pcapng", "ptpy-download.pcapng",
                                    "fault-short-data.pcapng", "basic-ethernet.pcap"}


def test_dask_cluster_runs_the_batch_and_reads_it(inputs: Path, tmp_path: Path) -> None:
    # Installed by scripts/setup.sh (the test extra): a missing dask is a failure, not a skip.
    import dask.dataframe as dd
    import distributed
    out = tmp_path / "out"
    # One in-process worker: the 2-core CI machine stays light and the test stops by itself.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        results = run_batch(captures_of(inputs / "sub"), out, dask_address=cluster.scheduler_address)
    assert {r.status for r in results} == {"ok"} and len(results) == 4
    lazy = dd.read_parquet(out / "packets")
    eager = read_table(out, "packets")
    assert len(lazy) == len(eager) > 0
    per_capture = lazy.groupby("capture", observed=True).size().compute()
    assert per_capture.sort_index().to_dict() == \
        eager.groupby("capture", observed=True).size().sort_index().to_dict()


def test_batch_command(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    captured = capsys.readouterr()
    assert "5 capture(s): 4 ok, 0 partial, 1 failed; 1 other file(s) skipped" in captured.out
    assert "broken.pcap" in captured.err
    assert f"skipped: {inputs / 'notes.txt'}: not a capture file name" in captured.err
    files = pd.read_parquet(tmp_path / "out" / "captures.parquet").set_index("path")
    assert files.loc[str(inputs / "notes.txt"), "status"] == "skipped"
    error = files.loc[str(inputs / "broken.pcap"), "error"]
    assert error.startswith("CaptureError: ") and "\n" not in error  # one line, no traceback
    assert main(["batch", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o2")]) == 2
