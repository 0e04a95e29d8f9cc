from django.urls import path

from glossary import views
from kb.caching import public_page

app_name = "glossary"

urlpatterns = [
    path("glossary/", public_page(views.term_list), name="term_list"),
    path("glossary/<slug:slug>/", public_page(views.term_detail), name="term_detail"),
    path("api/glossary/", public_page(views.api_search), name="api_search"),
]
