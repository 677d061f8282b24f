"""campaigns/compose.py: counting, per-channel limits, media checks, content sniffing and UTM tagging."""

from __future__ import annotations

import string
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.compose import (
    LIMITS,
    UTM_KEYS,
    MiB,
    Problem,
    check_content,
    check_media,
    check_text,
    count,
    find_links,
    limits,
    normalise_type,
    outgoing_text,
    sniff_type,
    tag_link,
    tag_text,
    telegram_length,
    utm_for,
    weighted_length,
)
from campaigns.publishing import Channel

UTM = {"utm_source": "x", "utm_medium": "social", "utm_campaign": "double-11"}

# the first bytes of real files of each type
SAMPLES = {
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "video/mp4": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2",
    "application/pdf": b"%PDF-1.7\n",
    "image/bmp": b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x40\x00\x00\x00\x40\x00\x00\x00",
}


# --- counting ----------------------------------------------------------------------------------------------------
def test_the_connectors_count_with_the_same_functions():
    from connectors import telegram, x

    assert x.weighted_length is weighted_length
    assert telegram.telegram_length is telegram_length


@pytest.mark.parametrize(
    "text, length",
    [
        ("a" * 280, 280),
        ("双十一" * 10, 60),
        ("see https://festa.shop/a-very/long/path?utm_source=x&utm_medium=social", 4 + 23),
        ("👍", 2),
        ("👨\u200d👩\u200d👧", 2),
        ("🇨🇳", 2),
        ("“quote” – ok…", 14),
        ("e\u0301", 1),
        ("", 0),
        ("two https://a.com and http://b.org/x", 4 + 23 + 5 + 23),
    ],
)
def test_weighted_length(text, length):
    assert weighted_length(text) == length
    assert count("x", text) == length


def test_count_follows_each_channels_way():
    text = "节日😀"  # 2 BMP ideographs and one astral emoji
    assert count("telegram", text) == 4  # UTF-16 units: the emoji is a surrogate pair
    assert count("chat_bot", text) == 3 + 3 + 4  # UTF-8 bytes
    assert count("mastodon", text) == 3  # code points
    assert count(Channel.WEIBO, text) == 3
    assert count("x", text) == 6
    assert count("telegram", text, has_media=True) == count("telegram", text)


def test_unknown_channel_is_a_key_error():
    with pytest.raises(KeyError, match="myspace"):
        count("myspace", "hi")
    with pytest.raises(KeyError):
        limits("myspace")


# --- the table ---------------------------------------------------------------------------------------------------
def test_every_channel_and_connector_has_limits():
    for channel in Channel:
        assert limits(channel) is LIMITS[channel.value]
    for name in ("mastodon", "sandbox", "webhook", "manual"):
        assert name in LIMITS


def test_the_table_is_read_only():
    with pytest.raises(TypeError):
        LIMITS["x"] = LIMITS["mastodon"]  # type: ignore[index]


def test_the_figures_people_will_compare_with_the_platforms():
    assert (LIMITS["x"].counting, LIMITS["x"].max_text) == ("weighted", 280)
    assert (LIMITS["telegram"].counting, LIMITS["telegram"].max_length(), LIMITS["telegram"].max_length(True)) == (
        "utf16",
        4096,
        1024,
    )
    assert LIMITS["wechat"].max_title == 64 and LIMITS["xiaohongshu"].max_title == 20
    assert LIMITS["xiaohongshu"].max_media == 18 and LIMITS["mastodon"].max_text == 500
    assert LIMITS["email"].max_text is None  # no limit, said so rather than invented
    assert LIMITS["x"].kind_of("image/png").max_bytes == 5 * MiB
    assert LIMITS["x"].kind_of("image/gif").max_bytes == 15 * MiB
    assert LIMITS["x"].kind_of("video/mp4").max_bytes == 512 * MiB


def test_every_type_a_channel_takes_can_be_checked_by_its_bytes():
    for name, rules in LIMITS.items():
        assert rules.counting in ("weighted", "utf16", "utf8", "chars"), name
        assert (rules.max_media == 0) == (not rules.media), name
        for kind in rules.media:
            assert kind.max_bytes > 0 and 1 <= kind.max_count <= rules.max_media, (name, kind.name)
            for content_type in kind.types:
                assert sniff_type(SAMPLES[content_type]) == content_type, (name, content_type)


