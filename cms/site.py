"""The admin site of the portal (``admin.site``, installed by cms.admin_apps.EditorAdminConfig).

The programme's name and favicon (cms/templates/admin/base_site.html), the log-in form with
its throttle (cms/throttle.py), a home page listing the user's drafts, what is scheduled and
the latest changes (cms/dashboard.py), every model named grammatically in Russian
(cms/grammar.py), and the Markdown preview endpoint (``markdown_preview``).
"""

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .dashboard import dashboard
from .grammar import grammatical
from .richtext import MARKDOWN_MAX_CHARS, render_richtext
from .throttle import ThrottledAdminAuthenticationForm


@require_POST
def markdown_preview(request, site):
    """The Markdown text posted, as the site would show it (sanitised HTML, in JSON).

    For staff who may add or change entries of the model named (``app_label.model``);
    CSRF-protected and never cached (``admin_view``). Nothing is stored.
    """
    try:
        model = apps.get_model(request.POST.get("model", ""))
    except (LookupError, ValueError):
        return HttpResponseBadRequest(_("Unknown model."))
    model_admin = site._registry.get(model)
    if model_admin is None:
        return HttpResponseBadRequest(_("Unknown model."))
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    text = request.POST.get("text", "")
    if len(text) > MARKDOWN_MAX_CHARS:
        # The form would refuse it too; rendering it could hold the worker for seconds.
        message = _(
            "This text is %(length)s characters long; a text may have at most %(limit)s. "
            "Shorten it to preview and save it."
        ) % {"length": len(text), "limit": MARKDOWN_MAX_CHARS}
        return JsonResponse({"error": message}, status=413)
    # Not through render_richtext's cache: drafts typed once would crowd out the pages' texts.
    return JsonResponse({"html": render_richtext.__wrapped__(text)})


class EditorAdminSite(admin.AdminSite):
    """The admin of the portal: the programme's name, a home page for editors, the preview.

    Apps above the admin platform add to the home page with ``add_home_context``: a callable
    taking the request and returning context for cms/templates/admin/index.html (the public site
    adds the sections it hides, public/apps.py).
    """

    site_header = gettext_lazy("INO Tomsk: content management")
    site_title = gettext_lazy("INO Tomsk")
    index_title = gettext_lazy("Content of the portal")
    # Failed log-ins lock the account name and the address for a while (cms/throttle.py).
    login_form = ThrottledAdminAuthenticationForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_context = []

    def add_home_context(self, provider):
        """Have provider(request) add its context to the home page (once per provider)."""
        if provider not in self.home_context:
            self.home_context.append(provider)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin of the site names its model grammatically (cms/grammar.py)."""
        admin_class = grammatical(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        return [
            path(
                "markdown-preview/",
                self.admin_view(lambda request: markdown_preview(request, self)),
                name="markdown-preview",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        context = dashboard(self, request)
        for provider in self.home_context:
            context.update(provider(request))
        context.update(extra_context or {})
        return super().index(request, context)
