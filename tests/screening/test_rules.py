"""The text rule engine: every text rule fires on its example and not on a near miss."""

from __future__ import annotations

import numpy as np
import pytest

from fanzha.errors import InvalidInput
from fanzha.screening import normalize_text
from fanzha.screening._rules import RuleEngine, default_engine
from fanzha.taxonomy import Rule, rule, rules

# (rule id, normalised text that must fire it, case id)
POSITIVE = [
    (
        "seven.bank_card",
        "您好，请提供一下您的银行卡卡号和密码，我们帮您核对",
        "bank-card-asks-number",
    ),
    (
        "seven.prize",
        "恭喜您被抽中为场外观众，获得奖金5万元，请点击链接领取",
        "prize-lucky-audience",
    ),
    (
        "seven.impersonation",
        "我是市公安局刑警，您的身份证涉嫌洗钱，请配合调查",
        "police-says-money-laundering",
    ),
    ("seven.sms_link", "您的账户存在风险，请点击链接 http://a.cn 处理", "sms-click-link"),
    ("seven.stranger_link", "加我微信，给你发个红包，点开就能领取", "wechat-red-packet"),
    ("seven.forward_video", "视频精彩部分需转发到3个群才能继续观看", "video-forward-to-watch"),
    (
        "current.screen_share",
        "请下载向日葵远程软件，打开屏幕共享，我来帮您操作",
        "screen-share-sunflower",
    ),
    ("current.safe_account", "为了证明清白，请把资金转入国家安全账户", "safe-account"),
    (
        "current.loan_advance_fee",
        "您的贷款已审批通过，放款前需缴纳5000元解冻金",
        "loan-unfreeze-fee",
    ),
    ("current.task_rebate", "完成这组做任务订单后，本金和佣金一起返还", "task-order-commission"),
    (
        "current.withdraw_blocked",
        "您的账户冻结了，需缴纳20%保证金才能解冻提现",
        "withdraw-frozen-deposit",
    ),
    ("current.investment_mentor", "我们的导师每天带单，跟着买股票收益翻倍", "mentor-stocks"),
    ("current.guaranteed_profit", "内部消息，这个项目稳赚不赔，赶紧充值", "guaranteed-profit"),
    ("current.credit_record", "您大学时开通的校园贷需要注销，否则影响征信", "campus-loan-cancel"),
    (
        "current.refund_claim",
        "我是淘宝客服，您的快递丢了，给您三倍赔偿，请提供验证码",
        "shop-refund-code",
    ),
    ("current.cancel_membership", "您开通了百万保障，如不关闭每月将自动扣费", "million-protection"),
    (
        "current.leader_new_account",
        "我是王局长，这是我的新微信，明天帮我转账给一个朋友",
        "leader-new-wechat",
    ),
    (
        "current.friend_borrow",
        "我qq号在外地，急用钱能不能借我2000，我在开会不方便接电话",
        "qq-friend-borrow",
    ),
    (
        "current.national_assets",
        "民族资产解冻项目开始了，缴纳300元会费可领取100万",
        "national-assets",
    ),
    ("current.game_trade", "王者荣耀皮肤低价出售，要的私聊", "game-skin-cheap"),
    ("current.romance_invest", "网恋男朋友说这个投资平台有漏洞，让我充值", "romance-invest"),
    ("current.verification_code", "刚才系统发给你的验证码，麻烦告诉我一下", "ask-sms-code"),
    ("current.part_time_likes", "抖音点赞兼职，在家轻松日结200元", "likes-part-time"),
    ("current.prize_points", "您的积分即将清零，可兑换现金，请登录 url 领取", "points-expire"),
    ("current.card_rental", "高价收购银行卡，一张2000元，包邮寄送", "buy-bank-cards"),
    ("current.running_points", "招跑分人员，日入过千，需要支付宝和微信收款码", "running-points"),
    ("current.crypto_invest", "usdt搬砖，每天稳定赚差价", "usdt-arbitrage"),
    ("current.gambling", "百家乐真人娱乐，首充送彩金，反水无上限", "baccarat"),
    ("current.fake_documents", "专业办证，毕业证学位证包真可查", "fake-diplomas"),
    ("current.escort", "同城学生妹，包夜服务，加微信详聊", "escort"),
    ("current.authority_documents", "这是你的通缉令，请登录网址查看，注意保密", "wanted-notice"),
    (
        "current.gov_link",
        "【医保局】您的医保账户异常已冻结，请点击链接重新认证",
        "medical-insurance-link",
    ),
    ("current.pay_to_new_card", "我是房东，这个月房租直接打到这个卡号上", "landlord-new-card"),
    (
        "current.flight_compensation",
        "您的航班因故障取消，请联系客服办理改签，可获补偿300元",
        "flight-cancel",
    ),
    (
        "current.secondhand",
        "我在闲鱼上拍了你的东西，你先加微信，我们私下交易",
        "secondhand-private",
    ),
    ("current.pyramid", "加入我们只需交入门费，发展下线就有提成", "pyramid-entry-fee"),
    (
        "current.insider_stock",
        "我同事的哥哥在券商内部，说这只股下周肯定拉升",
        "insider-stock-broker",
    ),
    ("current.guaranteed_profit", "这个票必涨，你先买入一点", "guaranteed-must-rise"),
    ("current.guaranteed_profit", "保本高收益的项目，年底返还", "guaranteed-capital-high-yield"),
    ("current.take_you_earn", "跟着我投这个平台，一个月就回本", "take-you-earn-platform"),
    ("current.brushing_contact", "手机兼职打字员，日结，加微信:ab12", "brushing-ad-contact"),
    ("current.wechat_agent", "招代理，零门槛，缴纳代理费就能拿货", "wechat-agent"),
]