# --- text --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("channel", sorted(LIMITS))
def test_text_at_the_limit_passes_and_one_more_is_too_long(channel):
    most = LIMITS[channel].max_text
    if most is None:
        assert check_text(channel, "字" * 100_000) == []
        return
    unit = "a"  # weighs 1 in every counting
    assert check_text(channel, unit * most, title="T") == []
    assert check_text(channel, unit * (most + 1), title="T") == [Problem("too_long", {"length": most + 1, "max": most})]


def test_cjk_weighs_two_on_x_and_one_elsewhere():
    assert check_text("x", "节" * 140) == []
    assert check_text("x", "节" * 141)[0].params == {"length": 282, "max": 280}
    assert check_text("mastodon", "节" * 500) == []


def test_chat_bots_count_bytes():
    assert check_text("chat_bot", "节" * 1365) == []  # 4095 bytes
    assert check_text("chat_bot", "节" * 1366) == [Problem("too_long", {"length": 4098, "max": 4096})]


def test_a_telegram_caption_is_shorter_than_a_message():
    text = "a" * 2000
    assert check_text("telegram", text) == []
    assert check_text("telegram", text, has_media=True) == [Problem("too_long", {"length": 2000, "max": 1024})]
    assert check_text("telegram", "😀" * 512, has_media=True) == []  # 1024 UTF-16 units
    assert check_text("telegram", "😀" * 513, has_media=True)[0].code == "too_long"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(text):
    assert check_text("mastodon", text) == [Problem("empty")]
    assert check_text("x", text, has_media=True) == []  # a picture alone is a post on X
    assert check_text("weibo", text, has_media=True) == [Problem("empty")]  # Weibo wants a status
    assert check_text("email", text, has_media=True) == [Problem("empty")]


def test_titles():
    assert check_text("xiaohongshu", "正文", title="标" * 20) == []
    assert check_text("xiaohongshu", "正文", title="标" * 21) == [Problem("title_too_long", {"length": 21, "max": 20})]
    assert check_text("wechat", "正文", title="标" * 65) == [Problem("title_too_long", {"length": 65, "max": 64})]
    assert check_text("wechat", "正文") == []  # the connector takes the first line as the title
    assert check_text("email", "body", title="s" * 121)[0].code == "title_too_long"
    assert check_text("x", "hi", title="t" * 1000) == []  # X has no title: nothing to check


def test_weibo_share_refuses_topic_hashtags_but_not_url_fragments():
    assert check_text("weibo", "#双十一# 开抢") == [Problem("hashtag_not_allowed")]
    assert check_text("weibo", "开抢 https://festa.shop/#/promo#top") == []
    assert check_text("weibo", "第 #1 名 and #2") == []
    assert check_text("x", "#双十一# 开抢") == []


def test_problems_are_codes_with_numbers_only():
    problems = check_text("xiaohongshu", "a" * 5000, title="b" * 50) + check_media(
        "x", [("a.mov", "video/quicktime", 1), ("b.png", "image/png", 6 * MiB), ("c.mp4", "video/mp4", 0)]
    )
    assert problems
    for problem in problems:
        assert problem.code.isidentifier() and problem.code == problem.code.lower()
        assert all(isinstance(v, int) for v in problem.params.values())
    assert len({*problems}) == len(problems)  # hashable despite the dict


# --- media -------------------------------------------------------------------------------------------------------
def pics(n, content_type="image/jpeg", size=1000):
    return [(f"p{i}.jpg", content_type, size) for i in range(n)]


def test_x_takes_four_pictures_or_one_gif_or_one_video():
    assert check_media("x", pics(4)) == []
    assert check_media("x", pics(5)) == [Problem("too_many_media", {"count": 5, "max": 4})]
    assert check_media("x", pics(2, "image/gif")) == [Problem("too_many_media", {"count": 2, "max": 1})]
    assert check_media("x", pics(2, "video/mp4")) == [Problem("too_many_media", {"count": 2, "max": 1})]
    assert check_media("x", pics(1) + pics(1, "video/mp4")) == [Problem("mixed_media", {"kinds": 2})]
    assert check_media("x", pics(1, "video/mp4", 512 * MiB)) == []
    assert check_media("x", pics(1, "image/gif", 15 * MiB)) == []


