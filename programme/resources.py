"""Spreadsheet import and export of the roadmap's actions, found by their number (rules of
every import: cms/resources.py)."""

from django.conf import settings
from import_export import fields

from cms.resources import SlugsWidget, SlugWidget, StrictResource
from portal.models import Direction, Stakeholder

from .models import RoadmapAction


def _texts(*names):
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]


class RoadmapActionResource(StrictResource):
    direction = fields.Field("direction", "direction", widget=SlugWidget(Direction))
    stakeholders = fields.Field("stakeholders", "stakeholders", widget=SlugsWidget(Stakeholder))

    class Meta(StrictResource.Meta):
        model = RoadmapAction
        import_id_fields = ["number"]
        fields = [
            "number",
            *_texts("title", "description", "progress_note"),
            "status",
            "due_date",
            "direction",
            "stakeholders",
            "is_published",
        ]
        export_order = fields
