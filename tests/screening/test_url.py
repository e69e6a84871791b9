"""Tests for fanzha.screening._url: URL checks, extraction and domain lists."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput, NotFound
from fanzha.screening import load_domain_list
from fanzha.screening._url import check_url, extract_urls
from fanzha.screening._url_host import build_extractor
from fanzha.taxonomy import rule, rules


def _rule_ids(url: str, **kwargs: Any) -> set[str]:
    return {hit.rule_id for hit in check_url(url, **kwargs).hits}


@pytest.mark.parametrize(
    ("url", "rule_id"),
    [
        pytest.param("http://1.2.3.4:8080/a", "url.ip_host", id="ipv4-port"),
        pytest.param("http://3232235777/", "url.ip_host", id="ipv4-decimal"),
        pytest.param("http://0xC0A80101/login", "url.ip_host", id="ipv4-hex"),
        pytest.param("http://0300.0250.1.1/", "url.ip_host", id="ipv4-octal"),
        pytest.param("http://[2001:db8::1]/", "url.ip_host", id="ipv6"),
        pytest.param("192.168.1.1/admin", "url.ip_host", id="ipv4-no-scheme"),
        pytest.param("icbc-verify.com", "url.brand_lookalike", id="brand-token-hyphen"),
        pytest.param("http://ccb.com.cn-login.xyz/", "url.brand_lookalike", id="brand-subdomain"),
        pytest.param("https://1cbc.com/", "url.brand_lookalike", id="brand-digit-for-letter"),
        pytest.param("iccb.com.cn", "url.brand_lookalike", id="brand-transposition"),
        pytest.param("a1ipay.com", "url.brand_lookalike", id="brand-alipay-1-for-l"),
        pytest.param("taoba0.top", "url.brand_lookalike", id="brand-taobao-zero"),
        pytest.param("alipav.com", "url.brand_lookalike", id="brand-alipay-edit-1"),
        pytest.param("unoinpay.net", "url.brand_lookalike", id="brand-unionpay-swap"),
        pytest.param("icbc.xyz", "url.brand_lookalike", id="brand-other-suffix"),
        pytest.param("l2306.cn", "url.brand_lookalike", id="brand-12306-l-for-1"),
        pytest.param("http://аlipay.com/", "url.brand_lookalike", id="brand-cyrillic-a"),
        pytest.param("http://xn--lipay-3ve.com/", "url.brand_lookalike", id="brand-punycode"),
        pytest.param(
            "http://www.icbc.com.cn@evil.top/", "url.brand_lookalike", id="brand-userinfo"
        ),
        pytest.param("gov-cn.com", "url.fake_gov", id="fake-gov-hyphen"),
        pytest.param("mps-gov.top", "url.fake_gov", id="fake-gov-mps"),
        pytest.param("www.gov.cn.verify-id.vip", "url.fake_gov", id="fake-gov-subdomain"),
        pytest.param("zhengfu-butie.com", "url.fake_gov", id="fake-gov-pinyin"),
        pytest.param("http://аррӏе.com/", "url.homoglyph", id="homoglyph-all-cyrillic"),
        pytest.param("http://pаypal.com/", "url.homoglyph", id="homoglyph-mixed"),
        pytest.param("http://www.icbc.com.cn@evil.top/", "url.userinfo", id="userinfo"),
        pytest.param("t.cn/A6abcd", "url.short_link", id="short-tcn"),
        pytest.param("http://url.cn/xyz", "url.short_link", id="short-urlcn"),
        pytest.param("w.url.cn/s/abc", "url.short_link", id="short-subdomain"),
        pytest.param("https://bit.ly/3abc", "url.short_link", id="short-bitly"),
        pytest.param("dwz.cn/x", "url.short_link", id="short-dwz"),
        pytest.param("x7k2p9q.top", "url.random_domain", id="random-mixed-cheap"),
        pytest.param("a1b2c3d4.com", "url.random_domain", id="random-mixed"),
        pytest.param("qwrtzp.xyz", "url.random_domain", id="random-consonants-cheap"),
        pytest.param("a8f3k2j9x1q4z7w5.example.com", "url.random_domain", id="random-subdomain"),
        pytest.param("http://x.top/app.apk", "url.apk_download", id="apk-file"),
        pytest.param(
            "https://a.example.com/f/Bank%20App.APK?v=1", "url.apk_download", id="apk-enc"
        ),
        pytest.param("https://b.example.com/get?file=x.ipa", "url.apk_download", id="ipa-query"),
        pytest.param("https://c.example.com/p.mobileconfig", "url.apk_download", id="mobileconfig"),
        pytest.param("https://foo.com/download.html", "url.apk_download", id="download-page"),
        pytest.param("xiazai-app.vip", "url.apk_download", id="download-host"),
        pytest.param(
            "itms-services://?action=download-manifest&url=https://a.top/m.plist",
            "url.apk_download",
            id="ios-enterprise-install",
        ),
        pytest.param("http://", "url.invalid", id="invalid-no-host"),
        pytest.param("javascript:alert(1)", "url.invalid", id="invalid-javascript"),
        pytest.param("localhost", "url.invalid", id="invalid-no-suffix"),
        pytest.param("not a url", "url.invalid", id="invalid-words"),
        pytest.param("http://a..b.com", "url.invalid", id="invalid-empty-label"),
        pytest.param("http://1.2.3.999/", "url.invalid", id="invalid-ip"),
        pytest.param("http://host.com:99999/", "url.invalid", id="invalid-port"),
    ],
)
def test_rule_fires(url: str, rule_id: str) -> None:
    check = check_url(url)
    hits = {hit.rule_id: hit for hit in check.hits}
    assert rule_id in hits
    hit = hits[rule_id]
    assert url[hit.start : hit.end] == hit.matched
    assert hit.matched
    assert check.risk >= hit.weight


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://www.icbc.com.cn/", id="icbc"),
        pytest.param("https://www.icbc-ltd.com/", id="icbc-global"),
        pytest.param("https://www.gov.cn/", id="gov"),
        pytest.param("gov.cn", id="gov-bare"),
        pytest.param("http://www.mps.gov.cn/n2254098/index.html", id="mps"),
        pytest.param("https://weixin.qq.com", id="weixin"),
        pytest.param("https://www.12306.cn", id="12306"),
        pytest.param("https://kyfw.12306.cn/otn/", id="12306-sub"),
        pytest.param("https://www.baidu.com", id="baidu"),
        pytest.param("https://www.ccb.com/cn/home/indexv3.html", id="ccb"),
        pytest.param("https://www.alipay.com", id="alipay"),
        pytest.param("https://item.jd.com/100012043978.html", id="jd-item"),
        pytest.param("https://www.chsi.com.cn", id="chsi"),
        pytest.param("https://www.4399.com", id="digits-domain"),
        pytest.param("https://www.zhihu.com/question/1", id="zhihu"),
        pytest.param("https://mail.163.com", id="163"),
        pytest.param("bjgjj.gov.cn", id="gov-initialism"),
        pytest.param("https://apps.apple.com/cn/app/id123", id="app-store"),
        pytest.param("https://www.icbc.com.cn/app/icbc.apk", id="apk-on-brand"),
        pytest.param("https://github.com/x/y", id="github"),
        pytest.param("https://www.cmbchina.com", id="cmb"),
        pytest.param("https://中国银行.中国/", id="chinese-idn"),
    ],
)
def test_real_sites_are_clean(url: str) -> None:
    check = check_url(url)
    assert check.hits == ()
    assert check.risk == 0.0


@pytest.mark.parametrize(
    ("url", "rule_id"),
    [
        pytest.param("https://www.example.com/", "url.ip_host", id="name-not-ip"),
        pytest.param("https://www.bankofbeijing.com.cn", "url.brand_lookalike", id="other-bank"),
        pytest.param("https://small.com", "url.brand_lookalike", id="tmall-needs-6-chars"),
        pytest.param("https://chat.com", "url.brand_lookalike", id="short-no-fuzzy"),
        pytest.param("https://www.gov.uk/", "url.fake_gov", id="gov-uk-is-gov"),
        pytest.param("https://governance.com/", "url.fake_gov", id="word-containing-gov"),
        pytest.param("https://www.müller.de/", "url.homoglyph", id="accents-not-homoglyph"),
        pytest.param("https://tcn.com/x", "url.short_link", id="not-a-shortener"),
        pytest.param("bjrcb.com", "url.random_domain", id="pinyin-initials"),
        pytest.param("abc-shop.top", "url.random_domain", id="cheap-tld-alone"),
        pytest.param("zhongguancun.com", "url.random_domain", id="long-pinyin"),
        pytest.param("https://foo.com/apple.html", "url.apk_download", id="apk-needs-ext"),
        pytest.param("https://www.example.com/news", "url.invalid", id="valid-not-invalid"),
    ],
)
def test_rule_does_not_fire(url: str, rule_id: str) -> None:
    assert rule_id not in _rule_ids(url)


@pytest.mark.parametrize(
    ("url", "host", "registered"),
    [
        pytest.param("https://www.icbc.com.cn/x", "www.icbc.com.cn", "icbc.com.cn", id="com-cn"),
        pytest.param("WWW.Example.COM", "www.example.com", "example.com", id="case"),
        pytest.param("http://3232235777/", "192.168.1.1", None, id="decimal-ip"),
        pytest.param("http://аpple.com", "xn--pple-43d.com", "xn--pple-43d.com", id="idn"),
        pytest.param("not a url", None, None, id="invalid"),
    ],
)
def test_fields(url: str, host: str | None, registered: str | None) -> None:
    check = check_url(url)
    assert (check.raw, check.host, check.registered_domain) == (url, host, registered)


@pytest.mark.parametrize(
    ("blocked", "url"),
    [
        pytest.param("evil.com", "https://login.evil.com/x", id="parent-domain"),
        pytest.param("login.evil.com", "login.evil.com", id="host"),
        pytest.param("1.2.3.4", "http://1.2.3.4/", id="ip"),
        pytest.param("192.168.1.1", "http://3232235777/", id="encoded-ip"),
    ],
)
def test_blocklist_hit(blocked: str, url: str) -> None:
    check = check_url(url, blocklist=frozenset({blocked}))
    assert "url.blocklisted" in {hit.rule_id for hit in check.hits}
    assert check.risk >= rule("url.blocklisted").weight


def test_blocklist_does_not_match_sibling() -> None:
    assert "url.blocklisted" not in _rule_ids("https://good.com", blocklist=frozenset({"od.com"}))


def test_allowlist_silences_heuristics_but_not_blocklist() -> None:
    url = "https://x7k2p9q.top/download"
    assert _rule_ids(url, allowlist=frozenset({"x7k2p9q.top"})) == set()
    both = frozenset({"x7k2p9q.top"})
    assert _rule_ids(url, allowlist=both, blocklist=both) == {"url.blocklisted"}


@pytest.mark.parametrize("url", ["", "   ", "\n"])
def test_empty_raises(url: str) -> None:
    with pytest.raises(InvalidInput, match="url: empty"):
        check_url(url)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_garbage_never_raises(url: str) -> None:
    check = check_url(url)
    assert 0.0 <= check.risk <= 1.0
    for hit in check.hits:
        assert url[hit.start : hit.end] == hit.matched


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet="htps:/[]@.%x0123456789-abc?#", min_size=1, max_size=40).filter(str.strip))
def test_url_shaped_garbage_never_raises(url: str) -> None:
    check_url(url)


TEXT = (
    "点击http://x.cn/abc领取，或访问www.icbc-verify.com/login。备用 x7k2p9q.top 和 "
    "http://1.2.3.4:8080/a, 邮箱 service@icbc.com.cn 文件 a.txt 版本3.14 (见https://t.cn/A6x)"
)


def test_extract_urls_spans() -> None:
    found = extract_urls(TEXT)
    assert [url for _, _, url in found] == [
        "http://x.cn/abc",
        "www.icbc-verify.com/login",
        "x7k2p9q.top",
        "http://1.2.3.4:8080/a",
        "https://t.cn/A6x",
    ]
    for start, end, url in found:
        assert TEXT[start:end] == url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("访问x.cn/abc即可", "x.cn/abc", id="bare-with-path"),
        pytest.param("see WWW.EXAMPLE.COM.", "WWW.EXAMPLE.COM", id="www-trailing-dot"),
        pytest.param("链接:https://a.top/x?y=1&z=2)", "https://a.top/x?y=1&z=2", id="query-paren"),
        pytest.param("打开192.168.0.1:8080/login看看", "192.168.0.1:8080/login", id="bare-ip"),
    ],
)
def test_extract_urls_single(text: str, expected: str) -> None:
    ((start, end, url),) = extract_urls(text)
    assert url == expected == text[start:end]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("邮箱 abc@qq.com", id="email"),
        pytest.param("文件 report.txt 和 3.14", id="file-and-number"),
        pytest.param("没有链接", id="none"),
    ],
)
def test_extract_urls_ignores(text: str) -> None:
    assert extract_urls(text) == ()


def test_extractor_uses_bundled_list_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    extractor = build_extractor()
    assert tuple(extractor.suffix_list_urls) == ()
    result = extractor("www.icbc.com.cn")
    assert (result.domain, result.suffix) == ("icbc", "com.cn")


def test_load_domain_list(tmp_path: Path) -> None:
    path = tmp_path / "domains.txt"
    path.write_text(
        "# fraud sites\nEvil.COM\nhttps://login.bad.top/x?y=1  # reported\n*.wild.cn\n"
        "1.2.3.4\nаpple.com\n\n",
        encoding="utf-8",
    )
    assert load_domain_list(path) == frozenset(
        {"evil.com", "login.bad.top", "wild.cn", "1.2.3.4", "xn--pple-43d.com"}
    )


def test_load_domain_list_names_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "domains.txt"
    path.write_text("evil.com\nnot a domain\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 2") as info:
        load_domain_list(path)
    assert info.value.line == 2
    assert str(path) in str(info.value)


def test_load_domain_list_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        load_domain_list(tmp_path / "missing.txt")


def test_every_url_rule_has_an_entry() -> None:
    url_rules = {item.id for item in rules() if item.kind == "url"}
    assert url_rules == {
        "url.ip_host",
        "url.brand_lookalike",
        "url.fake_gov",
        "url.homoglyph",
        "url.userinfo",
        "url.short_link",
        "url.random_domain",
        "url.apk_download",
        "url.blocklisted",
        "url.invalid",
    }


@pytest.mark.parametrize(
    ("url", "fraud_type"),
    [
        pytest.param("icbc-verify.com", "phishing", id="lookalike-is-phishing"),
        pytest.param("gov-cn.com", "impersonate_authority", id="fake-gov-is-authority"),
        pytest.param("t.cn/abc", None, id="short-link-no-type"),
    ],
)
def test_hits_carry_fraud_type(url: str, fraud_type: str | None) -> None:
    (hit,) = check_url(url).hits
    assert hit.fraud_type == fraud_type
