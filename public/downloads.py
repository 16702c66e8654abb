"""Tabular downloads, one way for every page that offers its rows as data: CSV (UTF-8 with a
byte order mark, so spreadsheet software reads Cyrillic; formula injection neutralised) and
JSON, both streamed. A list's download is kept as a file for the content version
(``public.kept_downloads``), and each client may start ``DOWNLOAD_THROTTLE_RATE`` of them."""

import csv
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.ratelimit import wait_for

from .kept_downloads import download_key, keep_while_streaming, kept_response
from .listing import in_order, refusals
from .opendata.registry import dataset_for
from .opendata.terms import licence

# A cell starting with one of these is read as a formula by spreadsheet software.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "json")


def spreadsheet_safe(value):
    """A cell value that no spreadsheet runs: numbers stay numbers, text that would start a
    formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Streamed text is sent in pieces of about this many characters, not a write per row.
PIECE_SIZE = 64 * 1024


def _in_pieces(texts):
    piece, size = [], 0
    for text in texts:
        piece.append(text)
        size += len(text)
        if size >= PIECE_SIZE:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def csv_response(filename, header, rows):
    """Stream ``rows`` (sequences in the order of ``header``) as ``<filename>.csv``."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([spreadsheet_safe(name) for name in header])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(_in_pieces(lines()), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{filename}.csv")


def json_response(filename, header, rows, meta=None):
    """Stream ``rows`` as ``<filename>.json``: {"meta": ..., "rows": [{column: value}, ...]}."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)

    def chunks():
        yield '{"meta": ' + encoder.encode(meta or {}) + ', "rows": ['
        for index, row in enumerate(rows):
            record = encoder.encode(dict(zip(header, row, strict=True)))
            yield ("," if index else "") + record
        yield "]}"

    response = StreamingHttpResponse(
        _in_pieces(chunks()), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, f"{filename}.json")


def tabular_response(fmt, filename, header, rows, meta=None):
    """The download in ``fmt`` (one of FORMATS; callers answer 400 for anything else)."""
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return json_response(filename, header, rows, meta)


# Rows read per query while a download streams (with the prefetches of each chunk).
CHUNK_ROWS = 500


def download_limit():
    """The most rows one download gives (DOWNLOAD_MAX_ROWS in the settings)."""
    return getattr(settings, "DOWNLOAD_MAX_ROWS", 10_000)


class ListDownloadMixin:
    """A list page's current filtered view as a download: ``?format=csv`` or ``?format=json``
    on the list's address, with the same filters (all pages of the list, at most
    ``download_limit()`` rows, said in the file when cut).

    Used by ``public.listing.views.ListingView``: its ``get`` parses the query (``self.query``),
    makes ``self.listing`` and then calls this ``get``. The columns are the data set's
    (``public.opendata``); a list without a data set offers no download.
    """

    format_kwarg = "format"

    @cached_property
    def dataset(self):
        return dataset_for(self.model)

    def get(self, request, *args, **kwargs):
        if self.format_kwarg not in request.GET:
            return super().get(request, *args, **kwargs)
        fmt = request.GET[self.format_kwarg]
        if fmt not in FORMATS or self.dataset is None:
            raise BadRequest(
                _("Unknown download format “%(format)s”: use csv or json.") % {"format": fmt[:20]}
                if self.dataset is not None
                else _("This list offers no downloads.")
            )
        if self.query.refused:
            return refusals.refused_response(self.query.refused, fmt)
        wait = wait_for("download", getattr(settings, "DOWNLOAD_THROTTLE_RATE", None), request)
        if wait:
            return self.download_refused(fmt, wait)
        return self.download(fmt)

    def download_filters(self):
        """{name: [values]} of the filters that apply: what a download holds depends on."""
        return self.query.active

    @staticmethod
    def download_refused(fmt, wait):
        message = ngettext(
            "Too many downloads from your address: try again in %(seconds)d second.",
            "Too many downloads from your address: try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
        if fmt == "json":
            response = JsonResponse(
                {"detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = HttpResponse(
                message + "\n", status=429, content_type="text/plain; charset=utf-8"
            )
        response["Retry-After"] = str(wait)
        return response

    def matching_keys(self, limit):
        """The primary keys of the first ``limit`` matching rows, in list order."""
        rows = self.listing.matching()
        if isinstance(rows, QuerySet):
            rows = rows.values_list("pk", flat=True)
        return list(rows[:limit])

    def download(self, fmt):
        limit = download_limit()
        filters = self.download_filters()
        request = self.request
        # What the file holds depends on: absolute addresses (scheme and host), the list, the
        # format, the row limit and the filters that apply (not the order or parameters the
        # list ignores); cache_key adds the language and the content version.
        key = download_key(
            request.scheme, request.get_host(), request.path, fmt, limit, sorted(filters.items())
        )
        kept = kept_response(key)
        if kept is not None:
            return kept
        keys = self.matching_keys(limit + 1)
        capped = len(keys) > limit
        keys = keys[:limit]
        dataset = self.dataset
        language = translation.get_language()
        build_uri = self.request.build_absolute_uri
        url_index = dataset.header().index("url") if "url" in dataset.header() else None

        def rows():
            # Streamed after the view returns: the page's language held while rows are read.
            with translation.override(language):
                for start in range(0, len(keys), CHUNK_ROWS):
                    chunk = keys[start : start + CHUNK_ROWS]
                    for obj in in_order(dataset.rows(), chunk):
                        row = dataset.row(obj, joined=fmt == "csv")
                        if url_index is not None:
                            row[url_index] = build_uri(row[url_index])
                        yield row

        page_url = build_uri(self.request.path)
        query = urlencode(filters, doseq=True)
        meta = {
            "dataset": f"inotomsk-{dataset.identifier}",
            "title": str(dataset.title),
            "language": language,
            "source": f"{page_url}?{query}" if query else page_url,
            "filters": filters,
            "licence": self.licence_meta(),
            "generated_at": timezone.localtime().isoformat(),
            "rows": len(keys),
            "row_limit": limit,
            "capped": capped,
        }
        filename = f"inotomsk-{dataset.identifier}-{language}"
        response = tabular_response(fmt, filename, dataset.header(), rows(), meta)
        response["X-Download-Rows"] = str(len(keys))
        if capped:
            response["X-Download-Capped"] = (
                f"Only the first {limit} rows: add filters to narrow the list."
            )
        response["Content-Language"] = language
        return keep_while_streaming(key, response)

    def query_without_page(self):
        """The list's query string without the page number and the format."""
        dropped = {self.page_kwarg, self.format_kwarg}
        return urlencode(
            [(k, v) for k, values in self.request.GET.lists() if k not in dropped for v in values]
        )

    @staticmethod
    def licence_meta():
        return licence()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.dataset is not None:
            query = self.query_without_page()
            suffix = f"&{query}" if query else ""
            context["downloads"] = {
                "csv": f"?{self.format_kwarg}=csv{suffix}",
                "json": f"?{self.format_kwarg}=json{suffix}",
                "limit": download_limit(),
            }
        return context
