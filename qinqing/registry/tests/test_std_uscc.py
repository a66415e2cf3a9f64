"""统一社会信用代码 (GB 32100-2015): normalisation, check character, column validation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from qinqing.registry.standards import uscc
from qinqing.registry.standards.uscc import ALPHABET, InvalidCreditCode

DIGITS = "0123456789"


def make(prefix17: str) -> str:
    return prefix17 + uscc.check_char(prefix17)


# Real-format codes: 登记管理部门+机构类别, region, 主体标识码; check characters computed here.
VALID = [
    "91110000600037341L",  # stdnum's documented example (工商, 企业)
    make("91430621MA4L0XXX0".replace("X", "1")),
    make("92430621MA4PQ7NB3"),  # 个体工商户
    make("N2430621MA4T8P1K7"),  # 农业 — 农民专业合作社
    make("Y1110105MA01ABCD5"),  # 其他
    make("A1100000MB0123456"),  # 中央军委改革和编制办公室
    make("51430600MJJ12345X"),  # 民政 — 社会团体
    make("12100000400012345"),  # 机构编制 — 事业单位
]


@pytest.mark.parametrize("code", VALID)
def test_given_real_format_code_when_validated_then_returned_unchanged(code):
    assert uscc.validate(code) == code
    assert uscc.is_valid(code)


def test_given_known_code_when_check_char_computed_then_matches_published_value():
    assert uscc.check_char("91110000600037341") == "L"


def test_given_letters_in_positions_1_and_2_when_validated_then_accepted():
    code = make("N2430621MA4T8P1K7")
    assert uscc.validate(code) == code
    # stdnum insists on digits in positions 1–8; our validator follows GB 32100 instead.
    assert not stdnum_uscc.is_valid(code)


def test_given_lower_case_when_normalized_then_upper_case_with_note():
    code, notes = uscc.normalize(" 91110000600037341l ")
    assert code == "91110000600037341L"
    assert "已将小写字母转为大写" in notes
    assert "已去除空格" in notes
    assert uscc.validate("91110000600037341l") == "91110000600037341L"


def test_given_full_width_when_normalized_then_half_width_with_note():
    full = "".join(chr(ord(c) + 0xFEE0) for c in "91110000600037341L")
    code, notes = uscc.normalize(full)
    assert code == "91110000600037341L"
    assert notes == ["已将全角字符转为半角"]
    assert uscc.validate("９１１１ ００００６０００３７３４１ｌ") == "91110000600037341L"


def test_given_clean_code_when_normalized_then_no_notes():
    assert uscc.normalize("91110000600037341L") == ("91110000600037341L", [])


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("9111000060003734", "应为18位，实际为16位"),
        ("91110000600037341L1", "应为18位，实际为19位"),
        ("9111000060003734IL", "第17位字符“I”不合法"),
        ("91110000600O37341L", "是否应为“0”"),
        ("911A0000600037341L", "第4位字符“A”不合法：第3至8位为登记管理机关行政区划码，只能是数字"),
        ("91110000600037341M", "第18位应为“L”，实际为“M”"),
    ],
)
def test_given_bad_code_when_validated_then_chinese_reason(raw, fragment):
    with pytest.raises(InvalidCreditCode) as excinfo:
        uscc.validate(raw)
    assert fragment in excinfo.value.message


def test_given_bad_character_when_validated_then_position_reported():
    with pytest.raises(InvalidCreditCode) as excinfo:
        uscc.validate("91110000600037S41L")
    assert excinfo.value.position == 15


def test_given_valid_code_when_region_asked_then_positions_3_to_8():
    assert uscc.region_code("91430621MA4PQ7NB3" + uscc.check_char("91430621MA4PQ7NB3")) == "430621"


def test_given_code_with_correct_gb11714_part_when_checked_then_true():
    assert uscc.organization_code_valid("91110000600037341L")


# --- property-based --------------------------------------------------------------------------

first_two = st.text(alphabet=ALPHABET, min_size=2, max_size=2)
region = st.text(alphabet=DIGITS, min_size=6, max_size=6)
subject = st.text(alphabet=ALPHABET, min_size=9, max_size=9)
valid_codes = st.builds(lambda a, b, c: make(a + b + c), first_two, region, subject)
digit_prefixed = st.builds(
    lambda a, b, c: make(a + b + c), st.text(alphabet=DIGITS, min_size=2, max_size=2), region, subject
)


@given(valid_codes)
def test_given_generated_valid_code_when_validated_then_accepted(code):
    assert uscc.validate(code) == code
    assert uscc.validate(code.lower()) == code


@given(valid_codes, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_given_any_single_character_corruption_when_validated_then_detected(code, index, replacement):
    if code[index] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    corrupted = code[:index] + replacement + code[index + 1 :]
    with pytest.raises(InvalidCreditCode):
        uscc.validate(corrupted)


@given(digit_prefixed)
def test_given_digit_prefixed_code_when_cross_checked_then_stdnum_agrees(code):
    assert stdnum_uscc.is_valid(code)
    assert stdnum_uscc.calc_check_digit(code[:17]) == uscc.check_char(code[:17])


@given(st.text(max_size=20))
def test_given_arbitrary_text_when_validated_then_only_invalid_credit_code_raised(text):
    try:
        uscc.validate(text)
    except InvalidCreditCode as exc:
        assert exc.message


# --- column validation -----------------------------------------------------------------------


def test_given_mixed_column_when_validated_many_then_codes_and_errors_align():
    values = ["91110000600037341L", "91110000600037341l", "bad", "", "91110000600037341M", VALID[3]]
    codes, errors = uscc.validate_many(values)
    assert codes == ["91110000600037341L", "91110000600037341L", None, None, None, VALID[3]]
    assert errors[0] is None and errors[1] is None and errors[5] is None
    assert "应为18位" in errors[2]
    assert "不能为空" in errors[3]
    assert "第18位应为“L”" in errors[4]


@given(st.lists(st.one_of(valid_codes, st.text(max_size=20)), max_size=30))
def test_given_any_column_when_validated_many_then_same_as_one_by_one(values):
    codes, errors = uscc.validate_many(values)
    for value, code, error in zip(values, codes, errors, strict=True):
        try:
            assert code == uscc.validate(value) and error is None
        except InvalidCreditCode as exc:
            assert code is None and error == exc.message


def test_given_100000_codes_when_validated_many_then_exactly_the_bad_ones_are_reported():
    """The vectorised check over a whole column (its speed is in docs/performance/registry.md)."""
    import random

    rng = random.Random(7)
    values = [
        make("".join(rng.choice(DIGITS) for _ in range(8)) + "".join(rng.choice(ALPHABET) for _ in range(9)))
        for _ in range(100_000)
    ]
    values[::1000] = ["91110000600037341M"] * len(values[::1000])
    codes, errors = uscc.validate_many(values)
    bad = {i for i, e in enumerate(errors) if e is not None}
    assert bad == set(range(0, 100_000, 1000))
    assert codes[1] == values[1] and codes[999] == values[999]


def test_given_padded_and_none_values_when_validated_many_then_normalised_or_reported():
    codes, errors = uscc.validate_many(["  91110000600037341L ", None])
    assert codes == ["91110000600037341L", None]
    assert errors[0] is None and "不能为空" in errors[1]
