from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.services import user_create
from oversight.core.context import acting_as_system
from oversight.core.roles import Role
from oversight.organisations.selectors import resolve_name


class Command(BaseCommand):
    help = (
        "创建账号并打印初始密码(首次登录须修改)。部署后先用它创建系统管理员、安全管理员和审计员。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument(
            "--role", required=True, action="append", choices=Role.values, help="角色,可重复"
        )
        parser.add_argument("--unit", help="所属单位简称或全称(业务角色必填)")

    def handle(self, *args, username, name, role, unit, **options):
        primary = None
        if unit:
            primary = resolve_name(unit)
            if primary is None or primary.__class__.__name__ != "Unit":
                raise CommandError(f"找不到单位“{unit}”。")
        try:
            with acting_as_system("命令行"):
                user, password = user_create(
                    username=username, full_name=name, roles=set(role), primary_unit=primary
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已创建账号 {user.username},初始密码:{password}(首次登录须修改)")
