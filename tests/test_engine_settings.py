"""Every setting resolved one way (tutorial/settings.py): secret → environment → default, a value that
does not parse counts as not set, and the app layer's secrets are asked anew on every lookup."""
from __future__ import annotations

from pathlib import Path

import pytest

from tutorial import paths, settings
from tutorial.store import legacy

pytestmark = pytest.mark.engine


@pytest.fixture
def clean(monkeypatch):
    """No secrets and none of the settings in the environment."""
    for name in settings.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "_secrets", None)
    return monkeypatch


def test_secret_before_environment_before_default(clean):
    assert settings.ray_address() is None and settings.ray_cpus() == 2.0 and settings.ray_trainings() == 0
    assert settings.progress_dir() == paths.PROGRESS_DIR_DEFAULT and settings.warm_start() is True
    assert settings.host_password() is None
    assert settings.max_parameters() == settings.SETTINGS[settings.MAX_PARAMETERS].default
    clean.setenv(settings.RAY_ADDRESS, "10.0.0.7:6379")
    clean.setenv(settings.RAY_CPUS, "4")
    clean.setenv(settings.WARM_START, "0")
    clean.setenv(settings.HOST_PASSWORD, "aus-der-umgebung")
    assert (settings.ray_address(), settings.ray_cpus(), settings.warm_start()) == ("10.0.0.7:6379", 4.0, False)
    settings.use_secrets({settings.RAY_ADDRESS: " 10.0.0.5:6379 ", settings.WARM_START: 1,
                          "kursleitung": {"passwort": "geheim"}, settings.MAX_TRAINING_MB: 900})
    assert settings.ray_address() == "10.0.0.5:6379" and settings.warm_start() is True
    assert settings.host_password() == "geheim"              # its place in the secrets: [kursleitung] passwort
    assert settings.ray_cpus() == 4.0 and settings.max_training_mb() == 900
    assert settings.max_training_mb(700) == 700               # an explicit value (a caller's argument) first


def test_a_value_that_does_not_parse_counts_as_not_set(clean):
    clean.setenv(settings.PARALLEL_TRAININGS, "4")
    settings.use_secrets({settings.PARALLEL_TRAININGS: "kaputt", settings.RAY_CPUS: "-1",
                          settings.RAY_ADDRESS: "   "})
    assert settings.parallel_trainings() == 4                 # the secret does not parse: the environment
    assert settings.parallel_trainings("0") == 4
    assert settings.ray_cpus() == 2.0 and settings.ray_address() is None
    clean.setenv(settings.MEMORY_LIMIT_MB, "2700")
    assert settings.memory_limit_mb() == 2700.0


def test_secrets_are_asked_on_every_lookup_and_a_broken_source_is_no_secret(clean, tmp_path):
    current = {"value": {settings.PROGRESS_DIR: str(tmp_path / "a")}}
    settings.use_secrets(lambda: current["value"])            # what tutorial.app.host hands in (st.secrets)
    assert settings.progress_dir() == tmp_path / "a" and legacy.legacy_directory() == tmp_path / "a"
    current["value"] = {settings.PROGRESS_DIR: str(tmp_path / "b")}   # AppTest swaps st.secrets per run
    assert legacy.legacy_directory() == tmp_path / "b"

    def broken():
        raise FileNotFoundError("no secrets.toml")

    settings.use_secrets(broken)
    clean.setenv(settings.PROGRESS_DIR, str(tmp_path / "c"))
    assert settings.progress_dir() == tmp_path / "c"
    settings.use_secrets({"kursleitung": "kein Abschnitt"})
    assert settings.host_password() is None


def test_every_setting_has_one_name_used_as_secret_key_and_environment_variable():
    assert all(name.startswith("TUTORIAL_") and s.name == name for name, s in settings.SETTINGS.items())
    documented = Path(settings.__file__).read_text(encoding="utf-8").split('"""')[1]
    assert all(name in documented for name in settings.SETTINGS)
