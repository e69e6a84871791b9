"""Tests for fanzha.screening._normalize and the offsets of fanzha.screening._offsets."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.screening import _normalize, _offsets
from fanzha.screening._normalize import normalize, normalize_text
from fanzha.screening._rules import default_engine
from tests.screening.normalize_before import normalize_text_before

CASES = [
    # 1. width, NFKC, enclosed digits, case
    pytest.param("ＡＢＣ１２３，？", "abc123,?", id="fullwidth"),
    pytest.param("①②③ ⑴ ⒈ ❶", "123 1 1 1", id="enclosed-digits"),
    pytest.param("x² H₂O", "x2 h2o", id="super-subscripts"),
    pytest.param("加🅥🅧", "加微信", id="negative-circled-letters"),
    pytest.param("Hello World", "hello world", id="lower-case"),
    # 2. traditional → simplified
    pytest.param("點擊鏈接領取獎勵", "点击链接领取奖励", id="t2s-click-link"),
    pytest.param("銀行帳戶", "银行帐户", id="t2s-bank-account"),
    pytest.param("請於今日內辦理", "请于今日内办理", id="t2s-yu"),
    # 3. invisible characters
    pytest.param("刷\u200b单\u200d返\ufeff利", "刷单返利", id="zero-width"),
    pytest.param("兼\u00ad职\u2060日\u2063结", "兼职日结", id="soft-hyphen-word-joiner"),
    pytest.param("刷\u0336单\u0337返\u0332利", "刷单返利", id="strike-underline-marks"),
    pytest.param("加\ufe0f微\ufe0e信", "加微信", id="variation-selectors"),
    pytest.param("\u202e信微加", "信微加", id="bidi-override"),
    pytest.param("1\ufe0f\u20e33\ufe0f\u20e3", "13", id="keycap"),
    # 4. decoration and spacing
    pytest.param("刷★单", "刷单", id="star"),
    pytest.param("刷*单", "刷单", id="asterisk"),
    pytest.param("刷|单", "刷单", id="bar"),
    pytest.param("兼.职", "兼职", id="dot"),
    pytest.param("刷💰单", "刷单", id="emoji"),
    pytest.param("返~利", "返利", id="tilde"),
    pytest.param("返～利", "返利", id="fullwidth-tilde"),
    pytest.param("刷 ★ 单", "刷单", id="star-and-spaces"),
    pytest.param("刷 单 返 利", "刷单返利", id="spaced-cjk"),
    pytest.param("加 微 信", "加微信", id="spaced-add-wechat"),
    pytest.param("刷\u3000单", "刷单", id="ideographic-space"),
    pytest.param("  good   morning \t all  ", "good morning all", id="latin-spaces-collapse"),
    pytest.param("你好\n\n  明天见", "你好\n明天见", id="line-breaks-kept"),
    # 5. homoglyphs
    pytest.param("раураl", "paypal", id="cyrillic-paypal"),
    pytest.param("а о е р с х", "a o e p c x", id="cyrillic-letters"),
    pytest.param("Ο ο ı", "o o i", id="greek-dotless"),
    pytest.param("𝟘𝟙𝟚𝟡 𝐚𝐛𝐜", "0129 abc", id="math-alphanumerics"),
    pytest.param("1З8OO138OOO", "13800138000", id="digit-run-letters"),
    pytest.param("电话:l38OOl38OOO", "电话:13800138000", id="digit-run-leading-ell"),
    pytest.param("qq:9876543l0", "qq:987654310", id="qq-number-ell"),
    # 6. contact-app words
    pytest.param("薇信", "微信", id="wechat-wei-rose"),
    pytest.param("威信", "微信", id="wechat-wei-power"),
    pytest.param("徽信", "微信", id="wechat-wei-badge"),
    pytest.param("V信", "微信", id="wechat-v-xin"),
    pytest.param("v信", "微信", id="wechat-v-xin-lower"),
    pytest.param("VX", "微信", id="wechat-vx-upper"),
    pytest.param("vx", "微信", id="wechat-vx"),
    pytest.param("V❤", "微信", id="wechat-v-heart"),
    pytest.param("v.x", "微信", id="wechat-v-dot-x"),
    pytest.param("微x", "微信", id="wechat-wei-x"),
    pytest.param("wx", "微信", id="wechat-wx"),
    pytest.param("威❤", "微信", id="wechat-wei-heart"),
    pytest.param("➕V", "加微信", id="wechat-heavy-plus-v"),
    pytest.param("+V", "加微信", id="wechat-plus-v"),
    pytest.param("加V", "加微信", id="wechat-add-v"),
    pytest.param("加v", "加微信", id="wechat-add-v-lower"),
    pytest.param("➕V：abc123", "加微信:abc123", id="wechat-handle"),
    pytest.param("加√信", "加微信", id="wechat-check-mark"),
    pytest.param("加我vx：abc", "加我微信:abc", id="wechat-in-sentence"),
    pytest.param("加薇：kk8899", "加微信:kk8899", id="wechat-add-wei-rose"),
    pytest.param("加薇详聊", "加微信详聊", id="wechat-add-wei-rose-in-sentence"),
    pytest.param("加威:abc", "加微信:abc", id="wechat-add-wei-power-handle"),
    pytest.param("加徽 abc", "加微信 abc", id="wechat-add-wei-badge-handle"),
    pytest.param("扣扣", "qq", id="qq-koukou"),
    pytest.param("加扣扣", "加qq", id="qq-add-koukou"),
    pytest.param("企鹅号123456", "qq号123456", id="qq-penguin-number"),
    pytest.param("加企鹅", "加qq", id="qq-add-penguin"),
    pytest.param("QQ", "qq", id="qq-upper"),
    pytest.param("q q", "qq", id="qq-spaced"),
    pytest.param("加q", "加qq", id="qq-add-q"),
    pytest.param("加Q", "加qq", id="qq-add-q-upper"),
    pytest.param("加扣:12345", "加qq:12345", id="qq-add-kou-number"),
    pytest.param("123扣扣", "123 qq", id="qq-after-digits-spaced"),
    pytest.param("纸飞机", "telegram", id="telegram-paper-plane"),
    pytest.param("TG:abc", "telegram:abc", id="telegram-tg"),
    pytest.param("电报号", "telegram号", id="telegram-telegraph-number"),
    pytest.param("加飞机", "加telegram", id="telegram-add-plane"),
    # 7. Chinese numerals in number runs
    pytest.param("幺三八零零一三八零零零", "13800138000", id="numerals-phone"),
    pytest.param("QQ 九八七六五四三二一", "qq 987654321", id="numerals-qq"),
    pytest.param("壹叁捌零零壹叁捌零零零", "13800138000", id="numerals-capital"),
    pytest.param("1三8〇〇13800〇", "13800138000", id="numerals-mixed"),
    pytest.param("二〇二四年", "二〇二四年", id="numerals-year-short"),
    pytest.param("什么三八零零一", "什么38001", id="numerals-after-shenme"),
]

UNCHANGED = [
    pytest.param("vip", id="vip"),
    pytest.param("wxyz", id="wxyz"),
    pytest.param("tv", id="tv"),
    pytest.param("vlog", id="vlog"),
    pytest.param("ctrl+v", id="ctrl-plus-v"),
    pytest.param("+86 138 0013 8000", id="phone-with-country-code"),
    pytest.param("坐飞机去北京", id="plane-travel"),
    pytest.param("买飞机票", id="plane-ticket"),
    pytest.param("增加扣款", id="add-deduction"),
    pytest.param("参加薇薇的生日会", id="name-weiwei"),
    pytest.param("增加威力", id="add-power"),
    pytest.param("企鹅是一种鸟", id="penguin"),
    pytest.param("微芯片", id="microchip"),
    pytest.param("三十万", id="thirty-myriad"),
    pytest.param("第一", id="first"),
    pytest.param("一二", id="one-two"),
    pytest.param("一三五", id="one-three-five"),
    pytest.param("一二三四五", id="five-plain-numerals"),
    pytest.param("这个东西怎么样", id="zenme"),
    pytest.param("已经是简体的文本,干部发现了问题。", id="simplified-text"),
    pytest.param("乾隆年间,于是著名的沈先生来了", id="simplified-valid-trad-chars"),
    pytest.param("https://example.com/a.b?x=1", id="url"),
    pytest.param("1.5元, 100ml, 2oo", id="numbers-and-units"),
    pytest.param("你好,世界!", id="punctuation-kept"),
    pytest.param("google", id="google"),
    pytest.param("oil lol 2024", id="short-letter-digit-tokens"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_gives_text_and_offsets(raw: str, expected: str) -> None:
    normalized = normalize(raw)
    assert normalized.text == expected
    assert normalized.original == raw
    assert len(normalized.offsets()) == len(expected)


@pytest.mark.parametrize("raw", UNCHANGED)
def test_ordinary_text_unchanged(raw: str) -> None:
    assert normalize_text(raw) == raw


@pytest.mark.parametrize(
    ("raw", "needle", "original"),
    [
        pytest.param("请➕V：abc123", "微信", "V", id="expanded-handle"),
        pytest.param("请加V：abc123", "加微信", "加V", id="add-handle"),
        pytest.param("刷★单返利", "刷单", "刷★单", id="decoration-inside"),
        pytest.param("点击鏈接领取", "链接", "鏈接", id="traditional"),
        pytest.param("\u200b刷 单", "刷单", "刷 单", id="leading-invisible"),
        pytest.param("ＱＱ：幺三八零零", "38", "三八", id="numerals"),
        pytest.param("e\u0301t\u00e9 vx", "微信", "vx", id="after-composition"),
    ],
)
def test_original_spans_point_at_original(raw: str, needle: str, original: str) -> None:
    normalized = normalize(raw)
    start = normalized.text.index(needle)
    [(begin, end)] = normalized.original_spans([(start, start + len(needle))])
    assert raw[begin:end] == original


def test_original_spans_empty_and_end() -> None:
    normalized = normalize("刷★单")
    assert normalized.original_spans([(1, 1), (2, 2)]) == [(2, 2), (3, 3)]
    assert normalize("刷单").original_spans([(1, 1), (2, 2)]) == [(1, 1), (2, 2)]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(-1, 1, id="negative"),
        pytest.param(2, 1, id="reversed"),
        pytest.param(0, 9, id="past-end"),
    ],
)
def test_original_spans_rejects_bad_span(start: int, end: int) -> None:
    with pytest.raises(InvalidInput, match="outside the normalised text"):
        normalize("刷单").original_spans([(start, end)])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("\ud800", id="lone-surrogate"),
        pytest.param("a\udfffb\ud800", id="surrogates-between"),
        pytest.param("".join(map(chr, range(32))) + "\x7f", id="control-chars"),
        pytest.param(bytes(range(256)).decode("utf-8", errors="replace"), id="garbage-bytes"),
        pytest.param("   \n\t ", id="only-space"),
        pytest.param("\u0301\u3099か", id="leading-marks"),
    ],
)
def test_never_crashes(raw: str) -> None:
    normalized = normalize(raw)
    assert normalized.text == normalize_text_before(raw)
    assert normalize_text(normalized.text) == normalized.text
    assert len(normalized.offsets()) == len(normalized.text)


def test_large_input() -> None:
    raw = "刷★单返利 加V❤:abc 幺三八零零一三八零零零 ÄБΓ" * 25_000  # about 1 MB
    normalized = normalize(raw)
    assert normalized.text.startswith("刷单返利加微信:abc 13800138000 ä6γ刷单返利")
    offsets = normalized.offsets()
    assert len(offsets) == len(normalized.text)
    assert raw[offsets[-1]] == "Γ"


_TRICKY = (
    "加扣企鹅飞机纸电报号群薇威徽微信心芯vVwWxXqQtTgG+➕❤♥ .*|_-~★💰·,:：\n\t\u3000"
    "刷单返利一二三四五六七八九零〇○幺么壹0123456789oOlIi"
    "\u200b\u00ad\u0301\u0336\u20dd\u3099\u309bかᄀ\u1161ΣσςİАОЗ①⑴⒈❶ＡＱ１點擊"
)


def _check_properties(raw: str) -> None:
    normalized = normalize(raw)
    text = normalized.text
    assert text == normalize_text_before(raw)
    assert normalize_text(text) == text
    offsets = normalized.offsets()
    assert len(offsets) == len(text)
    assert offsets == sorted(offsets)
    assert all(0 <= offset < len(raw) for offset in offsets)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=_TRICKY, max_size=40))
def test_properties_on_tricky_text(raw: str) -> None:
    _check_properties(raw)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(max_size=40))
def test_properties_on_any_text(raw: str) -> None:
    _check_properties(raw)


_UNICODE_CORNERS = "".join(
    chr(point)
    for first, last in (
        (0x0300, 0x0310), (0x0591, 0x05A0), (0x0B3E, 0x0B57), (0x3099, 0x309C), (0x1100, 0x1112),
        (0x1161, 0x1175), (0xAC00, 0xAC10), (0xFF61, 0xFF9F), (0xF900, 0xF908), (0x2F800, 0x2F808),
        (0x1D400, 0x1D410), (0x1F100, 0x1F110), (0xFE00, 0xFE0F), (0xD800, 0xD802),
    )
    for point in range(first, last + 1)
)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=_UNICODE_CORNERS + "aeo刷单 ", max_size=30))
def test_properties_on_composing_text(raw: str) -> None:
    _check_properties(raw)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=_TRICKY.lower() + "abcdeiklopsuyz", max_size=30))
def test_contact_starts_and_needs_are_complete(raw: str) -> None:
    for rules in (_normalize.PRE_CONTACT, _normalize.CONTACT):
        scanned = [match.span() for match in rules.matches(raw)]
        assert scanned == [match.span() for match in rules.pattern.finditer(raw)]


def test_fold_table_is_stable() -> None:
    for point, char in enumerate(_normalize._FOLD):
        if char not in (chr(point), _normalize._DELETED):
            assert unicodedata.normalize("NFKC", char) == char
            assert char.lower() == char
            assert _normalize._FOLD[ord(char)] == char
            assert not _normalize.PRE_RE.search(char)


def test_backward_combining_is_complete() -> None:
    found = set()
    for point in range(0x110000):
        decomposition = unicodedata.decomposition(chr(point))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2 and unicodedata.combining(second := chr(int(parts[1], 16))) == 0:
                found.add(second)
    assert found <= _normalize.BACKWARD_COMBINING


def test_nfkc_stable_points_are_stable() -> None:
    stable = _normalize._NFKC_STABLE
    for point in (index for index, flag in enumerate(stable) if flag):
        char = chr(point)
        assert unicodedata.normalize("NFKC", char) == char
        assert unicodedata.combining(char) == 0
        assert char not in _normalize.BACKWARD_COMBINING


def test_odd_space_class_is_complete() -> None:
    spaces = {chr(point) for point in range(0x110000) if chr(point).isspace()} - {" "}
    assert {char for char in spaces if _normalize._ODD_SPACE_RE.fullmatch(char)} == spaces


def test_contact_table_compiles_every_rule() -> None:
    for rules in (_normalize.PRE_CONTACT, _normalize.CONTACT):
        assert rules.pattern.groups == len(rules.replacements)
        assert re.fullmatch(r"\[.*\].*", rules.starts.pattern, flags=re.DOTALL)


def test_lower_expands_only_what_the_log_knows() -> None:
    expanding = {chr(point) for point in range(0x110000) if len(chr(point).lower()) != 1}
    assert {char for char in expanding if _offsets.LOWER_EXPANDS_RE.fullmatch(char)} == expanding


def test_nfkc_step_maps_an_unexplained_difference_as_one_edit() -> None:
    step = _offsets._NfkcStep("xＡＢy", "xzy", _normalize._NFKC_MAY_CHANGE_RE)
    assert step.edits() == [(1, 3, 1)]
    assert _offsets._NfkcStep("xＡＢy", "xABy", _normalize._NFKC_MAY_CHANGE_RE).edits() == [
        (1, 2, 1),
        (2, 3, 1),
    ]


# --- rule spans point at what the citizen wrote ---------------------------------------------

_KEYWORDS = sorted(
    {word for rule in default_engine().rules for group in rule.any_of for word in group}
)
_VARIANTS: dict[str, list[str]] = {}
for _point, _folded in _normalize._FOLD_PAIRS.items():  # 帐 ← 帳, a ← а (Cyrillic) …
    if len(_folded) == 1 and _folded != _normalize._DELETED:
        _VARIANTS.setdefault(_folded, []).append(chr(_point))
# Contact spellings that do not lean on the characters around them (➕V → 加微信 does: 微信
# alone comes from the V, which alone normalises to v).
_SPELLINGS = {"微信": ["薇信", "威信", "V信", "vx", "VX", "微x"], "qq": ["扣扣", "QQ", "q q"]}
_INSIDE_WORD = ["\u200b", "\u00ad", "\u2060", "\ufe0f"]
_BETWEEN_CJK = ["★", "*", " ", "💰", "~", "|"]
# Filler without contact words, numerals, digits or Latin letters, so context rewrites
# (加 + v → 加微信, numeral runs) do not reach into a keyword.
_FILLER = "你好的是在了有人这中大为上个我以要他时来用们生到作地出就分对成会可，。！？：、 \n"


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@st.composite
def _obfuscated_keyword(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(_KEYWORDS))
    for plain, spellings in _SPELLINGS.items():
        if plain in word and draw(st.booleans()):
            return word.replace(plain, draw(st.sampled_from(spellings)))
    pieces = []
    for index, char in enumerate(word):
        options = [char, *_VARIANTS.get(char, [])]
        if char.isascii() and char.isalnum():
            options += [char.upper(), chr(0xFEE0 + ord(char.upper()))]
        pieces.append(draw(st.sampled_from(options)))
        if index + 1 < len(word):
            between = list(_INSIDE_WORD)
            if _is_cjk(char) and _is_cjk(word[index + 1]):
                between += _BETWEEN_CJK
            pieces.append(draw(st.sampled_from(["", "", *between])))
    return "".join(pieces)


_TEXTS = st.lists(
    st.one_of(_obfuscated_keyword(), st.text(alphabet=_FILLER, min_size=1, max_size=6)),
    min_size=1,
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_TEXTS)
def test_rule_hit_spans_hold_their_keywords_in_the_original(raw: str) -> None:
    normalized = normalize(raw)
    hits = default_engine().match(normalized.text)
    spans = normalized.original_spans((hit.start, hit.end) for hit in hits)
    for hit, (start, end) in zip(hits, spans, strict=True):
        assert normalized.text[hit.start : hit.end] in normalize_text(raw[start:end])
