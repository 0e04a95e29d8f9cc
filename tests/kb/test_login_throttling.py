"""Failed admin logins are throttled per username AND address (django-axes)."""

import pytest
from axes.models import AccessAttempt

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Each attempt hashes a password; the production hasher would make this file slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail_five_times(client, username, address="10.0.0.1", **extra):
    return [attempt(client, username, "wrong", address, **extra) for _ in range(5)]


def test_four_failures_still_show_the_login_form(client):
    StaffFactory(username="ed")
    for _ in range(4):
        response = attempt(client, "ed", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()


def test_five_bad_logins_lock_that_user_from_that_address_with_a_clear_429_page(client):
    StaffFactory(username="ed")

    responses = fail_five_times(client, "ed")

    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many failed sign-in attempts" in body
    assert "60 minutes" in body
    assert attempt(client, "ed", "wrong").status_code == 429


def test_a_correct_password_while_locked_out_is_refused(client):
    StaffFactory(username="ed")
    fail_five_times(client, "ed")

    response = attempt(client, "ed", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_another_user_from_the_same_address_is_unaffected(client):
    StaffFactory(username="ed")
    StaffFactory(username="pat")
    fail_five_times(client, "ed")

    response = attempt(client, "pat", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_same_user_from_another_address_is_unaffected(client):
    StaffFactory(username="ed")
    fail_five_times(client, "ed", address="10.0.0.1")

    response = attempt(client, "ed", PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) > 0


def test_the_lock_is_recorded_for_the_pair_and_an_admin_can_see_it(client):
    StaffFactory(username="ed")
    fail_five_times(client, "ed")

    record = AccessAttempt.objects.get()
    assert (record.username, record.ip_address, record.failures_since_start) == (
        "ed",
        "10.0.0.1",
        5,
    )


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_throttled(client, settings):
    settings.KB_TRUSTED_PROXY_COUNT = 1
    StaffFactory(username="ed")
    proxy = "192.168.0.10"
    # The client may prepend anything it likes; only the entry the proxy appended counts.
    fail_five_times(client, "ed", address=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")

    locked = attempt(client, "ed", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    other_client = attempt(client, "ed", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert locked.status_code == 429
    assert other_client.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_dodge_the_lock(client):
    StaffFactory(username="ed")
    for n in range(5):
        attempt(client, "ed", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert attempt(client, "ed", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


def test_force_login_in_tests_still_works_with_axes_enabled(client, settings):
    assert settings.AXES_ENABLED is True
    client.force_login(StaffFactory(is_superuser=True))

    assert client.get("/admin/").status_code == 200