def test_sizes_per_kind():
    assert check_media("x", pics(1, "image/png", 5 * MiB)) == []
    assert check_media("x", [("a.png", "image/png", 5 * MiB + 1)]) == [
        Problem("media_too_big", {"index": 0, "size": 5 * MiB + 1, "max": 5 * MiB})
    ]
    assert check_media("x", pics(1, "image/gif", 15 * MiB + 1))[0].code == "media_too_big"
    assert check_media("weibo", pics(1, size=5_000_001))[0].code == "media_too_big"
    assert check_media("telegram", pics(1, size=10_000_000)) == []


def test_types_each_channel_refuses():
    assert check_media("telegram", pics(1, "image/gif")) == [Problem("media_type", {"index": 0})]
    assert check_media("weibo", pics(1, "image/webp")) == [Problem("media_type", {"index": 0})]
    assert check_media("x", [("a.pdf", "application/pdf", 10), ("b.jpg", "image/jpeg", 10)]) == [
        Problem("media_type", {"index": 0})
    ]
    assert check_media("wechat", pics(1, "image/bmp")) == []


def test_content_types_are_normalised():
    assert normalise_type("Image/JPG; charset=binary") == "image/jpeg"
    assert check_media("x", pics(1, " IMAGE/PJPEG ")) == []


def test_empty_files_and_text_only_channels():
    assert check_media("x", [("a.jpg", "image/jpeg", 0)]) == [Problem("media_empty", {"index": 0})]
    assert check_media("chat_bot", pics(1)) == [Problem("media_not_allowed", {"count": 1})]
    assert check_media("webhook", []) == []


def test_hand_off_channels_need_a_picture_or_a_video():
    assert check_media("xiaohongshu", []) == [Problem("media_required")]
    assert check_media("douyin", []) == [Problem("media_required")]
    assert check_media("xiaohongshu", pics(18)) == []
    assert check_media("xiaohongshu", pics(19)) == [Problem("too_many_media", {"count": 19, "max": 18})]
    assert check_media("xiaohongshu", pics(1) + pics(1, "video/mp4"))[0].code == "mixed_media"
    assert check_media("x", []) == []


def test_email_attachments_mix_but_share_one_message():
    mixed = [("a.pdf", "application/pdf", 1000), ("b.png", "image/png", 1000), ("c.mp4", "video/mp4", 1000)]
    assert check_media("email", mixed) == []
    big = [("a.pdf", "application/pdf", 10_000_000), ("b.pdf", "application/pdf", 10_000_000)]
    assert check_media("email", big) == [Problem("media_total_too_big", {"size": 20_000_000, "max": 18_000_000})]


# --- sniffing ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content_type", sorted(SAMPLES))
def test_sniff_known_types(content_type):
    assert sniff_type(SAMPLES[content_type]) == content_type
    assert sniff_type(SAMPLES[content_type] + b"\x00" * 100) == content_type


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8",  # truncated JPEG
        b"GIF90a",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # audio in the same container as WebP
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",  # a HEIC picture: ftyp, but not MP4
        b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00",  # QuickTime
        b"\x00\x00\x00\x1cftypavif",
        b"BMP is not a bitmap",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"MZ\x90\x00",  # a Windows executable
        b"PK\x03\x04",
    ],
)
def test_sniff_refuses_everything_else(data):
    assert sniff_type(data) is None


def test_check_content_catches_a_lying_upload():
    items = [
        ("ok.png", "image/png", SAMPLES["image/png"]),
        ("fake.png", "image/png", b"MZ\x90\x00 this is an exe"),
        ("jpg-alias.jpg", "image/jpg", SAMPLES["image/jpeg"]),
        ("renamed.png", "image/png", SAMPLES["image/gif"]),
    ]
    assert check_content(items) == [
        Problem("media_type_mismatch", {"index": 1}),
        Problem("media_type_mismatch", {"index": 3}),
    ]


