from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitFormView.as_view(), name="unit_add"),
    path("units/import/", views.UnitImportView.as_view(), name="unit_import"),
    path("units/import/template/", views.UnitTemplateView.as_view(), name="unit_template"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitFormView.as_view(), name="unit_edit"),
    path("units/<int:pk>/delete/", views.UnitDeleteView.as_view(), name="unit_delete"),
    path("webhooks/", views.WebhookListView.as_view(), name="webhook_list"),
    path("webhooks/add/", views.WebhookFormView.as_view(), name="webhook_add"),
    path("webhooks/posts/", views.RobotPostListView.as_view(), name="robot_post_list"),
    path("webhooks/<int:pk>/", views.WebhookFormView.as_view(), name="webhook_edit"),
    path("webhooks/<int:pk>/test/", views.WebhookTestView.as_view(), name="webhook_test"),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/add/", views.GroupFormView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupFormView.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="group_delete"),
]
