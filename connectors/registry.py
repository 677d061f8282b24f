"""The explicit list of connectors: registry key -> class and the credential fields it needs."""

from __future__ import annotations

from collections.abc import Mapping

from connectors import email, manual, mastodon, sandbox, telegram, webhook, wechat, weibo, x
from connectors.base import Connector

CONNECTORS: dict[str, tuple[type, tuple[str, ...]]] = {
    "sandbox": (sandbox.SandboxConnector, sandbox.CREDENTIALS),
    "x": (x.XConnector, x.CREDENTIALS),
    "mastodon": (mastodon.MastodonConnector, mastodon.CREDENTIALS),
    "telegram": (telegram.TelegramConnector, telegram.CREDENTIALS),
    "weibo": (weibo.WeiboConnector, weibo.CREDENTIALS),
    "wechat": (wechat.WeChatConnector, wechat.CREDENTIALS),
    "email": (email.EmailConnector, email.CREDENTIALS),
    "manual": (manual.ManualConnector, manual.CREDENTIALS),
    **{name: (cls, webhook.CREDENTIALS) for name, cls in webhook.CONNECTORS.items()},
}


def build(name: str, credentials: Mapping[str, str], **options) -> Connector:
    """A connector for one account; KeyError for an unknown name, ConfigError for bad credentials."""
    cls, _ = CONNECTORS[name]
    return cls(credentials, **options)


def fields(name: str) -> tuple[str, ...]:
    return CONNECTORS[name][1]
