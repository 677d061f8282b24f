"""The SMTP connector against a local aiosmtpd server: STARTTLS with a self-signed certificate, login,
refusals before DATA, a timeout after DATA, and a closed port."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from connectors.base import ConfigError, Media, Outcome, PostRequest
from connectors.email import EmailConnector

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
PASSWORD = "s3cret-app-password"
POST = PostRequest(
    text="双十一预售今晚开始。",
    idempotency_key="post-7-acct-3-r1",
    title="Festa: 11.11 presale",
    link="https://shop.example.com/?utm_source=festa",
    options={"html": "<p>双十一预售今晚开始。</p>"},
    media=(Media("poster.png", "image/png", b"\x89PNG\r\n\x1a\nfake"),),
)


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    """A self-signed certificate for localhost and 127.0.0.1: (cert path, server TLS context)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return str(cert_path), context


class Recorder:
    """Keeps accepted messages; answers RCPT for some addresses with a given reply; may stall on DATA."""

    def __init__(self, rcpt_replies=None, data_delay=0.0):
        self.rcpt_replies = rcpt_replies or {}
        self.data_delay = data_delay
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"festa@example.com" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(cert):
    """Start a server: ``start(handler, tls=True)`` -> port. STARTTLS is required and AUTH needs TLS."""
    controllers = []

    def start(handler, tls=True):
        port = free_port()
        kwargs = {"tls_context": cert[1], "require_starttls": True, "authenticator": authenticator} if tls else {}
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


def connector(port, cert_path=None, **overrides):
    credentials = {
        "host": "smtp.example.com",
        "username": "festa@example.com",
        "password": PASSWORD,
        "from": "Festa <festa@example.com>",
        "to": "news@example.com, team@example.com",
        "ca_file": cert_path or "",
    }
    credentials.update(overrides)
    credentials = {k: v for k, v in credentials.items() if v is not None}
    return EmailConnector(credentials, base_url=f"127.0.0.1:{port}", timeout=5, clock=lambda: NOW)


def test_starttls_login_and_message(smtp_server, cert):
    handler = Recorder()
    port = smtp_server(handler)
    result = connector(port, cert[0]).publish(POST)
    assert result.outcome is Outcome.SENT, result.message
    expected_id = f"<festa.{hashlib.sha256(POST.idempotency_key.encode()).hexdigest()[:32]}@example.com>"
    assert result.platform_id == expected_id
    (envelope,) = handler.messages
    assert envelope.mail_from == "festa@example.com"
    assert envelope.rcpt_tos == ["news@example.com", "team@example.com"]
    message = message_from_bytes(envelope.content, policy=default)
    assert message["Subject"] == POST.title and message["Message-ID"] == expected_id
    assert message["Date"] == "Tue, 24 Nov 2026 02:00:00 +0000"
    assert POST.link in message.get_body(("plain",)).get_content()
    assert "<p>" in message.get_body(("html",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "poster.png" and attachment.get_content() == POST.media[0].data


def test_same_post_same_message_id(smtp_server, cert):
    handler = Recorder()
    email = connector(smtp_server(handler), cert[0])
    assert email.publish(POST).platform_id == email.publish(POST).platform_id
    ids = {message_from_bytes(e.content)["Message-ID"] for e in handler.messages}
    assert len(handler.messages) == 2 and len(ids) == 1


def test_recipients_from_post_options(smtp_server, cert):
    handler = Recorder()
    post = PostRequest(text="hi", idempotency_key="k", options={"to": "vip@example.com"})
    assert connector(smtp_server(handler), cert[0]).publish(post).outcome is Outcome.SENT
    assert handler.messages[0].rcpt_tos == ["vip@example.com"]


def test_subject_is_one_line(smtp_server, cert):
    handler = Recorder()
    post = PostRequest(text="line one\nline two", idempotency_key="k", title="Big\r\nSale")
    assert connector(smtp_server(handler), cert[0]).publish(post).outcome is Outcome.SENT
    assert message_from_bytes(handler.messages[0].content, policy=default)["Subject"] == "Big Sale"


def test_no_recipients_rejected_without_connecting():
    email = connector(free_port(), to="")
    result = email.publish(PostRequest(text="hi", idempotency_key="k"))
    assert result.outcome is Outcome.REJECTED and "recipients" in result.message


def test_untrusted_certificate_is_unauthorized(smtp_server):
    handler = Recorder()
    result = connector(smtp_server(handler)).publish(POST)  # no ca_file: the self-signed cert is not trusted
    assert result.outcome is Outcome.UNAUTHORIZED
    assert handler.messages == []


def test_server_without_starttls_is_refused(smtp_server):
    handler = Recorder()
    result = connector(smtp_server(handler, tls=False), username="", password="").publish(POST)
    assert result.outcome is Outcome.UNAUTHORIZED and "STARTTLS" in result.message
    assert handler.messages == []


def test_plain_local_relay_when_asked(smtp_server):
    handler = Recorder()
    email = connector(smtp_server(handler, tls=False), security="none", username="", password="")
    assert email.publish(POST).outcome is Outcome.SENT
    assert len(handler.messages) == 1


def test_wrong_password_is_unauthorized(smtp_server, cert):
    handler = Recorder()
    result = connector(smtp_server(handler), cert[0], password="wrong-password").publish(POST)
    assert result.outcome is Outcome.UNAUTHORIZED
    assert "wrong-password" not in result.message and PASSWORD not in result.message
    assert handler.messages == []


def test_all_recipients_refused_is_rejected(smtp_server, cert):
    refuse = "550 5.1.1 <{}>: Recipient address rejected: User unknown"
    handler = Recorder({a: refuse.format(a) for a in ("news@example.com", "team@example.com")})
    result = connector(smtp_server(handler), cert[0]).publish(POST)
    assert result.outcome is Outcome.REJECTED and "550" in result.message
    assert handler.messages == []


def test_one_recipient_refused_still_sent(smtp_server, cert):
    handler = Recorder({"team@example.com": "550 5.1.1 User unknown"})
    result = connector(smtp_server(handler), cert[0]).publish(POST)
    assert result.outcome is Outcome.SENT and "team@example.com (550)" in result.message
    assert handler.messages[0].rcpt_tos == ["news@example.com"]


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        ("451 4.7.1 Rate limit exceeded, try again later", Outcome.RATE_LIMITED),
        ("452 4.5.3 Too many recipients", Outcome.RATE_LIMITED),
        ("450 4.2.0 Mailbox busy", Outcome.UNAVAILABLE),
        ("421 4.3.2 Service shutting down", Outcome.UNAVAILABLE),
    ],
)
def test_temporary_refusal_before_data_is_retryable(smtp_server, cert, reply, outcome):
    handler = Recorder({a: reply for a in ("news@example.com", "team@example.com")})
    result = connector(smtp_server(handler), cert[0]).publish(POST)
    assert result.outcome is outcome and result.surely_not_sent
    if outcome is Outcome.RATE_LIMITED:
        assert result.retry_at == NOW + timedelta(minutes=5)
    assert handler.messages == []


