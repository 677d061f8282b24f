from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import ConfigError, Outcome, PostRequest, Scope
from connectors.sandbox import SandboxConnector

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


def test_sent_with_an_id_that_follows_the_post():
    c = SandboxConnector({})
    a = c.publish(PostRequest("双11 开抢", "post-1-v1"))
    assert a.outcome is Outcome.SENT and a.went_out and a.platform_id.startswith("sandbox-")
    assert c.publish(PostRequest("双11 开抢", "post-1-v1")).platform_id == a.platform_id
    assert c.publish(PostRequest("双11 开抢", "post-2-v1")).platform_id != a.platform_id


def test_it_plays_a_platform_in_trouble():
    limited = SandboxConnector({"behave": "rate_limited"}, clock=lambda: NOW).publish(PostRequest("x", "k"))
    assert (limited.outcome, limited.retry_at, limited.scope) == (Outcome.RATE_LIMITED, NOW + timedelta(minutes=15),
                                                                 Scope.ACCOUNT)  # fmt: skip
    assert limited.surely_not_sent and not limited.went_out
    unknown = SandboxConnector({"behave": "unknown"}).publish(PostRequest("x", "k"))
    assert unknown.outcome is Outcome.UNKNOWN and not unknown.surely_not_sent
    with pytest.raises(ConfigError) as err:
        SandboxConnector({"behave": "explode"})
    assert err.value.field == "behave"
