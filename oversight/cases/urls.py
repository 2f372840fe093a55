from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("add/", views.CaseFormView.as_view(), name="case_add"),
    path("import/", views.CaseImportView.as_view(), name="case_import"),
    path("findings/", views.FindingsView.as_view(), name="findings"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/edit/", views.CaseFormView.as_view(), name="case_edit"),
    path("leniency/", views.LeniencyListView.as_view(), name="leniency_list"),
    path("leniency/add/", views.LeniencyFormView.as_view(), name="leniency_add"),
]
