import pytest
from django.urls import reverse

from models_catalog.models import Value
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_changes_feed_is_atom_with_old_and_new_values(client):
    cell = AssessmentFactory(value=Value.YES, note="First look.")
    cell.value = Value.NO
    cell.note = "Access was <script>alert(1)</script> withdrawn."
    cell.save()
    response = client.get(reverse("models_catalog:matrix_changes_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<feed" in xml and "http://www.w3.org/2005/Atom" in xml
    assert f"{cell.model.name} · {cell.feature.name}: ✅ Yes → ❌ No" in xml
    assert f"/models/{cell.model.slug}/#cell-{cell.feature.slug}" in xml
    # The note goes through the sanitizing renderer: no script survives, even escaped.
    assert "script" not in xml


def test_changes_feed_is_valid_with_no_changes(client):
    response = client.get(reverse("models_catalog:matrix_changes_feed"))
    assert response.status_code == 200
    assert "<entry>" not in response.content.decode()
