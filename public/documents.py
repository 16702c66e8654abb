"""The programme's documents: their list with filters, and the download of one."""

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import Document

from .base import reject_nul_bytes
from .listing.lists import DocumentFilterSet
from .listing.views import ListingView


def published_documents():
    """Documents as a row shows them, for the list and for cluster and project pages."""
    return Document.objects.published().defer("created_at")


class DocumentListView(ListingView):
    filterset_class = DocumentFilterSet
    template_name = "programme/document_list.html"
    section = "documents"
    title = gettext_lazy("Documents")
    page_description = gettext_lazy(
        "The documents of the INO Tomsk programme: its concept, roadmap, reports and presentations."
    )

    def row_queryset(self):
        return published_documents()


def with_documents():
    """The prefetch of the published documents of a cluster or a project page."""
    return Prefetch("documents", queryset=published_documents())


def download(request, slug):
    """The file, as the type its content was checked to be; drafts only for staff who may see
    them."""
    reject_nul_bytes(request)
    document = Document.objects.filter(slug=slug).first()
    user = request.user
    may_preview = user.is_staff and (
        user.has_perm("programme.view_document") or user.has_perm("programme.change_document")
    )
    if document is None or not (document.is_public or may_preview) or not document.format:
        raise Http404(_("No such document."))
    storage = document.file.storage
    if document.is_public and hasattr(storage, "signed_url"):
        return _signed_download(document, storage)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("This document's file is missing.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.format.content_type,
    )
    if not document.is_public:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


# A published document's signed link (object storage) lives this long, in seconds.
SIGNED_DOWNLOAD_SECONDS = 300


def _signed_download(document, storage):
    """A redirect to a short-lived link of the object (inotomsk/storage.py): the store sends
    the file, under its download name and checked type, and no app worker is held by it."""
    if not storage.exists(document.file.name):
        raise Http404(_("This document's file is missing."))
    url = storage.signed_url(
        document.file.name,
        expire=min(SIGNED_DOWNLOAD_SECONDS, storage.querystring_expire),
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, document.download_name),
            "ResponseContentType": document.format.content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # Asked again each time, so an unpublished document is refused at once.
    response["Cache-Control"] = "no-store"
    return response
