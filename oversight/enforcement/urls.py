from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("subjects/", views.SubjectListView.as_view(), name="subject_list"),
    path("subjects/add/", views.SubjectFormView.as_view(), name="subject_add"),
    path("subjects/confirm/", views.SubjectConfirmView.as_view(), name="subject_confirm"),
    path("subjects/<int:pk>/", views.SubjectFormView.as_view(), name="subject_edit"),
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/add/", views.OfficerFormView.as_view(), name="officer_add"),
    path("officers/import/", views.OfficerImportView.as_view(), name="officer_import"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/edit/", views.OfficerFormView.as_view(), name="officer_edit"),
    path(
        "officers/<int:pk>/identity/", views.OfficerIdentityView.as_view(), name="officer_identity"
    ),
    path(
        "officers/<int:pk>/certificate/",
        views.CertificateIssueView.as_view(),
        name="certificate_issue",
    ),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path(
        "certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"
    ),
    path("cleanups/", views.CleanupListView.as_view(), name="cleanup_list"),
    path("cleanups/add/", views.CleanupStartView.as_view(), name="cleanup_add"),
    path("cleanups/<int:pk>/", views.CleanupDetailView.as_view(), name="cleanup_detail"),
    path("training/", views.TrainingView.as_view(), name="training"),
    path("training/plan/", views.TrainingPlanView.as_view(), name="training_plan"),
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/add/", views.CourseFormView.as_view(), name="course_add"),
    path("courses/import/", views.AttendanceImportView.as_view(), name="attendance_import"),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<int:pk>/edit/", views.CourseFormView.as_view(), name="course_edit"),
]
