"""The background tasks (django-tasks): run at once in immediate mode, by `manage.py
run_worker` with the database backend (settings: DJANGO_TASKS_BACKEND)."""

from django.db.models import Q
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import health, linkcheck, mail, scheduling
from .models import Notification


@task()
def send_notification_mail(pk):
    """Send one notification's e-mail (claimed first: never twice)."""
    return mail.deliver(pk)


@task()
def deliver_due_mail():
    """Queue the e-mails due: retries after their wait, and claims of a worker that died."""
    return mail.queue_due()


@task()
def publish_due():
    """Publish the entries whose scheduled time has come."""
    return scheduling.publish_due()


@task()
def remind_review_due():
    """Remind authors, weekly, of published entries past their "review by" date."""
    return scheduling.remind_review_due()


@task()
def check_links():
    """Check the outbound links of published texts (politely: workflow/linkcheck.py)."""
    return linkcheck.run()


@task()
def compute_health(version):
    """The content-health findings for a content version (workflow/health.py)."""
    return health.compute(version)


def queue_status():
    """The TASK_QUEUE_STATUS hook (public/health.py): tasks waiting, failures to look at."""
    depth = DBTaskResult.objects.ready().count()
    failures = (
        DBTaskResult.objects.failed().count()
        + Notification.objects.filter(Q(mail_state=Notification.Mail.FAILED)).count()
    )
    return {"depth": depth, "failures": failures}
