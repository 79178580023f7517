"""Where uploaded and generated files live (settings-free, read by ``dangjian/settings.py``).

One machine: ``MEDIA_ROOT`` on the local disk (Django's ``FileSystemStorage``). Several app
nodes: an S3-compatible object store (MinIO, Ceph RGW, a cloud's object storage) through
django-storages' S3 backend, configured by the ``S3_*`` environment variables
(deploy/dangjian.env, docs/deploy.md). Everything the platform stores goes through
``STORAGES["default"]`` (attachments, Word templates, staged imports, job result files such as
large exports, backups' file part), so switching the backend moves all of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def s3_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The ``STORAGES["default"]`` entry for an S3-compatible store, or ``None`` when
    ``S3_BUCKET`` is not set (local files)."""
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return None
    verify: Any = environ.get("S3_CA_BUNDLE") or (None if _flag(environ.get("S3_VERIFY_TLS"), True) else False)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,  # MinIO: https://minio.internal:9000
        "access_key": environ.get("S3_ACCESS_KEY_ID", ""),
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY", ""),
        "region_name": environ.get("S3_REGION") or "us-east-1",
        "location": environ.get("S3_PREFIX", "").strip("/"),  # a folder of a shared bucket
        "addressing_style": environ.get("S3_ADDRESSING_STYLE") or "path",  # MinIO: path-style URLs
        "signature_version": "s3v4",
        "default_acl": None,  # objects private: the bucket policy decides, never public-read
        "querystring_auth": True,  # never an unsigned URL (files are served through the app anyway)
        "file_overwrite": False,  # a second file of the same name gets a new name, as on disk
        "verify": verify,
    }
    if environ.get("S3_SERVER_SIDE_ENCRYPTION"):  # e.g. AES256 where the store supports SSE-S3
        options["object_parameters"] = {"ServerSideEncryption": environ["S3_SERVER_SIDE_ENCRYPTION"]}
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
