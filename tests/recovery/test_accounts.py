"""Signing in and out, lockout, passwords, language and time zone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from recovery.models import User


def test_anonymous_user_is_sent_to_the_login_page(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_demo_user_signs_in_and_sees_their_authority(cast, client: Client, password: str) -> None:
    response = client.post(
        reverse("login"), {"username": "alice", "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == cast.alice
    assert "Economic and Financial Crimes Commission" in response.text
    assert "Case officer" in response.text


def test_wrong_password_is_refused_with_a_message_in_the_users_language(
    cast, client: Client
) -> None:
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    with translation.override("fr"):
        expected = translation.gettext(
            "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
        )
    assert str(expected).split("%")[0] in response.text
    assert (
        expected
        != "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    )


def test_repeated_failed_logins_lock_the_account(
    cast, client: Client, password: str, settings
) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 429
    assert "Account locked" in response.text
    assert not client.session.get("_auth_user_id")


def test_sign_out_needs_a_post_and_ends_the_session(cast) -> None:
    client = cast.client(cast.alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_keeps_the_user_signed_in(cast, password: str) -> None:
    client = cast.client(cast.alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a-much-longer-pass-2026")
    assert cast.alice.password.startswith("argon2")


def test_weak_new_password_is_refused_and_nothing_changes(cast, password: str) -> None:
    client = cast.client(cast.alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(password)


def test_password_reset_sends_a_link_that_sets_a_new_password(cast, client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "brand-new-secret-2026", "new_password2": "brand-new-secret-2026"},
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("brand-new-secret-2026")


def test_password_reset_for_an_unknown_address_reveals_nothing(db: None, client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_language_switch_is_remembered_on_the_user(cast) -> None:
    client = cast.client(cast.alice)
    response = client.post(reverse("language-set"), {"language": "zh-hans", "next": "/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    cast.alice.refresh_from_db()
    assert cast.alice.language == "zh-hans"
    # A new browser (no cookie) still gets Chinese.
    other = Client()
    other.force_login(cast.alice)
    page = other.get("/")
    assert page.context["LANGUAGE_CODE"] == "zh-hans"
    assert '<html lang="zh-hans" dir="ltr">' in page.text


def test_arabic_pages_are_right_to_left(cast) -> None:
    client = cast.client(cast.alice)
    client.post(reverse("language-set"), {"language": "ar"})
    page = client.get("/")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "bootstrap.rtl" in page.text


def test_unknown_language_code_falls_back_to_english(cast) -> None:
    client = cast.client(cast.alice)
    client.post(reverse("language-set"), {"language": "xx-klingon"})
    cast.alice.refresh_from_db()
    assert cast.alice.language == "en"


def test_language_switch_never_redirects_off_site(cast) -> None:
    client = cast.client(cast.alice)
    response = client.post(
        reverse("language-set"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_anonymous_language_choice_lives_in_a_cookie(db: None, client: Client) -> None:
    client.post(reverse("language-set"), {"language": "ru"})
    page = client.get(reverse("login"))
    assert '<html lang="ru"' in page.text


def test_times_are_shown_in_the_users_time_zone(cast) -> None:
    client = cast.client(cast.alice)
    response = client.post(reverse("profile"), {"language": "en", "time_zone": "Asia/Shanghai"})
    assert response.status_code == 302
    page = client.get(reverse("profile"))
    assert "Asia/Shanghai" in page.text


def test_unknown_time_zone_is_refused_and_nothing_changes(cast) -> None:
    client = cast.client(cast.alice)
    response = client.post(reverse("profile"), {"language": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    cast.alice.refresh_from_db()
    assert cast.alice.time_zone == "UTC"


def test_session_expires_after_inactivity(settings) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.parametrize("username,expected", [("sam", 200), ("alice", 302), ("olga", 302)])
def test_only_system_administrators_enter_the_admin(cast, username: str, expected: int) -> None:
    user = User.objects.get(username=username)
    response = cast.client(user).get("/admin/")
    assert response.status_code == expected


def test_system_administrator_manages_users_in_the_admin(cast) -> None:
    client = cast.client(cast.sam)
    assert client.get("/admin/recovery/user/").status_code == 200
    assert client.get(f"/admin/recovery/user/{cast.alice.pk}/change/").status_code == 200
    assert client.get("/admin/networks/authority/").status_code == 200
