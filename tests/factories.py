"""Factories for every model; tests build their data here, never from the demo content."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Status, Tag
from glossary.models import Alias, Term
from models_catalog.models import (
    AccessChannel,
    AIModel,
    Assessment,
    Feature,
    FeatureGroup,
    License,
    Modality,
    Openness,
    Organization,
    Value,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct horse battery")
        if create:
            self.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lab {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    url = "https://example.org/"


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Licence {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    spdx_id = "Apache-2.0"
    url = "https://www.apache.org/licenses/LICENSE-2.0"
    osi_approved = True
    allows_commercial_use = True
    allows_modification = True
    allows_redistribution = True
    summary = "A permissive licence."


class ModalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Modality
        django_get_or_create = ("slug",)

    name = "Text"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AccessChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessChannel
        django_get_or_create = ("slug",)

    name = "API"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AIModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AIModel

    name = factory.Sequence(lambda n: f"Model {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    organization = factory.SubFactory(OrganizationFactory)
    release_date = datetime.date(2024, 7, 23)
    openness = Openness.OPEN_WEIGHTS
    license = factory.SubFactory(LicenseFactory)
    summary = "A model used in tests."
    description = "A model used in **tests**."
    featured = True


class FeatureGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeatureGroup
        django_get_or_create = ("slug",)

    name = "Access"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    order = 1


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    name = factory.Sequence(lambda n: f"Feature {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    question = factory.LazyAttribute(lambda o: f"Does it support {o.name.lower()}?")
    help_text = "What this feature means."
    group = factory.SubFactory(FeatureGroupFactory)
    order = factory.Sequence(lambda n: n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    model = factory.SubFactory(AIModelFactory)
    feature = factory.SubFactory(FeatureFactory)
    value = Value.YES
    note = "Documented by the vendor."
    sources = factory.LazyFunction(
        lambda: [{"url": "https://example.org/evidence", "title": "Evidence"}]
    )
    verified_on = factory.LazyFunction(timezone.localdate)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        skip_postgeneration_save = True

    term = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.term))
    definition = factory.LazyAttribute(lambda o: f"A short definition of {o.term}.")
    body = "A longer explanation."

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):
        for name in extracted or []:
            Alias.objects.create(term=self, name=name)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = "Basics"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Explainer {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "What this explainer covers."
    body = "## Why it matters\n\nSome **Markdown** text."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
