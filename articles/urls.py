from django.urls import path

from articles import views
from articles.feeds import ArticleFeed

app_name = "articles"

urlpatterns = [
    path("articles/", views.article_list, name="article_list"),
    path("articles/feed/", ArticleFeed(), name="feed"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
]