# (rule id, normalised text close to the rule that must not fire it, case id)
NEGATIVE = [
    ("seven.bank_card", "我的银行卡丢了，明天去网点挂失", "bank-card-lost"),
    ("seven.bank_card", "切勿向他人提供银行卡密码", "bank-card-warning"),
    ("seven.prize", "恭喜你在学校运动会上获得了一等奖", "school-award"),
    ("seven.impersonation", "派出所通知：本周六在社区开展反诈宣传活动", "police-outreach"),
    ("seven.sms_link", "网站维护期间暂停服务，敬请谅解", "website-maintenance"),
    (
        "seven.sms_link",
        "请点击确认按钮后进入下一步的设置页面，全部完成以后系统将会给出下载链接",
        "link-too-far",
    ),
    ("seven.stranger_link", "微信红包收到了，谢谢你", "red-packet-thanks"),
    ("seven.forward_video", "这个视频很有意思，转发给你看看", "video-shared-by-friend"),
    ("current.screen_share", "明天9点开腾讯会议，会议号123456，请准时参会", "work-meeting"),
    ("current.safe_account", "请注意保护账户安全，定期修改密码", "account-security"),
    ("current.loan_advance_fee", "本月的贷款已经还清了，谢谢", "loan-repaid"),
    ("current.task_rebate", "今天的工作任务已完成，大家辛苦了", "work-task"),
    ("current.withdraw_blocked", "提现失败，系统维护中，请稍后再试", "withdraw-maintenance"),
    ("current.investment_mentor", "班主任老师在群里通知明天开家长会", "teacher-group"),
    ("current.guaranteed_profit", "投资有风险，入市需谨慎", "risk-warning"),
    ("current.credit_record", "我查了一下个人征信报告，一切正常", "credit-report-ok"),
    ("current.refund_claim", "您的淘宝订单已退款成功，款项将原路退回", "real-refund"),
    ("current.cancel_membership", "您的视频会员已取消自动续费", "membership-cancelled"),
    ("current.leader_new_account", "王经理，这是我的新号，以后联系这个", "colleague-new-number"),
    ("current.friend_borrow", "周末一起吃饭吗？微信上说吧", "wechat-dinner"),
    ("current.national_assets", "国家扶贫资金专项审计结果公布", "poverty-audit"),
    ("current.game_trade", "周末一起玩王者荣耀吗", "play-game"),
    ("current.romance_invest", "我和网友约好周末去爬山", "friend-hiking"),
    (
        "current.verification_code",
        "您的验证码为123456，5分钟内有效，切勿提供给他人",
        "real-otp-sms",
    ),
    ("current.part_time_likes", "谢谢大家的点赞和支持", "thanks-likes"),
    ("current.prize_points", "您的积分即将清零，请在手机app内兑换", "points-in-app"),
    ("current.card_rental", "我的银行卡已寄出，请注意查收卡片", "card-mailed"),
    ("current.running_points", "这款手机跑分超过100万，性能很强", "phone-benchmark"),
    ("current.crypto_invest", "比特币价格今天大跌", "bitcoin-news"),
    ("current.gambling", "福利彩票中心提醒理性购彩", "lottery-reminder"),
    ("current.fake_documents", "请携带身份证和驾驶证到车管所办理", "dmv-visit"),
    ("current.escort", "我们提供全套家政服务，欢迎来电", "housekeeping"),
    ("current.authority_documents", "警方公布了一批通缉令上的逃犯已落网", "news-fugitive"),
    ("current.gov_link", "医保卡余额查询请到社保大厅", "medical-office"),
    ("current.pay_to_new_card", "这个卡号是我的工资卡，你记一下", "card-number-note"),
    (
        "current.flight_compensation",
        "您乘坐的航班已取消，请通过官方app办理改签",
        "real-flight-cancel",
    ),
    ("current.secondhand", "我在闲鱼上卖了一台旧电脑", "secondhand-sale"),
    ("current.pyramid", "警方提醒：资金盘都是骗局", "pyramid-warning"),
    ("current.insider_stock", "证监会通报一起内幕交易案，涉案股票已停牌", "insider-trading-news"),
    ("current.guaranteed_profit", "警方提醒：承诺保本高收益的投资都是诈骗", "guaranteed-warning"),
    ("current.take_you_earn", "我带你去吃饭，那家店下午茶很好吃", "take-you-to-dinner"),
    ("current.brushing_contact", "反诈提醒：刷单都是诈骗，不要添加陌生人微信", "brushing-warning"),
    ("current.wechat_agent", "我做微商卖面膜三年了", "wechat-seller"),
]


