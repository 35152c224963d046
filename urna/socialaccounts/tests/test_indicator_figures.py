"""indicator_figures against fixtures counted by hand."""

from datetime import date

from urna.socialaccounts.models import SocialAccount
from urna.socialaccounts.selectors import indicator_figures

Y2025 = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def as_table(rows):
    return {(r["entity_id"], r["department"], r["key"]): r["value"] for r in rows}


def test_counts_tracked_active_and_followers_per_entity(
    agriculture, caldas, education, make_account, make_figure
):
    # Agriculture: three accounts.
    fb = make_account(agriculture, "facebook", "minagricultura")
    make_figure(fb, date(2024, 12, 31), 900, posts=12)
    make_figure(fb, date(2025, 6, 30), 1000, posts=0)
    make_figure(fb, date(2025, 12, 31), 1200, posts=5)  # posted in 2025: active
    make_figure(fb, date(2026, 1, 31), 5000, posts=5)  # after the period: ignored
    x = make_account(agriculture, "x", "minagricultura")
    make_figure(x, date(2024, 11, 30), 300, posts=4)  # no figure in 2025: not active
    # closed in 2026: still tracked at the end of 2025, its figure with unknown posts is activity
    yt = make_account(
        agriculture,
        "youtube",
        "minagricultura",
        status=SocialAccount.Status.CLOSED,
        closed_on=date(2026, 2, 1),
    )
    make_figure(yt, date(2025, 3, 31), 50)
    # Caldas: one account closed during 2025 (not tracked, its followers not summed), one
    # pending review (tracked, never active), one listed only in 2026 (not yet in the registry).
    closed = make_account(
        caldas,
        "instagram",
        "gobcaldas",
        status=SocialAccount.Status.CLOSED,
        closed_on=date(2025, 9, 1),
    )
    make_figure(closed, date(2025, 5, 31), 700, posts=3)
    pending = make_account(caldas, "tiktok", "gobcaldas", status=SocialAccount.Status.PENDING)
    make_figure(pending, date(2025, 5, 31), 80, posts=9)
    make_account(caldas, "x", "gobcaldas", listed_on=date(2026, 1, 15))
    # Education: only an account listed in 2026: no rows at all for 2025.
    make_account(education, "x", "mineducacion", listed_on=date(2026, 1, 2))

    table = as_table(indicator_figures(**Y2025))

    assert table == {
        (agriculture.pk, "", "social_accounts_tracked"): 3,
        (agriculture.pk, "", "social_accounts_active"): 2,
        (agriculture.pk, "", "social_followers"): 1200 + 300 + 50,
        (caldas.pk, "17", "social_accounts_tracked"): 1,
        (caldas.pk, "17", "social_accounts_active"): 0,
        (caldas.pk, "17", "social_followers"): 80,
    }


def test_an_earlier_period_sees_the_registry_as_it_was(agriculture, make_account, make_figure):
    fb = make_account(agriculture, "facebook", "minagricultura", listed_on=date(2024, 3, 1))
    make_figure(fb, date(2024, 6, 30), 400, posts=2)
    make_figure(fb, date(2025, 6, 30), 800, posts=2)
    make_account(agriculture, "x", "minagricultura", listed_on=date(2025, 2, 1))

    table = as_table(indicator_figures(start=date(2024, 1, 1), end=date(2024, 12, 31)))

    assert table == {
        (agriculture.pk, "", "social_accounts_tracked"): 1,
        (agriculture.pk, "", "social_accounts_active"): 1,
        (agriculture.pk, "", "social_followers"): 400,
    }


def test_example_accounts_count_like_any_other(agriculture, make_account, make_figure):
    demo = make_account(agriculture, "facebook", "ejemplo", is_example=True)
    make_figure(demo, date(2025, 1, 31), 10, posts=1)

    table = as_table(indicator_figures(**Y2025))

    assert table[(agriculture.pk, "", "social_accounts_tracked")] == 1
    assert table[(agriculture.pk, "", "social_followers")] == 10


def test_an_empty_registry_gives_no_rows(db):
    assert indicator_figures(**Y2025) == []
