"""The Markdown sanitizer keeps absolute https, mailto and tel links only (security review L-7)."""

from __future__ import annotations

import pytest

from bot.corpus import render_markdown


@pytest.mark.parametrize(
    "url",
    ["//evil.example/phish", "/api/ask", "topics/itin-basics", "#top", "javascript:alert(1)", "http://www.irs.gov/"],
)
def test_link_that_is_not_absolute_https_loses_its_address(url: str) -> None:
    html, text = render_markdown(f"Read [this page]({url}) first.")
    assert "href" not in html, html
    assert "this page" in text


@pytest.mark.parametrize("url", ["https://www.irs.gov/itin", "mailto:help@example.org", "tel:+18772274778"])
def test_https_mailto_and_tel_links_are_kept(url: str) -> None:
    html, _ = render_markdown(f"Read [this page]({url}) first.")
    assert f'href="{url}"' in html, html


def test_raw_html_is_removed() -> None:
    html, _ = render_markdown('Hi <script>alert(1)</script><iframe src="https://evil.example/"></iframe> there.')
    assert "<script" not in html and "<iframe" not in html and "alert" not in html, html
