"""What a post looks like on each channel before it is sent: how its text is counted, the limits it must meet,
the media each channel takes, and the UTM tags its links carry.

Pure: no I/O. Problems come back as codes with numeric parameters, for the UI to put into words.

Sizes: ``MiB`` where the platform says so in bytes (X: "5242880 bytes"); otherwise decimal ``MB``, the smaller
reading of "10 MB", so a file that passes here passes either reading there. "(common default)" marks a figure that
is widely quoted but that we found no platform document for; "(inferred)" one we reasoned out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

Counting = Literal["weighted", "utf16", "utf8", "chars"]

MiB = 1024 * 1024
MB = 1000 * 1000
GB = 1000 * MB

# --- X's weighted count (twitter-text config v3) -------------------------------------------------------------
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))  # code points weighing 1; all others weigh 2
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_MOD = "[\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]*"
_EMOJI = re.compile(
    rf"[\U0001f1e6-\U0001f1ff]{{2}}|[\u2600-\u27bf\U0001f000-\U0001faff]{_MOD}"
    rf"(?:\u200d[\u2600-\u27bf\U0001f000-\U0001faff]{_MOD})*"
)


def weighted_length(text: str) -> int:
    """X's count: NFC, every http(s) URL 23, an emoji sequence 2, Latin and common punctuation 1, CJK 2.

    Bare domains ("festa.shop") count by their letters, where X counts 23; X's own 400 catches that rare case."""
    text = unicodedata.normalize("NFC", text)
    total = 23 * len(_URL.findall(text))
    text = _URL.sub("", text)
    total += 2 * len(_EMOJI.findall(text))
    for ch in _EMOJI.sub("", text):
        total += 1 if any(lo <= ord(ch) <= hi for lo, hi in _LIGHT) else 2
    return total


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units (inferred from its entity offsets, which are in UTF-16 units)."""
    return len(text.encode("utf-16-le")) // 2


_COUNTERS = {
    "weighted": weighted_length,
    "utf16": telegram_length,
    "utf8": lambda text: len(text.encode("utf-8")),
    "chars": len,
}


# --- per-channel limits ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MediaKind:
    """One sort of attachment a channel takes: its content types, the largest file, how many per post."""

    name: str  # "image", "gif", "video", "document"
    types: frozenset[str]
    max_bytes: int
    max_count: int


@dataclass(frozen=True, slots=True)
class Limits:
    counting: Counting
    max_text: int | None  # None: the channel sets no limit on the text (say so in the UI, do not invent one)
    max_text_with_media: int | None = None  # a caption's limit, where it differs (Telegram)
    max_title: int | None = None  # None: the channel has no title, or none we check
    text_required: bool = True  # False: media alone makes a post
    media: tuple[MediaKind, ...] = ()
    max_media: int = 0  # all attachments of one post together; 0: text only
    mixed_media: bool = False  # True: kinds may be combined in one post (e-mail attachments)
    media_required: bool = False
    max_media_total: int | None = None  # bytes of all attachments together (e-mail)
    hashtags_allowed: bool = True
    note: str = ""

    def max_length(self, has_media: bool = False) -> int | None:
        if has_media and self.max_text_with_media is not None:
            return self.max_text_with_media
        return self.max_text

    def kind_of(self, content_type: str) -> MediaKind | None:
        ct = normalise_type(content_type)
        return next((kind for kind in self.media if ct in kind.types), None)


_JPEG, _PNG, _GIF, _WEBP, _BMP = "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"
_MP4, _PDF = "video/mp4", "application/pdf"

LIMITS: Mapping[str, Limits] = MappingProxyType(
    {
        # docs.x.com/x-api/media: image 5 MB, GIF 15 MB, video 512 MB; "up to 4 photos, 1 animated GIF or 1 video"
        "x": Limits(
            counting="weighted",
            max_text=280,
            text_required=False,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _WEBP}), 5 * MiB, 4),
                MediaKind("gif", frozenset({_GIF}), 15 * MiB, 1),
                MediaKind("video", frozenset({_MP4}), 512 * MiB, 1),
            ),
            max_media=4,
            note="280 weighted: URLs 23, CJK and emoji 2 (twitter-text v3)",
        ),
        # open.weibo.com/wiki/2/statuses/share: no "#话题#" in the status; pic JPEG/GIF/PNG "<5M", one. The
        # page still says 140 Chinese characters; posting takes 2,000 since 2016 (connectors/weibo.py agrees).
        # Weibo counts two Latin letters as one (inferred), so "chars" can only over-count. A share also needs a
        # link inside the app's safe domain: the connector appends the post's link (or the account's safe_url).
        "weibo": Limits(
            counting="chars",
            max_text=2000,
            media=(MediaKind("image", frozenset({_JPEG, _PNG, _GIF}), 5 * MB, 1),),
            max_media=1,
            hashtags_allowed=False,
            note="2000 characters, one picture, no #topic#",
        ),
        # draft/add: content "必须少于2万字符，小于1M"; the cover (thumb_media_id) a permanent image material
        # (Adding_Permanent_Assets: image 10 MB, bmp/png/jpeg/jpg/gif). Title 64: the MP editor's limit (common
        # default). No title: the connector takes the first line; no picture: the account's thumb_media_id.
        "wechat": Limits(
            counting="chars",
            max_text=19_999,
            max_title=64,
            media=(MediaKind("image", frozenset({_JPEG, _PNG, _GIF, _BMP}), 10 * MB, 1),),
            max_media=1,
            note="article: title ≤ 64, body < 20,000 characters, one cover picture",
        ),
        # Manual hand-off. Description 1000, video 4 GB, 35 pictures of 20 MB (common default).
        "douyin": Limits(
            counting="chars",
            max_text=1000,
            text_required=False,
            media=(
                MediaKind("video", frozenset({_MP4}), 4 * GB, 1),
                MediaKind("image", frozenset({_JPEG, _PNG, _WEBP}), 20 * MB, 35),
            ),
            max_media=35,
            media_required=True,
            note="posted by hand: one video, or a picture set",
        ),
        # Manual hand-off. Title 20, body 1000, up to 18 pictures, or one video (common default); picture 20 MB,
        # video 20 GB (common default).
        "xiaohongshu": Limits(
            counting="chars",
            max_text=1000,
            max_title=20,
            text_required=False,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _WEBP}), 20 * MB, 18),
                MediaKind("video", frozenset({_MP4}), 20 * GB, 1),
            ),
            max_media=18,
            media_required=True,
            note="posted by hand: title 20, body 1000, 1–18 pictures or one video",
        ),
        # core.telegram.org/bots/api: sendMessage text 1-4096, sendPhoto caption 0-1024, photo at most 10 MB.
        # Festa's connector sends one photo (no GIF: sendPhoto turns it into a still).
        "telegram": Limits(
            counting="utf16",
            max_text=4096,
            max_text_with_media=1024,
            text_required=False,
            media=(MediaKind("image", frozenset({_JPEG, _PNG, _WEBP}), 10 * MB, 1),),
            max_media=1,
            note="4096 UTF-16 units; a photo caption 1024",
        ),
        # No limit on the body. Subject: the connector sends at most 120 characters (RFC 5322 allows long folded
        # headers; clients show far fewer). Servers cap the message, commonly 25 MB (common default); base64 adds
        # a third, so 18 MB of attachments.
        "email": Limits(
            counting="chars",
            max_text=None,
            max_title=120,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _GIF, _WEBP}), 18 * MB, 10),
                MediaKind("video", frozenset({_MP4}), 18 * MB, 10),
                MediaKind("document", frozenset({_PDF}), 18 * MB, 10),
            ),
            max_media=10,
            mixed_media=True,
            max_media_total=18 * MB,
            note="no limit on the body; subject 120; attachments 18 MB together",
        ),
        # Group robots take text only. WeCom markdown ≤ 4096 bytes (developer.work.weixin.qq.com/document/path/
        # 91770; msgtype text: 2048), the strictest default of the bots Festa speaks to.
        "chat_bot": Limits(
            counting="utf8",
            max_text=4096,
            note="4096 UTF-8 bytes (WeCom markdown); text only",
        ),
        # docs.joinmastodon.org/user/posting: 500 characters, 4 attachments, images 16 MB, video 99 MB — the
        # defaults; an instance reports its own in /api/v2/instance. Mastodon counts a URL as 23 and counts
        # grapheme clusters, so "chars" can only over-count.
        "mastodon": Limits(
            counting="chars",
            max_text=500,
            text_required=False,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _GIF, _WEBP}), 16 * MB, 4),
                MediaKind("video", frozenset({_MP4}), 99 * MB, 1),
            ),
            max_media=4,
            note="500 characters (instance default), 4 pictures or 1 video",
        ),
        # Festa's embedded outbox: no platform behind it, so nothing but sanity limits (common default).
        "sandbox": Limits(
            counting="chars",
            max_text=None,
            text_required=False,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _GIF, _WEBP}), 20 * MB, 10),
                MediaKind("video", frozenset({_MP4}), 512 * MiB, 10),
            ),
            max_media=10,
            mixed_media=True,
            note="no platform: no text limit",
        ),
        # A generic JSON webhook: text only, no limit of its own.
        "webhook": Limits(counting="chars", max_text=None, note="text only, no limit"),
        # KOL partners and other hand-offs: a person posts it; only sanity limits (common default).
        "manual": Limits(
            counting="chars",
            max_text=None,
            text_required=False,
            media=(
                MediaKind("image", frozenset({_JPEG, _PNG, _GIF, _WEBP}), 20 * MB, 20),
                MediaKind("video", frozenset({_MP4}), 4 * GB, 20),
                MediaKind("document", frozenset({_PDF}), 20 * MB, 20),
            ),
            max_media=20,
            mixed_media=True,
            note="posted by hand: no text limit",
        ),
    }
)


def limits(channel: str) -> Limits:
    """The limits of a channel (a ``Channel`` value or a connector name)."""
    try:
        return LIMITS[str(channel)]
    except KeyError:
        raise KeyError(f"no limits known for channel {str(channel)!r}") from None


# --- problems ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, as a stable code and numbers for the UI's catalog. Media problems carry ``index``: the
    position of the file in the list that was checked."""

    code: str
    params: Mapping[str, int] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))


