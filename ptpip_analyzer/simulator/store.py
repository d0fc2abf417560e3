"""The simulated camera's storage: one store of objects, loaded from a folder or generated.

Handles are assigned from 1 upward and never reused, as PTP wants (ISO 15740 section 5.3.3:
handles stay unique within a session). All objects live in the store root (parent 0); a flat
layout is what many cameras show over PTP/IP and what every initiator we tried handles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..decode.encode_ptp import ObjectInfo, StorageInfo
from .jpeg import make_jpeg

STORAGE_ID = 0x00010001
ALL_STORAGES = 0xFFFFFFFF
FORMAT_UNDEFINED = 0x3000
FORMAT_EXIF_JPEG = 0x3801
FORMAT_JFIF = 0x3808
DEFAULT_OBJECT_SIZE = 24 * 1024
_EPOCH = dt.datetime(2024, 5, 1, 12, 0, 0)
_FORMATS_BY_SUFFIX = {".jpg": FORMAT_EXIF_JPEG, ".jpeg": FORMAT_EXIF_JPEG, ".txt": 0x3004}
THUMB_SIZE = 16


@dataclass(slots=True)
class StoredObject:
    info: ObjectInfo
    data: bytes
    thumb: bytes | None = None


@dataclass(slots=True)
class ObjectStore:
    capacity: int = 64 * 1024 * 1024
    objects: dict[int, StoredObject] = field(default_factory=dict)
    next_handle: int = 1

    def add(self, filename: str, data: bytes, object_format: int | None = None,
            created: dt.datetime | None = None) -> int:
        handle = self.next_handle
        self.next_handle += 1
        self.objects[handle] = _stored(filename, data, object_format, created or _EPOCH, handle)
        return handle

    def add_info(self, info: ObjectInfo, data: bytes) -> int:
        """An object sent by the initiator: keep its ObjectInfo, fix size, storage and parent."""
        handle = self.next_handle
        self.next_handle += 1
        fixed = replace(info, storage_id=STORAGE_ID, parent_object=0, compressed_size=len(data),
                        thumb_format=0, thumb_compressed_size=0)
        self.objects[handle] = StoredObject(fixed, data)
        return handle

    def handles(self, storage_id: int = ALL_STORAGES, object_format: int = 0) -> list[int]:
        if storage_id not in (ALL_STORAGES, STORAGE_ID):
            return []
        # 0 is "all formats" (ISO 15740 10.5.6); ptpy 0.3.2 sends 0xFFFFFFFF for it.
        every = object_format in (0, 0xFFFFFFFF)
        return [h for h, o in self.objects.items()
                if every or object_format == o.info.object_format]

    def used(self) -> int:
        return sum(len(o.data) for o in self.objects.values())

    def storage_info(self) -> StorageInfo:
        free = max(self.capacity - self.used(), 0)
        return StorageInfo(max_capacity=self.capacity, free_space=free,
                           free_images=free // DEFAULT_OBJECT_SIZE,
                           description="SD", volume_label="PTPIPSIM")


def _stored(filename: str, data: bytes, object_format: int | None, created: dt.datetime,
            handle: int) -> StoredObject:
    fmt = object_format or _FORMATS_BY_SUFFIX.get(Path(filename).suffix.lower(), FORMAT_UNDEFINED)
    is_jpeg = fmt in (FORMAT_EXIF_JPEG, FORMAT_JFIF)
    thumb = make_jpeg(seed=handle, width=THUMB_SIZE, height=THUMB_SIZE) if is_jpeg else None
    info = ObjectInfo(
        storage_id=STORAGE_ID, object_format=fmt, compressed_size=len(data), filename=filename,
        capture_date=created, modification_date=created,
        thumb_format=FORMAT_JFIF if thumb else 0, thumb_compressed_size=len(thumb or b""),
        thumb_width=THUMB_SIZE if thumb else 0, thumb_height=THUMB_SIZE if thumb else 0,
        image_width=320 if is_jpeg else 0, image_height=240 if is_jpeg else 0,
        image_bit_depth=8 if is_jpeg else 0, sequence_number=handle,
    )
    return StoredObject(info, data, thumb)


def generated_name(index: int) -> str:
    return f"SIM_{index:04d}.JPG"


def generate(store: ObjectStore, count: int, size: int = DEFAULT_OBJECT_SIZE) -> None:
    """``count`` distinct JPEGs of about ``size`` bytes, one minute apart."""
    for index in range(1, count + 1):
        store.add(generated_name(index), make_jpeg(seed=index, size=size),
                  created=_EPOCH + dt.timedelta(minutes=index))


def capture(store: ObjectStore, size: int = DEFAULT_OBJECT_SIZE) -> int:
    """A new object as InitiateCapture makes it."""
    index = store.next_handle
    return store.add(f"CAP_{index:04d}.JPG", make_jpeg(seed=10_000 + index, size=size),
                     created=_EPOCH + dt.timedelta(hours=1, minutes=index))


def load_folder(store: ObjectStore, folder: Path) -> None:
    """Every regular file directly in ``folder``, sorted by name (PTP filenames are 8.3-ish)."""
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
        store.add(path.name, path.read_bytes(), created=modified)
