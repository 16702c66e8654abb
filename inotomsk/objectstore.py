"""Media on S3-compatible object storage, configured from the environment.

Without ``DJANGO_S3_BUCKET`` the portal keeps uploads on the filesystem (``MEDIA_ROOT``), which
needs nothing but Python. With it, uploads, renditions, social cards and documents go to the
bucket through django-storages (``inotomsk.storage.MediaStorage``). docs/deployment.md, "Media on
object storage", describes every variable.

This module imports neither Django nor boto3 at load time: the settings read it, and so do
``bin/backup`` and ``bin/restore``, which copy the bucket's objects to and from a backup.
"""

import mimetypes
import os
import tarfile
from urllib.parse import urlsplit

VARIABLES = {
    "bucket": "DJANGO_S3_BUCKET",
    "endpoint_url": "DJANGO_S3_ENDPOINT_URL",
    "access_key": "DJANGO_S3_ACCESS_KEY",
    "secret_key": "DJANGO_S3_SECRET_KEY",
    "region": "DJANGO_S3_REGION",
    "public_url": "DJANGO_S3_PUBLIC_URL",
    "url_expiry": "DJANGO_S3_URL_EXPIRY",
    "addressing_style": "DJANGO_S3_ADDRESSING_STYLE",
}
DEFAULT_URL_EXPIRY = 3600  # seconds a signed link to an object is valid


def s3_config(environ=None):
    """The object store's settings from the environment, or None without DJANGO_S3_BUCKET."""
    environ = os.environ if environ is None else environ
    values = {key: environ.get(name, "").strip() for key, name in VARIABLES.items()}
    if not values["bucket"]:
        return None
    if bool(values["access_key"]) != bool(values["secret_key"]):
        raise ValueError("Set both DJANGO_S3_ACCESS_KEY and DJANGO_S3_SECRET_KEY, or neither.")
    expiry = values["url_expiry"] or str(DEFAULT_URL_EXPIRY)
    if not expiry.isdigit() or not 0 < int(expiry) <= 7 * 24 * 3600:
        raise ValueError("DJANGO_S3_URL_EXPIRY is a number of seconds, at most 604800 (7 days).")
    values["url_expiry"] = int(expiry)
    # Servers other than AWS (SeaweedFS, MinIO, Ceph) are reached at their own address, where
    # the bucket is part of the path; AWS picks its own style.
    values["addressing_style"] = values["addressing_style"] or (
        "path" if values["endpoint_url"] else "auto"
    )
    for key in ("endpoint_url", "public_url"):
        if values[key] and urlsplit(values[key]).scheme not in ("http", "https"):
            raise ValueError(f"{VARIABLES[key]} must be an http:// or https:// address.")
    return {key: value or None for key, value in values.items()}


def media_origins(config):
    """The scheme and host that browsers fetch objects from (signed links), for the CSP."""
    url = config["public_url"] or config["endpoint_url"]
    if url:
        parts = urlsplit(url)
        return [f"{parts.scheme}://{parts.netloc}"]
    # AWS names the bucket in the host, with or without the region.
    hosts = [f"{config['bucket']}.s3.amazonaws.com"]
    if config["region"]:
        hosts.append(f"{config['bucket']}.s3.{config['region']}.amazonaws.com")
    return [f"https://{host}" for host in hosts]


def storage_options(config):
    """OPTIONS of ``inotomsk.storage.MediaStorage`` (django-storages' S3Storage)."""
    return {
        "bucket_name": config["bucket"],
        "endpoint_url": config["endpoint_url"],
        "access_key": config["access_key"],
        "secret_key": config["secret_key"],
        "region_name": config["region"],
        "addressing_style": config["addressing_style"],
        "signature_version": "s3v4",
        # Objects are private: the bucket's own policy decides, and no ACL makes one public.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": config["url_expiry"],
        # Never replace an object: a second "photo.jpg" gets a name of its own.
        "file_overwrite": False,
        # A file read from the store (a document sent to staff) spills to disk past 5 MB.
        "max_memory_size": 5 * 1024 * 1024,
        "public_url": config["public_url"],
    }


def client(config, endpoint_url=None, timeout=None):
    """A boto3 S3 client for ``config`` (``timeout`` seconds to connect and read, one try)."""
    # Here: the settings import this module, and boto3 takes over half a second to load.
    import boto3
    from botocore.config import Config

    options = {"s3": {"addressing_style": config["addressing_style"]}, "signature_version": "s3v4"}
    if timeout is not None:
        options |= {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "retries": {"max_attempts": 1},
        }
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or config["endpoint_url"],
        aws_access_key_id=config["access_key"],
        aws_secret_access_key=config["secret_key"],
        region_name=config["region"] or "us-east-1",
        config=Config(**options),
    )


def object_names(s3, bucket, prefix=""):
    """Every object name in the bucket (under ``prefix``), page by page."""
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for entry in page.get("Contents", ()):
            yield entry["Key"]


def dump_bucket(config, path):
    """Write every object of the bucket into the tar file ``path``; return how many."""
    s3 = client(config)
    count = 0
    with tarfile.open(path, "w") as tar:
        for name in object_names(s3, config["bucket"]):
            answer = s3.get_object(Bucket=config["bucket"], Key=name)
            member = tarfile.TarInfo(name)
            member.size = answer["ContentLength"]
            member.mtime = answer["LastModified"].timestamp()
            with answer["Body"] as body:
                tar.addfile(member, body)
            count += 1
    return count


def load_bucket(config, path):
    """Upload every file of the tar file ``path`` into the bucket (made if missing)."""
    s3 = client(config)
    try:
        s3.head_bucket(Bucket=config["bucket"])
    except s3.exceptions.ClientError:
        s3.create_bucket(Bucket=config["bucket"])
    count = 0
    with tarfile.open(path) as tar:
        for member in tar:
            # Only plain files with relative names: a crafted backup writes nothing else.
            if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                continue
            # The type django-storages gives an object on save, from its name.
            content_type = mimetypes.guess_type(member.name)[0] or "application/octet-stream"
            s3.upload_fileobj(
                tar.extractfile(member),
                config["bucket"],
                member.name,
                ExtraArgs={"ContentType": content_type},
            )
            count += 1
    return count
