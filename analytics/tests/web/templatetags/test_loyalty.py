"""The template filters and tags of the pages (no database)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve

from analytics.web.templatetags import loyalty


@pytest.mark.parametrize(
    ("segment", "css"),
    [("Can't Lose Them", "segment-cant-lose-them"), ("Champions", "segment-champions"), (None, "badge-muted")],
)
def test_segment_class(segment, css):
    """A segment's badge class is its slug without apostrophes; no segment is a muted badge."""
    assert loyalty.segment_class(segment) == css


def test_numbers_and_percentages_show_a_dash_when_missing():
    """Numbers and percentages are formatted to the given digits, and None or "" is a dash."""
    assert (loyalty.percent(0.1234), loyalty.percent(0.5, 0), loyalty.percent(None)) == ("12.3%", "50%", "—")
    assert (loyalty.number(0.12345), loyalty.number(2, 1), loyalty.number("")) == ("0.123", "2.0", "—")


@pytest.mark.parametrize(("score", "level"), [(0.5, "score-high"), (0.2, "score-medium"), (0.19, "score-low")])
def test_score_level(score, level):
    """Scores from 0.5 are high, from 0.2 medium, below that low."""
    assert loyalty.score_level(score) == level
    assert loyalty.score_level(None) == ""


def test_get_item_reads_a_mapping_or_nothing():
    """get_item looks a key up in a mapping and tolerates a missing mapping."""
    assert (loyalty.get_item({"a": 1}, "a"), loyalty.get_item(None, "a")) == (1, None)


def _customers_page_context() -> dict:
    request = RequestFactory().get("/customers/")
    request.resolver_match = resolve("/customers/")
    return {"request": request}


def test_nav_current_marks_the_link_of_the_page_shown():
    """The navigation link of the current page gets aria-current, the others nothing."""
    context = _customers_page_context()
    assert loyalty.nav_current(context, "customer-list", "customer-detail") == 'aria-current="page"'
    assert loyalty.nav_current(context, "dashboard") == ""
    assert loyalty.nav_current({}, "dashboard") == ""


def test_nav_current_renders_an_unescaped_attribute():
    """In a template the tag renders the attribute as markup, not as escaped text."""
    template = Template("{% load loyalty %}<a {% nav_current 'customer-list' %}>")
    assert template.render(Context(_customers_page_context())) == '<a aria-current="page">'
