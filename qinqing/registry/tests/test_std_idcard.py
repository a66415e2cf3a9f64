"""公民身份号码 (GB 11643-1999) and mainland mobile numbers."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from qinqing.registry.standards import idcard, mobile
from qinqing.registry.standards.idcard import InvalidIdNumber
from qinqing.registry.standards.mobile import InvalidMobile

TODAY = dt.date(2026, 11, 22)


def make(first17: str) -> str:
    return first17 + idcard.check_char(first17)


WOMAN = make("11010519491231002")  # 11010519491231002X, the standard's worked example
MAN = make("43062119900307123")


def test_given_standard_example_when_check_char_computed_then_x():
    assert WOMAN == "11010519491231002X"


def test_given_valid_number_when_validated_then_returned():
    assert idcard.validate(WOMAN, today=TODAY) == WOMAN
    assert idcard.validate(MAN, today=TODAY) == MAN


def test_given_lower_case_x_and_spaces_when_validated_then_normalised():
    assert idcard.validate(" 110105 19491231 002x ", today=TODAY) == WOMAN


def test_given_valid_number_when_birth_date_and_sex_read_then_decoded():
    assert idcard.birth_date(WOMAN) == dt.date(1949, 12, 31)
    assert idcard.sex(WOMAN) == "女"
    assert idcard.sex(MAN) == "男"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("1101051949123100", "应为18位，实际为16位"),
        ("110105194912310A2X", "第16位“A”不合法"),
        ("11010519491231002Y", "第18位“Y”不合法"),
        (make("00010519491231002"), "不是有效的行政区划代码"),
        (make("11010519490230002"), "不是有效日期"),
        (make("11010518991231002"), "早于1900年"),
        (make("11010520271231002"), "晚于今天"),
        ("110105194912310021", "第18位应为“X”，实际为“1”"),
        ("110105491231002", "15位旧身份证号码已停止使用"),
    ],
)
def test_given_bad_number_when_validated_then_chinese_reason(raw, fragment):
    with pytest.raises(InvalidIdNumber) as excinfo:
        idcard.validate(raw, today=TODAY)
    assert fragment in excinfo.value.message


def test_given_legacy_15_digits_when_allowed_then_upgraded_to_18():
    assert idcard.upgrade_legacy("110105491231002") == WOMAN
    assert idcard.validate("110105491231002", allow_legacy=True, today=TODAY) == WOMAN


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("43062119900307123X", "430621********123X"),
        (WOMAN, "110105********002X"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_given_number_when_masked_then_first_6_and_last_4_kept(raw, masked):
    assert idcard.mask(raw) == masked


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
regions = st.sampled_from(["110105", "430621", "440305", "650102", "810000", "830000"])
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
valid_numbers = st.builds(lambda r, d, s: make(r + d.strftime("%Y%m%d") + s), regions, dates, sequences)


@given(valid_numbers)
def test_given_generated_number_when_validated_then_accepted_and_stdnum_agrees(number):
    assert idcard.validate(number, today=TODAY) == number
    # stdnum also checks the region against its own (dated) list, so compare only what we share.
    assert ric.calc_check_digit(number) == number[17]
    assert ric.get_birth_date(number) == idcard.birth_date(number)


@given(valid_numbers, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_given_single_character_corruption_when_validated_then_detected(number, index, replacement):
    if number[index] == replacement:
        return
    corrupted = number[:index] + replacement + number[index + 1 :]
    with pytest.raises(InvalidIdNumber):
        idcard.validate(corrupted, today=TODAY)


# --- mobile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "008613812345678", "１３８１２３４５６７８"],
)
def test_given_mobile_in_common_formats_when_validated_then_11_digits(raw):
    assert mobile.validate_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("1381234567", "应为11位数字，实际为10位"),
        ("12812345678", "不是有效的大陆手机号"),
        ("1381234567a", "只能包含数字"),
    ],
)
def test_given_bad_mobile_when_validated_then_chinese_reason(raw, fragment):
    with pytest.raises(InvalidMobile) as excinfo:
        mobile.validate_mobile(raw)
    assert fragment in excinfo.value.message


def test_given_mobile_when_masked_then_middle_four_hidden():
    assert mobile.mask_mobile("13812345678") == "138****5678"
    assert mobile.mask_mobile("123") == "***"


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_given_generated_mobile_when_validated_then_accepted(number):
    assert mobile.validate_mobile(number) == number
    assert mobile.is_valid_mobile(number)
