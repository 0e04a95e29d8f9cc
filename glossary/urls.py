from django.urls import path

from glossary import views

app_name = "glossary"

urlpatterns = [
    path("glossary/", views.term_list, name="term_list"),
    path("glossary/<slug:slug>/", views.term_detail, name="term_detail"),
    path("api/glossary/", views.api_search, name="api_search"),
]
