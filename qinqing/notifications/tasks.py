"""Background sending of outbound notifications; the periodic run retries what is due."""

from django_tasks import task

from .actions import send_pending


@task()
def send_pending_task() -> dict:
    return send_pending()


PERIODIC = [(60, send_pending_task)]
