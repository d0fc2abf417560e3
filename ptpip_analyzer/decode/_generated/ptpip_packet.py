# Generated from ksy/ptpip.ksy by kaitai-struct-compiler 0.11.0: do not edit.
# This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild
# type: ignore

import kaitaistruct
from kaitaistruct import KaitaiStruct, KaitaiStream, BytesIO
from enum import IntEnum


if getattr(kaitaistruct, 'API_VERSION', (0, 9)) < (0, 11):
    raise Exception("Incompatible Kaitai Struct Python API: 0.11 or later is required, but you have %s" % (kaitaistruct.__version__))

class PtpipPacket(KaitaiStruct):
    """One PTP/IP packet. The caller cuts the packet out of the TCP byte stream by its length
    header first and hands over exactly `length` bytes (for Data / End Data packets whose
    payload is not kept, only the header and transaction id), so the payload is read to the
    end of the buffer rather than by `length`. Layouts follow ../shared/PROTOCOL.md, which
    corrects the gphoto seed note: protocol version in types 1 and 2, 64-bit total length in
    Start Data (u8 = 64-bit), 14 = Probe Response, 0-5 parameters in requests and responses, event code +
    transaction id + 0-3 parameters in events.
    
    .. seealso::
       CIPA DC-005-2005 "PTP-IP"; Wireshark epan/dissectors/packet-ptpip.c
    """

    class FailReason(IntEnum):
        rejected_initiator = 1
        busy = 2
        unspecified = 3

    class PacketType(IntEnum):
        init_command_request = 1
        init_command_ack = 2
        init_event_request = 3
        init_event_ack = 4
        init_fail = 5
        operation_request = 6
        operation_response = 7
        event = 8
        start_data = 9
        data = 10
        cancel = 11
        end_data = 12
        probe_request = 13
        probe_response = 14
    def __init__(self, _io, _parent=None, _root=None):
        super(PtpipPacket, self).__init__(_io)
        self._parent = _parent
        self._root = _root or self
        self._read()

    def _read(self):
        self.length = self._io.read_u4le()
        self.packet_type = KaitaiStream.resolve_enum(PtpipPacket.PacketType, self._io.read_u4le())
        _on = self.packet_type
        if _on == PtpipPacket.PacketType.cancel:
            pass
            self.payload = PtpipPacket.Cancel(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.data:
            pass
            self.payload = PtpipPacket.DataPacket(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.end_data:
            pass
            self.payload = PtpipPacket.DataPacket(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.event:
            pass
            self.payload = PtpipPacket.Event(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.init_command_ack:
            pass
            self.payload = PtpipPacket.InitCommandAck(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.init_command_request:
            pass
            self.payload = PtpipPacket.InitCommandRequest(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.init_event_request:
            pass
            self.payload = PtpipPacket.InitEventRequest(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.init_fail:
            pass
            self.payload = PtpipPacket.InitFail(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.operation_request:
            pass
            self.payload = PtpipPacket.OperationRequest(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.operation_response:
            pass
            self.payload = PtpipPacket.OperationResponse(self._io, self, self._root)
        elif _on == PtpipPacket.PacketType.start_data:
            pass
            self.payload = PtpipPacket.StartData(self._io, self, self._root)


    def _fetch_instances(self):
        pass
        _on = self.packet_type
        if _on == PtpipPacket.PacketType.cancel:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.data:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.end_data:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.event:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.init_command_ack:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.init_command_request:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.init_event_request:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.init_fail:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.operation_request:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.operation_response:
            pass
            self.payload._fetch_instances()
        elif _on == PtpipPacket.PacketType.start_data:
            pass
            self.payload._fetch_instances()

    class Cancel(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.Cancel, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.transaction_id = self._io.read_u4le()


        def _fetch_instances(self):
            pass


    class DataPacket(KaitaiStruct):
        """Data (10) and End Data (12) share one layout."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.DataPacket, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.transaction_id = self._io.read_u4le()
            self.data = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass


    class Event(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.Event, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.event_code = self._io.read_u2le()
            self.transaction_id = self._io.read_u4le()
            self.params = []
            for i in range((self._root.length - 14) // 4):
                self.params.append(self._io.read_u4le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.params)):
                pass



    class InitCommandAck(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.InitCommandAck, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.connection_number = self._io.read_u4le()
            self.guid = self._io.read_bytes(16)
            self.name_and_version = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass


    class InitCommandRequest(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.InitCommandRequest, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.guid = self._io.read_bytes(16)
            self.name_and_version = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass


    class InitEventRequest(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.InitEventRequest, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.connection_number = self._io.read_u4le()


        def _fetch_instances(self):
            pass


    class InitFail(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.InitFail, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.reason = KaitaiStream.resolve_enum(PtpipPacket.FailReason, self._io.read_u4le())


        def _fetch_instances(self):
            pass


    class OperationRequest(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.OperationRequest, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.data_phase = self._io.read_u4le()
            self.operation_code = self._io.read_u2le()
            self.transaction_id = self._io.read_u4le()
            self.params = []
            for i in range((self._root.length - 18) // 4):
                self.params.append(self._io.read_u4le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.params)):
                pass



    class OperationResponse(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.OperationResponse, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.response_code = self._io.read_u2le()
            self.transaction_id = self._io.read_u4le()
            self.params = []
            for i in range((self._root.length - 14) // 4):
                self.params.append(self._io.read_u4le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.params)):
                pass



    class StartData(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpipPacket.StartData, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.transaction_id = self._io.read_u4le()
            self.total_length = self._io.read_u8le()


        def _fetch_instances(self):
            pass



