from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ptpip_analyzer.export.filenames import MAX_NAME_BYTES, create_unique, safe_filename

RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} \
    | {f"LPT{i}" for i in range(1, 10)}


def test_traversal_and_absolute_paths_lose_their_directories() -> None:
    assert safe_filename("../../etc/passwd", "x") == "passwd"
    assert safe_filename("/abs/olute.JPG", "x") == "olute.JPG"
    assert safe_filename("C:\\Windows\\evil.JPG", "x") == "evil.JPG"
    assert safe_filename("C:evil.JPG", "x") == "C_evil.JPG"
    assert safe_filename("..", "fallback.bin") == "fallback.bin"
    assert safe_filename("", "fallback.bin") == "fallback.bin"
    assert safe_filename(None, "fallback.bin") == "fallback.bin"


def test_reserved_device_names_get_a_prefix() -> None:
    assert safe_filename("CON", "x") == "_CON"
    assert safe_filename("nul.txt", "x") == "_nul.txt"
    assert safe_filename("com1.JPG", "x") == "_com1.JPG"
    assert safe_filename("CONTACT.JPG", "x") == "CONTACT.JPG"


def test_control_and_bidi_characters_are_dropped() -> None:
    assert safe_filename("bell\x07\nline.JPG", "x") == "bellline.JPG"
    assert safe_filename("rtl\u202egpj.exe", "x") == "rtlgpj.exe"
    assert safe_filename("trailing. . ", "x") == "trailing"


def test_long_names_keep_their_extension() -> None:
    name = safe_filename("é" * 300 + ".JPG", "x")
    assert name.endswith(".JPG") and len(name.encode()) <= MAX_NAME_BYTES


@given(st.text())
def test_any_name_is_one_harmless_component(name: str) -> None:
    safe = safe_filename(name, "fallback")
    assert safe and "/" not in safe and "\\" not in safe and safe not in (".", "..")
    assert all(c.isprintable() for c in safe)
    assert safe.split(".")[0].upper() not in RESERVED
    assert len(safe.encode()) <= MAX_NAME_BYTES and not safe.endswith((".", " "))


def test_create_unique_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "A.JPG").write_bytes(b"old")
    paths = []
    for _ in range(3):
        path, fd = create_unique(tmp_path, "A.JPG")
        with open(fd, "wb") as f:
            f.write(b"new")
        paths.append(path.name)
    assert paths == ["A (1).JPG", "A (2).JPG", "A (3).JPG"]
    assert (tmp_path / "A.JPG").read_bytes() == b"old"


def test_create_unique_does_not_follow_a_planted_symlink(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_bytes(b"keep")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "A.JPG").symlink_to(target)
    path, fd = create_unique(tmp_path / "out", "A.JPG")
    with open(fd, "wb") as f:
        f.write(b"new")
    assert path.name == "A (1).JPG" and target.read_bytes() == b"keep"
