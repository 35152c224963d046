from urna.core.channels import Channel
from urna.opendata.tables import CONTRIBUTION_CHANNEL_VALUES


def test_the_contributions_channel_enum_lists_what_a_contribution_can_arrive_by():
    assert "tv" in CONTRIBUTION_CHANNEL_VALUES
    assert "facebook" in CONTRIBUTION_CHANNEL_VALUES
    assert Channel.EXERCISE not in CONTRIBUTION_CHANNEL_VALUES
    assert Channel.SOCIAL not in CONTRIBUTION_CHANNEL_VALUES
    assert len(CONTRIBUTION_CHANNEL_VALUES) == len(Channel.values) - 2
