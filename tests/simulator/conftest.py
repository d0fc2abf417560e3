"""Fixtures for the simulator's interop tests: a simulator on a free loopback port per test,
a private HOME for gphoto2, and the accounting check against our own dissector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ptpip_analyzer.engine import DissectOptions, dissect_file
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.faults import Fault
from ptpip_analyzer.simulator.harness import free_port, running_simulator
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.simulator.server import ServerConfig, Simulator


def make_camera(count: int = 3, size: int = 20_000, vendor: str = "generic") -> Camera:
    store = st.ObjectStore()
    st.generate(store, count, size)
    return Camera(VENDORS[vendor], store, capture_size=size)


@pytest.fixture
def camera() -> Camera:
    return make_camera()


@pytest.fixture
def simulator(camera: Camera) -> Iterator[Simulator]:
    with running_simulator(camera, ServerConfig(port=free_port())) as sim:
        yield sim


def start(camera: Camera, *faults: Fault, **config: object):  # type: ignore[no-untyped-def]
    """A simulator with faults, as a context manager (for tests that need special config)."""
    cfg = ServerConfig(port=free_port(), faults=frozenset(faults), **config)  # type: ignore[arg-type]
    return running_simulator(camera, cfg)


def assert_accounted(capture: Path, port: int, min_packets: int = 1) -> int:
    """Every byte of every stream in ``capture`` is a packet (no gaps, nothing malformed)."""
    result = dissect_file(capture, DissectOptions(ports=frozenset({port})))
    packets = sum(1 for _ in result.records())
    assert result.accounting, f"no PTP/IP streams found in {capture}"
    for key, books in result.accounting.items():
        assert books.total == books.packets + books.gaps + books.malformed, key
        assert books.gaps == 0 and books.malformed == 0, (key, books)
    assert packets >= min_packets
    return packets
