"""Background tasks of units: posting to the group robots (钉钉, 企业微信) off the request."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from oversight.core import background
from oversight.core.notifications import post_webhook

from .models import RobotPost

Status = RobotPost.Status


@task()
def post_robot(post_id: int) -> str:
    """Post one queued message to its robot. The post is claimed first (a second worker or a rerun
    finds it taken or sent and stops), so a message is posted once; a failed post waits and is
    tried again, at most TASK_RETRIES more times."""
    claimed = RobotPost.objects.filter(pk=post_id, status=Status.PENDING).update(
        status=Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return "已处理"
    post = RobotPost.objects.select_related("target").get(pk=post_id)
    ok = post_webhook(post.target, post.title, post.text, post.url)
    post.target.refresh_from_db(fields=["last_status"])
    result = post.target.last_status[:200]
    if ok:
        RobotPost.objects.filter(pk=post_id).update(
            status=Status.SENT, sent_at=timezone.now(), result=result
        )
        return "已发送"
    if post.attempts <= settings.TASK_RETRIES:
        RobotPost.objects.filter(pk=post_id).update(status=Status.PENDING, result=result)
        background.enqueue_later(post_robot, post_id, seconds=background.retry_pause(post.attempts))
        return "稍后重试"
    RobotPost.objects.filter(pk=post_id).update(status=Status.FAILED, result=result)
    return "发送失败"
