from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.db import router
from django.db.models import Count, Field, OuterRef, Subquery
from django.db.models.functions import Coalesce

from oversight.core.querysets import JoinedText, Statement


class LockoutAwareBackend(ModelBackend):
    """Django's backend, refusing accounts that are locked after repeated failures."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_locked()

    def get_user(self, user_id):
        """The signed-in user of every request, with what every page reads of it: the primary
        unit (the header), the roles (the menu, each capability check) and the number of unread
        messages (the bell), in one statement compiled once (`signed_in_user`)."""
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id):
    """The user with its primary unit, `loaded_role_codes` and `loaded_unread`, or None."""
    from django.contrib.auth import get_user_model

    from oversight.organisations.models import Unit

    model = get_user_model()
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    using = router.db_for_read(model)
    rows = _signed_in_statement()(key, using=using)
    if not rows:
        return None
    user_names, unit_names = _columns()
    row = rows[0]
    user = model.from_db(using, user_names, row[: len(user_names)])
    unit_values = row[len(user_names) : len(user_names) + len(unit_names)]
    unit = Unit.from_db(using, unit_names, unit_values) if user.primary_unit_id else None
    model._meta.get_field("primary_unit").set_cached_value(user, unit)
    user.loaded_role_codes, user.loaded_unread = row[-2:]
    return user


@cache
def _columns() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from django.contrib.auth import get_user_model

    from oversight.organisations.models import Unit

    return (
        tuple(f.attname for f in get_user_model()._meta.concrete_fields),
        tuple(f.attname for f in Unit._meta.concrete_fields),
    )


@cache
def _signed_in_statement() -> Statement:
    from django.contrib.auth import get_user_model

    from oversight.core.models import Notification

    from .models import UserRole

    roles = UserRole.objects.filter(user=OuterRef("pk")).order_by().values("user")
    unread = Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
    unread = unread.order_by().values("user").annotate(n=Count("pk")).values("n")
    user_names, unit_names = _columns()

    def build(user):
        return (
            get_user_model()
            ._default_manager.filter(pk=user)
            .annotate(
                loaded_role_codes=Subquery(
                    roles.annotate(codes=JoinedText("role")).values("codes")
                ),
                # The count as the driver returns it (an int): a column that Django converts
                # would have the statement compiled on every request (`Statement`).
                loaded_unread=Coalesce(Subquery(unread), 0, output_field=Field()),
            )
            .values_list(
                *user_names,
                *(f"primary_unit__{name}" for name in unit_names),
                "loaded_role_codes",
                "loaded_unread",
            )
        )

    return Statement(build)
