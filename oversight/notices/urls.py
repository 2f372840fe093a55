from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.DraftListView.as_view(), name="draft_list"),
    path("new/", views.DraftCreateView.as_view(), name="draft_new"),
    path("<int:pk>/", views.DraftReviewView.as_view(), name="draft_review"),
    path(
        "<int:pk>/task/<slug:kind>/<int:index>/",
        views.DraftTaskEditView.as_view(),
        name="draft_task",
    ),
    path("<int:pk>/map/", views.DraftMapUnitView.as_view(), name="draft_map"),
    path("<int:pk>/year/", views.DraftYearView.as_view(), name="draft_year"),
    path("<int:pk>/confirm/", views.DraftConfirmView.as_view(), name="draft_confirm"),
    path("<int:pk>/discard/", views.DraftDiscardView.as_view(), name="draft_discard"),
]
