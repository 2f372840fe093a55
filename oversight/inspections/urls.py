from django.urls import path

from . import views

app_name = "inspections"

# Mounted under /cases/ as before the app was split out, so links already sent keep working.
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/add/", views.EnterpriseFormView.as_view(), name="enterprise_add"),
    path("enterprises/import/", views.EnterpriseImportView.as_view(), name="enterprise_import"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/add/", views.ConflictCreateView.as_view(), name="conflict_add"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/add/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("draws/", views.DrawListView.as_view(), name="draw_list"),
    path("draws/add/", views.DrawCreateView.as_view(), name="draw_add"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw_detail"),
]
