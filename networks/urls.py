from django.urls import path

from networks import views

app_name = "networks"
urlpatterns = [
    path("authorities/", views.authority_list, name="authorities"),
]
