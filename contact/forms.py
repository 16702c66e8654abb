"""The feedback form: what a visitor writes, the consent they give, and the anti-spam fields
(contact/spam.py). Everything is plain text: control characters other than line breaks and
tabs are refused, and nothing typed is ever rendered as HTML."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import spam

MESSAGE_MAX = 5000
# Changes whenever the consent's wording does; stored with each message.
CONSENT_VERSION = "1"
CONSENT_TEXT = _(
    "I agree that the INO Tomsk programme may process the personal data I give in this form "
    "(my name and e-mail address) to answer my message."
)
# One line: no line breaks or other control characters (they would end up in e-mail headers).
ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
# Several lines: line breaks and tabs are text, other control characters are not.
MANY_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(value):
    if ONE_LINE.search(value):
        raise ValidationError(_("Write this on one line, without special characters."))


def plain_text(value):
    if MANY_LINES.search(value):
        raise ValidationError(_("The text contains control characters; remove them, please."))


class ContactForm(forms.Form):
    """Name, e-mail, topic, message and consent; ``website`` is the honeypot. The signed time
    the form was shown comes back in the field ``issued``, checked in ``clean()``."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        validators=[one_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=pgettext_lazy("form field", "E-mail"),
        max_length=254,
        help_text=_("We answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, validators=[one_line])
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        validators=[plain_text],
        help_text=_("Plain text, at most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _(
                "Tick the box to give your consent: without it we cannot keep or answer your message."
            )
        },
    )
    # Hidden from people by the page's styles; a program that fills every field fills it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The signed time the form was shown (the template's hidden "issued"): always a fresh
        # one, so a refused form shown again can be sent again as it is.
        self.issued_value = spam.issue()
        self.issued_token = self.data.get("issued", "") if self.is_bound else None

    @property
    def is_honeypot(self):
        return bool(self.is_bound and self.data.get("website", "").strip())

    def clean(self):
        cleaned = super().clean()
        try:
            spam.check_issued(self.issued_token)
        except spam.TooFast:
            raise ValidationError(
                _(
                    "The form was sent a moment after it was opened. Check your message and send it again."
                ),
                code="too_fast",
            ) from None
        except spam.TooOld:
            raise ValidationError(
                _("The form was open for too long. Your text is kept below: send it again."),
                code="too_old",
            ) from None
        except spam.Forged:
            raise ValidationError(
                _("The form could not be checked. Your text is kept below: send it again."),
                code="forged",
            ) from None
        return cleaned
