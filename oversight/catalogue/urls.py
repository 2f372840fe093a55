from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("import/", views.CatalogueImportView.as_view(), name="import"),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustment_list"),
    path("adjustments/add/", views.AdjustmentCreateView.as_view(), name="adjustment_add"),
    path("adjustments/<int:pk>/", views.AdjustmentDetailView.as_view(), name="adjustment_detail"),
    path("delegations/", views.DelegationListView.as_view(), name="delegation_list"),
    path("delegations/add/", views.DelegationCreateView.as_view(), name="delegation_add"),
    path(
        "delegations/reviews/",
        views.DelegationReviewListView.as_view(),
        name="delegation_review_list",
    ),
    path(
        "delegations/reviews/add/",
        views.DelegationReviewCreateView.as_view(),
        name="delegation_review_add",
    ),
    path(
        "delegations/reviews/<int:pk>/",
        views.DelegationReviewDetailView.as_view(),
        name="delegation_review_detail",
    ),
    path("delegations/forms/<int:pk>/", views.DelegationFormView.as_view(), name="delegation_form"),
]
