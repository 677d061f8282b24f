import pytest

from connectors import registry
from connectors.base import ConfigError, Outcome, PostRequest


def test_every_connector_is_listed_with_its_credentials_and_speaks_the_protocol():
    assert set(registry.CONNECTORS) >= {"sandbox", "x", "mastodon", "telegram", "weibo", "wechat", "email", "manual",
                                        "wecom", "dingtalk", "feishu", "slack", "webhook"}  # fmt: skip
    for name, (cls, fields) in registry.CONNECTORS.items():
        assert cls.name == name and callable(cls.publish) and callable(cls.check)
        assert all(isinstance(f, str) and f for f in fields)


def test_build_gives_a_working_sandbox_and_refuses_missing_credentials():
    assert registry.build("sandbox", {}).publish(PostRequest("hi", "k")).outcome is Outcome.SENT
    with pytest.raises(ConfigError):
        registry.build("telegram", {})
    for name in ("weibo", "wechat"):
        with pytest.raises(ConfigError):
            registry.build(name, {})
    with pytest.raises(KeyError):
        registry.build("myspace", {})