# Channels whose connector appends the post's (tagged) link to the text, on a line of its own, unless the text
# already holds it (connectors/x.py, mastodon.py, telegram.py, weibo.py: ``compose``); the link counts there.
LINK_IN_TEXT = frozenset({"x", "mastodon", "telegram", "weibo"})


def outgoing_text(channel: str, text: str, link: str | None) -> str:
    """The text as the channel's connector sends it: with the link appended where it does that."""
    if str(channel) in LINK_IN_TEXT and link and link not in text:
        return f"{text}\n{link}".strip()
    return text


def count(channel: str, text: str, has_media: bool = False) -> int:
    """The text's length as the channel counts it. Media do not change the count, only the limit
    (``Limits.max_length``); ``has_media`` keeps call sites alike."""
    return _COUNTERS[limits(channel).counting](text)


_HASHTAG = re.compile(r"#[^#\s]+#")  # Weibo's "#话题#"


def check_text(
    channel: str, text: str, title: str = "", has_media: bool = False, link: str | None = None
) -> list[Problem]:
    """Problems with a post's text and title on a channel; an empty list when it fits. The length counted is
    what goes out: the text with ``link`` where the channel's connector appends it (``outgoing_text``)."""
    rules, problems = limits(channel), []
    if not text.strip():
        if rules.text_required or not has_media:
            problems.append(Problem("empty"))
    else:
        n, most = count(channel, outgoing_text(channel, text, link)), rules.max_length(has_media)
        if most is not None and n > most:
            problems.append(Problem("too_long", {"length": n, "max": most}))
        if not rules.hashtags_allowed and _HASHTAG.search(_URL.sub(" ", text)):
            problems.append(Problem("hashtag_not_allowed"))
    if rules.max_title is not None and len(title) > rules.max_title:
        problems.append(Problem("title_too_long", {"length": len(title), "max": rules.max_title}))
    return problems


