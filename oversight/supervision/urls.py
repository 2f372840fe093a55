from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("clues/", views.ClueListView.as_view(), name="clue_list"),
    path("clues/add/", views.ClueCreateView.as_view(), name="clue_add"),
    path("clues/import/", views.ClueImportView.as_view(), name="clue_import"),
    path("clues/<int:pk>/", views.ClueDetailView.as_view(), name="clue_detail"),
]
