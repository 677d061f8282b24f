"""E-mail over SMTP: STARTTLS by default, implicit TLS (465) or plain only for a local relay.

The envelope is sent step by step (MAIL, RCPT, DATA) so a failure is placed exactly: anything refused
before the message body was handed over surely did not go out; a drop or timeout once DATA started is
UNKNOWN. The Message-ID comes from the idempotency key, so a re-send of the same post is recognisable.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from urllib.parse import urlsplit

from connectors.base import DEFAULT_TIMEOUT, ConfigError, Outcome, PostRequest, PublishResult, Scope, redact

CREDENTIALS: tuple[str, ...] = ("host", "port", "security", "username", "password", "from", "to", "ca_file")
SECURITY = ("starttls", "tls", "none")  # tls = implicit TLS (port 465); none = local relays only
DEFAULT_PORT = {"starttls": 587, "tls": 465, "none": 25}
RATE_WORDS = re.compile(r"rate|too many|limit|throttl|4\.7\.\d", re.IGNORECASE)
RATE_WAIT = timedelta(minutes=5)
POLICY = SMTP.clone(cte_type="7bit")  # CRLF lines; non-ASCII bodies base64/QP, so no 8BITMIME is needed


class _Refused(Exception):
    """The server answered a command with an error reply (before DATA was accepted)."""

    def __init__(self, step: str, code: int, reply: bytes | str) -> None:
        super().__init__(step)
        self.step, self.code = step, code
        self.reply = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _addresses(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value or "") if part.strip()]


def _valid(address: str) -> bool:
    addr = parseaddr(address)[1]  # ASCII only: smtplib sends commands in ASCII (no SMTPUTF8)
    return addr.isascii() and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", addr) is not None


class EmailConnector:
    name = "email"

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        security = (credentials.get("security") or "starttls").strip().lower()
        if (credentials.get("use_tls") or "").strip().lower() in ("1", "true", "yes"):
            security = "tls"
        if security not in SECURITY:
            raise ConfigError("security", f"one of {', '.join(SECURITY)}")
        host = (credentials.get("host") or "").strip()
        port_text = (credentials.get("port") or "").strip()
        if base_url:  # tests and overrides: smtp://host:port or host:port
            parts = urlsplit(base_url if "//" in base_url else f"//{base_url}")
            host, port_text = parts.hostname or host, str(parts.port or port_text)
        if not host:
            raise ConfigError("host", "missing")
        if port_text and not port_text.isdigit():
            raise ConfigError("port", "not a number")
        sender = (credentials.get("from") or credentials.get("username") or "").strip()
        if not _valid(sender):
            raise ConfigError("from", "a sender address is required")
        self.to = _addresses(credentials.get("to", ""))
        if bad := [a for a in self.to if not _valid(a)]:
            raise ConfigError("to", f"not an address: {bad[0]}")
        self.username = (credentials.get("username") or "").strip()
        self.password = credentials.get("password") or ""
        if self.username and not self.password:
            raise ConfigError("password", "missing for the username")
        self.host, self.port = host, int(port_text or DEFAULT_PORT[security])
        self.security, self.sender, self.timeout = security, sender, timeout
        self.ca_file = (credentials.get("ca_file") or "").strip() or None  # trust this CA (self-hosted relays)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._secrets = [self.password]

    # --- the protocol --------------------------------------------------------------------------

    def publish(self, post: PostRequest) -> PublishResult:
        recipients = _addresses(post.options.get("to", "")) or self.to
        if not recipients:
            return PublishResult(Outcome.REJECTED, message="no recipients: set 'to' on the account or the post")
        if bad := [a for a in recipients if not _valid(a)]:
            return PublishResult(Outcome.REJECTED, message=f"not an e-mail address: {bad[0]}")
        message = self._message(post, recipients)
        data_started, smtp, refused = False, None, {}
        try:
            smtp = self._session()
            code, reply = smtp.mail(self.sender)
            if code != 250:
                raise _Refused("MAIL FROM", code, reply)
            for address in recipients:
                code, reply = smtp.rcpt(parseaddr(address)[1])
                if code not in (250, 251):
                    refused[address] = (code, reply)
            if len(refused) == len(recipients):  # SMTPRecipientsRefused, in smtplib's words
                raise _Refused("RCPT TO", *next(iter(refused.values())))
            data_started = True  # from here on, a drop or timeout leaves the outcome unknown
            code, reply = smtp.data(message.as_bytes())
            if code != 250:  # an explicit refusal of the body: the server did not take responsibility
                raise _Refused("end of DATA", code, reply)
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass  # accepted at 250 already
        except _Refused as exc:
            return self._refused(exc)
        except smtplib.SMTPDataError as exc:  # DATA itself refused (no 354): nothing handed over
            return self._refused(_Refused("DATA", exc.smtp_code, exc.smtp_error))
        except (smtplib.SMTPException, OSError) as exc:
            return self._failure(exc, data_started)
        finally:
            if smtp is not None:
                smtp.close()  # no QUIT on a broken session: it could wait a second timeout
        note = "; refused: " + ", ".join(f"{a} ({c})" for a, (c, _) in refused.items()) if refused else ""
        return PublishResult(
            Outcome.SENT,
            platform_id=message["Message-ID"],
            message=f"accepted by {self.host} for {len(recipients) - len(refused)} recipient(s){note}",
        )

    def check(self) -> PublishResult:
        """Connect, secure, log in and say NOOP: no mail is sent."""
        smtp = None
        try:
            smtp = self._session()
            smtp.noop()
            smtp.quit()
        except (smtplib.SMTPException, OSError) as exc:
            return self._failure(exc, data_started=False)
        finally:
            if smtp is not None:
                smtp.close()
        return PublishResult(Outcome.SENT, message=f"connected to {self.host}:{self.port} ({self.security})")

    # --- helpers -------------------------------------------------------------------------------

    def _session(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        helo = self.sender.rpartition("@")[2].strip(">") or "localhost"  # avoids a slow getfqdn()
        # Connecting in the constructor also gives STARTTLS the host name to verify.
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, local_hostname=helo, timeout=self.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, local_hostname=helo, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)  # raises SMTPNotSupportedError when not offered
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _message(self, post: PostRequest, recipients: list[str]) -> EmailMessage:
        message = EmailMessage(policy=POLICY)
        subject = " ".join((post.title or post.text).split())[:120] or "(no subject)"  # one line
        message["Subject"], message["From"], message["To"] = subject, self.sender, ", ".join(recipients)
        message["Date"] = format_datetime(self.clock())
        digest = hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<festa.{digest}@{self.sender.rpartition('@')[2].strip('>') or 'festa'}>"
        message.set_content(post.text + (f"\n\n{post.link}" if post.link else ""))
        if html := post.options.get("html"):
            message.add_alternative(html, subtype="html")
        for media in post.media:
            maintype, _, subtype = media.content_type.partition("/")
            if not subtype:
                maintype, subtype = "application", "octet-stream"
            message.add_attachment(media.data, maintype=maintype, subtype=subtype, filename=media.filename)
        return message

    def _refused(self, exc: _Refused) -> PublishResult:
        said = redact(f"{exc.step}: {exc.code} {exc.reply}", self._secrets)[:500]
        if 400 <= exc.code < 500:  # temporary: the server did not take the message
            if RATE_WORDS.search(exc.reply) or exc.code == 452:
                retry_at = self.clock() + RATE_WAIT
                return PublishResult(Outcome.RATE_LIMITED, retry_at=retry_at, scope=Scope.ACCOUNT, message=said)
            return PublishResult(Outcome.UNAVAILABLE, message=said)
        return PublishResult(Outcome.REJECTED, message=said)

    def _failure(self, exc: BaseException, data_started: bool) -> PublishResult:
        kind = type(exc).__name__
        said = redact(f"{kind}: {exc}", self._secrets)[:500]
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return PublishResult(Outcome.UNAUTHORIZED, message=f"login refused: {exc.smtp_code}")
        if isinstance(exc, smtplib.SMTPNotSupportedError | ssl.SSLCertVerificationError):
            # No STARTTLS/AUTH offered, or an untrusted certificate: a person must fix the account.
            return PublishResult(Outcome.UNAUTHORIZED, message=f"{said} (check security, port and ca_file)")
        if data_started:
            return PublishResult(Outcome.UNKNOWN, message=f"{said}: the message may have been delivered")
        if isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600:
            return PublishResult(Outcome.REJECTED, message=said)
        if isinstance(exc, ConnectionRefusedError | socket.gaierror | TimeoutError | smtplib.SMTPConnectError):
            return PublishResult(Outcome.UNAVAILABLE, message=f"could not reach {self.host}:{self.port}: {said}")
        return PublishResult(Outcome.UNAVAILABLE, message=said)  # before DATA nothing was handed over
