"""SMS part counts after 3GPP TS 23.038: GSM-7 with its extension table, else UCS-2."""

import pytest

from urna.campaigns.sms import sms_length, sms_parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("GSM-7", 0, 160)),
        ("Hola", ("GSM-7", 1, 160)),
        ("a" * 160, ("GSM-7", 1, 160)),
        ("a" * 161, ("GSM-7", 2, 153)),
        ("a" * 306, ("GSM-7", 2, 153)),
        ("a" * 307, ("GSM-7", 3, 153)),
        # "é", "ñ", "ü" and "à" are in the GSM-7 default alphabet...
        ("Participe en la consulta rural: opinión é año" + "a" * 100, ("UCS-2", 3, 67)),
        ("é" * 160, ("GSM-7", 1, 160)),
        ("ñüÑÜà" * 32, ("GSM-7", 1, 160)),
        # ...but "á", "í", "ó", "ú" are not: the whole text goes as UCS-2.
        ("á", ("UCS-2", 1, 70)),
        ("á" * 70, ("UCS-2", 1, 70)),
        ("á" * 71, ("UCS-2", 2, 67)),
        ("á" * 134, ("UCS-2", 2, 67)),
        ("á" * 135, ("UCS-2", 3, 67)),
        # Extension characters take two septets.
        ("€" * 80, ("GSM-7", 1, 160)),
        ("€" * 81, ("GSM-7", 2, 153)),
        ("{}" * 40 + "a", ("GSM-7", 2, 153)),
    ],
)
def test_parts(text, expected):
    assert sms_parts(text) == expected


def test_an_escape_pair_is_never_split_between_parts():
    # 152 plain septets then "€": 154 septets do not fit the first part of 153, so the pair
    # starts the second part; 153 + 2 = 155 would be 2 parts by arithmetic alone.
    text = "a" * 152 + "€" + "a" * 152
    assert sms_length(text) == 306
    assert sms_parts(text) == ("GSM-7", 3, 153)


def test_an_emoji_counts_two_units_and_is_not_split():
    assert sms_length("🙂") == 2
    assert sms_parts("🙂" * 35) == ("UCS-2", 1, 70)
    assert sms_parts("a" * 66 + "🙂" + "a" * 66) == ("UCS-2", 3, 67)