def check_media(channel: str, items: Sequence[tuple[str, str, int]]) -> list[Problem]:
    """Problems with a post's attachments, given as ``(filename, content_type, size in bytes)``.

    The content type is the caller's word; check the bytes with ``sniff_type`` / ``check_content`` first."""
    rules, problems = limits(channel), []
    if not items:
        return [Problem("media_required")] if rules.media_required else []
    if rules.max_media == 0:
        return [Problem("media_not_allowed", {"count": len(items)})]
    kinds: dict[str, int] = {}
    total = 0
    for index, (_name, content_type, size) in enumerate(items):
        kind = rules.kind_of(content_type)
        if kind is None:
            problems.append(Problem("media_type", {"index": index}))
            continue
        kinds[kind.name] = kinds.get(kind.name, 0) + 1
        total += max(size, 0)
        if size <= 0:
            problems.append(Problem("media_empty", {"index": index}))
        elif size > kind.max_bytes:
            problems.append(Problem("media_too_big", {"index": index, "size": size, "max": kind.max_bytes}))
    if len(kinds) > 1 and not rules.mixed_media:
        problems.append(Problem("mixed_media", {"kinds": len(kinds)}))
    over = [(n, kind.max_count) for kind in rules.media if (n := kinds.get(kind.name, 0)) > kind.max_count]
    if len(items) > rules.max_media:
        problems.append(Problem("too_many_media", {"count": len(items), "max": rules.max_media}))
    elif over:
        problems.append(Problem("too_many_media", {"count": over[0][0], "max": over[0][1]}))
    if rules.max_media_total is not None and total > rules.max_media_total:
        problems.append(Problem("media_total_too_big", {"size": total, "max": rules.max_media_total}))
    return problems


