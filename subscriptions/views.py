"""Sign up, confirm (a button: a POST, so link scanners cannot confirm), change or end a
subscription, and the one-click unsubscribe of RFC 8058 (a POST without a CSRF token).

Every sign-up gets the same answer, whether its address is known or not; sign-ups are
limited per client (the proxy-aware address of cms.addresses) and carry a honeypot.
"""

import re

from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import Cluster
from cms.addresses import client_address
from portal.models import Direction

from . import tokens
from .forms import ManageForm, SubscribeForm
from .models import CONSENT_TEXT, CONSENT_VERSION, Subscription
from .tasks import send_confirmation

# Sign-ups one client may send per hour.
SIGNUP_LIMIT = 10
SIGNUP_WINDOW = 3600


def _over_limit(request):
    key = f"subscribe-rate:{client_address(request)}"
    cache.add(key, 0, SIGNUP_WINDOW)
    try:
        return cache.incr(key) > SIGNUP_LIMIT
    except ValueError:  # expired between add and incr
        return False


def _sign_up(form):
    data = form.cleaned_data
    subscription = Subscription.objects.create(
        email=data["email"],
        language=data["language"],
        topic=data["topic"],
        cluster=data.get("cluster"),
        direction=data.get("direction"),
        frequency=data["frequency"],
        consent_text=str(CONSENT_TEXT),
        consent_version=CONSENT_VERSION,
        consented_at=timezone.now(),
    )
    transaction.on_commit(lambda: send_confirmation.enqueue(subscription.pk))


def _preselected(query):
    """The topic a link asks for (``?topic=events``, ``?cluster=<slug>``,
    ``?direction=<slug>``), where it names something that exists; else all news."""
    for name, rows in (
        ("cluster", Cluster.objects.published()),
        ("direction", Direction.objects.all()),
    ):
        slug = query.get(name, "")
        # Only slug characters reach the database (a NUL is an error in PostgreSQL).
        if re.fullmatch(r"[-\w]{1,250}", slug) and rows.filter(slug=slug).exists():
            return {"topic": name, name: slug}
    topic = query.get("topic")
    return {"topic": topic if topic in Subscription.Topic.values else Subscription.Topic.ALL}


@require_http_methods(["GET", "POST"])
def subscribe(request):
    initial = {"language": translation.get_language(), **_preselected(request.GET)}
    form = SubscribeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, _("Too many sign-ups from your address. Try again in an hour."))
            status = 429
        elif form.is_bot:
            return redirect("subscriptions:sent")  # the same answer, nothing stored
        elif form.is_valid():
            _sign_up(form)
            return redirect("subscriptions:sent")
        else:
            status = 400
    return render(request, "subscriptions/subscribe.html", {"form": form}, status=status)


def sent(request):
    return render(request, "subscriptions/sent.html")


def _bad_link(request):
    return render(request, "subscriptions/bad_link.html", status=400)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = tokens.read(Subscription, token, tokens.CONFIRM_SALT, tokens.CONFIRM_MAX_AGE)
    if subscription is None:
        return _bad_link(request)
    if request.method == "POST":
        with transaction.atomic():
            if subscription.confirmed_at is None:
                subscription.confirmed_at = timezone.now()
                subscription.save(update_fields=["confirmed_at"])
            # A confirmed sign-up replaces the address's earlier one for the same topic.
            Subscription.objects.filter(
                email__iexact=subscription.email,
                topic=subscription.topic,
                cluster=subscription.cluster,
                direction=subscription.direction,
            ).exclude(pk=subscription.pk).delete()
        manage = tokens.make(subscription, tokens.MANAGE_SALT)
        return render(request, "subscriptions/confirmed.html", {"manage_token": manage})
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscription = tokens.read(Subscription, token, tokens.MANAGE_SALT)
    if subscription is None:
        return _bad_link(request)
    if request.method == "POST" and "end" in request.POST:
        subscription.delete()
        return render(request, "subscriptions/ended.html")
    form = ManageForm(request.POST or None, instance=subscription)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
    context = {"form": form, "subscription": subscription, "saved": saved, "token": token}
    return render(request, "subscriptions/manage.html", context, status=400 if form.errors else 200)


@csrf_exempt
@require_POST
def unsubscribe(request, token):
    """RFC 8058 one-click: the mail client POSTs ``List-Unsubscribe=One-Click``; no cookie,
    no CSRF token. The signed token is the proof."""
    subscription = tokens.read(Subscription, token, tokens.MANAGE_SALT)
    if subscription is None:
        return _bad_link(request)
    subscription.delete()
    return render(request, "subscriptions/ended.html")
