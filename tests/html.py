"""Reading a page as its reader would: the message beside a field, what a field holds."""

from __future__ import annotations

import lxml.html


def parse(response_or_html):
    html = response_or_html
    if not isinstance(html, str):
        html = response_or_html.get_data(as_text=True)
    return lxml.html.fromstring(html)


def field_error(page, field_id: str) -> str:
    """The message shown beside the field with id `field_id` ("" when there is none)."""
    found = parse(page).get_element_by_id(f"{field_id}-error", None)
    return found.text_content().strip() if found is not None else ""


def value(page, field_id: str) -> str:
    """What the input, textarea or select with id `field_id` shows."""
    element = parse(page).get_element_by_id(field_id)
    if element.tag == "select":
        chosen = element.xpath(".//option[@selected]")
        return chosen[0].get("value") if chosen else ""
    if element.tag == "textarea":
        # As browsers do: a newline right after <textarea> is not part of the value.
        content = element.text_content()
        return content[2:] if content.startswith("\r\n") else content.removeprefix("\n")
    return element.get("value") or ""


def text(page, selector_id: str) -> str:
    """The visible text of the element with id `selector_id`."""
    found = parse(page).get_element_by_id(selector_id, None)
    return " ".join(found.text_content().split()) if found is not None else ""


def summary(page) -> str:
    """The error summary above a form (every one on the page, joined)."""
    boxes = parse(page).find_class("form-errors")
    return " ".join(" ".join(b.text_content().split()) for b in boxes)
