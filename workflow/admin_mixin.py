"""The workflow in each publishable model's admin (``WorkflowAdminMixin``, put in front of the
registered admin classes by workflow/admin.py).

The change form gets the workflow's buttons ("Submit for review", "Approve and publish",
"Schedule", "Request changes" with a comment), the review's history and its preview links.
A button saves the form and takes the step; the step is checked by the state machine in the
form's validation (a refused one is a form error: nothing is saved), whatever was posted.
Publishing by other means (a publisher's tick box, the list's actions) is recorded too.
Each step is also written in the comment of the entry's version. The lists get a "review"
column and filter.
"""

from types import SimpleNamespace

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import machine, notify, preview
from .adapters import adapter_for
from .models import PreviewLink, Review, ReviewStep, State

Action = ReviewStep.Action
ANNOTATION = "workflow_review_state"


def _when(text):
    """A datetime typed in a datetime-local input (the current time zone), or None."""
    value = parse_datetime((text or "").strip())
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def step_text(step):
    """How a step reads in the entry's versions."""
    who = step.actor.get_username() if step.actor else _("the worker")
    text = _("%(action)s by %(who)s.") % {"action": step.get_action_display(), "who": who}
    if step.scheduled_for:
        text += " " + _("At %(when)s.") % {
            "when": formats.localize(timezone.template_localtime(step.scheduled_for))
        }
    if step.comment:
        text += " " + _("Comment: %(comment)s") % {"comment": step.comment}
    return text


