from django.urls import path

from models_catalog import views
from models_catalog.feeds import CellChangesFeed

app_name = "models_catalog"

urlpatterns = [
    path("models/", views.model_list, name="model_list"),
    path("models/<slug:slug>/", views.model_detail, name="model_detail"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/export.csv", views.matrix_export_csv, name="matrix_export_csv"),
    path("matrix/changes/", views.matrix_changes, name="matrix_changes"),
    path("matrix/changes/feed/", CellChangesFeed(), name="matrix_changes_feed"),
    path("api/matrix/", views.matrix_api, name="matrix_api"),
    path("licenses/<slug:slug>/", views.license_detail, name="license_detail"),
]
