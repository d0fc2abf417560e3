"""``ptpip-analyzer --version``: this package, the Kaitai compiler its parser was generated
with (read from the generated file's header, which scripts/gen_parsers.py writes), the tshark
found on PATH (the differential tests and the TUI's lower layers use it), and whether the hot
modules run compiled (``accel``) or from their Python sources."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from .. import accel

GENERATED = Path(__file__).resolve().parent.parent / "decode" / "_generated" / "ptpip_packet.py"


def package_version() -> str:
    try:
        return metadata.version("ptpip-analyzer")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def kaitai_version(path: Path = GENERATED) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            header = f.readline()
    except OSError:
        return "unknown (generated parser missing)"
    found = re.search(r"kaitai-struct-compiler (\S+?):", header)
    return found.group(1) if found else "unknown"


def tshark_version() -> str:
    path = shutil.which("tshark")
    if path is None:
        return "not found"
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{path} (no version: {exc.__class__.__name__})"
    first = done.stdout.splitlines()[0] if done.stdout else "no version"
    return f"{first} ({path})"


def version_text() -> str:
    return (f"ptpip-analyzer {package_version()}\n"
            f"Kaitai Struct compiler (generated parser): {kaitai_version()}\n"
            f"tshark: {tshark_version()}\n"
            f"code path: {accel.describe()}\n")
