from django.urls import path

from articles import views
from articles.feeds import ArticleFeed
from kb.caching import public_page

app_name = "articles"

urlpatterns = [
    path("articles/", public_page(views.article_list), name="article_list"),
    path("articles/feed/", public_page(ArticleFeed()), name="feed"),
    path("articles/<slug:slug>/", public_page(views.article_detail), name="article_detail"),
]
