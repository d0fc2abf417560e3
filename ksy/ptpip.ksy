meta:
  id: ptpip_packet
  title: PTP/IP packet (Picture Transfer Protocol over TCP/IP, CIPA DC-005)
  endian: le
  license: MIT
doc: |
  One PTP/IP packet. The caller cuts the packet out of the TCP byte stream by its length
  header first and hands over exactly `length` bytes (for Data / End Data packets whose
  payload is not kept, only the header and transaction id), so the payload is read to the
  end of the buffer rather than by `length`. Layouts follow ../shared/PROTOCOL.md, which
  corrects the gphoto seed note: protocol version in types 1 and 2, 64-bit total length in
  Start Data (u8 = 64-bit), 14 = Probe Response, 0-5 parameters in requests and responses, event code +
  transaction id + 0-3 parameters in events.
doc-ref: CIPA DC-005-2005 "PTP-IP"; Wireshark epan/dissectors/packet-ptpip.c
seq:
  - id: length
    type: u4
    doc: Length of the whole packet including this 8-byte header.
  - id: packet_type
    type: u4
    enum: packet_type
  - id: payload
    doc: |
      Read from the packet's own stream (no substream): framing has bounded the buffer, and
      parameter counts come from the length field (PROTOCOL.md), so nothing reads past it.
    type:
      switch-on: packet_type
      cases:
        'packet_type::init_command_request': init_command_request
        'packet_type::init_command_ack': init_command_ack
        'packet_type::init_event_request': init_event_request
        'packet_type::init_fail': init_fail
        'packet_type::operation_request': operation_request
        'packet_type::operation_response': operation_response
        'packet_type::event': event
        'packet_type::start_data': start_data
        'packet_type::data': data_packet
        'packet_type::cancel': cancel
        'packet_type::end_data': data_packet
types:
  init_command_request:
    seq:
      - id: guid
        size: 16
      - id: name_and_version
        size-eos: true
        doc: |
          Friendly name (UTF-16LE, NUL-terminated) then protocol version u4. Split by the
          wrapper: Kaitai's strz stops at the first zero byte of UTF-16 (kaitai_struct#187),
          and some senders omit the version or send an ASCII name.
  init_command_ack:
    seq:
      - id: connection_number
        type: u4
      - id: guid
        size: 16
      - id: name_and_version
        size-eos: true
        doc: Camera name and protocol version, split by the wrapper as in type 1.
  init_event_request:
    seq:
      - id: connection_number
        type: u4
  init_fail:
    seq:
      - id: reason
        type: u4
        enum: fail_reason
  operation_request:
    seq:
      - id: data_phase
        type: u4
        doc: 1 = no data or responder-to-initiator data, 2 = initiator-to-responder data.
      - id: operation_code
        type: u2
      - id: transaction_id
        type: u4
      - id: params
        type: u4
        repeat: expr
        repeat-expr: (_root.length - 18) / 4
  operation_response:
    seq:
      - id: response_code
        type: u2
      - id: transaction_id
        type: u4
      - id: params
        type: u4
        repeat: expr
        repeat-expr: (_root.length - 14) / 4
  event:
    seq:
      - id: event_code
        type: u2
      - id: transaction_id
        type: u4
      - id: params
        type: u4
        repeat: expr
        repeat-expr: (_root.length - 14) / 4
  start_data:
    seq:
      - id: transaction_id
        type: u4
      - id: total_length
        type: u8
        doc: Total data bytes to follow in Data / End Data; 0xFFFFFFFFFFFFFFFF = unknown.
  data_packet:
    doc: Data (10) and End Data (12) share one layout.
    seq:
      - id: transaction_id
        type: u4
      - id: data
        size-eos: true
  cancel:
    seq:
      - id: transaction_id
        type: u4
enums:
  packet_type:
    1: init_command_request
    2: init_command_ack
    3: init_event_request
    4: init_event_ack
    5: init_fail
    6: operation_request
    7: operation_response
    8: event
    9: start_data
    10: data
    11: cancel
    12: end_data
    13: probe_request
    14: probe_response
  fail_reason:
    1: rejected_initiator
    2: busy
    3: unspecified
