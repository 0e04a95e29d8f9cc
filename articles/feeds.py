from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.html import escape

from articles.models import Article
from kb.feeds import XmlSafeAtomFeed

FEED_LENGTH = 20


class ArticleFeed(Feed):
    """Atom feed of published explainers, newest first."""

    feed_type = XmlSafeAtomFeed
    title = f"{settings.KB_SITE_NAME}: explainers"
    link = reverse_lazy("articles:article_list")
    subtitle = "New explainers on open and closed AI models."

    def items(self):
        return (
            Article.objects.published()
            .prefetch_related("authors")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom sends the description as <summary type="html">, which feed readers render as HTML;
        # the summary is plain text, so escape it to reach the reader as the text it is.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [author.get_full_name() or author.get_username() for author in item.authors.all()]
        return ", ".join(names) or None
