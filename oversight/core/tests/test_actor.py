"""Services name their actor: a missing user is refused outside the platform's own jobs."""

import pytest
from django.core.exceptions import PermissionDenied

from oversight.core.context import acting_as, acting_as_system, current
from oversight.organisations.services import unit_update


@pytest.mark.django_db
class TestRequireActor:
    def test_a_service_called_without_a_user_in_a_request_context_is_refused(self, actors):
        with (
            acting_as(username="", request_id="r1"),
            pytest.raises(PermissionDenied, match="未指明操作人"),
        ):
            unit_update(unit=actors.unit_b, data={"address": "新址"})
        actors.unit_b.refresh_from_db()
        assert actors.unit_b.address != "新址"

    def test_the_platforms_own_jobs_act_as_the_system(self, actors):
        with acting_as_system("定时任务:测试"):
            assert current().system
            unit_update(unit=actors.unit_b, data={"address": "新址"})

    def test_a_context_with_a_user_is_never_the_system(self, actors):
        with acting_as(user=actors.supervisor, system=True):
            assert not current().system

    def test_every_service_that_takes_a_user_checks_it(self):
        import ast
        import inspect
        import pkgutil

        from oversight.core.testing.audit_guard import SERVICE_MODULES

        names = []
        for name in SERVICE_MODULES:
            module = __import__(name, fromlist=["_"])
            names.append(name)
            if hasattr(module, "__path__"):  # a services package: every module in it
                names += [f"{name}.{m.name}" for m in pkgutil.iter_modules(module.__path__)]
        missing = []
        for name in names:
            module = __import__(name, fromlist=["_"])
            tree = ast.parse(inspect.getsource(module))
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                params = [a.arg for a in node.args.kwonlyargs]
                actor = "user" if "user" in params else "actor" if "actor" in params else None
                if actor is None:
                    continue
                body = ast.get_source_segment(inspect.getsource(module), node) or ""
                checked = f"require_actor({actor})" in body or f"require_capability({actor}" in body
                if not checked:
                    # A required actor (no default) cannot be forgotten.
                    index = params.index(actor)
                    if node.args.kw_defaults[index] is not None:
                        missing.append(f"{name}.{node.name}")
        assert missing == []
