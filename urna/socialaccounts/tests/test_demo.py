"""The demo registry: example accounts with two years of monthly figures, loaded twice without
change, feeding the indicators for both years."""

from datetime import date
from io import StringIO

from urna.entities.demo import demo_load as entities_demo
from urna.socialaccounts.demo import DEMO_ACCOUNTS, demo_load, month_ends
from urna.socialaccounts.models import SocialAccount, SocialFigure
from urna.socialaccounts.selectors import indicator_figures


def test_month_ends():
    assert month_ends(date(2026, 12, 4), 3) == [
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
    ]
    assert month_ends(date(2026, 3, 1), 2) == [date(2026, 1, 31), date(2026, 2, 28)]


def test_the_demo_loads_example_accounts_once(national_entities):
    entities_demo(stdout=StringIO())

    demo_load(stdout=StringIO())
    accounts = SocialAccount.objects.count()
    figures = SocialFigure.objects.count()
    demo_load(stdout=StringIO())

    assert accounts == len(DEMO_ACCOUNTS)
    assert (SocialAccount.objects.count(), SocialFigure.objects.count()) == (accounts, figures)
    assert not SocialAccount.objects.filter(is_example=False).exists()
    months = 12 + date.today().month - 1  # every complete month since January of last year
    assert figures >= months * (accounts - 1)  # the closed one stopped this year
    assert SocialFigure.objects.order_by("date").first().date.year == date.today().year - 1
    assert SocialFigure.objects.dates("date", "year").count() >= 2
    last_year = date.today().year - 1
    rows = indicator_figures(start=date(last_year, 1, 1), end=date(last_year, 12, 31))
    tracked = sum(r["value"] for r in rows if r["key"] == "social_accounts_tracked")
    followers = sum(r["value"] for r in rows if r["key"] == "social_followers")
    assert tracked == accounts  # every one was listed two years ago and none closed last year
    assert followers > 10_000_000
