"""The description API with annotations, and dissect -V / jsonl / --vendor showing them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptpip_analyzer import cli
from ptpip_analyzer.decode import describe
from ptpip_analyzer.decode.annotate import annotate
from ptpip_analyzer.engine import dissect_file

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"
NIKON = REAL / "gphoto2-summary-nikon.pcapng"


def test_annotated_summaries_name_params_and_datasets() -> None:
    lines = [describe.summary(r, a) for _, r, a in annotate(dissect_file(NIKON).records())]
    assert any('[DeviceInfo "Nikon Corporation" "D750"]' in line for line in lines)
    assert any("[DevicePropDesc BatteryLevel = 87]" in line for line in lines)
    assert any("[ObjectHandles 3 object handles]" in line for line in lines)


def test_detail_tree_names_parameters_and_vendor() -> None:
    trees = [describe.detail_tree(r, a) for _, r, a in annotate(dissect_file(NIKON).records())]
    request = next(t for t in trees if any(k.value.startswith("GetObjectHandles") for k in
                                           t.children))
    params = {k.label: k.value for k in request.children if k.label.startswith("Parameter")}
    assert params["Parameter 1: StorageID"] == "0xFFFFFFFF (all storages)"
    assert params["Parameter 3: ParentObject"] == "0xFFFFFFFF (root)"
    assert {"label": "Vendor tables", "value": "nikon"} in [
        {"label": k.label, "value": k.value} for t in trees for k in t.children]


def test_dissect_jsonl_carries_datasets_and_vendor(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["dissect", "--format", "jsonl", str(NIKON)])
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    info = next(o["dataset"] for o in objects if o.get("dataset", {}).get("name") == "DeviceInfo")
    assert info["manufacturer"] == "Nikon Corporation" and info["vendor_extension_id"] == 10
    desc = next(o["dataset"] for o in objects if o.get("dataset", {}).get("name") ==
                "DevicePropDesc")
    assert desc["form"] == {"minimum": 0, "maximum": 100, "step": 1}
    named = next(o["named_params"] for o in objects if o.get("code") == 0x1014)
    assert named[0]["name"] == "DevicePropCode" and "BatteryLevel" in named[0]["display"]


def test_dissect_vendor_override(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["dissect", "--vendor", "sony", "--format", "jsonl", str(NIKON)])
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {o.get("vendor") for o in objects if "vendor" in o} == {"sony"}


def test_dissect_verbose_shows_decoded_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["dissect", "-V", str(REAL / "gphoto2-list-files.pcapng")])
    out = capsys.readouterr().out
    assert "ObjectInfo: " in out and "Object format: EXIF_JPEG (0x3801)" in out
    assert "Filename: " in out


def _spans_by_label(tree: describe.Node) -> dict[str, tuple[int, int]]:
    return {k.label: k.span for k in tree.children if k.span is not None}


def test_tree_nodes_carry_the_byte_ranges_of_their_fields() -> None:
    """Every field of a real capture's packets lies where its span says: the bytes there
    decode to the value the tree shows (for the hex view's highlight)."""
    checked = 0
    for _, record, note in annotate(dissect_file(NIKON).records()):
        tree = describe.detail_tree(record, note)
        if not isinstance(record, describe.Packet) or len(record.raw) < record.length:
            continue
        assert tree.span == (0, record.length)
        raw = record.raw
        for label, (lo, hi) in _spans_by_label(tree).items():
            field = int.from_bytes(raw[lo:hi], "little")
            if label == "Length":
                assert field == record.length
            elif label == "Packet type":
                assert field == record.ptype
            elif label == "Code":
                assert field == record.code
            elif label == "Transaction ID":
                assert field == record.transaction_id
            elif label.startswith("Parameter "):
                assert field == record.params[int(label.split()[1].rstrip(":")) - 1]
            elif label == "Friendly name":
                assert raw[lo:hi].decode("utf-16-le").rstrip("\0") == record.name
            checked += 1
    assert checked > 150


def test_spans_need_a_ptpip_header() -> None:
    """Fujifilm's containers have another layout: no spans rather than wrong ones."""
    fuji = describe.Packet(0, 0, 0, 16, 6, 1, 0.0, transaction_id=1, code=0x1001,  # type: ignore
                           raw=(16).to_bytes(4, "little") + b"\x01\x00\x01\x10" + bytes(8))
    assert describe.field_spans(fuji) == {}


def test_packet_row_is_to_dict_field_for_field() -> None:
    """The lazy row a display filter reads gives what dissect --format jsonl prints, for every
    field of every record of every shipped capture (annotated and not)."""
    from ptpip_analyzer.decode.describe import PacketRow
    from ptpip_analyzer.engine import Dissection, EngineOptions
    from ptpip_analyzer.filters import FIELDS
    root = Path(__file__).resolve().parents[2] / "captures"
    fields = [f for f in FIELDS["packets"] if f not in ("capture", "session")]
    checked = 0
    for path in sorted(root.glob("*/*.pcap*")):
        for annotated in (False, True):
            run = Dissection(path, EngineOptions(annotate=annotated, validate=False))
            for item in run.items():
                want = describe.to_dict(item.conn, item.record, item.annotation)
                row = PacketRow(item.conn, item.record, item.annotation)
                assert {f: row.get(f) for f in fields} == {f: want.get(f) for f in fields}
                checked += 1
    assert checked > 2000
