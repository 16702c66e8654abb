"""Signed preview links: one draft, shown to anyone holding the link, without an account.

The token is signed (``django.core.signing``, its own salt) and names the link and the entry;
only its SHA-256 is stored. ``/preview/<token>/`` renders the entry through its own public
detail view (the view's staff preview: every published relation, a "not published" banner,
``noindex``), never kept in a cache (``Cache-Control: private, no-store``, and the page cache
skips /preview/), with ``Referrer-Policy: no-referrer`` so the token leaves by no link. An
unknown, altered, expired or revoked token, or one whose entry is gone, is the site's 404;
once the entry is published, the link leads to its public page.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .adapters import adapter_for
from .models import PreviewLink

SALT = "workflow.preview-link"
DEFAULT_DAYS = 7
MAX_DAYS = 90


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def make_link(obj, user, days=DEFAULT_DAYS):
    """A new link to obj, valid for ``days``: (PreviewLink, token). The token is shown once."""
    content_type = ContentType.objects.get_for_model(type(obj))
    link = PreviewLink.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        token_hash=secrets.token_hex(32),  # replaced below, once the link has its key
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    payload = [link.pk, content_type.pk, obj.pk, secrets.token_urlsafe(16)]
    token = signing.Signer(salt=SALT).sign_object(payload)
    link.token_hash = token_hash(token)
    link.save(update_fields=["token_hash"])
    return link, token


def detail_view(obj):
    """The public detail view class and its arguments for obj, or (None, None)."""
    try:
        match = resolve(urlsplit(obj.get_absolute_url()).path)
    except (Resolver404, AttributeError):
        return None, None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "may_preview") or match.kwargs == {}:
        return None, None
    return view_class, match.kwargs


def can_preview(obj):
    """Whether obj has a public page of its own to preview."""
    return obj is not None and obj.pk is not None and detail_view(obj)[0] is not None


def link_for(token):
    """The active link and its entry for token; Http404 for anything else."""
    try:
        link_pk, type_pk, object_pk, _nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    link = PreviewLink.objects.filter(pk=link_pk).select_related("content_type").first()
    if (
        link is None
        or not constant_time_compare(link.token_hash, token_hash(token))
        or (link.content_type_id, link.object_id) != (type_pk, object_pk)
        or not link.is_active
    ):
        raise Http404
    model = link.content_type.model_class()
    obj = model._default_manager.filter(pk=link.object_id).first() if model else None
    if obj is None:
        raise Http404
    return link, obj


@never_cache
def preview(request, token):
    """The draft of a preview link, through its own public page."""
    link, obj = link_for(token)
    if adapter_for(type(obj)).is_public(obj):
        # Published since: the page itself, at its own address.
        response = HttpResponseRedirect(obj.get_absolute_url())
        response["Referrer-Policy"] = "no-referrer"
        return response
    view_class, kwargs = detail_view(obj)
    if view_class is None:
        raise Http404
    banner = _("Preview, not published. This page is shown only to people holding its link.")

    class PreviewView(view_class):
        def may_preview(self):
            return True

        def get_queryset(self):
            return super().get_queryset().filter(pk=obj.pk)

        def get_context_data(self, **context):
            context = super().get_context_data(**context)
            context.update(is_preview=True, preview_banner=banner)
            return context

    PreviewLink.objects.filter(pk=link.pk).update(opened_at=timezone.now())
    response = PreviewView.as_view()(request, **kwargs)
    if hasattr(response, "render"):
        response.render()
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
