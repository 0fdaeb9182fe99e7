from core.digits import digits, whole_number


def test_ascii_and_full_width_digits_only():
    assert whole_number("42") == 42 and whole_number("４２") == 42 and digits("０７") == "07"
    for text in ("²", "①", "٣", "𝟓", "", " 4", "4 ", "-1", "1.0", "½", "四"):
        assert whole_number(text) is None, text
