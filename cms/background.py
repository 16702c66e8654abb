"""Whether background tasks run off the request: with a task backend that queues
(``DJANGO_TASKS_BACKEND=database``) a worker does them later; with the immediate backend (the
default) they run at once, in the request, and nothing waits."""

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend


def made_off_the_request():
    """Whether the default task backend queues tasks for a worker."""
    return not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)
