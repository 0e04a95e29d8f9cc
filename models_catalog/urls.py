from django.urls import path

from kb.caching import public_page
from models_catalog import views
from models_catalog.feeds import CellChangesFeed

app_name = "models_catalog"

urlpatterns = [
    path("models/", public_page(views.model_list), name="model_list"),
    path("models/compare/", public_page(views.compare), name="compare"),
    path("models/<slug:slug>/", public_page(views.model_detail), name="model_detail"),
    path("matrix/", public_page(views.matrix), name="matrix"),
    path("matrix/export.csv", public_page(views.matrix_export_csv), name="matrix_export_csv"),
    path("matrix/changes/", public_page(views.matrix_changes), name="matrix_changes"),
    path("matrix/changes/feed/", public_page(CellChangesFeed()), name="matrix_changes_feed"),
    path("api/matrix/", public_page(views.matrix_api), name="matrix_api"),
    path("licenses/<slug:slug>/", public_page(views.license_detail), name="license_detail"),
]
