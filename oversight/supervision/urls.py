from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("clues/", views.ClueListView.as_view(), name="clue_list"),
    path("clues/add/", views.ClueCreateView.as_view(), name="clue_add"),
    path("clues/import/", views.ClueImportView.as_view(), name="clue_import"),
    path("clues/<int:pk>/", views.ClueDetailView.as_view(), name="clue_detail"),
    path("clue-files/<int:pk>/", views.ClueFileView.as_view(), name="clue_file"),
    path("matters/", views.MatterListView.as_view(), name="matter_list"),
    path("matters/add/", views.MatterCreateView.as_view(), name="matter_add"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter_detail"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/add/", views.DocumentCreateView.as_view(), name="document_add"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/file/", views.DocumentFileView.as_view(), name="document_file"),
    path("supervisors/", views.SpecialSupervisorListView.as_view(), name="special_supervisor_list"),
    path(
        "supervisors/add/", views.SpecialSupervisorFormView.as_view(), name="special_supervisor_add"
    ),
    path(
        "supervisors/<int:pk>/",
        views.SpecialSupervisorDetailView.as_view(),
        name="special_supervisor_detail",
    ),
    path(
        "supervisors/<int:pk>/edit/",
        views.SpecialSupervisorFormView.as_view(),
        name="special_supervisor_edit",
    ),
    path("contact-points/", views.ContactPointListView.as_view(), name="contact_point_list"),
    path("contact-points/add/", views.ContactPointFormView.as_view(), name="contact_point_add"),
    path(
        "contact-points/<int:pk>/", views.ContactPointFormView.as_view(), name="contact_point_edit"
    ),
    path("problem-types/", views.ProblemTypeListView.as_view(), name="problem_type_list"),
    path("problem-types/add/", views.ProblemTypeFormView.as_view(), name="problem_type_add"),
    path("problem-types/<int:pk>/", views.ProblemTypeFormView.as_view(), name="problem_type_edit"),
    path("my-clues/", views.SupervisorClueView.as_view(), name="supervisor_clues"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/add/", views.CampaignCreateView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
]
