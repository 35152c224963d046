"""Accessibility checks of rendered HTML that need no browser, shared by each app's page tests.

The full audit runs axe-core in Chromium (`make a11y`, bench/a11y.py); these cheap checks keep
the most common regressions — a form field without a label, a repeated id, the skip link —
inside `make test`.
"""

from collections import Counter
from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
FOCUSABLE = {"button", "input", "select", "textarea", "summary"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang: str | None = None
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict] = []  # each: attrs, inside_label
        self.first_focusable: dict | None = None
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in UNLABELLED_TYPES:
            self.fields.append({"tag": tag, "attrs": attrs, "inside_label": self._open_labels > 0})
        if tag == "a":
            focusable = "href" in attrs
        else:
            focusable = tag in FOCUSABLE and attrs.get("type") != "hidden"
        if self.first_focusable is None and focusable and attrs.get("tabindex") != "-1":
            self.first_focusable = {"tag": tag, "attrs": attrs}

    def handle_endtag(self, tag):
        if tag == "label" and self._open_labels:
            self._open_labels -= 1


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def unlabelled_fields(html: str) -> list[str]:
    """The form fields a screen reader would announce without a name: no <label for>, no
    enclosing <label>, no aria-label or aria-labelledby."""
    page = parse(html)
    missing = []
    for field in page.fields:
        attrs = field["attrs"]
        named = (
            field["inside_label"]
            or attrs.get("id", "") in page.label_for
            or attrs.get("aria-label", "").strip()
            or attrs.get("aria-labelledby", "").strip()
        )
        if not named:
            missing.append(f"<{field['tag']} name={attrs.get('name', '')!r}>")
    return missing


def duplicate_ids(html: str) -> list[str]:
    return sorted(i for i, n in Counter(parse(html).ids).items() if n > 1)


def skip_link_target(html: str) -> str | None:
    """The id the first tab stop jumps to when it is an in-page link to an existing element."""
    page = parse(html)
    first = page.first_focusable
    if not first or first["tag"] != "a" or not first["attrs"].get("href", "").startswith("#"):
        return None
    target = first["attrs"]["href"][1:]
    return target if target in page.ids else None


def error_summary_links(html: str) -> list[str]:
    """The targets of the error summary's links (``id_title``…), in order, after checking the
    page has one summary, its ids are unique and each link leads to an element of the page."""
    assert html.count('class="error-summary"') == 1, "one error summary"
    assert duplicate_ids(html) == []
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    targets = [part.split('"', 1)[0] for part in summary.split('href="#')[1:]]
    ids = set(parse(html).ids)
    assert all(target in ids for target in targets), (targets, "links lead nowhere")
    return targets
