import stat

import pytest

from app.config import Settings
from data.errors import SetupError

KEY = "x7P1Xo3V2kq0m6GfL9b5Jc8yTtWn4RaUeZsQhDdMvCI="


def test_defaults_put_sqlite_and_the_secret_key_in_the_data_dir(tmp_path):
    s = Settings.from_env({"FESTA_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'festa.db'}"
    assert (s.timezone, s.language, s.currency, s.address, s.port) == (
        "Asia/Shanghai",
        "zh-CN",
        "CNY",
        "127.0.0.1",
        8501,
    )
    key_file = tmp_path / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert s.secret_key == key_file.read_text().strip()
    assert len(s.secret_key) == 44  # a urlsafe-base64 32-byte (Fernet) key


def test_the_generated_key_is_made_once_and_reused(tmp_path):
    first = Settings.from_env({"FESTA_DATA_DIR": str(tmp_path)}).secret_key
    second = Settings.from_env({"FESTA_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second


def test_explicit_settings_win(tmp_path):
    s = Settings.from_env(
        {
            "FESTA_DATA_DIR": str(tmp_path),
            "FESTA_DATABASE_URL": "postgresql://festa:pw@db:5432/festa",
            "FESTA_TIMEZONE": "Europe/Berlin",
            "FESTA_LANGUAGE": "en",
            "FESTA_CURRENCY": "usd",
            "FESTA_SECRET_KEY": f"  {KEY} \n",
        }
    )
    assert (s.timezone, s.language, s.currency, s.secret_key) == ("Europe/Berlin", "en", "USD", KEY)
    assert not (tmp_path / "secret.key").exists()


def test_masked_settings_hide_password_and_key(tmp_path):
    s = Settings.from_env(
        {
            "FESTA_DATA_DIR": str(tmp_path),
            "FESTA_DATABASE_URL": "postgresql://festa:hunter2@db/festa",
            "FESTA_SECRET_KEY": KEY,
        }
    )
    shown = " ".join(s.masked().values())
    assert "hunter2" not in shown and KEY not in shown
    assert "festa:***@db" in shown


@pytest.mark.parametrize(
    "env, words",
    [
        ({"FESTA_DATABASE_URL": "not a url"}, "FESTA_DATABASE_URL is not a database URL"),
        ({"FESTA_DATABASE_URL": "mysql://x@y/z"}, "Festa runs on SQLite or PostgreSQL"),
        ({"FESTA_DATABASE_URL": "sqlite://"}, "in-memory SQLite"),
        ({"FESTA_TIMEZONE": "Mars/Olympus"}, "not an IANA time zone"),
        ({"FESTA_LANGUAGE": "fr"}, "use zh-CN or en"),
        ({"FESTA_CURRENCY": "XYZ"}, "not an ISO 4217 code"),
        ({"FESTA_PORT": "eighty"}, "FESTA_PORT"),
        ({"FESTA_SECRET_KEY": "hunter2"}, "not a Fernet key"),
        ({"FESTA_SECRET_KEY": f"{KEY}, nope"}, "key #2 of FESTA_SECRET_KEY"),
    ],
)
def test_bad_settings_say_what_is_wrong_and_what_to_do(tmp_path, env, words):
    with pytest.raises(SetupError) as err:
        Settings.from_env({"FESTA_DATA_DIR": str(tmp_path), **env})
    assert words in str(err.value)
    assert err.value.todo


def test_an_unwritable_data_dir_is_one_clear_error(tmp_path):
    blocker = tmp_path / "local"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SetupError) as err:
        Settings.from_env({"FESTA_DATA_DIR": str(blocker)})
    assert "cannot create the secret key" in err.value.what
    assert "FESTA_SECRET_KEY" in err.value.todo


@pytest.mark.parametrize(
    "url",
    ["postgresql://festa:hunter2@db:notaport/festa", "postgres//festa:hunter2@db/festa", "mysql://u:hunter2@h/d"],
)
def test_a_bad_url_is_one_line_and_never_shows_its_password(tmp_path, url):
    with pytest.raises(SetupError) as err:
        Settings.from_env({"FESTA_DATA_DIR": str(tmp_path), "FESTA_DATABASE_URL": url})
    assert "hunter2" not in str(err.value) and "hunter2" not in str(err.value.params)


def test_passwords_in_the_query_string_are_masked_too(tmp_path):
    s = Settings.from_env(
        {"FESTA_DATA_DIR": str(tmp_path), "FESTA_DATABASE_URL": "postgresql://db/festa?user=u&password=hunter2"}
    )
    assert "hunter2" not in s.masked()["FESTA_DATABASE_URL"]


def test_festa_keys_in_the_streamlit_secrets_file_are_read(tmp_path):
    from app.config import secrets_file

    path = tmp_path / "secrets.toml"
    path.write_text('FESTA_TIMEZONE = "Europe/Berlin"\nOTHER = "x"\n[auth]\nredirect_uri = "y"\n')
    assert secrets_file(path) == {"FESTA_TIMEZONE": "Europe/Berlin"}
    assert secrets_file(tmp_path / "missing.toml") == {}
    path.write_text("FESTA_TIMEZONE = ")
    with pytest.raises(SetupError, match="cannot read"):
        secrets_file(path)
