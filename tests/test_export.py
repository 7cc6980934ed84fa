"""`bot export` writes and removes only files inside its folder, ships no drafts, and says what it did."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from helpers import build_tiny_corpus

from bot.browser_model import model_bytes
from bot.cli import main
from bot.engine import Bot
from bot.export import MANIFEST, ExportError, export_site


@pytest.fixture(scope="module")
def small_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """A bot on the two-topic test corpus: every export below is about files, not about the topics."""
    return Bot.from_path(build_tiny_corpus(tmp_path_factory.mktemp("small") / "corpus"))


def previous_export(site: Path, *lines: str) -> None:
    """A folder that looks like an earlier export whose manifest someone else edited."""
    site.mkdir(parents=True, exist_ok=True)
    (site / MANIFEST).write_text("".join(f"{line}\n" for line in ("index.html", *lines)))
    (site / "index.html").write_text("old")


@pytest.mark.parametrize("line", ["{victim}", "../victim/important.txt", "topics/../../victim/important.txt"])
def test_manifest_cannot_delete_outside_the_folder(small_bot: Bot, tmp_path: Path, line: str) -> None:
    victim = tmp_path / "victim" / "important.txt"
    victim.parent.mkdir()
    victim.write_text("keep me")
    site = tmp_path / "site"
    previous_export(site, line.format(victim=victim))
    with pytest.raises(ExportError, match="must stay inside"):
        export_site(small_bot, site)
    assert victim.read_text() == "keep me"
    assert (site / "index.html").read_text() == "old", "nothing is removed when one line is bad"


def test_manifest_cannot_delete_through_a_symlink(small_bot: Bot, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "important.txt").write_text("keep me")
    site = tmp_path / "site"
    previous_export(site, "linked/important.txt")
    (site / "linked").symlink_to(outside)
    with pytest.raises(ExportError, match="symbolic link"):
        export_site(small_bot, site)
    assert (outside / "important.txt").read_text() == "keep me"


def test_never_writes_through_a_symlinked_folder(small_bot: Bot, tmp_path: Path) -> None:
    """EXP-02: `site/static` links to a folder elsewhere; the export must not write there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    export_site(small_bot, site)
    (site / "static" / "widget.css").unlink()
    for f in (site / "static").iterdir():
        f.unlink()
    (site / "static").rmdir()
    (site / "static").symlink_to(outside)
    with pytest.raises(ExportError, match="symbolic link"):
        export_site(small_bot, site)
    assert list(outside.iterdir()) == []


def test_destination_that_is_a_symlink_is_refused(small_bot: Bot, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(ExportError, match="symbolic link"):
        export_site(small_bot, tmp_path / "link")
    assert list(real.iterdir()) == []


def test_a_clean_previous_export_is_still_replaced(small_bot: Bot, tmp_path: Path) -> None:
    site = tmp_path / "site"
    export_site(small_bot, site)
    (site / "topics" / "gone").mkdir()
    (site / "topics" / "gone" / "index.html").write_text("stale")
    manifest = site / MANIFEST
    manifest.write_text(manifest.read_text() + "topics/gone/index.html\n")
    export_site(small_bot, site)
    assert not (site / "topics" / "gone").exists()


def test_base_url_message_matches_what_is_accepted(small_bot: Bot, tmp_path: Path) -> None:
    export_site(small_bot, tmp_path / "a", base_url="http://127.0.0.1:8000")  # accepted, for local tests
    with pytest.raises(ExportError) as err:
        export_site(small_bot, tmp_path / "b", base_url="ftp://example.org")
    assert "https://" in str(err.value) and "http://" in str(err.value).replace("https://", "")


def test_cli_prints_the_embed_tag_without_a_base_url(
    tmp_path: Path, tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "site"), "--corpus", str(tiny_corpus)]) == 0
    out = capsys.readouterr().out
    assert '<script src="widget.js" defer data-mode="private"' in out
    assert "relative to the exported folder" in out
    assert (
        main(
            ["export", str(tmp_path / "site"), "--corpus", str(tiny_corpus), "--base-url", "https://help.example.org/"]
        )
        == 0
    )
    assert '<script src="https://help.example.org/widget.js" defer' in capsys.readouterr().out


def test_printed_embed_tag_is_the_readme_one_and_forces_no_language(
    tmp_path: Path, tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's table: without data-lang the chat follows the browser's language (es-MX opens in Spanish)."""
    args = ["export", str(tmp_path / "site"), "--corpus", str(tiny_corpus), "--base-url", "https://help.example.org"]
    assert main(args) == 0
    tags = re.findall(r"<script [^>]*></script>", capsys.readouterr().out)
    assert tags == ['<script src="https://help.example.org/widget.js" defer data-mode="private"></script>'], tags
    assert tags[0] in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_headers_file_and_precompressed_model(small_bot: Bot, tmp_path: Path) -> None:
    files = export_site(small_bot, tmp_path / "site")
    headers = files["_headers"].decode()
    assert re.search(r"^/static/\*\n  Access-Control-Allow-Origin: \*$", headers, re.M), headers
    gz = files["static/model.json.gz"]
    assert gzip.decompress(gz) == files["static/model.json"] == model_bytes(small_bot)
    assert len(gz) <= 150 * 1024, len(gz)
    assert "embed.html" in files and b"data-frame" in files["embed.html"]
    again = export_site(small_bot, tmp_path / "site")
    assert again["static/model.json.gz"] == gz, "same corpus, same bytes"


DRAFT_WORDS = ("Zorblaxia", "Quentinova", "1-212-555-0147", "counsel.private@nonprofit.example")


def draft_bot(tiny_corpus: Path) -> Bot:
    text = (tiny_corpus / "en" / "itin-basics.md").read_text()
    text = text.replace("id: itin-basics", "id: secret-draft").replace("status: vetted", "status: draft")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [q one, q two, q three, q four, q five, q six]\n", text)
    text += "\nAsk Zorblaxia Quentinova at 1-212-555-0147 or counsel.private@nonprofit.example.\n"
    (tiny_corpus / "en" / "secret-draft.md").write_text(text)
    (tiny_corpus / "es" / "secret-draft.md").write_text(text.replace("lang: en", "lang: es"))
    return Bot.from_path(tiny_corpus)


def test_drafts_are_not_in_the_pages(tiny_corpus: Path, tmp_path: Path) -> None:
    files = export_site(draft_bot(tiny_corpus), tmp_path / "site")
    assert not any("secret-draft" in p for p in files)
    leaks = [
        p
        for p, data in files.items()
        if p != "static/model.json" and not p.endswith(".gz")
        for w in DRAFT_WORDS
        if w.encode() in data
    ]
    assert leaks == []


def test_drafts_are_not_in_the_model(tiny_corpus: Path, tmp_path: Path) -> None:
    files = export_site(draft_bot(tiny_corpus), tmp_path / "site")
    model = gzip.decompress(files["static/model.json.gz"])
    assert [w for w in DRAFT_WORDS if w.encode() in model] == []
