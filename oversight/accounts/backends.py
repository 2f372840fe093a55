from django.contrib.auth.backends import ModelBackend


class LockoutAwareBackend(ModelBackend):
    """Django's backend, refusing accounts that are locked after repeated failures."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_locked()

    def get_user(self, user_id):
        """The signed-in user of every request, with the primary unit and roles every page reads
        (the menu, the header, each capability check), in two queries instead of three."""
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = (
                model._default_manager.select_related("primary_unit")
                .prefetch_related("role_rows")
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
