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
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/add/", views.EnterpriseFormView.as_view(), name="enterprise_add"),
    path("enterprises/import/", views.EnterpriseImportView.as_view(), name="enterprise_import"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/add/", views.ConflictCreateView.as_view(), name="conflict_add"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/add/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("leniency/", views.LeniencyListView.as_view(), name="leniency_list"),
    path("leniency/add/", views.LeniencyFormView.as_view(), name="leniency_add"),
    path("draws/", views.DrawListView.as_view(), name="draw_list"),
    path("draws/add/", views.DrawCreateView.as_view(), name="draw_add"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw_detail"),
]
