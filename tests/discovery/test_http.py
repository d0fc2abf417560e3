"""discovery/http.py and the decoder's HTTP side: any segments in, no exception out, memory
bounded (MAX_RESPONSE per connection, MAX_CONNECTIONS at once, MAX_SERVERS followed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as hs

from ptpip_analyzer.discovery import decoder as dec
from ptpip_analyzer.discovery import http
from ptpip_analyzer.model import FIN, TcpSegment, UdpDatagram

SERVER, CLIENT = (bytes([127, 0, 0, 1]), 8080), (bytes([127, 0, 0, 1]), 40000)
HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"


def _segment(frame: int, seq: int, payload: bytes, flags: int = 0,
             client_port: int = CLIENT[1]) -> TcpSegment:
    return TcpSegment(frame, float(frame), SERVER[0], SERVER[1], CLIENT[0], client_port, seq,
                      0, flags, memoryview(payload), 0, 65535)


@settings(max_examples=200, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 2**32 - 1), hs.binary(max_size=3000),
                          hs.sampled_from([0, FIN]), hs.integers(40000, 40070)),
                max_size=60))
def test_any_segments_give_bounded_responses(segments: list[tuple[int, bytes, int, int]]) -> None:
    collector = http.HttpCollector({SERVER})
    done = [r for i, (seq, data, flags, port) in enumerate(segments)
            if (r := collector.feed(_segment(i + 1, seq, data, flags, port))) is not None]
    done += collector.close()
    assert len(collector.open) == 0
    assert all(len(r.data) <= http.MAX_RESPONSE for r in done)


def test_a_response_in_pieces_out_of_order_is_whole_at_its_length() -> None:
    body = b"<root><device><friendlyName>cam</friendlyName></device></root>"
    message = HEAD % len(body) + body
    collector = http.HttpCollector({SERVER})
    second, first = message[20:], message[:20]
    assert collector.feed(_segment(2, 1000 + 20, second)) is None
    response = collector.feed(_segment(3, 1000, first))
    assert response is not None and response.data == message and response.frame == 2


def test_a_response_without_length_ends_at_the_fin() -> None:
    collector = http.HttpCollector({SERVER})
    assert collector.feed(_segment(1, 5, b"HTTP/1.1 200 OK\r\n\r\n<root/>")) is None
    response = collector.feed(_segment(2, 31, b"", FIN))
    assert response is not None and response.data.endswith(b"<root/>")


def test_other_servers_and_clients_are_ignored() -> None:
    collector = http.HttpCollector({SERVER})
    other = TcpSegment(1, 1.0, CLIENT[0], CLIENT[1], SERVER[0], SERVER[1], 0, 0, 0,
                       memoryview(b"GET / HTTP/1.1\r\n\r\n"), 0, 65535)
    assert collector.feed(other) is None and not collector.open


def test_the_servers_followed_are_bounded() -> None:
    decoder = dec.DiscoveryDecoder()
    for port in range(1, dec.MAX_SERVERS + 50):
        notify = (b"NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
                  b"LOCATION: http://10.0.0.1:%d/d.xml\r\n\r\n" % port)
        decoder.datagram(UdpDatagram(port, 0.0, bytes(4), 1900, bytes(4), 1900, notify))
    assert len(decoder.servers) == dec.MAX_SERVERS
    assert len(decoder.records) == dec.MAX_SERVERS + 49


@settings(max_examples=300, deadline=None)
@given(hs.binary(max_size=700), hs.sampled_from([1900, 5353]))
def test_any_datagram_is_a_record_or_nothing(payload: bytes, port: int) -> None:
    decoder = dec.DiscoveryDecoder()
    decoder.datagram(UdpDatagram(1, 0.0, bytes(4), port, bytes(4), port, payload))
    assert len(decoder.records) == 1
    assert all(d.problem is None or "\n" not in d.problem for d in decoder.records)