# --- what a file really is ---------------------------------------------------------------------------------------
_ALIASES = {"image/jpg": _JPEG, "image/pjpeg": _JPEG, "image/x-png": _PNG, "image/x-ms-bmp": _BMP}
# ISO base media brands that are MP4 video; HEIC/AVIF pictures and QuickTime share the ftyp box and are not.
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"mmp4"}
)


# BITMAPINFOHEADER sizes (LE): OS/2 core 12, 40 (the common one), 52, 56, 64, 108 (v4), 124 (v5)
_BMP_HEADERS = frozenset(n.to_bytes(4, "little") for n in (12, 40, 52, 56, 64, 108, 124))


def normalise_type(content_type: str) -> str:
    """``Image/JPG; charset=binary`` → ``image/jpeg``."""
    ct = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(ct, ct)


def sniff_type(data: bytes) -> str | None:
    """The content type the bytes begin with: JPEG, PNG, GIF, WebP, MP4 (and PDF, BMP); None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return _MP4
    if data.startswith(b"%PDF-"):
        return _PDF
    if data[:2] == b"BM" and len(data) >= 26 and data[6:10] == b"\0\0\0\0" and data[14:18] in _BMP_HEADERS:
        return _BMP
    return None


def check_content(items: Iterable[tuple[str, str, bytes]]) -> list[Problem]:
    """``media_type_mismatch`` for each ``(filename, content_type, data)`` whose bytes are not what it claims."""
    return [
        Problem("media_type_mismatch", {"index": index})
        for index, (_name, content_type, data) in enumerate(items)
        if sniff_type(data) != normalise_type(content_type)
    ]


# --- UTM tagging -------------------------------------------------------------------------------------------------
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
_MEDIUM = {"email": "email", "chat_bot": "chat"}
# A link in running text ends at whitespace, quotes, angle brackets and CJK punctuation; trailing ASCII
# punctuation is the sentence's, not the link's (a closing bracket only when it has no partner in the link).
_LINK = re.compile(r"https?://[^\s<>\"'，。、；：！？（）【】《》「」『』“”‘’…]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def tag_link(url: str, utm: Mapping[str, str]) -> str:
    """``url`` with the given ``utm_*`` parameters added (percent-encoded): http(s) only, the existing query and
    fragment kept byte for byte, a ``utm_*`` already in the URL never replaced, empty values skipped. Tagging
    twice changes nothing. ValueError for a key that is not one of ``UTM_KEYS`` (a typo would tag nothing)."""
    unknown = set(utm) - set(UTM_KEYS)
    if unknown:
        raise ValueError(f"not UTM parameters: {sorted(unknown)}")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    base, hash_, fragment = url.partition("#")
    head, _, query = base.partition("?")
    if not parts.path:  # "https://festa.shop" → "https://festa.shop/?utm_…"
        head += "/"
    present = {key for key, _value in parse_qsl(query, keep_blank_values=True)}
    added = [(key, utm[key]) for key in UTM_KEYS if utm.get(key) and key not in present]
    if not added:
        return url
    extra = urlencode(added, quote_via=quote, safe="")
    joined = f"{query}&{extra}" if query and not query.endswith("&") else f"{query}{extra}"
    return f"{head}?{joined}{hash_}{fragment}"


def tag_text(text: str, utm: Mapping[str, str]) -> str:
    """Every http(s) link in ``text`` tagged with ``tag_link``; the words around them untouched."""

    def one(match: re.Match[str]) -> str:
        link, tail = _split_tail(match.group(0))
        return tag_link(link, utm) + tail

    return _LINK.sub(one, text)


def find_links(text: str) -> list[str]:
    """The http(s) links in running text, as ``tag_text`` sees them."""
    return [_split_tail(m.group(0))[0] for m in _LINK.finditer(text)]


def _split_tail(candidate: str) -> tuple[str, str]:
    end = len(candidate)
    while end:
        ch = candidate[end - 1]
        if ch in _TRAILING or (ch in _PAIRS and candidate.count(_PAIRS[ch], 0, end) < candidate.count(ch, 0, end)):
            end -= 1
        else:
            break
    return candidate[:end], candidate[end:]


def utm_for(campaign_slug: str, channel: str, content: str | None = None) -> dict[str, str]:
    """The UTM parameters of a campaign's post on a channel: source the channel, medium social (email: email,
    chat bots: chat), campaign the slug, content (e.g. the variant) when given."""
    slug, source = campaign_slug.strip(), str(channel).strip()
    if not slug or not source:
        raise ValueError("a campaign slug and a channel are required")
    tags = {"utm_source": source, "utm_medium": _MEDIUM.get(source, "social"), "utm_campaign": slug}
    if content and content.strip():
        tags["utm_content"] = content.strip()
    return tags
