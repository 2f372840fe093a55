import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "载入演示数据(已标注“演示”),打印演示账号,并同时启动网站、定时任务循环和后台任务进程;Ctrl-C 同时停止。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只载入演示数据,不启动服务")

    def handle(self, *args, host, port, no_serve, **options):
        if settings.MODE == "production":
            raise CommandError(
                "演示数据不能载入生产环境:请设置 OVERSIGHT_MODE=demo(make demo 会自动设置)。"
            )
        call_command("setup")
        from oversight.core.context import acting_as_system
        from oversight.demo.loader import DEMO_PASSWORD, load_demo

        with acting_as_system("演示数据"):
            accounts = load_demo()
        self.stdout.write("")
        self.stdout.write(f"演示账号(均为演示数据,密码相同:{DEMO_PASSWORD})")
        self.stdout.write("-" * 60)
        for username, role, unit in accounts:
            self.stdout.write(f"  {username:<16} {role:<10} {unit}")
        self.stdout.write("-" * 60)
        if no_serve:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        scheduler = subprocess.Popen([sys.executable, "-m", "oversight.cli", "run-scheduler"])
        # The background worker: imports, re-checks and bulletins started from the pages.
        worker = subprocess.Popen(
            [sys.executable, "-m", "oversight.cli", "db_worker", "--no-startup-delay"]
        )
        self.stdout.write(f"平台地址:http://{host}:{port}/   (Ctrl-C 停止网站、定时任务和后台任务)")
        try:
            from waitress import serve

            from oversight.wsgi import application

            serve(application, host=host, port=port, threads=8, ident="oversight")
        except KeyboardInterrupt:
            pass
        finally:
            for process in (scheduler, worker):
                process.terminate()
            for process in (scheduler, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("已停止。")
