from django.urls import path

from . import health, metrics, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("notifications/", pages.NotificationListView.as_view(), name="notifications"),
    path("notifications/<int:pk>/", pages.notification_open, name="notification_open"),
    path("notifications/read-all/", pages.notifications_read_all, name="notifications_read_all"),
    path("system/calendar/", pages.CalendarView.as_view(), name="calendar"),
    path("system/jobs/", pages.JobsView.as_view(), name="jobs"),
    path("system/jobs/runs/", pages.ScheduledRunListView.as_view(), name="scheduled_runs"),
    path("jobs/<uuid:pk>/", pages.JobDetailView.as_view(), name="job_detail"),
    path("system/audit/", pages.AuditListView.as_view(), name="audit_list"),
    path(
        "system/security/",
        pages.RulesView.as_view(),
        {"category": "security"},
        name="rules_security",
    ),
    path("system/rules/<slug:category>/", pages.RulesView.as_view(), name="rules"),
]
