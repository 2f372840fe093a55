import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from oversight.core.scheduler import discover, run_due, worker_id


class Command(BaseCommand):
    help = "运行定时任务循环(提醒、亮灯、到期检查等);可多进程同时运行,同一任务只会执行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行一轮到期任务后退出")
        parser.add_argument(
            "--tick", type=int, default=settings.SCHEDULER_TICK_SECONDS, help="轮询间隔(秒)"
        )

    def handle(self, *args, once=False, tick=30, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        jobs = discover()
        me = worker_id()
        self.stdout.write(f"定时任务循环已启动({me}),共 {len(jobs)} 项任务,每 {tick} 秒检查一次。")
        while self.running:
            close_old_connections()
            ran = run_due(worker=me)
            for name in ran:
                self.stdout.write(f"已运行:{name}")
            if once:
                break
            for _ in range(tick * 10):
                if not self.running:
                    break
                time.sleep(0.1)
        self.stdout.write("定时任务循环已停止。")
