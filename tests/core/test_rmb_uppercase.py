"""人民币大写 (core.money.rmb_uppercase): the PBOC bill-writing rules, every example of
DOMAIN-FACTS and of issue 10 exactly, the edges, refusals, and a property test that what is
written parses back to the amount."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import rmb_uppercase

EXAMPLES = {
    # DOMAIN-FACTS "人民币大写" and issue 10, item 2
    "1409.50": "壹仟肆佰零玖元伍角",
    "6007.14": "陆仟零柒元壹角肆分",
    "1680.32": "壹仟陆佰捌拾元叁角贰分",
    "107000.53": "壹拾万柒仟元零伍角叁分",
    "16409.02": "壹万陆仟肆佰零玖元零贰分",
    "325.04": "叁佰贰拾伍元零肆分",
    # edges
    "0.00": "零元整",
    "0": "零元整",
    "0.05": "伍分",
    "0.50": "伍角",
    "0.53": "伍角叁分",
    "1.00": "壹元整",
    "10.00": "壹拾元整",
    "10.10": "壹拾元壹角",
    "11.00": "壹拾壹元整",
    "100.05": "壹佰元零伍分",
    "100.50": "壹佰元零伍角",
    "1001.00": "壹仟零壹元整",
    "1010.00": "壹仟零壹拾元整",
    "100007.00": "壹拾万零柒元整",
    "100500.00": "壹拾万零伍佰元整",
    "1000000.00": "壹佰万元整",
    "10000100.00": "壹仟万零壹佰元整",
    "100000000.00": "壹亿元整",
    "105000000.00": "壹亿零伍佰万元整",
    "110000005.00": "壹亿壹仟万零伍元整",
    "123456789.12": "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分",
    "1000000000000.00": "壹万亿元整",
    "1234500000000.00": "壹万贰仟叁佰肆拾伍亿元整",
    "9999999999999999.99": "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
}


@pytest.mark.parametrize(("amount", "words"), EXAMPLES.items())
def test_examples(amount, words):
    assert rmb_uppercase(Decimal(amount)) == words


def test_accepts_strings_and_ints():
    assert rmb_uppercase("1409.5") == "壹仟肆佰零玖元伍角"
    assert rmb_uppercase(10) == "壹拾元整"


@pytest.mark.parametrize("amount", ["-0.01", "-1409.50", "0.001", "12.345", "10000000000000000", "NaN", "Infinity"])
def test_refused(amount):
    with pytest.raises(ValueError):
        rmb_uppercase(Decimal(amount))


def test_not_a_number_refused():
    with pytest.raises((ValueError, ArithmeticError)):
        rmb_uppercase("一百")


DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def parse_group(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in PLACE:
            assert digit, f"a place without a digit in {text!r}"
            total += digit * PLACE[ch]
            digit = 0
        else:
            digit = DIGIT[ch]
    return total + digit


def parse_integer(text: str) -> int:
    """Independent reading of the integer part: split at the last 亿, then at 万."""
    if "亿" in text:
        high, low = text.rsplit("亿", 1)
        return parse_integer(high) * 10**8 + parse_integer(low)
    if "万" in text:
        high, low = text.rsplit("万", 1)
        return parse_integer(high) * 10**4 + parse_integer(low)
    return parse_group(text)


def parse(words: str) -> Decimal:
    text = words.removesuffix("整")
    yuan_text, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    cents = parse_integer(yuan_text) * 100
    rest = rest.lstrip("零")
    if "角" in rest:
        jiao, rest = rest.split("角")
        cents += DIGIT[jiao] * 10
    if "分" in rest:
        cents += DIGIT[rest.removesuffix("分")]
    return Decimal(cents) / 100


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_parses_back(cents):
    amount = (Decimal(cents) / 100).quantize(Decimal("0.01"))
    words = rmb_uppercase(amount)
    assert parse(words) == amount
    assert not set("另毛两") & set(words)
    assert "零零" not in words
    assert not words.startswith("零") or words == "零元整"
    assert not words.endswith("分整")
    assert words.endswith("整") == (cents % 100 == 0)
    # every place (拾佰仟) follows a digit: ten is 壹拾, never a bare 拾
    assert all(i > 0 and words[i - 1] in DIGIT for i, ch in enumerate(words) if ch in PLACE)
