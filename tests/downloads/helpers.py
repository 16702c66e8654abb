"""Reading downloads (CSV and JSON) and counting the queries one costs."""

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response):
    text = body(response)
    assert text.startswith("\ufeff"), "spreadsheet software needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_json(response):
    return json.loads(body(response))


def count_download_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        body(response)
    return len(queries)
