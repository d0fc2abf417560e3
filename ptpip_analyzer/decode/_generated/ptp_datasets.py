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
    
    .. seealso::
       ISO 15740:2008 sections 5.3 and 5.5; MTP 1.1 spec appendix B (ObjectPropDesc) and E (ObjectPropList); libgphoto2 camlibs/ptp2/ptp-pack.c
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




