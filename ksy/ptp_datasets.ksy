meta:
  id: ptp_datasets
  title: PTP datasets (ISO 15740 section 5.5; MTP 1.1 appendix B/E) carried in data phases
  endian: le
  license: MIT
doc: |
  The datasets a PTP/IP data phase carries, one type each; the wrapper
  (ptpip_analyzer/decode/datasets.py) picks the type by the operation the data phase belongs
  to and hands over exactly the data phase's bytes. Encoding (PROTOCOL.md "PTP payloads"):
  little endian; a PTP string is a u1 count of UTF-16 code units including the terminating NUL
  (0 = empty), then UTF-16LE (decoded and stripped by the wrapper, since Kaitai's strz stops at
  the first zero byte of UTF-16, kaitai_struct#187); an array is a u4 count then the elements.
  Property values are typed by a PTP DataType code (ISO 15740 table 3): signed/unsigned 8 to
  128-bit integers, arrays of them (0x4001-0x400A), and strings (0xFFFF).
  Vendor "get event" dumps whose format is public follow: Canon EOS GetEvent records
  (canon_eos_event_record, framed one by one by decode/event_dumps.py) and Nikon GetEvent /
  GetEventEx lists.
doc-ref: ISO 15740:2008 sections 5.3 and 5.5; MTP 1.1 spec appendix B (ObjectPropDesc) and E (ObjectPropList); libgphoto2 camlibs/ptp2/ptp-pack.c (commit 813de344e697; also the Canon EOS and Nikon event dumps)
types:
  ptp_string:
    seq:
      - id: num_units
        type: u1
        doc: UTF-16 code units including the terminating NUL; 0 = empty string.
      - id: utf16
        size: num_units * 2
  u2_array:
    seq:
      - id: num_elements
        type: u4
      - id: elements
        type: u2
        repeat: expr
        repeat-expr: num_elements
  u4_array:
    seq:
      - id: num_elements
        type: u4
      - id: elements
        type: u4
        repeat: expr
        repeat-expr: num_elements
  device_info:
    doc: ISO 15740 5.5.1, the data of GetDeviceInfo (0x1001).
    seq:
      - id: standard_version
        type: u2
      - id: vendor_extension_id
        type: u4
      - id: vendor_extension_version
        type: u2
      - id: vendor_extension_desc
        type: ptp_string
      - id: functional_mode
        type: u2
      - id: operations_supported
        type: u2_array
      - id: events_supported
        type: u2_array
      - id: device_properties_supported
        type: u2_array
      - id: capture_formats
        type: u2_array
      - id: image_formats
        type: u2_array
      - id: manufacturer
        type: ptp_string
      - id: model
        type: ptp_string
      - id: device_version
        type: ptp_string
      - id: serial_number
        type: ptp_string
  storage_info:
    doc: ISO 15740 5.5.3, the data of GetStorageInfo (0x1005).
    seq:
      - id: storage_type
        type: u2
      - id: filesystem_type
        type: u2
      - id: access_capability
        type: u2
      - id: max_capacity
        type: u8
      - id: free_space_bytes
        type: u8
      - id: free_space_images
        type: u4
      - id: storage_description
        type: ptp_string
      - id: volume_label
        type: ptp_string
  object_info:
    doc: ISO 15740 5.5.2, the data of GetObjectInfo (0x1008) and SendObjectInfo (0x100C).
    seq:
      - id: storage_id
        type: u4
      - id: object_format
        type: u2
      - id: protection_status
        type: u2
      - id: object_compressed_size
        type: u4
      - id: thumb_format
        type: u2
      - id: thumb_compressed_size
        type: u4
      - id: thumb_pix_width
        type: u4
      - id: thumb_pix_height
        type: u4
      - id: image_pix_width
        type: u4
      - id: image_pix_height
        type: u4
      - id: image_bit_depth
        type: u4
      - id: parent_object
        type: u4
      - id: association_type
        type: u2
      - id: association_desc
        type: u4
      - id: sequence_number
        type: u4
      - id: filename
        type: ptp_string
      - id: capture_date
        type: ptp_string
      - id: modification_date
        type: ptp_string
      - id: keywords
        type: ptp_string
  int128:
    seq:
      - id: raw
        size: 16
  unsupported_type:
    doc: |
      A DataType code this spec does not know: fails right here (the value's size is
      unknown, so nothing after it can be read); the wrapper reports the offset.
    seq:
      - id: unknown_data_type
        size: 0
        valid:
          expr: 'false'
  value_array:
    params:
      - id: element_type
        type: u2
    seq:
      - id: num_elements
        type: u4
      - id: elements
        type: prop_value(element_type)
        repeat: expr
        repeat-expr: num_elements
  prop_value:
    doc: One value of PTP DataType `data_type` (ISO 15740 5.3, table 3).
    params:
      - id: data_type
        type: u2
    seq:
      - id: value
        type:
          switch-on: data_type
          cases:
            0x0001: s1
            0x0002: u1
            0x0003: s2
            0x0004: u2
            0x0005: s4
            0x0006: u4
            0x0007: s8
            0x0008: u8
            0x0009: int128
            0x000a: int128
            0x4001: value_array(0x0001)
            0x4002: value_array(0x0002)
            0x4003: value_array(0x0003)
            0x4004: value_array(0x0004)
            0x4005: value_array(0x0005)
            0x4006: value_array(0x0006)
            0x4007: value_array(0x0007)
            0x4008: value_array(0x0008)
            0x4009: value_array(0x0009)
            0x400a: value_array(0x000a)
            0xffff: ptp_string
            _: unsupported_type
  range_form:
    params:
      - id: data_type
        type: u2
    seq:
      - id: minimum
        type: prop_value(data_type)
      - id: maximum
        type: prop_value(data_type)
      - id: step
        type: prop_value(data_type)
  enumeration_form:
    params:
      - id: data_type
        type: u2
    seq:
      - id: num_values
        type: u2
      - id: values
        type: prop_value(data_type)
        repeat: expr
        repeat-expr: num_values
  device_prop_desc:
    doc: ISO 15740 5.5.4, the data of GetDevicePropDesc (0x1014).
    seq:
      - id: property_code
        type: u2
      - id: data_type
        type: u2
      - id: get_set
        type: u1
        doc: 0 = read only, 1 = read-write.
      - id: factory_default
        type: prop_value(data_type)
      - id: current_value
        type: prop_value(data_type)
      - id: form_flag
        type: u1
        doc: 0 = none, 1 = range, 2 = enumeration.
      - id: form
        type:
          switch-on: form_flag
          cases:
            1: range_form(data_type)
            2: enumeration_form(data_type)
  object_prop_desc:
    doc: |
      MTP 1.1 appendix B, the data of GetObjectPropDesc (0x9802). Forms 3 (DateTime) has no
      data; 4 (fixed-length array) a u2 length; 5 (regular expression) a PTP string;
      6 (byte array) and 0xFF (long string) a u4 maximum length.
    seq:
      - id: property_code
        type: u2
      - id: data_type
        type: u2
      - id: get_set
        type: u1
      - id: factory_default
        type: prop_value(data_type)
      - id: group_code
        type: u4
      - id: form_flag
        type: u1
      - id: form
        type:
          switch-on: form_flag
          cases:
            1: range_form(data_type)
            2: enumeration_form(data_type)
            4: u2
            5: ptp_string
            6: u4
            0xff: u4
  object_prop_element:
    seq:
      - id: object_handle
        type: u4
      - id: property_code
        type: u2
      - id: data_type
        type: u2
      - id: value
        type: prop_value(data_type)
  object_prop_list:
    doc: MTP 1.1 appendix E, the data of GetObjPropList (0x9805) and SendObjectPropList (0x9808).
    seq:
      - id: num_elements
        type: u4
      - id: elements
        type: object_prop_element
        repeat: expr
        repeat-expr: num_elements
  canon_eos_event_record:
    doc: |
      One record of the data of Canon EOS GetEvent (0x9116): u4 record size (including this
      8-byte header), u4 record type (a Canon EOS event code, 0xC1xx), then the body. The
      dump is a run of records ended by a record of size 8 and type 0. The wrapper
      (decode/event_dumps.py) frames the records by their size and hands over exactly one
      record's bytes, so a short body fails inside its record only. Body layouts: libgphoto2
      camlibs/ptp2/ptp-pack.c ptp_unpack_EOS_events (PTP_cee_* offsets, given there from
      the record start; here from the body start, 8 bytes later).
    seq:
      - id: record_size
        type: u4
      - id: record_type
        type: u4
      - id: body
        size-eos: true
        type:
          switch-on: record_type
          cases:
            0xc189: canon_eos_prop_value_changed
            0xc18a: canon_eos_avail_list_changed
            0xc181: canon_eos_object_added
            0xc187: canon_eos_object_added
            0xc1a7: canon_eos_object_added64
            0xc186: canon_eos_object_transfer
            0xc1a9: canon_eos_object_transfer
            0xc182: canon_eos_word
            0xc188: canon_eos_word
            0xc18b: canon_eos_word
            0xc184: canon_eos_word
            0xc185: canon_eos_word
            0xc192: canon_eos_word
            0xc193: canon_eos_word
            0xc194: canon_eos_word
            0xc1a4: canon_eos_word
  canon_eos_word:
    doc: |
      Records whose body starts with one u4 (libgphoto2 reads curdata+8): object handle
      (ObjectRemoved 0xC182, ObjectContentChanged 0xC188), camera status (0xC18B), storage id
      (StorageStatusChanged 0xC184, StorageInfoChanged 0xC185, StoreAdded 0xC192,
      StoreRemoved 0xC193), bulb exposure time (0xC194), CTGInfoCheckComplete (0xC1A4).
    seq:
      - id: value
        type: u4
  canon_eos_prop_value_changed:
    doc: |
      PropValueChanged (0xC189): the property code, then its value in the rest of the record,
      with no data type: libgphoto2 types it by the property code; integers sit at the start
      of the value bytes, strings are plain ASCII with a NUL (not PTP strings).
    seq:
      - id: property_code
        type: u4
      - id: value
        size-eos: true
  canon_eos_avail_list_changed:
    doc: |
      AvailListChanged (0xC18A): the values a property now accepts. libgphoto2 decodes only
      list type 3, where each value takes a u4 slot.
    seq:
      - id: property_code
        type: u4
      - id: list_type
        type: u4
      - id: num_values
        type: u4
      - id: values
        size-eos: true
  canon_eos_object_added:
    doc: ObjectAddedEx (0xC181) and ObjectInfoChangedEx (0xC187).
    seq:
      - id: object_handle
        type: u4
      - id: storage_id
        type: u4
      - id: object_format
        type: u2
      - id: unknown1
        size: 10
      - id: object_size
        type: u4
      - id: parent_object
        type: u4
      - id: unknown2
        size: 4
      - id: filename
        terminator: 0
        eos-error: false
        doc: ASCII, NUL-terminated.
  canon_eos_object_added64:
    doc: ObjectAddedEx64 (0xC1A7); libgphoto2 marks this layout as still to be reviewed.
    seq:
      - id: object_handle
        type: u4
      - id: storage_id
        type: u4
      - id: object_format
        type: u2
      - id: unknown1
        size: 10
      - id: object_size
        type: u4
      - id: unknown2
        size: 4
      - id: parent_object
        type: u4
      - id: second_object
        type: u4
      - id: filename
        terminator: 0
        eos-error: false
  canon_eos_object_transfer:
    doc: RequestObjectTransfer (0xC186) and RequestObjectTransfer64 (0xC1A9).
    seq:
      - id: object_handle
        type: u4
      - id: object_format
        type: u2
      - id: unknown1
        size: 6
      - id: object_size
        type: u4
      - id: unknown2
        size: 4
      - id: filename
        terminator: 0
        eos-error: false
  nikon_event_list:
    doc: |
      The data of Nikon GetEvent (0x90C7): a u2 count, then per event a u2 event code and one
      u4 parameter (libgphoto2 camlibs/ptp2/ptp-pack.c ptp_unpack_Nikon_EC).
    seq:
      - id: num_events
        type: u2
      - id: events
        type: nikon_event
        repeat: expr
        repeat-expr: num_events
  nikon_event:
    seq:
      - id: event_code
        type: u2
      - id: param
        type: u4
  nikon_event_list_ex:
    doc: |
      The data of Nikon GetEventEx (0x941C): a u2 count; when non-zero, the events start at
      offset 4, each a u2 event code, a u2 parameter count (at most 5) and that many u4
      parameters (libgphoto2 ptp-pack.c ptp_unpack_Nikon_EC_EX; bytes 2-3 are skipped there).
    seq:
      - id: num_events
        type: u2
      - id: reserved
        size: 2
        if: num_events > 0
      - id: events
        type: nikon_event_ex
        repeat: expr
        repeat-expr: num_events
  nikon_event_ex:
    seq:
      - id: event_code
        type: u2
      - id: num_params
        type: u2
        valid:
          max: 5
      - id: params
        type: u4
        repeat: expr
        repeat-expr: num_params
