"""Pages that are not lists: home, about, robots.txt, health, and the error pages."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, KeyFact, ParkType, Project

from . import health
from .base import PublicPageMixin
from .indicators import with_figures

HOME_NEWS = 4
HOME_PROJECTS = 6


class HomeView(PublicPageMixin, TemplateView):
    template_name = "portal/home.html"
    page_title = _("INO Tomsk: innovation territory of the Tomsk agglomeration")

    def get_context_data(self, **kwargs):
        facts = list(KeyFact.objects.all())
        return super().get_context_data(
            goal=facts[0] if facts else None,
            key_facts=with_figures(facts[1:]),
            directions=Direction.objects.all(),
            latest_news=Article.objects.published().for_cards()[:HOME_NEWS],
            clusters=Cluster.objects.published(),
            featured_projects=Project.objects.published()
            .filter(is_featured=True)
            .select_related("direction")[:HOME_PROJECTS],
            **kwargs,
        )


class AboutView(PublicPageMixin, TemplateView):
    template_name = "portal/about.html"
    section = "about"
    page_title = _("About the programme")
    page_description = _(
        "The goal, strategic directions, key figures and park types of the INO Tomsk programme."
    )

    def get_context_data(self, **kwargs):
        facts = list(KeyFact.objects.all())
        return super().get_context_data(
            goal=facts[0] if facts else None,
            key_facts=with_figures(facts[1:]),
            directions=Direction.objects.all(),
            park_types=ParkType.objects.all(),
            **kwargs,
        )


def choose_language(request, code):
    """Remember a visitor's choice of language (a cookie) and go to ``next``, the page in it.

    The switcher on every page links here with the same page in the other language; that page
    is also reachable directly, and only the root follows the remembered choice
    (``RememberedLanguageMiddleware``), so shared links and search engines always see the
    language of the URL.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("No such language."))
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def healthz(request):
    """Each component's state (public/health.py): 200 when the database answers ("ok", or
    "degraded" when the cache, object store or task queue does not), 503 otherwise."""
    status, code, components = health.report()
    body = {"status": status, "cache": components["cache"]["status"], "components": components}
    response = JsonResponse(body, status=code)
    response["Cache-Control"] = "no-store"
    return response


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    # Only our own refusals explain themselves; Django's (a disallowed Host, say) stay terse.
    message = exception.args[0] if isinstance(exception, BadRequest) and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception):
    message = exception.args[0] if exception and exception.args else ""
    if not isinstance(message, str):
        message = ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