# --- UTM ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, tagged",
    [
        (
            "https://festa.shop/a?b=1#top",
            "https://festa.shop/a?b=1&utm_source=x&utm_medium=social&utm_campaign=double-11#top",
        ),
        ("https://festa.shop", "https://festa.shop/?utm_source=x&utm_medium=social&utm_campaign=double-11"),
        ("http://festa.shop/?", "http://festa.shop/?utm_source=x&utm_medium=social&utm_campaign=double-11"),
        ("HTTPS://Festa.Shop/a?", "HTTPS://Festa.Shop/a?utm_source=x&utm_medium=social&utm_campaign=double-11"),
        ("https://festa.shop/a?b=1&", "https://festa.shop/a?b=1&utm_source=x&utm_medium=social&utm_campaign=double-11"),
        (  # a utm_* already there is the writer's choice: kept, and not added twice
            "https://festa.shop/?utm_source=kol_anna&x=1",
            "https://festa.shop/?utm_source=kol_anna&x=1&utm_medium=social&utm_campaign=double-11",
        ),
        (  # the fragment of a single-page app keeps its own "?"
            "https://festa.shop/#/promo?tab=1",
            "https://festa.shop/?utm_source=x&utm_medium=social&utm_campaign=double-11#/promo?tab=1",
        ),
        (  # existing encodings are not touched
            "https://festa.shop/s?q=a+b%20c&flag",
            "https://festa.shop/s?q=a+b%20c&flag&utm_source=x&utm_medium=social&utm_campaign=double-11",
        ),
    ],
)
def test_tag_link(url, tagged):
    assert tag_link(url, UTM) == tagged
    assert tag_link(tagged, UTM) == tagged


@pytest.mark.parametrize(
    "url",
    ["mailto:shop@festa.shop", "tel:+8610123", "weixin://dl/business", "javascript:alert(1)", "/promo", "festa.shop",
     "ftp://festa.shop/a", "https://", "http://[::1", ""],
)  # fmt: skip
def test_tag_link_leaves_other_links_alone(url):
    assert tag_link(url, UTM) == url


def test_tag_link_encodes_values():
    tagged = tag_link("https://festa.shop/", {"utm_campaign": "双十一 2025&a=b#c", "utm_term": "a/b+c"})
    assert (
        tagged == "https://festa.shop/?utm_campaign=%E5%8F%8C%E5%8D%81%E4%B8%80%202025%26a%3Db%23c&utm_term=a%2Fb%2Bc"
    )
    assert dict(parse_qsl(urlsplit(tagged).query)) == {"utm_campaign": "双十一 2025&a=b#c", "utm_term": "a/b+c"}


def test_tag_link_skips_empty_values_and_refuses_typos():
    assert tag_link("https://festa.shop/", {"utm_source": "", "utm_medium": "social"}) == (
        "https://festa.shop/?utm_medium=social"
    )
    assert tag_link("https://festa.shop/", {}) == "https://festa.shop/"
    with pytest.raises(ValueError, match="utm_campagin"):
        tag_link("https://festa.shop/", {"utm_campagin": "x"})


def test_tag_text_finds_links_in_running_text():
    text = (
        "双十一开抢：https://festa.shop/a，快来！(details: https://festa.shop/b). "
        "Wiki https://en.wikipedia.org/wiki/Singles%27_Day_(China), and https://festa.shop/c?x=1; "
        "mail shop@festa.shop 「https://festa.shop/d」 <https://festa.shop/e>"
    )
    tagged = tag_text(text, {"utm_source": "weibo"})
    assert tagged == (
        "双十一开抢：https://festa.shop/a?utm_source=weibo，快来！(details: https://festa.shop/b?utm_source=weibo). "
        "Wiki https://en.wikipedia.org/wiki/Singles%27_Day_(China)?utm_source=weibo, and "
        "https://festa.shop/c?x=1&utm_source=weibo; mail shop@festa.shop 「https://festa.shop/d?utm_source=weibo」 "
        "<https://festa.shop/e?utm_source=weibo>"
    )
    assert tag_text(tagged, {"utm_source": "weibo"}) == tagged


@pytest.mark.parametrize(
    "tail", [".", ",", ")", "。", "，", "）", "!", "?", ":", ";", "…", "」", "'", '"', "...", ")."]
)
def test_trailing_punctuation_is_not_part_of_the_link(tail):
    assert find_links(f"go https://festa.shop/a{tail} now") == ["https://festa.shop/a"]


def test_text_without_links_is_unchanged():
    text = "满300减50，仅限今天 festa.shop"
    assert tag_text(text, UTM) == text


