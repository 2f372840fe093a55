"""Sending notices to people: in the platform, by email, in a daily digest, to group robots.

Domain apps decide who hears what and call `notify()`. Each notice has a key; a key already sent to
a user is not sent again, which is what makes reminders go out exactly once.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification

log = logging.getLogger("oversight.notifications")


@dataclass(frozen=True)
class Message:
    key: str
    title: str
    body: str = ""
    url: str = ""
    urgent: bool = False


def notify(users: Iterable, message: Message, *, email: bool = True) -> list[Notification]:
    """Create the in-app notice for each user once; urgent ones are emailed at once, the rest wait
    for the daily digest. Returns the notices created now (not those sent before).

    Those who have it already are read in one query and the rest written in one INSERT (a plan
    issued to a province's units tells thousands at once); should another process insert one of
    them meanwhile, the unique (user, key) refuses the INSERT and each is then tried alone."""
    key = message.key[:200]
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return []
    told = set(
        Notification.objects.filter(key=key, user_id__in=list(people)).values_list(
            "user_id", flat=True
        )
    )
    fresh = [
        Notification(
            user=user,
            key=key,
            title=message.title[:200],
            body=message.body,
            url=message.url[:300],
            urgent=message.urgent,
        )
        for pk, user in people.items()
        if pk not in told
    ]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(fresh, batch_size=1000)
    except IntegrityError:  # told by another process a moment ago: one at a time
        created = []
        for notice in fresh:
            notice.pk = None  # an id from the rolled-back INSERT is not this row's
            try:
                with transaction.atomic():
                    notice.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(notice)
    for notice in created:
        if email and message.urgent and notice.user.email:
            # Sent by a background task once the notice is committed (core/tasks.py send_email).
            transaction.on_commit(functools.partial(_queue_email, notice.pk))
    return created


def _queue_email(notice_id: int) -> None:
    from .tasks import send_email

    send_email.enqueue(notice_id)


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def send_email_once(notice_id: int) -> str:
    """Email an urgent notice once: the notice is claimed (emailed_at set) before the mail goes
    out, so a second worker or a rerun does not send it again; a mail server that refuses hands
    the claim back and says so (the caller tries again later)."""
    now = timezone.now()
    if not Notification.objects.filter(pk=notice_id, emailed_at=None).update(emailed_at=now):
        return "sent"  # sent before, or being sent by another worker
    notice = Notification.objects.select_related("user").get(pk=notice_id)
    body = notice.body + (f"\n\n查看:{_absolute(notice.url)}" if notice.url else "")
    try:
        send_mail(f"【{settings.SITE_NAME}】{notice.title}", body, None, [notice.user.email])
    except Exception:  # a mail server outage must not lose the in-app notice
        log.exception("email to %s failed", notice.user.email)
        Notification.objects.filter(pk=notice_id, emailed_at=now).update(emailed_at=None)
        return "failed"
    return "sent"


# An urgent notice's email is retried for about three and a half minutes (core/tasks.py); one not
# sent after an hour goes into the next daily digest.
URGENT_GRACE = datetime.timedelta(hours=1)


def send_digests(*, now=None) -> int:
    """One email per user bundling the non-urgent notices not yet read or sent, and the urgent
    ones whose own email never went out (the mail server refused it through every retry)."""
    now = now or timezone.now()
    unsent_urgent = Q(urgent=True, emailed_at__isnull=True, created_at__lt=now - URGENT_GRACE)
    pending = (
        Notification.objects.filter(Q(urgent=False) | unsent_urgent)
        .filter(read_at__isnull=True, digest_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notice in pending:
        by_user[notice.user_id].append(notice)
    sent = 0
    for notices in by_user.values():
        user = notices[0].user
        ids = [n.pk for n in notices]
        if user.email and user.is_active:
            lines = [f"· {n.title}" + (f"({_absolute(n.url)})" if n.url else "") for n in notices]
            try:
                send_mail(
                    f"【{settings.SITE_NAME}】今日待办汇总({len(notices)} 条)",
                    "您有以下待处理事项:\n\n" + "\n".join(lines),
                    None,
                    [user.email],
                )
                sent += 1
            except Exception:
                log.exception("digest to %s failed", user.email)
                continue
        Notification.objects.filter(pk__in=ids).update(digest_at=now)
    return sent


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if getattr(user, "loaded_unread", None) is not None:
        user.loaded_unread = None  # counted when the request began
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    """The user's unread messages: as counted with the signed-in user at the start of the
    request (`LockoutAwareBackend.get_user`), unless this request has marked some read."""
    loaded = getattr(user, "loaded_unread", None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# -- group robots (钉钉 / 企业微信) ---------------------------------------------------------------
DINGTALK = "dingtalk"
WECOM = "wecom"


# Characters with a meaning in the robots' markdown (links, emphasis, headings, quotes, code,
# tables, HTML tags). User text shows them as their full-width forms, which read naturally in
# Chinese text and render the same in 钉钉 and 企业微信 (whose markdown dialects differ on
# backslash escapes).
_MARKDOWN_SAFE = str.maketrans(
    {
        "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "*": "＊", "_": "＿",
        "#": "＃", "`": "｀", "|": "｜", "~": "～", "!": "！",
    }
)  # fmt: skip


def escape_markdown(text: str) -> str:
    """User text (task titles, unit names, report text) as literal text in a robot's markdown:
    no links, headings, emphasis or HTML tags (<font>, <a>) of its own."""
    return text.translate(_MARKDOWN_SAFE)


def webhook_payload(kind: str, title: str, text: str, url: str = "") -> dict:
    """The message body each robot API expects (markdown; docs/notifications.md). Title and text
    are escaped here, once, for every caller."""
    title, text = escape_markdown(title), escape_markdown(text)
    target = urllib.parse.quote(_absolute(url), safe=":/?&=%#")
    if kind == DINGTALK and target.startswith("http"):
        # Open in DingTalk itself (the PC client's side panel, the phone's web view), where the
        # user signs in once and lands on the page: the link would otherwise leave for a browser.
        target = "dingtalk://dingtalkclient/page/link?pc_slide=true&url=" + urllib.parse.quote(
            _absolute(url), safe=""
        )
    link = f"\n\n[查看详情]({target})" if url else ""
    if kind == DINGTALK:
        return {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": f"### {title}\n\n{text}{link}"},
        }
    return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}{link}"}}


def _signed_url(target) -> str:
    if target.kind != DINGTALK or not target.secret:
        return target.url
    # 钉钉加签: HMAC-SHA256 over "timestamp\nsecret", Base64, URL-encoded.
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(
        target.secret.encode(), f"{timestamp}\n{target.secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in target.url else "?"
    return f"{target.url}{separator}timestamp={timestamp}&sign={sign}"


def post_webhook(target, title: str, text: str, url: str = "", *, opener=None) -> bool:
    """Post to a robot (anything with kind, url, secret); the result is saved on the target."""
    payload = json.dumps(webhook_payload(target.kind, title, text, url), ensure_ascii=False).encode(
        "utf-8"
    )
    request = urllib.request.Request(
        _signed_url(target),
        data=payload,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with (opener or urllib.request.urlopen)(request, timeout=5) as response:
            answer = json.loads(response.read().decode("utf-8") or "{}")
        ok = answer.get("errcode", 0) == 0
        status = "成功" if ok else f"失败:{answer.get('errmsg', '')}"
    except Exception as exc:  # the robot being down must not stop the scheduler
        ok, status = False, f"失败:{exc}"[:200]
    type(target).objects.filter(pk=target.pk).update(
        last_status=f"{timezone.localtime():%m-%d %H:%M} {status}"[:200]
    )
    return ok
