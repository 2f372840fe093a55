"""Files people upload as evidence or records: one whitelist of types, each checked against the
file's first bytes, and one size limit, for every upload of the platform."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

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
    if extension in ZIP_PARTS and not _zip_holds(data, ZIP_PARTS[extension]):
        raise ValidationError(
            f"“{name}”不是完整的 {ZIP_LABELS[extension]} 文件(可能已损坏或只是改了扩展名),"
            "请用原程序重新保存后上传。"
        )
    return extension


# Office Open XML and OFD files are zip archives; their first bytes say only "zip". The part
# every such file has tells a document from any other zip (or a zip of garbage).
ZIP_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
    ".ofd": "OFD.xml",
}
ZIP_LABELS = {".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint", ".ofd": "OFD"}


def _zip_holds(data: bytes, part: str) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if part not in names or ("[Content_Types].xml" not in names and part != "OFD.xml"):
                return False
            # Read the main part: a damaged archive fails here (CRC or a broken stream).
            with archive.open(part) as handle:
                handle.read(1 << 20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        return False
    return True


# Types a browser shows itself: served inline (in the platform's own frames), others downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif"})


def signs_urls(storage) -> bool:
    """Whether files live in object storage that hands out signed, short-lived URLs."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def ensure_bucket(storage=None) -> str | None:
    """Make the object store's bucket if it is not there yet, private (no public-read policy is
    ever set); returns its name, or None when files are on the local disk. Run by `setup`."""
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    if not hasattr(storage, "bucket_name"):
        return None
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as missing:
        if missing.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
            raise
        options = {}
        region = client.meta.region_name
        if region and region != "us-east-1":  # S3's rule: us-east-1 takes no location
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(Bucket=storage.bucket_name, **options)
    return storage.bucket_name


def signed_url(storage, name: str, parameters: dict[str, str]) -> str:
    """A short-lived signed URL of a stored object, on STORAGE_S3_PUBLIC_ENDPOINT when that is
    set (the address users reach), else on the endpoint the node itself uses."""
    expire = settings.STORAGE_S3_URL_SECONDS
    public = settings.STORAGE_S3_PUBLIC_ENDPOINT
    if not public:
        return storage.url(name, parameters=parameters, expire=expire)
    client = _public_client(
        public, storage.region_name, storage.access_key, storage.secret_key,
        storage.addressing_style or "path",
    )  # fmt: skip
    return client.generate_presigned_url(
        "get_object",
        Params={"Bucket": storage.bucket_name, "Key": storage._normalize_name(name), **parameters},
        ExpiresIn=expire,
    )


@functools.cache
def _public_client(endpoint: str, region: str | None, key: str, secret: str, addressing: str):
    """A client that only signs (no request leaves the node): one per process."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(signature_version="s3v4", s3={"addressing_style": addressing}),
    )


def serve_file(
    field_file, *, filename: str, content_type: str | None = None, inline: bool = False
) -> HttpResponse:
    """A stored file, after the caller's permission check.

    On the local disk: streamed. In object storage (STORAGE_S3_BUCKET): a download is a redirect
    to a signed URL that expires after STORAGE_S3_URL_SECONDS and names the file and its type, so
    the bytes never pass through a web node; a file shown inline in one of the platform's own
    frames is streamed through the node, so that it keeps the platform's origin and headers."""
    storage = field_file.storage
    if not inline and signs_urls(storage):
        parameters = {"ResponseContentDisposition": content_disposition_header(True, filename)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        url = signed_url(storage, field_file.name, parameters)
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    return FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=filename,
    )
