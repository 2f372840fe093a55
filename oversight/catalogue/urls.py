from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("import/", views.CatalogueImportView.as_view(), name="import"),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustment_list"),
    path("adjustments/add/", views.AdjustmentCreateView.as_view(), name="adjustment_add"),
    path("adjustments/<int:pk>/", views.AdjustmentDetailView.as_view(), name="adjustment_detail"),
]