def _ids(text: str) -> set[str]:
    return {hit.rule_id for hit in default_engine().match(text)}


@pytest.mark.parametrize(
    ("rule_id", "text"), [pytest.param(r, t, id=f"{r}:{c}") for r, t, c in POSITIVE]
)
def test_rule_fires_on_its_example(rule_id: str, text: str) -> None:
    hits = [hit for hit in default_engine().match(text) if hit.rule_id == rule_id]
    assert hits, f"{rule_id} did not fire"
    hit = hits[0]
    definition = rule(rule_id)
    assert text[hit.start : hit.end] == hit.matched
    assert any(hit.matched.startswith(word) for group in definition.any_of for word in group)
    assert any(hit.matched.endswith(word) for group in definition.any_of for word in group)
    assert (hit.name, hit.explanation, hit.weight, hit.fraud_type) == (
        definition.name,
        definition.explanation,
        definition.weight,
        definition.fraud_type,
    )


@pytest.mark.parametrize(
    ("rule_id", "text"), [pytest.param(r, t, id=f"{r}:{c}") for r, t, c in NEGATIVE]
)
def test_rule_does_not_fire_on_near_miss(rule_id: str, text: str) -> None:
    assert rule_id not in _ids(text)


def test_every_text_rule_has_a_positive_and_a_negative_case() -> None:
    text_rules = {r.id for r in rules() if r.kind == "text"}
    assert text_rules - {r for r, _, _ in POSITIVE} == set()
    assert text_rules - {r for r, _, _ in NEGATIVE} == set()


