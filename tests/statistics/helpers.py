"""Times in Tomsk, and reading the statistics downloads."""

import csv
import io
from datetime import datetime

from django.utils import timezone


def tomsk(year, month=6):
    return datetime(year, month, 1, 12, tzinfo=timezone.get_current_timezone())


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))
