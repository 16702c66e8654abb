"""The link checker: the outbound addresses of published texts, checked politely.

Addresses are read from every text and address field of published entries (both languages).
Each is asked once a day at most (HEAD, or GET where HEAD is refused), with a timeout, one
request at a time (so never two at once to a host), redirects not followed (a redirect
answers that the link works). A host that failed to answer is left alone for a day. Private
and loopback addresses are refused unless ``LINKCHECK_ALLOW_PRIVATE`` (the tests' server).
"""

import hashlib
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .adapters import adapter_for, publishable_models
from .models import LinkCheck

URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
TIMEOUT = 5
RECHECK = timedelta(days=1)
HOST_PAUSE = timedelta(days=1)
PER_RUN = 100
TIME_BUDGET = 10 * 60  # seconds of one run
USER_AGENT = "INO Tomsk link checker (+https://inotomsk.ru)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx itself is the answer


OPENER = urllib.request.build_opener(_NoRedirect)


def _text_fields(model):
    kinds = (models.CharField, models.TextField, models.URLField)
    return [f.name for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.choices]


def found_links():
    """{address: [{"type": content type id, "id": pk}]} over published entries."""
    links = {}
    for model in publishable_models():
        fields = _text_fields(model)
        type_id = ContentType.objects.get_for_model(model).pk
        rows = model._default_manager.filter(adapter_for(model).public_q()).values("pk", *fields)
        for row in rows:
            text = " ".join(str(row[name] or "") for name in fields)
            for url in {match.rstrip(".,;:!?") for match in URL.findall(text)}:
                source = {"type": type_id, "id": row["pk"]}
                if source not in links.setdefault(url, []):
                    links[url].append(source)
    return links


def _refused_host(host):
    """Why a host must not be asked (an address in a private network), or ""."""
    if settings.LINKCHECK_ALLOW_PRIVATE:
        return ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return "no such host"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local:
            return "private address refused"
    return ""


def ask(url):
    """(status code or None, error text) for one address."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with OPENER.open(request, timeout=TIMEOUT) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (405, 501):
                continue
            return error.code, ""
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return None, str(reason)[:200] or type(error).__name__
    return None, "no answer"


def sync_found():
    """Store the addresses found now; forget those no longer in any published text."""
    links = found_links()
    by_hash = {hashlib.sha256(url.encode()).hexdigest(): url for url in links}
    LinkCheck.objects.exclude(url_hash__in=list(by_hash)).delete()
    known = set(LinkCheck.objects.values_list("url_hash", flat=True))
    for digest, url in by_hash.items():
        if digest in known:
            LinkCheck.objects.filter(url_hash=digest).update(sources=links[url])
        else:
            host = (urlsplit(url).hostname or "")[:255]
            LinkCheck.objects.create(url=url, url_hash=digest, host=host, sources=links[url])


def run():
    """Check the addresses that are due; the number asked."""
    sync_found()
    now = timezone.now()
    paused = set(
        LinkCheck.objects.filter(
            status_code__isnull=True, checked_at__gt=now - HOST_PAUSE
        ).values_list("host", flat=True)
    )
    due = LinkCheck.objects.filter(
        models.Q(checked_at__isnull=True) | models.Q(checked_at__lte=now - RECHECK)
    ).order_by(models.F("checked_at").asc(nulls_first=True), "pk")
    started, asked = time.monotonic(), 0
    for check in due[: PER_RUN * 2]:
        if asked >= PER_RUN or time.monotonic() - started > TIME_BUDGET:
            break
        if check.host in paused:
            continue  # failed within a day: not asked again yet
        refused = _refused_host(check.host)
        code, error = (None, refused) if refused else ask(check.url)
        asked += 0 if refused else 1
        check.status_code, check.error = code, error
        check.ok = code is not None and code < 400
        check.checked_at = timezone.now()
        check.save(update_fields=["status_code", "error", "ok", "checked_at"])
        if code is None and not refused:
            paused.add(check.host)
    return asked
