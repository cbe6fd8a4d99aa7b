from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path("budget/", views.budget_current, name="budget_current"),
    path("budget/<int:year>/", views.budget_year, name="budget_year"),
]
