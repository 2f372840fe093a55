from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from oversight.core.querysets import JoinedText


class LockoutAwareBackend(ModelBackend):
    """Django's backend, refusing accounts that are locked after repeated failures."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_locked()

    def get_user(self, user_id):
        """The signed-in user of every request, with what every page reads of it: the primary
        unit (the header), the roles (the menu, each capability check) and the number of unread
        messages (the bell), in one statement."""
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = (
                model._default_manager.select_related("primary_unit")
                .annotate(loaded_role_codes=_role_codes(), loaded_unread=_unread())
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def _role_codes() -> Subquery:
    from .models import UserRole

    rows = UserRole.objects.filter(user=OuterRef("pk")).order_by().values("user")
    return Subquery(rows.annotate(codes=JoinedText("role")).values("codes"))


def _unread() -> Coalesce:
    from oversight.core.models import Notification

    rows = Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
    count = rows.order_by().values("user").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count), 0)