class WorkflowStateFilter(admin.SimpleListFilter):
    """Draft, In review, Changes requested, Scheduled, Published."""

    title = gettext_lazy("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        shape = adapter_for(queryset.model)
        content_type = ContentType.objects.get_for_model(queryset.model)

        def reviewed(*states):
            return Review.objects.filter(content_type=content_type, state__in=states).values(
                "object_id"
            )

        if value == State.PUBLISHED:
            return queryset.filter(shape.public_q())
        own = shape.scheduled_q()
        if value == State.SCHEDULED and own is not None:
            return queryset.filter(own)
        rest = queryset.exclude(shape.public_q())
        if own is not None:
            rest = rest.exclude(own)
        if value in (State.IN_REVIEW, State.CHANGES_REQUESTED, State.SCHEDULED):
            return rest.filter(pk__in=reviewed(value))
        if value == State.DRAFT:
            waiting = [State.IN_REVIEW, State.CHANGES_REQUESTED]
            if own is None:
                waiting.append(State.SCHEDULED)
            return rest.exclude(pk__in=reviewed(*waiting))
        return queryset.none()


class WorkflowAdminMixin:
    """The review step in a publishable model's admin (see the module's docstring)."""

    change_form_template = "admin/workflow/change_form.html"

    # Lists -----------------------------------------------------------------------------------

    def get_queryset(self, request):
        content_type = ContentType.objects.get_for_model(self.model)
        state = Review.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(**{ANNOTATION: Subquery(state.values("state")[:1])})
        )

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if "workflow_state" not in columns:
            at = columns.index("publication") + 1 if "publication" in columns else len(columns)
            columns.insert(at, "workflow_state")
        return columns

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return filters if WorkflowStateFilter in filters else [*filters, WorkflowStateFilter]

    @admin.display(description=gettext_lazy("review"))
    def workflow_state(self, obj):
        review = SimpleNamespace(state=getattr(obj, ANNOTATION, None))
        return State(machine.state_of(obj, review)).label

    # The change form -------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class WorkflowForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                model_admin.check_workflow(request, self)
                return cleaned_data

        return WorkflowForm

    def check_workflow(self, request, form):
        """Validate the posted step (and review date) against the entry as stored."""
        request.workflow_pending = None
        posted = request.POST
        review_by = posted.get("_workflow_review_by")
        if review_by is not None and review_by.strip() and parse_date(review_by.strip()) is None:
            form.add_error(None, _("The “review by” date is not a date (YYYY-MM-DD)."))
        action = posted.get("_workflow", "").strip()
        if not action:
            return
        stored = None
        if form.instance.pk is not None:
            stored = self.model._default_manager.filter(pk=form.instance.pk).first()
        if stored is None:
            form.add_error(None, _("Save the entry first, then submit it."))
            return
        comment = posted.get("_workflow_comment", "")
        when = _when(posted.get("_workflow_when")) if action == Action.SCHEDULE else None
        review = machine.review_of(stored)
        try:
            machine.check(request.user, stored, action, comment, when, review)
        except machine.WorkflowError as error:
            form.add_error(None, str(error))
            return
        request.workflow_pending = (action, comment, when, machine.state_of(stored, review))

    def save_model(self, request, obj, form, change):
        pending = getattr(request, "workflow_pending", None)
        if pending is not None:
            machine.apply(obj, pending[0], pending[2])
        super().save_model(request, obj, form, change)
        steps = request.__dict__.setdefault("workflow_steps", [])
        if pending is not None:
            action, comment, when, from_state = pending
            steps.append(machine.record(obj, action, request.user, comment, when, from_state))
        review_by = request.POST.get("_workflow_review_by")
        if review_by is not None:
            self._set_review_by(obj, parse_date(review_by.strip()) if review_by.strip() else None)

    def _set_review_by(self, obj, date):
        content_type = ContentType.objects.get_for_model(self.model)
        if (
            date is None
            and not Review.objects.filter(content_type=content_type, object_id=obj.pk).exists()
        ):
            return
        review, _created = Review.objects.get_or_create(content_type=content_type, object_id=obj.pk)
        if review.review_by != date:
            review.review_by, review.reminded_at = date, None
            review.save(update_fields=["review_by", "reminded_at", "updated_at"])

    def log_addition(self, request, obj, message):
        return self._logged(
            request,
            obj,
            lambda: super(WorkflowAdminMixin, self).log_addition(request, obj, message),
        )

    def log_change(self, request, obj, message):
        return self._logged(
            request, obj, lambda: super(WorkflowAdminMixin, self).log_change(request, obj, message)
        )

    def _logged(self, request, obj, log):
        """Log, recording publishing done by other means, the steps in the version's comment."""
        if not reversion.is_active():
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.add_to_revision(obj)
                return self._logged(request, obj, log)
        steps = request.__dict__.setdefault("workflow_steps", [])
        # Publishing by the tick box or a list action: the version says so already (its
        # change message, user and time); the review records it as a step.
        machine.sync(obj, request.user)
        entry = log()
        content_type = ContentType.objects.get_for_model(self.model)
        mine = [
            step
            for step in steps
            if (step.review.content_type_id, step.review.object_id) == (content_type.pk, obj.pk)
        ]
        if mine:
            texts = [reversion.get_comment() or "", *(step_text(step) for step in mine)]
            reversion.set_comment(" ".join(text for text in texts if text))
        return entry

    def response_change(self, request, obj):
        # A workflow button stays on the entry, saying what was done.
        steps = request.__dict__.get("workflow_steps", [])
        if request.POST.get("_workflow") and steps:
            self.message_user(request, step_text(steps[-1]), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            context["workflow"] = self.workflow_context(request, obj)
        return super().change_view(request, object_id, form_url, context)

    def workflow_context(self, request, obj):
        review = machine.review_of(obj)
        state = machine.state_of(obj, review)
        publisher = machine.may_publish(request.user, self.model)
        author = notify.author_of(obj, review)
        may_link = (publisher or author == request.user) and state != State.PUBLISHED
        content_type = ContentType.objects.get_for_model(self.model)
        links = PreviewLink.objects.filter(content_type=content_type, object_id=obj.pk)
        return {
            "state": State(state),
            "review": review,
            "actions": machine.allowed_actions(request.user, obj, review),
            "steps": list(review.steps.select_related("actor")[:10]) if review else [],
            "can_preview": preview.can_preview(obj),
            "may_link": may_link,
            "links": list(links.select_related("created_by", "revoked_by")[:20]),
            "content_type_id": content_type.pk,
            "default_days": preview.DEFAULT_DAYS,
            "max_days": preview.MAX_DAYS,
            "now": timezone.localtime(),
        }