def _rule(rule_id: str, any_of: list[list[str]], **extra: object) -> Rule:
    fields: dict[str, object] = {
        "id": rule_id,
        "name": "测试",
        "kind": "text",
        "group": "test",
        "explanation": "测试说明",
        "advice": "测试建议",
        "fraud_type": None,
        "weight": 0.5,
        "any_of": tuple(tuple(group) for group in any_of),
    }
    fields.update(extra)
    return Rule(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        pytest.param("先说转账，后说安全账户", (2, 11), id="chinese-only"),
        pytest.param("ab 转账 cd 安全账户 ef", (3, 13), id="mixed-ascii"),
        pytest.param("转账 x 转账 y 安全账户", (5, 14), id="shortest-of-repeats"),
        pytest.param("😀转账😀安全账户", (1, 8), id="astral-characters"),
    ],
)
def test_span_covers_first_to_last_keyword(text: str, span: tuple[int, int]) -> None:
    engine = RuleEngine([_rule("t.pair", [["转账"], ["安全账户"]])])
    (hit,) = engine.match(text)
    assert (hit.start, hit.end) == span
    assert hit.matched == text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        pytest.param("验证码发我", True, id="inside-window"),
        pytest.param("验证码" + "的" * 10 + "发我", False, id="outside-window"),
        pytest.param("验证码" + "的" * 10 + "发我，再把验证码发我", True, id="second-pair-inside"),
        pytest.param("验证码" + "aaaa" + "发我", True, id="window-counts-characters-not-bytes"),
    ],
)
def test_window(text: str, fires: bool) -> None:
    engine = RuleEngine([_rule("t.window", [["验证码"], ["发我"]], window=9)])
    assert bool(engine.match(text)) is fires


def test_window_is_measured_in_characters_on_mixed_text() -> None:
    # the ASCII cover is shorter in UTF-8 bytes (8) but longer in characters (8 > 4)
    engine = RuleEngine([_rule("t.mixed", [["a", "甲"], ["b"]], window=5)])
    (hit,) = engine.match("a" + "x" * 6 + "b" + "。" * 20 + "甲乙丙b")
    assert hit.matched == "甲乙丙b"


def test_veto_anywhere_in_text_blocks_rule() -> None:
    engine = RuleEngine([_rule("t.veto", [["验证码"], ["发我"]], none_of=("切勿",))])
    assert engine.match("验证码发我")
    assert not engine.match("验证码发我。切勿泄露")


def test_keyword_shared_by_rules_and_groups() -> None:
    engine = RuleEngine(
        [
            _rule("t.one", [["银行卡"], ["密码"]]),
            _rule("t.two", [["银行"], ["密码"]]),
        ]
    )
    assert [hit.rule_id for hit in engine.match("银行卡密码")] == ["t.one", "t.two"]


def test_hits_are_ordered_by_start() -> None:
    hits = default_engine().match("高价收购银行卡。请把钱转到安全账户")
    assert [hit.rule_id for hit in hits] == ["current.card_rental", "current.safe_account"]


def test_non_text_rules_are_refused() -> None:
    phone = _rule("t.phone", [], kind="phone")
    with pytest.raises(InvalidInput, match=r"t\.phone"):
        RuleEngine([phone])


def test_empty_engine_and_empty_text() -> None:
    assert RuleEngine([]).match("安全账户") == ()
    assert default_engine().match("") == ()


def test_megabyte_text() -> None:
    rng = np.random.default_rng(7)
    filler = "".join(rng.choice(list("今天天气不错我们去公园散步吧abc 123")) for _ in range(1000))
    text = filler * 1000 + "请把钱转到安全账户" + filler
    hits = default_engine().match(text)
    (hit,) = [h for h in hits if h.rule_id == "current.safe_account"]
    assert hit.matched == "安全账户"
    assert text[hit.start : hit.end] == "安全账户"


def test_default_engine_is_cached_and_covers_text_rules() -> None:
    assert default_engine() is default_engine()
    assert {r.id for r in default_engine().rules} == {r.id for r in rules() if r.kind == "text"}


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("薇信", id="obfuscated-wechat"),
        pytest.param("QQ", id="upper-case-qq"),
        pytest.param("银行賬戶", id="traditional"),
    ],
)
def test_keywords_must_be_in_normalised_form(word: str) -> None:
    with pytest.raises(InvalidInput, match="normalises to"):
        RuleEngine([_rule("test.bad", [[word]])])


def test_obfuscated_qq_reaches_the_stranger_link_rule() -> None:
    assert "seven.stranger_link" in _ids(normalize_text("扣扣好友发来红包链接，点击领取"))
