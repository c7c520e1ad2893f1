"""Small presentation helpers for the templates."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import slugify

register = template.Library()


@register.filter
def segment_class(name: str | None) -> str:
    """CSS class of a segment badge: "Can't Lose Them" -> "segment-cant-lose-them"."""
    return f"segment-{slugify((name or '').replace(chr(39), ''))}" if name else "badge-muted"


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def number(value, digits: int = 3) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def score_level(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return "score-high" if value >= 0.5 else "score-medium" if value >= 0.2 else "score-low"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag(takes_context=True)
def nav_current(context, *names: str) -> str:
    """aria-current for the navigation link of the page being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    return mark_safe('aria-current="page"') if match and match.url_name in names else ""
