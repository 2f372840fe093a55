from django.urls import path

from . import views

app_name = "workplans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
    path("ledger/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("letters/", views.LetterListView.as_view(), name="letter_list"),
    path("letters/<int:pk>/", views.LetterIssueView.as_view(), name="letter_issue"),
    path("rules/", views.NotificationRuleListView.as_view(), name="notification_rule_list"),
    path("rules/add/", views.NotificationRuleFormView.as_view(), name="notification_rule_add"),
    path(
        "rules/<int:pk>/", views.NotificationRuleFormView.as_view(), name="notification_rule_edit"
    ),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/issue/", views.PlanIssueView.as_view(), name="plan_issue"),
    path("<int:pk>/settings/", views.PlanSettingsView.as_view(), name="plan_settings"),
    path("<int:pk>/calendar/", views.CalendarView.as_view(), name="plan_calendar"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/units/", views.TaskUnitsView.as_view(), name="task_units"),
    path("assignments/sign/", views.SignSelectedView.as_view(), name="assignments_sign"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("assignments/<int:pk>/report/", views.ReportFormView.as_view(), name="report_form"),
    path(
        "assignments/<int:pk>/<slug:op>/",
        views.AssignmentActionView.as_view(),
        name="assignment_action",
    ),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/<slug:op>/", views.ReportActionView.as_view(), name="report_action"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
]
