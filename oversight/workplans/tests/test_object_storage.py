"""Evidence on S3-compatible object storage (an S3 server from moto on 127.0.0.1): stored in the
private bucket, downloaded only after the platform's permission check through a signed URL that
expires, shown inline through the platform itself."""

import datetime
import io
import re
import urllib.error
import urllib.request
import zipfile

import pytest
from django.urls import reverse

from oversight.workplans import services

from .test_services import PNG, report_for, signed

BUCKET = "oversight-evidence"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def s3(settings, tmp_path):
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    keys = {"aws_access_key_id": "platform", "aws_secret_access_key": "platform-secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path  # nothing may land here
    settings.STORAGE_S3_URL_SECONDS = 2
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": keys["aws_access_key_id"],
                "secret_key": keys["aws_secret_access_key"],
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 2,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def _fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, b"", {}


@pytest.mark.django_db
def test_evidence_lives_in_the_bucket_and_leaves_it_by_signed_urls(
    s3, assignment, actors, client_as, tmp_path
):
    signed(assignment, actors.reporter_a)
    draft = report_for(assignment, actors.reporter_a)
    data = _docx()
    word = services.evidence_add(
        report=draft, name="整改台账.docx", data=data, user=actors.reporter_a
    )
    picture = services.evidence_add(report=draft, name="现场.png", data=PNG, user=actors.reporter_a)
    stored = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {word.file.name, picture.file.name} == stored
    assert not any(tmp_path.rglob("*.*"))  # nothing on the node's disk

    url = reverse("workplans:evidence_file", args=[word.pk])
    answer = client_as(actors.reporter_a).get(url)
    assert answer.status_code == 302 and answer["Cache-Control"] == "no-store"
    target = answer["Location"]
    assert "X-Amz-Signature=" in target and "X-Amz-Expires=2" in target
    status, body, headers = _fetch(target)
    assert status == 200 and body == data
    assert "attachment" in headers["Content-Disposition"]
    assert "%E6%95%B4%E6%94%B9" in headers["Content-Disposition"]  # 整改台账, UTF-8
    # The same object without the signature is refused: the bucket is private. (The URL's life,
    # X-Amz-Expires from its X-Amz-Date, is enforced by the object store; moto does not.)
    assert _fetch(target.split("?")[0])[0] == 403
    signed_at = re.search(r"X-Amz-Date=(\d{8}T\d{6})Z", target).group(1)
    moment = datetime.datetime.strptime(signed_at, "%Y%m%dT%H%M%S").replace(tzinfo=datetime.UTC)
    assert abs((moment - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60

    # Another unit never gets a URL; an image shown in the report page comes through the platform.
    assert client_as(actors.reporter_b).get(url).status_code == 404
    inline = client_as(actors.reporter_a).get(reverse("workplans:evidence_file", args=[picture.pk]))
    assert inline.status_code == 200 and b"".join(inline.streaming_content) == PNG
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    # The same picture downloaded (the link beside it): from the bucket by a signed URL.
    download = client_as(actors.reporter_a).get(
        reverse("workplans:evidence_file", args=[picture.pk]), {"download": "1"}
    )
    assert download.status_code == 302 and _fetch(download["Location"])[1] == PNG


def test_setup_makes_the_bucket_once_and_keeps_it_private(s3, settings):
    """`oversight setup` on a fresh object store makes the bucket; run again, it leaves it be."""
    from django.core.files.storage import storages

    from oversight.core.uploads import ensure_bucket

    fresh = "oversight-fresh"
    config = settings.STORAGES["default"]
    storage = storages.create_storage(
        {**config, "OPTIONS": {**config["OPTIONS"], "bucket_name": fresh}}
    )
    assert fresh not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert ensure_bucket(storage) == fresh
    assert fresh in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    storage.save("probe.txt", io.BytesIO(b"x"))
    assert ensure_bucket(storage) == fresh  # already there: kept, with what it holds
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=fresh)["Contents"]] == ["probe.txt"]
    unsigned = storage.url("probe.txt").split("?")[0]
    assert _fetch(unsigned)[0] == 403  # private


def test_setup_has_no_bucket_to_make_on_the_local_disk():
    from django.core.files.storage import FileSystemStorage

    from oversight.core.uploads import ensure_bucket

    assert ensure_bucket(FileSystemStorage()) is None


@pytest.mark.django_db
def test_signed_urls_name_the_public_endpoint_when_the_nodes_use_another(
    s3, assignment, actors, client_as, settings
):
    """Behind nginx the nodes reach the store by its container's name; users by the site's."""
    signed(assignment, actors.reporter_a)
    draft = report_for(assignment, actors.reporter_a)
    data = _docx()
    word = services.evidence_add(report=draft, name="台账.docx", data=data, user=actors.reporter_a)
    inner = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    settings.STORAGE_S3_PUBLIC_ENDPOINT = inner.replace("127.0.0.1", "localhost")
    answer = client_as(actors.reporter_a).get(reverse("workplans:evidence_file", args=[word.pk]))
    target = answer["Location"]
    assert target.startswith(settings.STORAGE_S3_PUBLIC_ENDPOINT + f"/{BUCKET}/evidence/")
    assert "X-Amz-Signature=" in target and "X-Amz-Expires=2" in target
    assert _fetch(target)[:2] == (200, data)
