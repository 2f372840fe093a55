from django.urls import path

from . import views

app_name = "bulletins"

# Mounted under /plans/ as before the app was split out, so links already sent keep working.
urlpatterns = [
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/add/", views.BulletinCreateView.as_view(), name="bulletin_add"),
    path(
        "bulletins/schedule/",
        views.BulletinScheduleView.as_view(),
        name="bulletin_schedule",
    ),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("cockpit/", views.CockpitView.as_view(), name="cockpit"),
    path("evaluations/add/", views.EvaluationCreateView.as_view(), name="evaluation_add"),
    path(
        "evaluations/<int:pk>/",
        views.EvaluationDetailView.as_view(),
        name="evaluation_detail",
    ),
]
