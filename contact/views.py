"""/contact/: the programme's contacts, from the page staff publish with the slug
``CONTACTS_SLUG``, and the feedback form; /contact/thanks/ after a message is sent."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from programme.models import Page

from . import spam
from .forms import CONSENT_VERSION, ContactForm
from .models import ContactMessage
from .tasks import queue_mail

# The pages staff write that this page shows or links to (programme.Page, by slug).
CONTACTS_SLUG = "contacts"
PRIVACY_SLUG = "privacy"


def page_meta(title, description):
    """What base.html reads for <title>, the description and Open Graph."""
    return {"title": title, "description": description, "image": None}


# Never kept: the form carries a CSRF token and the signed time it was shown.
@method_decorator(never_cache, name="dispatch")
class ContactView(View):
    """The contacts and the form; a message sent is stored, then e-mailed to staff."""

    template_name = "contact/contact.html"
    title = _("Contacts")
    description = _("How to reach the INO Tomsk programme, and a form to write to it.")

    def get(self, request):
        return self.render(request, ContactForm())

    def post(self, request):
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        wait = spam.over_limit(request)
        if wait:
            form.add_error(
                None,
                _(
                    "You have sent several messages in the last hour. Please wait a while "
                    "before sending another: your text is kept below."
                ),
            )
            response = self.render(request, form, status=429)
            response["Retry-After"] = str(wait)
            return response
        self.store(request, form)
        return HttpResponseRedirect(reverse("contact:thanks"))

    def store(self, request, form):
        data = form.cleaned_data
        now = timezone.now()
        honeypot = form.is_honeypot
        message = ContactMessage.objects.create(
            name=data["name"],
            email=data["email"],
            topic=data["topic"],
            message=data["message"],
            language=get_language(),
            status=ContactMessage.Status.SPAM if honeypot else ContactMessage.Status.NEW,
            mail_state=ContactMessage.Mail.SKIPPED if honeypot else ContactMessage.Mail.PENDING,
            received_at=now,
            consent_text=str(form.fields["consent"].label),
            consent_version=CONSENT_VERSION,
            consented_at=now,
            client_hash=spam.client_hash(request),
        )
        if not honeypot:
            queue_mail(message.pk)
        return message

    def render(self, request, form, status=200):
        pages = {
            page.slug: page
            for page in Page.objects.published().filter(slug__in=[CONTACTS_SLUG, PRIVACY_SLUG])
        }
        context = {
            "meta": page_meta(self.title, self.description),
            "section": "contact",
            "form": form,
            "contacts": pages.get(CONTACTS_SLUG),
            "privacy": pages.get(PRIVACY_SLUG),
            "contacts_slug": CONTACTS_SLUG,
            "message_max": form.fields["message"].max_length,
        }
        if request.user.is_staff and CONTACTS_SLUG not in pages:
            context["add_contacts_url"] = (
                reverse("admin:programme_page_add") + f"?slug={CONTACTS_SLUG}&placement=none"
            )
        return render(request, self.template_name, context, status=status)


class ThanksView(View):
    """Where a sent message leads: it was received, and what happens next."""

    def get(self, request):
        context = {
            "meta": page_meta(_("Message sent"), _("Your message has reached the programme.")),
            "section": "contact",
        }
        return render(request, "contact/thanks.html", context)
