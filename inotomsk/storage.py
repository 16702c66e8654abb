"""The media storage on S3-compatible object storage (django-storages), when configured.

Objects stay private: the store refuses a request without a signature. Pages link media at the
site's own address, ``MEDIA_URL`` + name (``url``), so a page kept by the page cache never holds
a link that expires; ``public.media.media_file`` answers such an address with a redirect to a
short-lived signed link (``signed_url``). Documents are never signed there: they are sent by
their download view, which checks that the document is published or that the visitor may see
drafts (public/documents.py).
"""

from botocore.config import Config
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from . import objectstore


class MediaStorage(S3Storage):
    """S3Storage whose page links stay on the site and whose objects are read by signed links.

    ``public_url`` (DJANGO_S3_PUBLIC_URL) is the store's address as browsers reach it, when it
    differs from the one the app uses (``endpoint_url``): the signed links name that host.
    """

    def __init__(self, public_url=None, **options):
        self.public_url = public_url
        self._signing_client = self._health_client = None
        if "client_config" not in options:
            # boto3 waits 60 s to connect and tries 5 times: a store that is down would hold
            # a page (a social card is looked up while it renders) for minutes.
            options["client_config"] = Config(
                s3={"addressing_style": options.get("addressing_style")},
                signature_version=options.get("signature_version"),
                connect_timeout=2,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
            )
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{filepath_to_uri(clean_name(name))}"

    def signed_url(self, name, expire=None, parameters=None):
        """A link to read the object ``name`` for ``expire`` seconds (default: the setting).

        ``parameters`` are more of GetObject's, such as ``ResponseContentDisposition``.
        """
        key = self._normalize_name(clean_name(name))
        return self._signer().generate_presigned_url(
            "get_object",
            Params={**(parameters or {}), "Bucket": self.bucket_name, "Key": key},
            ExpiresIn=expire or self.querystring_expire,
        )

    def _signer(self):
        if not self.public_url:
            return self.connection.meta.client
        if self._signing_client is None:
            # Signing is local (no request is made): a client that names the public host.
            self._signing_client = objectstore.client(
                self._client_config(), endpoint_url=self.public_url
            )
        return self._signing_client

    def _client_config(self):
        return {
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "region": self.region_name,
            "addressing_style": self.addressing_style,
            "endpoint_url": self.endpoint_url,
        }

    def check(self, timeout=1):
        """True when the bucket answers within ``timeout`` seconds (for /healthz)."""
        if self._health_client is None:
            self._health_client = objectstore.client(self._client_config(), timeout=timeout)
        try:
            self._health_client.head_bucket(Bucket=self.bucket_name)
        except Exception:  # noqa: BLE001 - any failure means "not available"
            return False
        return True
