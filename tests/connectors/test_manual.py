"""The manual connector: a hand-off to a named person, no network."""

from __future__ import annotations

import socket

from connectors.base import Outcome, PostRequest
from connectors.manual import CREDENTIALS, ManualConnector

POST = PostRequest(text="双十一 开箱视频", idempotency_key="post-9-acct-4-r1", title="11.11 unboxing")


def test_hand_off_names_the_assignee(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the manual connector must not touch the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    result = ManualConnector({"assignee": "Li Na <lina@example.com>", "platform": "Douyin"}).publish(POST)
    assert result.outcome is Outcome.HANDED_OFF and result.went_out
    assert "Li Na <lina@example.com>" in result.message and "Douyin" in result.message
    assert "mark it published with its URL" in result.message


def test_post_option_overrides_the_account_assignee():
    post = PostRequest(text="x", idempotency_key="k", options={"assignee": "kol-desk@example.com"})
    result = ManualConnector({"assignee": "Li Na"}).publish(post)
    assert result.outcome is Outcome.HANDED_OFF and "kol-desk@example.com" in result.message


def test_nobody_to_hand_to_is_rejected():
    result = ManualConnector({}).publish(POST)
    assert result.outcome is Outcome.REJECTED and "assignee" in result.message


def test_check_has_nothing_to_connect():
    result = ManualConnector({"assignee": "Li Na"}).check()
    assert result.outcome is Outcome.SENT and "nothing to connect" in result.message
    assert ManualConnector({}).check().outcome is Outcome.SENT
    assert "assignee" in CREDENTIALS
