"""统一社会信用代码: real codes pass, any changed check character fails, input is normalised
first, bad input says what is wrong, and generated demo codes pass both checks."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from companies import uscc

REAL = {
    "华为技术有限公司": "914403001922038216",
    "深圳市腾讯计算机系统有限公司": "91440300708461136T",
    "阿里巴巴（中国）有限公司": "91330100799655058B",
    "小米科技有限责任公司": "91110108551385082Q",
    "北京百度网讯科技有限公司": "91110000802100433B",
}


@pytest.mark.parametrize("code", REAL.values(), ids=REAL.keys())
def test_real_codes_pass_both_checks(code):
    assert uscc.check(code) == uscc.Checked(code, [])


@pytest.mark.parametrize("code", REAL.values(), ids=REAL.keys())
def test_any_other_last_character_fails(code):
    for other in uscc.ALPHABET.replace(code[-1], ""):
        with pytest.raises(ValidationError) as raised:
            uscc.check(code[:-1] + other)
        assert raised.value.code == "check"


def test_full_width_lower_case_and_spaces_are_normalised():
    assert uscc.check("９１４４０３００１９２２０３８２１６").code == "914403001922038216"
    assert uscc.check(" 91440300708461136t ").code == "91440300708461136T"
    assert uscc.check("9133 0100 7996 5505 8B").code == "91330100799655058B"
    assert uscc.check("91110108-551385082-q").code == "91110108551385082Q"


def test_bad_input_says_what_is_wrong_in_the_users_language():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as short:
            uscc.check("91440300708461136")
        assert short.value.code == "length" and "18" in short.value.messages[0]
        with pytest.raises(ValidationError) as letters:
            uscc.check("91440300708461136O")
        assert letters.value.code == "alphabet" and "O" in letters.value.messages[0]
        with pytest.raises(ValidationError) as empty:
            uscc.check("")
        assert empty.value.code == "length"
    with translation.override("en"):
        with pytest.raises(ValidationError) as typo:
            uscc.check("914403001922038217")
        assert typo.value.messages == [
            "The last character of this unified social credit code does not match: check the code for a typo."
        ]


def test_a_wrong_organisation_code_is_a_warning_not_a_refusal():
    first17 = "91440300" + "12345678" + "0"  # organisation code 12345678-0: its own check is 9
    code = first17 + uscc.check_character(first17)
    checked = uscc.check(code)
    assert checked.code == code and len(checked.warnings) == 1 and "123456780" in checked.warnings[0]


def test_placeholders_are_invalid():
    assert not uscc.is_valid("91440300MA5FXXXX0X")


@given(st.sampled_from(["440300", "110108", "330100", "510104"]), st.integers(min_value=0, max_value=31**8 - 1))
def test_generated_codes_pass_both_checks(division, serial):
    code = uscc.generate(division, serial)
    assert uscc.check(code) == uscc.Checked(code, [])
    assert code[2:8] == division