def test_timeout_after_data_is_unknown(smtp_server, cert):
    handler = Recorder(data_delay=3.0)
    email = connector(smtp_server(handler), cert[0])
    email.timeout = 0.5
    result = email.publish(POST)
    assert result.outcome is Outcome.UNKNOWN and "may have been delivered" in result.message


def test_connection_refused_is_unavailable():
    result = connector(free_port()).publish(POST)
    assert result.outcome is Outcome.UNAVAILABLE and result.surely_not_sent
    assert PASSWORD not in result.message


def test_check_connects_without_sending(smtp_server, cert):
    handler = Recorder()
    result = connector(smtp_server(handler), cert[0]).check()
    assert result.outcome is Outcome.SENT and handler.messages == []
    assert connector(free_port()).check().outcome is Outcome.UNAVAILABLE
    assert connector(smtp_server(Recorder()), cert[0], password="nope").check().outcome is Outcome.UNAUTHORIZED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"host": ""}, "host"),
        ({"security": "ssl3"}, "security"),
        ({"from": "not-an-address", "username": ""}, "from"),
        ({"password": ""}, "password"),
        ({"to": "a@example.com, nobody"}, "to"),
        ({"to": "张三@example.com"}, "to"),  # no SMTPUTF8
        ({"port": "smtp"}, "port"),
    ],
)
def test_config_errors(overrides, field):
    credentials = {
        "host": "smtp.example.com",
        "username": "festa@example.com",
        "password": PASSWORD,
        "from": "festa@example.com",
        **overrides,
    }
    with pytest.raises(ConfigError) as caught:
        EmailConnector(credentials)
    assert caught.value.field == field
    assert PASSWORD not in str(caught.value)


def test_use_tls_means_implicit_tls():
    email = EmailConnector({"host": "smtp.example.com", "from": "festa@example.com", "use_tls": "true"})
    assert (email.security, email.port) == ("tls", 465)


def test_implicit_tls(cert):
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=cert[1])
    controller.start()
    try:
        email = connector(port, cert[0], security="tls", username="", password="")
        assert email.publish(POST).outcome is Outcome.SENT
    finally:
        controller.stop()
    assert len(handler.messages) == 1
