"""Two editors, one row: the second save from a stale form is refused and nothing is lost.

Each test opens the same admin change form in two logged-in sessions, saves from the first, then
posts from the second exactly what its browser would send (the stale hidden version included).
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from glossary.models import Term
from kb.locking import EditConflict
from models_catalog.models import AIModel, Assessment, Value
from tests.admin_forms import form_data
from tests.factories import (
    AIModelFactory,
    ArticleFactory,
    AssessmentFactory,
    FeatureFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    client = Client()
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def bob():
    client = Client()
    client.force_login(UserFactory(username="bob", is_staff=True, is_superuser=True))
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def assert_refused(response, obj):
    assert response.status_code == 200
    page = response.content.decode()
    assert "was changed by alice" in page
    assert "Your changes were not saved" in page
    assert f'<a href="{history_url(obj)}">See what changed in its history</a>' in page


CASES = [
    # (factory, field edited by both editors, alice's value, bob's value)
    (lambda: ArticleFactory(title="Weights"), "summary", "Summary by Alice", "Summary by Bob"),
    (lambda: AIModelFactory(name="Llama"), "summary", "Summary by Alice", "Summary by Bob"),
    (lambda: TermFactory(term="Weights"), "definition", "Words by Alice.", "Words by Bob."),
    (lambda: AssessmentFactory(value=Value.YES), "note", "Note by Alice", "Note by Bob"),
]


@pytest.mark.parametrize(("make", "field", "mine", "theirs"), CASES)
def test_second_editor_of_the_same_row_is_refused_and_the_first_save_is_kept(
    alice, bob, make, field, mine, theirs
):
    obj = make()
    url = change_url(obj)
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))

    alice_form[field] = mine
    assert alice.post(url, alice_form).status_code == 302

    bob_form[field] = theirs
    response = bob.post(url, bob_form)

    assert_refused(response, obj)
    obj.refresh_from_db()
    assert getattr(obj, field) == mine
    assert obj.version == 2
    # Bob's typing is still in the re-shown form, for him to copy after reloading.
    assert theirs in response.content.decode()


@pytest.mark.parametrize(("make", "field", "mine", "theirs"), CASES)
def test_one_editor_saves_the_same_form_again_after_reloading(alice, make, field, mine, theirs):
    obj = make()
    url = change_url(obj)
    for value in (mine, theirs):
        data = form_data(alice.get(url))
        data[field] = value
        response = alice.post(url, data)
        assert response.status_code == 302, response.context["errors"] if response.context else ""
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs
    assert obj.version == 3


def test_change_form_carries_the_version_in_a_hidden_field(alice):
    model = AIModelFactory()
    model.save()
    page = alice.get(change_url(model)).content.decode()
    assert '<input type="hidden" name="version" value="2"' in page


def test_second_editor_of_the_same_cell_in_the_model_page_is_refused(alice, bob):
    cell = AssessmentFactory(value=Value.YES, note="Vendor says so.")
    model = cell.model
    url = change_url(model)
    alice_form, bob_form = form_data(alice.get(url)), form_data(bob.get(url))
    prefix = "assessments-0"
    assert alice_form[f"{prefix}-id"] == str(cell.pk)
    assert alice_form[f"{prefix}-version"] == "1"

    alice_form[f"{prefix}-note"] = "Alice checked the licence."
    assert alice.post(url, alice_form).status_code == 302

    bob_form[f"{prefix}-value"] = Value.NO
    response = bob.post(url, bob_form)

    assert_refused(response, cell)
    cell.refresh_from_db()
    assert (cell.value, cell.note) == (Value.YES, "Alice checked the licence.")
    assert cell.history.count() == 2


def test_a_new_cell_saved_in_the_model_page_starts_at_version_one(alice):
    model = AIModelFactory()
    feature = FeatureFactory()
    url = change_url(model)
    data = form_data(alice.get(url))
    data["assessments-0-value"] = Value.PARTIAL
    assert data["assessments-0-feature"] == str(feature.pk)
    assert alice.post(url, data).status_code == 302
    assert Assessment.objects.get(model=model, feature=feature).version == 1


def test_a_save_from_a_stale_copy_raises_and_writes_nothing():
    cell = AssessmentFactory(note="first")
    stale = Assessment.objects.get(pk=cell.pk)
    cell.note = "second"
    cell.save()
    stale.note = "stale"
    with pytest.raises(EditConflict):
        stale.save()
    cell.refresh_from_db()
    assert (cell.note, cell.version) == ("second", 2)


def test_a_race_between_the_check_and_the_write_is_refused_in_the_admin(alice, monkeypatch):
    """The form's check passed, then someone saved before this request wrote its row."""
    model = AIModelFactory(summary="original")
    url = change_url(model)
    data = form_data(alice.get(url))
    data["summary"] = "Summary by Alice"
    real_save = AIModel.save

    def someone_saves_first(self, *args, **kwargs):
        AIModel.objects.filter(pk=self.pk).update(summary="sneaky", version=self.version + 1)
        monkeypatch.setattr(AIModel, "save", real_save)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(AIModel, "save", someone_saves_first)
    response = alice.post(url, data, follow=True)
    assert "Your changes were not saved" in response.content.decode()
    # The refused request wrote nothing (the admin runs it in one transaction).
    model.refresh_from_db()
    assert (model.summary, model.version) == ("original", 1)


def test_the_bulk_verify_action_bumps_every_version(alice):
    cells = [AssessmentFactory() for _ in range(2)]
    response = alice.post(
        reverse("admin:models_catalog_assessment_changelist"),
        {"action": "mark_verified_today", "_selected_action": [c.pk for c in cells]},
    )
    assert response.status_code == 302
    assert set(Assessment.objects.values_list("version", flat=True)) == {2}


def test_reverting_from_history_works_and_bumps_the_version(alice):
    article = ArticleFactory(summary="first")
    article.summary = "second"
    article.save()
    oldest = article.history.order_by("history_date").first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, oldest.history_id])
    response = alice.post(url, form_data(alice.get(url)))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.summary, article.version) == ("first", 3)


def test_terms_and_models_keep_a_history_for_the_conflict_link(alice):
    term = TermFactory()
    model = AIModelFactory()
    for obj in (term, model):
        assert alice.get(history_url(obj)).status_code == 200
    assert Term.history.count() == 1 and AIModel.history.count() == 1
    assert Article.history.model._meta.get_field("history_id")
