"""Settings from the environment (the console also passes FESTA_* keys from st.secrets)."""

from __future__ import annotations

import base64
import binascii
import os
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name

from data.engine import parse_url, shown
from data.errors import SetupError

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("zh-CN", "en")
_LANGUAGE_ALIASES = {"zh": "zh-CN", "zh-cn": "zh-CN", "zh_cn": "zh-CN", "zh-hans": "zh-CN", "en": "en"}
SECRET_FILE = "secret.key"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"
    currency: str = "CNY"
    address: str = "127.0.0.1"
    port: int = 8501
    worker_tick_seconds: int = 5
    session_idle_minutes: int = 120
    session_max_hours: int = 12
    secret_key: str = field(default="", repr=False)
    secret_source: str = "FESTA_SECRET_KEY"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``env`` (default: FESTA_* keys of .streamlit/secrets.toml, then the
        environment, which wins). Every process reads the same file, so they agree."""
        env = {**secrets_file(), **os.environ} if env is None else env
        data_dir = Path(env.get("FESTA_DATA_DIR") or ROOT / "data" / "local").expanduser()
        url = env.get("FESTA_DATABASE_URL") or f"sqlite:///{data_dir / 'festa.db'}"
        parse_url(url)  # a malformed URL fails here, with its one-line message
        secret, source = _secret_key(env.get("FESTA_SECRET_KEY"), data_dir)
        _check_keys(secret, source)
        return cls(
            database_url=url,
            data_dir=data_dir,
            timezone=_timezone(env.get("FESTA_TIMEZONE", "Asia/Shanghai")),
            language=_language(env.get("FESTA_LANGUAGE", "zh-CN")),
            currency=_currency(env.get("FESTA_CURRENCY", "CNY")),
            address=env.get("FESTA_ADDRESS", "127.0.0.1"),
            port=_int("FESTA_PORT", env.get("FESTA_PORT", "8501"), 1, 65535),
            worker_tick_seconds=_int("FESTA_WORKER_TICK_SECONDS", env.get("FESTA_WORKER_TICK_SECONDS", "5"), 1, 3600),
            session_idle_minutes=_int(
                "FESTA_SESSION_IDLE_MINUTES", env.get("FESTA_SESSION_IDLE_MINUTES", "120"), 1, 7 * 24 * 60
            ),
            session_max_hours=_int("FESTA_SESSION_MAX_HOURS", env.get("FESTA_SESSION_MAX_HOURS", "12"), 1, 24 * 30),
            secret_key=secret,
            secret_source=source,
        )

    def masked(self) -> dict[str, str]:
        """What `doctor` prints: every setting, passwords and keys masked."""
        url = shown(parse_url(self.database_url))
        return {
            "FESTA_DATABASE_URL": url,
            "FESTA_DATA_DIR": str(self.data_dir),
            "FESTA_TIMEZONE": self.timezone,
            "FESTA_LANGUAGE": self.language,
            "FESTA_CURRENCY": self.currency,
            "FESTA_ADDRESS": self.address,
            "FESTA_PORT": str(self.port),
            "FESTA_WORKER_TICK_SECONDS": str(self.worker_tick_seconds),
            "FESTA_SESSION_IDLE_MINUTES": str(self.session_idle_minutes),
            "FESTA_SESSION_MAX_HOURS": str(self.session_max_hours),
            "FESTA_SECRET_KEY": f"*** ({len(self.secret_keys)} key(s), from {self.secret_source})",
        }

    @property
    def secret_keys(self) -> list[str]:
        """FESTA_SECRET_KEY may list several keys, newest first, comma-separated (for rotation)."""
        return [k.strip() for k in self.secret_key.split(",") if k.strip()]


def secrets_file(path: Path | None = None) -> dict[str, str]:
    """Top-level FESTA_* keys of .streamlit/secrets.toml (where Streamlit keeps secrets)."""
    path = path or ROOT / ".streamlit" / "secrets.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SetupError(
            f"cannot read {path} ({exc})", "fix or remove that file", "secrets_file", path=str(path), reason=str(exc)
        ) from None
    return {k: str(v) for k, v in data.items() if k.startswith("FESTA_") and not isinstance(v, dict)}


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupError(
            f"FESTA_TIMEZONE {name!r} is not an IANA time zone", "use e.g. Asia/Shanghai", "timezone", value=name
        ) from None
    return name


def _language(raw: str) -> str:
    lang = _LANGUAGE_ALIASES.get(raw.strip().lower())
    if lang is None:
        raise SetupError(f"FESTA_LANGUAGE {raw!r} is not supported", "use zh-CN or en", "language", value=raw)
    return lang


def _currency(raw: str) -> str:
    code = raw.strip().upper()
    try:
        known = len(code) == 3 and get_currency_name(code, locale="en") != code
    except UnknownLocaleError:  # pragma: no cover - "en" always exists
        known = False
    if not known:
        raise SetupError(
            f"FESTA_CURRENCY {raw!r} is not an ISO 4217 code", "use e.g. CNY or USD", "currency", value=raw
        )
    return code


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise SetupError(
            f"{name} {raw!r} is not a whole number from {low} to {high}",
            f"set {name} to one",
            "whole_number",
            name=name,
            value=raw,
            low=low,
            high=high,
        )
    return value


def _check_keys(raw: str, source: str) -> None:
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    for i, key in enumerate(keys or [""], 1):
        try:
            ok = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise SetupError(
                f"key #{i} of FESTA_SECRET_KEY (from {source}) is not a Fernet key (urlsafe base64 of 32 bytes)",
                "generate one with `python -m app new-key`",
                "secret_key_format",
                index=i,
                source=source,
            )


def _secret_key(given: str | None, data_dir: Path) -> tuple[str, str]:
    """FESTA_SECRET_KEY, else the key in data_dir, generated once (mode 0600)."""
    if given and given.strip():
        return given.strip(), "FESTA_SECRET_KEY"
    path = data_dir / SECRET_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made before, or by another process just now
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(base64.urlsafe_b64encode(os.urandom(32)) + b"\n")  # a Fernet key
        for _ in range(20):  # a racing process may not have written its key yet
            key = path.read_text().strip()
            if key:
                return key, str(path)
            time.sleep(0.05)
        raise SetupError(
            f"the secret key file {path} is empty",
            "delete it to have a new key made, or restore it",
            "secret_empty",
            path=str(path),
        )
    except OSError as exc:
        raise SetupError(
            f"cannot create the secret key in {data_dir} ({exc.strerror or exc})",
            "make that folder writable, or set FESTA_SECRET_KEY (and FESTA_DATABASE_URL) explicitly",
            "secret_dir",
            folder=str(data_dir),
            reason=str(exc.strerror or exc),
        ) from None
