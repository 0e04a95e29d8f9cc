import pytest
from django.contrib.auth.models import Group

from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def editor(db):
    user = StaffFactory(username="eddie-editor", first_name="Eddie", last_name="Editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def publisher(db):
    user = StaffFactory(username="pat-publisher", first_name="Pat", last_name="Publisher")
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


@pytest.fixture
def reader(db):
    return UserFactory(username="rita-reader")
