"""Editors get a clear message when a term or alias duplicates an existing one."""

import pytest
from django.urls import reverse

from glossary.models import Alias, Term
from tests.factories import TermFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:glossary_term_add")


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def llm():
    return TermFactory(term="Large language model", slug="large-language-model",
                       aliases=["LLM"])


def term_form(term, slug, aliases=(), **extra):
    data = {
        "term": term, "slug": slug, "definition": "A definition.", "body": "",
        "aliases-TOTAL_FORMS": str(len(aliases)), "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, name in enumerate(aliases):
        data[f"aliases-{i}-name"] = name
    data.update(extra)
    return data


def errors_of(response):
    return response.content.decode()


def test_adding_a_term_with_aliases_works(admin_client):
    response = admin_client.post(ADD, term_form("Fine-tuning", "fine-tuning", ["finetuning"]))
    assert response.status_code == 302
    assert Term.objects.get(slug="fine-tuning").aliases.get().name == "finetuning"


def test_term_duplicating_another_term_in_other_case_is_refused(admin_client, llm):
    response = admin_client.post(ADD, term_form("LARGE LANGUAGE MODEL", "llm-2"))
    assert response.status_code == 200
    assert "There is already a term called “Large language model”" in errors_of(response)
    assert Term.objects.count() == 1


def test_term_equal_to_another_terms_alias_is_refused(admin_client, llm):
    response = admin_client.post(ADD, term_form("llm", "llm"))
    assert response.status_code == 200
    assert "is already an alias of “Large language model”" in errors_of(response)
    assert not Term.objects.filter(slug="llm").exists()


def test_alias_equal_to_another_term_is_refused(admin_client, llm):
    response = admin_client.post(ADD, term_form("Chatbot", "chatbot", ["large language MODEL"]))
    assert response.status_code == 200
    assert "is already a term of its own (“Large language model”)" in errors_of(response)
    assert not Term.objects.filter(slug="chatbot").exists()


def test_alias_equal_to_another_terms_alias_is_refused(admin_client, llm):
    response = admin_client.post(ADD, term_form("Chatbot", "chatbot", ["Llm"]))
    assert response.status_code == 200
    assert "is already an alias of “Large language model”" in errors_of(response)


def test_alias_listed_twice_or_equal_to_own_name_is_refused(admin_client):
    response = admin_client.post(ADD, term_form("Token", "token", ["tok", "TOK"]))
    assert "is listed twice" in errors_of(response)
    response = admin_client.post(ADD, term_form("Token", "token", ["token"]))
    assert "cannot be the term’s own name" in errors_of(response)
    assert not Term.objects.exists()


def test_editing_a_term_keeps_its_own_aliases_valid(admin_client, llm):
    alias = llm.aliases.get()
    data = term_form("Large language model", llm.slug)
    data.update({
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "1",
        "aliases-0-id": str(alias.pk), "aliases-0-term": str(llm.pk), "aliases-0-name": "LLM",
    })
    response = admin_client.post(reverse("admin:glossary_term_change", args=[llm.pk]), data)
    assert response.status_code == 302


def test_standalone_alias_admin_refuses_duplicates(admin_client, llm):
    other = TermFactory(term="Chatbot")
    url = reverse("admin:glossary_alias_add")
    response = admin_client.post(url, {"name": "llm", "term": other.pk})
    assert "is already an alias of “Large language model”" in errors_of(response)
    response = admin_client.post(url, {"name": "Large Language Model", "term": other.pk})
    assert "is already a term of its own" in errors_of(response)
    assert Alias.objects.count() == 1


def test_term_list_search_filters_and_related_autocomplete(admin_client, llm):
    TermFactory(term="Token")
    changelist = reverse("admin:glossary_term_changelist")
    html = admin_client.get(changelist, {"q": "LLM"}).content.decode()
    assert "Large language model" in html and ">Token<" not in html
    assert admin_client.get(changelist, {"has_aliases": "no"}).status_code == 200
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "glossary", "model_name": "term", "field_name": "related", "term": "tok"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Token"]


def test_saving_a_term_from_a_form_opened_before_someone_elses_save_is_refused(admin_client, llm):
    llm.definition = "Rewritten by another editor meanwhile."
    llm.save()  # now at version 2; the form below was opened at version 1
    data = term_form(llm.term, llm.slug, definition="My older wording.", version="1")
    response = admin_client.post(reverse("admin:glossary_term_change", args=[llm.pk]), data)
    assert response.status_code == 200
    assert "Your changes were not saved" in errors_of(response)
    assert reverse("admin:glossary_term_history", args=[llm.pk]) in errors_of(response)
    llm.refresh_from_db()
    assert (llm.definition, llm.version) == ("Rewritten by another editor meanwhile.", 2)
