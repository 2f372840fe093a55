"""Files people upload as evidence or records: one whitelist of types, each checked against the
file's first bytes, and one size limit, for every upload of the platform."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# Extension → the first bytes its content must start with.
UPLOAD_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".ofd": (b"PK\x03\x04",),
}
UPLOAD_MAX_BYTES = 20 * 1024 * 1024


def too_large(name: str, size: int | None) -> None:
    """Refuse before reading a file whose declared size is over the limit."""
    if size is not None and size > UPLOAD_MAX_BYTES:
        raise ValidationError(
            f"“{name}”超过 {UPLOAD_MAX_BYTES // 1024 // 1024} MB,请压缩或拆分后上传。"
        )


def check_upload(name: str, data: bytes) -> str:
    """The file's extension, when its type is allowed, its content matches and it is not too
    large; otherwise a Chinese ValidationError that says what to fix."""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in UPLOAD_TYPES:
        raise ValidationError(f"“{name}”的类型不支持:请上传 PDF、图片(PNG/JPG/GIF)或 Office 文件。")
    too_large(name, len(data))
    if not data:
        raise ValidationError(f"“{name}”是空文件。")
    if not any(data.startswith(magic) for magic in UPLOAD_TYPES[extension]):
        raise ValidationError(f"“{name}”的内容与扩展名不符,请确认文件没有损坏。")
    return extension
