"""The fake sites and apps of the gangs (假冒网站、投资APP、刷单平台) as URLs.

Domains are random labels under cheap top-level domains, with a word that imitates the
brand or the promise of the scheme; any match with a real domain is chance.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from fanzha.demo._calibration import Calibration
from fanzha.demo._numbers import digits_to_strings
from fanzha.demo._people import Gangs
from fanzha.demo._time import DAY, IntArray, to_datetimes

__all__ = []

_WORDS = {
    "brushing_rebate": ("shuadan", "renwu", "dianzan", "tb-task"),
    "fake_investment": ("licai", "touzi", "jijin", "gupiao"),
    "fake_customer_service": ("kefu", "tuikuan", "lipei"),
    "loan_credit_card": ("daikuan", "jiekuan", "xinyongka"),
    "fake_credit_record": ("zhengxin", "zhuxiao"),
    "impersonate_authority": ("anquan-zhanghu", "gajcx", "jiancha"),
    "romance_scam": ("jiaoyou", "yuehui", "boc-touzi"),
    "game_trade": ("youxi-jiaoyi", "zhuangbei"),
    "crypto_fraud": ("usdt", "wakuang", "bit-ex"),
    "gambling_fraud": ("yule", "bocai"),
}
_PATHS = ("/", "/login", "/download/app.apk", "/h5/index.html", "/invite")
_TLDS = ("top", "vip", "xyz", "cc", "icu", "shop", "club")


def make_urls(
    rng: np.random.Generator,
    gangs: Gangs,
    cal: Calibration,
    span: tuple[int, int],
    base: dict[str, int],
) -> tuple[pl.DataFrame, IntArray]:
    """One to three sites per fraud gang; returns the frame and the gang of each URL."""
    fraud = np.flatnonzero(gangs.kind == 0)
    count = rng.integers(1, 4, size=fraud.size)
    gang = np.repeat(fraud, count)
    n = gang.size
    words = [_WORDS.get(cal.fraud_types[t].code, ("app", "vip")) for t in gangs.fraud_type[gang]]
    word = [
        w[int(i)]
        for w, i in zip(words, rng.integers(0, 4, size=n) % [len(w) for w in words], strict=True)
    ]
    alphabet = np.frombuffer(b"abcdefghijkmnpqrstuvwxyz23456789", dtype=np.uint8)
    label = digits_to_strings(alphabet[rng.integers(0, alphabet.size, size=(n, 6))])
    domain = pl.select(
        pl.concat_str(
            [
                pl.Series(word),
                pl.lit("-"),
                label,
                pl.lit("."),
                pl.Series(_TLDS).gather(rng.integers(0, len(_TLDS), n)),
            ]
        )
    ).to_series()
    domain = pl.Series(
        [
            f"{d}{i}" if dup else d
            for i, (d, dup) in enumerate(
                zip(domain.to_list(), domain.is_duplicated().to_list(), strict=True)
            )
        ]
    )
    path = pl.Series(_PATHS).gather(rng.integers(0, len(_PATHS), n))
    first_seen = rng.integers(span[0] - 60 * DAY, span[1] - DAY, size=n)
    frame = pl.DataFrame(
        {
            "id": np.arange(n) + base["urls"],
            "url": pl.select(pl.concat_str([pl.lit("https://"), domain, path])).to_series(),
            "domain": domain,
            "gang_id": gang + base["gangs"],
            "flagged": rng.random(n) < 0.7,
            "first_seen": to_datetimes(first_seen, "first_seen"),
        }
    )
    return frame, gang
