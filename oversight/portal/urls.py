from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("subjects/", views.subjects, name="subjects"),
    path("officers/", views.officers, name="officers"),
    path("cleanups/<int:pk>/", views.cleanup, name="cleanup"),
    path("draws/", views.draws, name="draws"),
    path("draws/<int:pk>/", views.draw, name="draw"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("complaints/", views.complaint, name="complaint"),
    path("complaints/done/", views.complaint_done, name="complaint_done"),
    path("complaints/query/", views.complaint_query, name="complaint_query"),
]
