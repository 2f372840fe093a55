from django.urls import path

from . import views

app_name = "workplans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
]
