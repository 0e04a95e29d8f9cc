from django.urls import path

from models_catalog import views

app_name = "models_catalog"

urlpatterns = [
    path("models/", views.model_list, name="model_list"),
    path("models/<slug:slug>/", views.model_detail, name="model_detail"),
    path("matrix/", views.matrix, name="matrix"),
    path("licenses/<slug:slug>/", views.license_detail, name="license_detail"),
]
