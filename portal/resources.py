"""Spreadsheet import and export of directory entries: stakeholders, parks and projects.

One row per entry, found by its slug; related entries by their slugs; every text in both
languages as its own column. The rules every import follows are cms/resources.py's.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from cms.resources import SEPARATOR, SlugsWidget, SlugWidget, StrictResource, language_columns

from .models import Direction, Park, ParkType, Project, ProjectStakeholder, Stakeholder


class StakeholderResource(StrictResource):
    class Meta(StrictResource.Meta):
        model = Stakeholder
        fields = [
            "slug",
            *language_columns("name", "short_name", "description", "city", "country"),
            "kind",
            "website",
            "is_published",
        ]
        export_order = fields


class ParkResource(StrictResource):
    park_type = fields.Field("park_type", "park_type", widget=SlugWidget(ParkType))

    class Meta(StrictResource.Meta):
        model = Park
        fields = [
            "slug",
            *language_columns("name", "description", "address"),
            "park_type",
            "latitude",
            "longitude",
            "area",
            "is_published",
        ]
        export_order = fields


class ProjectResource(StrictResource):
    direction = fields.Field("direction", "direction", widget=SlugWidget(Direction))
    parks = fields.Field("parks", "parks", widget=SlugsWidget(Park))
    # "slug:role; slug:role" (role: lead, partner, investor, customer, participant).
    stakeholders = fields.Field(column_name="stakeholders")

    class Meta(StrictResource.Meta):
        model = Project
        fields = [
            "slug",
            *language_columns("name", "summary", "description"),
            "status",
            "direction",
            "parks",
            "stakeholders",
            "start_date",
            "end_date",
            "budget",
            "jobs_created",
            "website",
            "is_featured",
            "is_published",
        ]
        export_order = fields

    def dehydrate_stakeholders(self, project):
        roles = project.roles.select_related("stakeholder").order_by("stakeholder__slug")
        return f"{SEPARATOR} ".join(f"{role.stakeholder.slug}:{role.role}" for role in roles)

    def parse_roles(self, value):
        """{stakeholder: role} from "slug:role; slug" (a missing role is a partner's)."""
        wanted = {}
        for item in str(value or "").split(SEPARATOR):
            if not item.strip():
                continue
            slug, _sep, role = item.partition(":")
            wanted[slug.strip()] = role.strip() or ProjectStakeholder.Role.PARTNER
        found = {obj.slug: obj for obj in Stakeholder.objects.filter(slug__in=wanted)}
        problems = [
            _("No stakeholder with the slug “%(slug)s”.") % {"slug": slug[:100]}
            for slug in wanted
            if slug not in found
        ]
        roles = dict(ProjectStakeholder.Role.choices)
        problems += [
            _("“%(role)s” is not a role; use one of: %(roles)s.")
            % {"role": role[:40], "roles": ", ".join(roles)}
            for role in wanted.values()
            if role not in roles
        ]
        if problems:
            raise ValidationError(" ".join(problems))
        return {found[slug]: role for slug, role in wanted.items()}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._import_roles = None
        if "stakeholders" in row:
            try:
                instance._import_roles = self.parse_roles(row["stakeholders"])
            except ValidationError as error:
                errors["stakeholders"] = error.messages
        if errors:
            raise ValidationError(errors)

    def stored_roles(self, project):
        if project.pk is None:
            return {}
        return {role.stakeholder: role.role for role in project.roles.select_related("stakeholder")}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        roles = getattr(instance, "_import_roles", None)
        if roles is not None and roles != self.stored_roles(original):
            # The roles change: not a row to skip (and checked as a change like any other).
            skip = super().skip_row(instance, original, row, import_validation_errors)
            if skip:
                # Everything else is unchanged; StrictResource's role check still applies.
                instance._roles_changed = True
                self._check_publication(instance, original)
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def _check_publication(self, instance, original):
        stored = getattr(instance, "_stored_publication", None)
        if stored is not None and not self.is_draft(stored) and not self.may_publish():
            raise ValidationError(
                _(
                    "“%(entry)s” is published: only a publisher may change it by import "
                    "(or edit it in its form)."
                )
                % {"entry": str(original)[:100]}
            )

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        roles = getattr(instance, "_import_roles", None)
        if roles is None or (kwargs.get("dry_run") and not kwargs.get("using_transactions")):
            return
        stored = {role.stakeholder_id: role for role in instance.roles.all()}
        for stakeholder, role in roles.items():
            current = stored.pop(stakeholder.pk, None)
            if current is None:
                ProjectStakeholder.objects.create(
                    project=instance, stakeholder=stakeholder, role=role
                )
            elif current.role != role:
                current.role = role
                current.save(update_fields=["role"])
        for gone in stored.values():
            gone.delete()
