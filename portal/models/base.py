"""The bases the directory's models (and the other content apps' models) share: saved in the
default language, publishable as drafts, with a picture and its alternative text."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..images import RenditionImageField
from ..managers import PublishableQuerySet
from ..publishing import PublicModel


class DefaultLanguageColumns(models.Model):
    """Saved in the default language: the untranslated column of each text kept in both
    languages (``name`` beside ``name_en`` and ``name_ru``, portal/translation.py) then holds
    the English text, or the Russian where there is none, whoever saves. The list orderings,
    their indexes and the unique names read that column."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


class Publishable(PublicModel, DefaultLanguageColumns):
    """An entry that editors may hide from the public as a draft."""

    public_rule = {"is_published": True}

    is_published = models.BooleanField(
        _("published"),
        default=True,
        db_index=True,
        help_text=_("Untick to hide this entry from the public site."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class ImageMixin(models.Model):
    """An optional picture with the alternative text that must come with it."""

    image = RenditionImageField(
        _("image"),
        upload_to="images/%Y/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for people who cannot see it. Required with an image."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image: alt text is required.")})


class FacetCount(models.Model):
    """How many counted rows with option A of one facet have option B of another: the base of
    the table of one list's kept counts (portal/kept_counts.py), whose own model names its
    constraint and index."""

    facet_a = models.PositiveSmallIntegerField()
    option_a = models.BigIntegerField()
    facet_b = models.PositiveSmallIntegerField()
    option_b = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.facet_a}:{self.option_a} {self.facet_b}:{self.option_b} = {self.n}"
