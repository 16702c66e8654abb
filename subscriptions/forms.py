"""The sign-up form and the form that changes a subscription."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from portal.models import Direction

from .models import CONSENT_TEXT, Subscription


class SubscribeForm(forms.Form):
    """Sign up: an address, a topic, a frequency and a language; consent; a honeypot."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    topic = forms.ChoiceField(
        label=_("Subscribe to"), choices=Subscription.Topic.choices, widget=forms.RadioSelect
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), required=False, to_field_name="slug"
    )
    direction = forms.ModelChoiceField(
        label=_("Direction"),
        queryset=Direction.objects.none(),
        required=False,
        to_field_name="slug",
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        widget=forms.RadioSelect,
        initial=Subscription.Frequency.WEEKLY,
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)
    # Hidden from people (CSS and aria-hidden); bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.published().order_by("name")
        self.fields["direction"].queryset = Direction.objects.order_by("name")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        for name in ("cluster", "direction"):
            if topic == name and not data.get(name):
                self.add_error(name, _("Choose which one."))
            elif topic != name:
                data[name] = None
        return data

    @property
    def is_bot(self):
        return bool(self.data.get("website", "").strip())


class ManageForm(forms.ModelForm):
    """Change how often and in which language the digest comes."""

    class Meta:
        model = Subscription
        fields = ["frequency", "language"]
        widgets = {"frequency": forms.RadioSelect}
