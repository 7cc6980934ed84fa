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


def test_markdown_renders_as_github_previews_it() -> None:
    """CommonMark: a list may follow its lead-in line directly, as authors see it in GitHub's preview
    (Python-Markdown, used before, ran the three lines together into one paragraph)."""
    html, text = render_markdown("Bring these papers:\n- your ITIN letter\n- a photo ID")
    assert "<li>your ITIN letter</li>" in html and "<li>a photo ID</li>" in html, html
    assert text.splitlines()[0] == "Bring these papers:", text


def test_a_script_link_is_rendered_for_the_sanitizer_and_reported() -> None:
    """markdown-it would leave a "javascript:" link as plain text; it goes to nh3 instead, so the
    check can name the link to the author and the page shows only its words."""
    from bot.corpus import _markdown_html, body_markup_problems

    body = "Read [this page](javascript:alert(1)) first."
    html, text = render_markdown(body)
    assert "javascript" not in html and text == "Read this page first.", (html, text)
    assert any("javascript:alert(1)" in message for _, message in body_markup_problems(body, _markdown_html(body)))
