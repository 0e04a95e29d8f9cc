import pytest

from tests.factories import AIModelFactory, LicenseFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_model_and_licence_pages(client):
    model = AIModelFactory(slug="llama-3-1", license=LicenseFactory(slug="apache-2-0"))
    html = client.get("/sitemap.xml").content.decode()
    assert f"/models/{model.slug}/</loc>" in html
    assert "/licenses/apache-2-0/</loc>" in html
