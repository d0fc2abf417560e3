# Generated from ksy/ptp_datasets.ksy by kaitai-struct-compiler 0.11.0: do not edit.
# This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild
# type: ignore

import kaitaistruct
from kaitaistruct import KaitaiStruct, KaitaiStream, BytesIO


if getattr(kaitaistruct, 'API_VERSION', (0, 9)) < (0, 11):
    raise Exception("Incompatible Kaitai Struct Python API: 0.11 or later is required, but you have %s" % (kaitaistruct.__version__))

class PtpDatasets(KaitaiStruct):
    """The datasets a PTP/IP data phase carries, one type each; the wrapper
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
    
    .. seealso::
       ISO 15740:2008 sections 5.3 and 5.5; MTP 1.1 spec appendix B (ObjectPropDesc) and E (ObjectPropList); libgphoto2 camlibs/ptp2/ptp-pack.c (commit 813de344e697; also the Canon EOS and Nikon event dumps)
    """
    def __init__(self, _io, _parent=None, _root=None):
        super(PtpDatasets, self).__init__(_io)
        self._parent = _parent
        self._root = _root or self
        self._read()

    def _read(self):
        pass


    def _fetch_instances(self):
        pass

    class CanonEosAvailListChanged(KaitaiStruct):
        """AvailListChanged (0xC18A): the values a property now accepts. libgphoto2 decodes only
        list type 3, where each value takes a u4 slot.
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosAvailListChanged, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.property_code = self._io.read_u4le()
            self.list_type = self._io.read_u4le()
            self.num_values = self._io.read_u4le()
            self.values = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass


    class CanonEosEventRecord(KaitaiStruct):
        """One record of the data of Canon EOS GetEvent (0x9116): u4 record size (including this
        8-byte header), u4 record type (a Canon EOS event code, 0xC1xx), then the body. The
        dump is a run of records ended by a record of size 8 and type 0. The wrapper
        (decode/event_dumps.py) frames the records by their size and hands over exactly one
        record's bytes, so a short body fails inside its record only. Body layouts: libgphoto2
        camlibs/ptp2/ptp-pack.c ptp_unpack_EOS_events (PTP_cee_* offsets, given there from
        the record start; here from the body start, 8 bytes later).
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosEventRecord, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.record_size = self._io.read_u4le()
            self.record_type = self._io.read_u4le()
            _on = self.record_type
            if _on == 49537:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosObjectAdded(_io__raw_body, self, self._root)
            elif _on == 49538:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49540:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49541:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49542:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosObjectTransfer(_io__raw_body, self, self._root)
            elif _on == 49543:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosObjectAdded(_io__raw_body, self, self._root)
            elif _on == 49544:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49545:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosPropValueChanged(_io__raw_body, self, self._root)
            elif _on == 49546:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosAvailListChanged(_io__raw_body, self, self._root)
            elif _on == 49547:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49554:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49555:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49556:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49572:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosWord(_io__raw_body, self, self._root)
            elif _on == 49575:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosObjectAdded64(_io__raw_body, self, self._root)
            elif _on == 49577:
                pass
                self._raw_body = self._io.read_bytes_full()
                _io__raw_body = KaitaiStream(BytesIO(self._raw_body))
                self.body = PtpDatasets.CanonEosObjectTransfer(_io__raw_body, self, self._root)
            else:
                pass
                self.body = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass
            _on = self.record_type
            if _on == 49537:
                pass
                self.body._fetch_instances()
            elif _on == 49538:
                pass
                self.body._fetch_instances()
            elif _on == 49540:
                pass
                self.body._fetch_instances()
            elif _on == 49541:
                pass
                self.body._fetch_instances()
            elif _on == 49542:
                pass
                self.body._fetch_instances()
            elif _on == 49543:
                pass
                self.body._fetch_instances()
            elif _on == 49544:
                pass
                self.body._fetch_instances()
            elif _on == 49545:
                pass
                self.body._fetch_instances()
            elif _on == 49546:
                pass
                self.body._fetch_instances()
            elif _on == 49547:
                pass
                self.body._fetch_instances()
            elif _on == 49554:
                pass
                self.body._fetch_instances()
            elif _on == 49555:
                pass
                self.body._fetch_instances()
            elif _on == 49556:
                pass
                self.body._fetch_instances()
            elif _on == 49572:
                pass
                self.body._fetch_instances()
            elif _on == 49575:
                pass
                self.body._fetch_instances()
            elif _on == 49577:
                pass
                self.body._fetch_instances()
            else:
                pass


    class CanonEosObjectAdded(KaitaiStruct):
        """ObjectAddedEx (0xC181) and ObjectInfoChangedEx (0xC187)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosObjectAdded, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.object_handle = self._io.read_u4le()
            self.storage_id = self._io.read_u4le()
            self.object_format = self._io.read_u2le()
            self.unknown1 = self._io.read_bytes(10)
            self.object_size = self._io.read_u4le()
            self.parent_object = self._io.read_u4le()
            self.unknown2 = self._io.read_bytes(4)
            self.filename = self._io.read_bytes_term(0, False, True, False)


        def _fetch_instances(self):
            pass


    class CanonEosObjectAdded64(KaitaiStruct):
        """ObjectAddedEx64 (0xC1A7); libgphoto2 marks this layout as still to be reviewed."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosObjectAdded64, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.object_handle = self._io.read_u4le()
            self.storage_id = self._io.read_u4le()
            self.object_format = self._io.read_u2le()
            self.unknown1 = self._io.read_bytes(10)
            self.object_size = self._io.read_u4le()
            self.unknown2 = self._io.read_bytes(4)
            self.parent_object = self._io.read_u4le()
            self.second_object = self._io.read_u4le()
            self.filename = self._io.read_bytes_term(0, False, True, False)


        def _fetch_instances(self):
            pass


    class CanonEosObjectTransfer(KaitaiStruct):
        """RequestObjectTransfer (0xC186) and RequestObjectTransfer64 (0xC1A9)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosObjectTransfer, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.object_handle = self._io.read_u4le()
            self.object_format = self._io.read_u2le()
            self.unknown1 = self._io.read_bytes(6)
            self.object_size = self._io.read_u4le()
            self.unknown2 = self._io.read_bytes(4)
            self.filename = self._io.read_bytes_term(0, False, True, False)


        def _fetch_instances(self):
            pass


    class CanonEosPropValueChanged(KaitaiStruct):
        """PropValueChanged (0xC189): the property code, then its value in the rest of the record,
        with no data type: libgphoto2 types it by the property code; integers sit at the start
        of the value bytes, strings are plain ASCII with a NUL (not PTP strings).
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosPropValueChanged, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.property_code = self._io.read_u4le()
            self.value = self._io.read_bytes_full()


        def _fetch_instances(self):
            pass


    class CanonEosWord(KaitaiStruct):
        """Records whose body starts with one u4 (libgphoto2 reads curdata+8): object handle
        (ObjectRemoved 0xC182, ObjectContentChanged 0xC188), camera status (0xC18B), storage id
        (StorageStatusChanged 0xC184, StorageInfoChanged 0xC185, StoreAdded 0xC192,
        StoreRemoved 0xC193), bulb exposure time (0xC194), CTGInfoCheckComplete (0xC1A4).
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.CanonEosWord, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.value = self._io.read_u4le()


        def _fetch_instances(self):
            pass


    class DeviceInfo(KaitaiStruct):
        """ISO 15740 5.5.1, the data of GetDeviceInfo (0x1001)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.DeviceInfo, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.standard_version = self._io.read_u2le()
            self.vendor_extension_id = self._io.read_u4le()
            self.vendor_extension_version = self._io.read_u2le()
            self.vendor_extension_desc = PtpDatasets.PtpString(self._io, self, self._root)
            self.functional_mode = self._io.read_u2le()
            self.operations_supported = PtpDatasets.U2Array(self._io, self, self._root)
            self.events_supported = PtpDatasets.U2Array(self._io, self, self._root)
            self.device_properties_supported = PtpDatasets.U2Array(self._io, self, self._root)
            self.capture_formats = PtpDatasets.U2Array(self._io, self, self._root)
            self.image_formats = PtpDatasets.U2Array(self._io, self, self._root)
            self.manufacturer = PtpDatasets.PtpString(self._io, self, self._root)
            self.model = PtpDatasets.PtpString(self._io, self, self._root)
            self.device_version = PtpDatasets.PtpString(self._io, self, self._root)
            self.serial_number = PtpDatasets.PtpString(self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.vendor_extension_desc._fetch_instances()
            self.operations_supported._fetch_instances()
            self.events_supported._fetch_instances()
            self.device_properties_supported._fetch_instances()
            self.capture_formats._fetch_instances()
            self.image_formats._fetch_instances()
            self.manufacturer._fetch_instances()
            self.model._fetch_instances()
            self.device_version._fetch_instances()
            self.serial_number._fetch_instances()


    class DevicePropDesc(KaitaiStruct):
        """ISO 15740 5.5.4, the data of GetDevicePropDesc (0x1014)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.DevicePropDesc, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.property_code = self._io.read_u2le()
            self.data_type = self._io.read_u2le()
            self.get_set = self._io.read_u1()
            self.factory_default = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)
            self.current_value = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)
            self.form_flag = self._io.read_u1()
            _on = self.form_flag
            if _on == 1:
                pass
                self.form = PtpDatasets.RangeForm(self.data_type, self._io, self, self._root)
            elif _on == 2:
                pass
                self.form = PtpDatasets.EnumerationForm(self.data_type, self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.factory_default._fetch_instances()
            self.current_value._fetch_instances()
            _on = self.form_flag
            if _on == 1:
                pass
                self.form._fetch_instances()
            elif _on == 2:
                pass
                self.form._fetch_instances()


    class EnumerationForm(KaitaiStruct):
        def __init__(self, data_type, _io, _parent=None, _root=None):
            super(PtpDatasets.EnumerationForm, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self.data_type = data_type
            self._read()

        def _read(self):
            self.num_values = self._io.read_u2le()
            self.values = []
            for i in range(self.num_values):
                self.values.append(PtpDatasets.PropValue(self.data_type, self._io, self, self._root))



        def _fetch_instances(self):
            pass
            for i in range(len(self.values)):
                pass
                self.values[i]._fetch_instances()



    class Int128(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.Int128, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.raw = self._io.read_bytes(16)


        def _fetch_instances(self):
            pass


    class NikonEvent(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.NikonEvent, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.event_code = self._io.read_u2le()
            self.param = self._io.read_u4le()


        def _fetch_instances(self):
            pass


    class NikonEventEx(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.NikonEventEx, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.event_code = self._io.read_u2le()
            self.num_params = self._io.read_u2le()
            if not self.num_params <= 5:
                raise kaitaistruct.ValidationGreaterThanError(5, self.num_params, self._io, u"/types/nikon_event_ex/seq/1")
            self.params = []
            for i in range(self.num_params):
                self.params.append(self._io.read_u4le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.params)):
                pass



    class NikonEventList(KaitaiStruct):
        """The data of Nikon GetEvent (0x90C7): a u2 count, then per event a u2 event code and one
        u4 parameter (libgphoto2 camlibs/ptp2/ptp-pack.c ptp_unpack_Nikon_EC).
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.NikonEventList, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_events = self._io.read_u2le()
            self.events = []
            for i in range(self.num_events):
                self.events.append(PtpDatasets.NikonEvent(self._io, self, self._root))



        def _fetch_instances(self):
            pass
            for i in range(len(self.events)):
                pass
                self.events[i]._fetch_instances()



    class NikonEventListEx(KaitaiStruct):
        """The data of Nikon GetEventEx (0x941C): a u2 count; when non-zero, the events start at
        offset 4, each a u2 event code, a u2 parameter count (at most 5) and that many u4
        parameters (libgphoto2 ptp-pack.c ptp_unpack_Nikon_EC_EX; bytes 2-3 are skipped there).
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.NikonEventListEx, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_events = self._io.read_u2le()
            if self.num_events > 0:
                pass
                self.reserved = self._io.read_bytes(2)

            self.events = []
            for i in range(self.num_events):
                self.events.append(PtpDatasets.NikonEventEx(self._io, self, self._root))



        def _fetch_instances(self):
            pass
            if self.num_events > 0:
                pass

            for i in range(len(self.events)):
                pass
                self.events[i]._fetch_instances()



    class ObjectInfo(KaitaiStruct):
        """ISO 15740 5.5.2, the data of GetObjectInfo (0x1008) and SendObjectInfo (0x100C)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.ObjectInfo, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.storage_id = self._io.read_u4le()
            self.object_format = self._io.read_u2le()
            self.protection_status = self._io.read_u2le()
            self.object_compressed_size = self._io.read_u4le()
            self.thumb_format = self._io.read_u2le()
            self.thumb_compressed_size = self._io.read_u4le()
            self.thumb_pix_width = self._io.read_u4le()
            self.thumb_pix_height = self._io.read_u4le()
            self.image_pix_width = self._io.read_u4le()
            self.image_pix_height = self._io.read_u4le()
            self.image_bit_depth = self._io.read_u4le()
            self.parent_object = self._io.read_u4le()
            self.association_type = self._io.read_u2le()
            self.association_desc = self._io.read_u4le()
            self.sequence_number = self._io.read_u4le()
            self.filename = PtpDatasets.PtpString(self._io, self, self._root)
            self.capture_date = PtpDatasets.PtpString(self._io, self, self._root)
            self.modification_date = PtpDatasets.PtpString(self._io, self, self._root)
            self.keywords = PtpDatasets.PtpString(self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.filename._fetch_instances()
            self.capture_date._fetch_instances()
            self.modification_date._fetch_instances()
            self.keywords._fetch_instances()


    class ObjectPropDesc(KaitaiStruct):
        """MTP 1.1 appendix B, the data of GetObjectPropDesc (0x9802). Forms 3 (DateTime) has no
        data; 4 (fixed-length array) a u2 length; 5 (regular expression) a PTP string;
        6 (byte array) and 0xFF (long string) a u4 maximum length.
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.ObjectPropDesc, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.property_code = self._io.read_u2le()
            self.data_type = self._io.read_u2le()
            self.get_set = self._io.read_u1()
            self.factory_default = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)
            self.group_code = self._io.read_u4le()
            self.form_flag = self._io.read_u1()
            _on = self.form_flag
            if _on == 1:
                pass
                self.form = PtpDatasets.RangeForm(self.data_type, self._io, self, self._root)
            elif _on == 2:
                pass
                self.form = PtpDatasets.EnumerationForm(self.data_type, self._io, self, self._root)
            elif _on == 255:
                pass
                self.form = self._io.read_u4le()
            elif _on == 4:
                pass
                self.form = self._io.read_u2le()
            elif _on == 5:
                pass
                self.form = PtpDatasets.PtpString(self._io, self, self._root)
            elif _on == 6:
                pass
                self.form = self._io.read_u4le()


        def _fetch_instances(self):
            pass
            self.factory_default._fetch_instances()
            _on = self.form_flag
            if _on == 1:
                pass
                self.form._fetch_instances()
            elif _on == 2:
                pass
                self.form._fetch_instances()
            elif _on == 255:
                pass
            elif _on == 4:
                pass
            elif _on == 5:
                pass
                self.form._fetch_instances()
            elif _on == 6:
                pass


    class ObjectPropElement(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.ObjectPropElement, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.object_handle = self._io.read_u4le()
            self.property_code = self._io.read_u2le()
            self.data_type = self._io.read_u2le()
            self.value = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.value._fetch_instances()


    class ObjectPropList(KaitaiStruct):
        """MTP 1.1 appendix E, the data of GetObjPropList (0x9805) and SendObjectPropList (0x9808)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.ObjectPropList, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_elements = self._io.read_u4le()
            self.elements = []
            for i in range(self.num_elements):
                self.elements.append(PtpDatasets.ObjectPropElement(self._io, self, self._root))



        def _fetch_instances(self):
            pass
            for i in range(len(self.elements)):
                pass
                self.elements[i]._fetch_instances()



    class PropValue(KaitaiStruct):
        """One value of PTP DataType `data_type` (ISO 15740 5.3, table 3)."""
        def __init__(self, data_type, _io, _parent=None, _root=None):
            super(PtpDatasets.PropValue, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self.data_type = data_type
            self._read()

        def _read(self):
            _on = self.data_type
            if _on == 1:
                pass
                self.value = self._io.read_s1()
            elif _on == 10:
                pass
                self.value = PtpDatasets.Int128(self._io, self, self._root)
            elif _on == 16385:
                pass
                self.value = PtpDatasets.ValueArray(1, self._io, self, self._root)
            elif _on == 16386:
                pass
                self.value = PtpDatasets.ValueArray(2, self._io, self, self._root)
            elif _on == 16387:
                pass
                self.value = PtpDatasets.ValueArray(3, self._io, self, self._root)
            elif _on == 16388:
                pass
                self.value = PtpDatasets.ValueArray(4, self._io, self, self._root)
            elif _on == 16389:
                pass
                self.value = PtpDatasets.ValueArray(5, self._io, self, self._root)
            elif _on == 16390:
                pass
                self.value = PtpDatasets.ValueArray(6, self._io, self, self._root)
            elif _on == 16391:
                pass
                self.value = PtpDatasets.ValueArray(7, self._io, self, self._root)
            elif _on == 16392:
                pass
                self.value = PtpDatasets.ValueArray(8, self._io, self, self._root)
            elif _on == 16393:
                pass
                self.value = PtpDatasets.ValueArray(9, self._io, self, self._root)
            elif _on == 16394:
                pass
                self.value = PtpDatasets.ValueArray(10, self._io, self, self._root)
            elif _on == 2:
                pass
                self.value = self._io.read_u1()
            elif _on == 3:
                pass
                self.value = self._io.read_s2le()
            elif _on == 4:
                pass
                self.value = self._io.read_u2le()
            elif _on == 5:
                pass
                self.value = self._io.read_s4le()
            elif _on == 6:
                pass
                self.value = self._io.read_u4le()
            elif _on == 65535:
                pass
                self.value = PtpDatasets.PtpString(self._io, self, self._root)
            elif _on == 7:
                pass
                self.value = self._io.read_s8le()
            elif _on == 8:
                pass
                self.value = self._io.read_u8le()
            elif _on == 9:
                pass
                self.value = PtpDatasets.Int128(self._io, self, self._root)
            else:
                pass
                self.value = PtpDatasets.UnsupportedType(self._io, self, self._root)


        def _fetch_instances(self):
            pass
            _on = self.data_type
            if _on == 1:
                pass
            elif _on == 10:
                pass
                self.value._fetch_instances()
            elif _on == 16385:
                pass
                self.value._fetch_instances()
            elif _on == 16386:
                pass
                self.value._fetch_instances()
            elif _on == 16387:
                pass
                self.value._fetch_instances()
            elif _on == 16388:
                pass
                self.value._fetch_instances()
            elif _on == 16389:
                pass
                self.value._fetch_instances()
            elif _on == 16390:
                pass
                self.value._fetch_instances()
            elif _on == 16391:
                pass
                self.value._fetch_instances()
            elif _on == 16392:
                pass
                self.value._fetch_instances()
            elif _on == 16393:
                pass
                self.value._fetch_instances()
            elif _on == 16394:
                pass
                self.value._fetch_instances()
            elif _on == 2:
                pass
            elif _on == 3:
                pass
            elif _on == 4:
                pass
            elif _on == 5:
                pass
            elif _on == 6:
                pass
            elif _on == 65535:
                pass
                self.value._fetch_instances()
            elif _on == 7:
                pass
            elif _on == 8:
                pass
            elif _on == 9:
                pass
                self.value._fetch_instances()
            else:
                pass
                self.value._fetch_instances()


    class PtpString(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.PtpString, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_units = self._io.read_u1()
            self.utf16 = self._io.read_bytes(self.num_units * 2)


        def _fetch_instances(self):
            pass


    class RangeForm(KaitaiStruct):
        def __init__(self, data_type, _io, _parent=None, _root=None):
            super(PtpDatasets.RangeForm, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self.data_type = data_type
            self._read()

        def _read(self):
            self.minimum = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)
            self.maximum = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)
            self.step = PtpDatasets.PropValue(self.data_type, self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.minimum._fetch_instances()
            self.maximum._fetch_instances()
            self.step._fetch_instances()


    class StorageInfo(KaitaiStruct):
        """ISO 15740 5.5.3, the data of GetStorageInfo (0x1005)."""
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.StorageInfo, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.storage_type = self._io.read_u2le()
            self.filesystem_type = self._io.read_u2le()
            self.access_capability = self._io.read_u2le()
            self.max_capacity = self._io.read_u8le()
            self.free_space_bytes = self._io.read_u8le()
            self.free_space_images = self._io.read_u4le()
            self.storage_description = PtpDatasets.PtpString(self._io, self, self._root)
            self.volume_label = PtpDatasets.PtpString(self._io, self, self._root)


        def _fetch_instances(self):
            pass
            self.storage_description._fetch_instances()
            self.volume_label._fetch_instances()


    class U2Array(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.U2Array, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_elements = self._io.read_u4le()
            self.elements = []
            for i in range(self.num_elements):
                self.elements.append(self._io.read_u2le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.elements)):
                pass



    class U4Array(KaitaiStruct):
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.U4Array, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.num_elements = self._io.read_u4le()
            self.elements = []
            for i in range(self.num_elements):
                self.elements.append(self._io.read_u4le())



        def _fetch_instances(self):
            pass
            for i in range(len(self.elements)):
                pass



    class UnsupportedType(KaitaiStruct):
        """A DataType code this spec does not know: fails right here (the value's size is
        unknown, so nothing after it can be read); the wrapper reports the offset.
        """
        def __init__(self, _io, _parent=None, _root=None):
            super(PtpDatasets.UnsupportedType, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self._read()

        def _read(self):
            self.unknown_data_type = self._io.read_bytes(0)
            _ = self.unknown_data_type
            if not False:
                raise kaitaistruct.ValidationExprError(self.unknown_data_type, self._io, u"/types/unsupported_type/seq/0")


        def _fetch_instances(self):
            pass


    class ValueArray(KaitaiStruct):
        def __init__(self, element_type, _io, _parent=None, _root=None):
            super(PtpDatasets.ValueArray, self).__init__(_io)
            self._parent = _parent
            self._root = _root
            self.element_type = element_type
            self._read()

        def _read(self):
            self.num_elements = self._io.read_u4le()
            self.elements = []
            for i in range(self.num_elements):
                self.elements.append(PtpDatasets.PropValue(self.element_type, self._io, self, self._root))



        def _fetch_instances(self):
            pass
            for i in range(len(self.elements)):
                pass
                self.elements[i]._fetch_instances()