def test_utm_for():
    assert utm_for("double-11", Channel.WEIBO) == {
        "utm_source": "weibo",
        "utm_medium": "social",
        "utm_campaign": "double-11",
    }
    assert utm_for("d11", "email")["utm_medium"] == "email"
    assert utm_for("d11", Channel.CHAT_BOT)["utm_medium"] == "chat"
    assert utm_for("d11", "x", content="variant-b")["utm_content"] == "variant-b"
    assert "utm_content" not in utm_for("d11", "x", content="  ")
    assert tag_link("https://festa.shop/", utm_for("d11", "x", "v1")).endswith(
        "?utm_source=x&utm_medium=social&utm_campaign=d11&utm_content=v1"
    )
    with pytest.raises(ValueError):
        utm_for(" ", "x")


# --- properties --------------------------------------------------------------------------------------------------
_word = st.text(alphabet=string.ascii_letters + string.digits + "-_.~", min_size=1, max_size=8)
_value = st.text(max_size=12)
_params = st.lists(st.tuples(_word, _value), max_size=4)
_utm = st.dictionaries(st.sampled_from(UTM_KEYS), st.text(max_size=10), max_size=5)


@st.composite
def urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(st.sampled_from(["festa.shop", "a.b.example", "127.0.0.1:8501", "xn--fiqs8s.cn"]))
    path = "/".join(draw(st.lists(_word, max_size=3)))
    pairs = draw(_params)
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs)
    fragment = draw(st.one_of(st.just(""), _word.map(lambda w: "#" + w)))
    url = f"{scheme}://{host}/{path}" + (f"?{query}" if query else "") + fragment
    return url, pairs


@given(urls(), _utm)
def test_tagging_twice_is_tagging_once(url_pairs, utm):
    url, _ = url_pairs
    once = tag_link(url, utm)
    assert tag_link(once, utm) == once


@given(urls(), _utm)
def test_existing_params_and_fragment_are_kept(url_pairs, utm):
    url, pairs = url_pairs
    tagged = tag_link(url, utm)
    parts, before = urlsplit(tagged), urlsplit(url)
    assert parts.fragment == before.fragment and parts.netloc == before.netloc
    got = parse_qsl(parts.query, keep_blank_values=True)
    assert got[: len(pairs)] == pairs  # the old ones first, unchanged
    added = dict(got[len(pairs) :])
    assert set(added) <= set(UTM_KEYS)
    assert all(key not in dict(pairs) for key in added)  # never overrides
    assert added == {k: v for k, v in utm.items() if v and k not in dict(pairs)}


@given(st.text(max_size=60), _utm)
def test_tag_link_is_idempotent_on_any_string(text, utm):
    once = tag_link(text, utm)
    assert tag_link(once, utm) == once


@given(st.lists(st.one_of(st.text(max_size=12), urls().map(lambda u: " " + u[0] + " ")), max_size=6), _utm)
def test_tag_text_is_idempotent_and_keeps_the_words(chunks, utm):
    text = "".join(chunks)
    once = tag_text(text, utm)
    assert tag_text(once, utm) == once
    assert tag_text(text, {}) == text


# --- the text as it goes out ---------------------------------------------------------------------------------------
LINK = "https://festa.example/sale?utm_source=mastodon&utm_medium=social&utm_campaign=double-11"


def test_the_link_counts_where_the_connector_appends_it():
    text = "a" * (500 - len(LINK))  # fits alone; with its line break and the link, one over
    assert check_text("mastodon", text) == []
    assert check_text("mastodon", text, link=LINK) == [Problem("too_long", {"length": 501, "max": 500})]
    assert check_text("x", "a" * 256, link=LINK) == []  # 256 + the line break + 23 for any URL = 280
    assert check_text("x", "a" * 257, link=LINK) == [Problem("too_long", {"length": 281, "max": 280})]
    assert check_text("x", f"{'a' * 257} {LINK}", link=LINK)[0].params["length"] == 281  # in the text: once
    assert outgoing_text("email", "hi", LINK) == "hi" and outgoing_text("x", "hi", None) == "hi"


@pytest.mark.parametrize("name", ["x", "mastodon", "telegram"])
def test_what_is_counted_is_what_the_connector_sends(name):
    import importlib

    from connectors.base import PostRequest

    connector = importlib.import_module(f"connectors.{name}")
    for text, link in (("hello", LINK), (f"see {LINK}", LINK), ("hello", None), ("", LINK)):
        assert connector.compose(PostRequest(text, "k", link=link)) == outgoing_text(name, text, link)
