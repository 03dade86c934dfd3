"""Settings from the environment: working defaults in development, clear refusals in production."""

import dataclasses
from pathlib import Path

import pytest

from engine.errors import ConfigurationError
from engine.settings import Settings

SECRET = "s" * 40


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_development_defaults_need_nothing(workdir):
    settings = Settings.from_environ({})
    assert settings.database_url == f"sqlite:///{workdir / 'var' / 'guichet.db'}"
    assert settings.catalogue_dir == workdir / "catalogue"
    assert settings.files_dir == workdir / "var" / "pieces"
    assert settings.mail_dir == workdir / "var" / "courriels"
    assert (settings.environment, settings.is_production) == ("development", False)
    assert settings.smtp_url is None
    assert settings.mail_from == "Province Sud <ne-pas-repondre@province-sud.nc>"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.max_upload_bytes == 50 * 1024 * 1024
    assert (settings.theme_name, settings.theme_primary, settings.theme_logo) == ("Province Sud", "#0b5d48", None)
    assert (workdir / "var").is_dir()


def test_the_development_secret_survives_a_restart(workdir):
    first = Settings.from_environ({}).secret_key
    assert len(first) >= 32
    assert Settings.from_environ({}).secret_key == first
    assert (workdir / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_are_frozen(workdir):
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings.from_environ({}).secret_key = "autre"  # type: ignore[misc]


def test_production_without_secret_refuses_to_start(workdir):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        Settings.from_environ({"GUICHET_ENV": "production"})
    with pytest.raises(ConfigurationError, match="32 caractères"):
        Settings.from_environ({"GUICHET_ENV": "production", "SECRET_KEY": "court"})
    assert not (workdir / "var" / "secret_key").exists()


def test_everything_can_be_set(workdir):
    settings = Settings.from_environ(
        {
            "GUICHET_ENV": "production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": "postgresql://guichet@db/guichet",
            "CATALOGUE_DIR": "/srv/catalogue",
            "FILES_DIR": "/srv/pieces",
            "SMTP_URL": "smtps://user:p%40ss@mail.province-sud.nc:465",
            "MAIL_FROM": "Guichet <guichet@province-sud.nc>",
            "BASE_URL": "https://demarches.province-sud.nc/",
            "MAX_UPLOAD_BYTES": "1000",
            "THEME_PRIMARY": "#ABCDEF",
            "THEME_LOGO": "/static/logo.svg",
        }
    )
    assert settings.is_production and settings.secret_key == SECRET
    assert settings.database_url == "postgresql://guichet@db/guichet"
    assert settings.catalogue_dir == Path("/srv/catalogue") and settings.files_dir == Path("/srv/pieces")
    assert settings.base_url == "https://demarches.province-sud.nc"
    assert (settings.max_upload_bytes, settings.theme_primary) == (1000, "#abcdef")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUICHET_ENV", "prod"),
        ("SMTP_URL", "http://mail"),
        ("SMTP_URL", "smtp://mail:port"),
        ("MAX_UPLOAD_BYTES", "50Mo"),
        ("THEME_PRIMARY", "red;} body{display:none"),
        ("THEME_LOGO", "javascript:alert(1)"),
        ("THEME_LOGO", "//evil.example/logo.svg"),
    ],
)
def test_malformed_values_are_refused_at_start_up(workdir, name, value):
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_environ({"SECRET_KEY": SECRET, name: value})
