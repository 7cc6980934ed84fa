"""Private mode: answer time in Chromium beside Python's, model load on first open, file sizes.

Exports the static site to a temporary folder, serves it with `python -m http.server` and drives
headless Chromium (/usr/bin/chromium) with Playwright.

Run: .venv/bin/python bench/private.py   (targets: browser median < 2 ms; model < 150 KB and
engine.js <= 5 KB gzipped)
"""

from __future__ import annotations

import csv
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bot.engine import Bot
from bot.export import export_site

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REPEAT = 5  # each question is timed over this many answers (the browser clock is coarse)
OPENS = 5  # fresh pages for the first-open timings


def questions() -> list[str]:
    out = []
    for name in ("questions.tsv", "urgent.tsv", "personal_data.tsv"):
        with open(DATA / name, encoding="utf-8", newline="") as f:
            out += [r["question"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return out


def pct(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * q))]


def python_times(bot: Bot, qs: list[str]) -> list[float]:
    for q in qs[:50]:
        bot.ask(q)
    times = []
    for q in qs:
        start = time.perf_counter()
        for _ in range(REPEAT):
            bot.ask(q)
        times.append((time.perf_counter() - start) * 1000 / REPEAT)
    return times


# Playwright reaches into open shadow roots only; the widget's is closed.
OPEN_SHADOW = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, { mode: 'open' })); };
})();"""

FIRST_OPEN = """async () => {
  const t0 = performance.now();
  const M = await (await fetch('/static/model.json', { cache: 'no-store' })).json();
  const t1 = performance.now();
  TaxPrivacyEngine.answer(M, 'what is an ITIN', null);
  const t2 = performance.now();
  TaxPrivacyEngine.answer(M, 'que es un ITIN', null);
  const t3 = performance.now();
  window.M = M;
  return [t1 - t0, t2 - t1, t3 - t2];
}"""

TIME_ALL = """([qs, repeat]) => {
  for (const q of qs.slice(0, 50)) TaxPrivacyEngine.answer(M, q, null);
  return qs.map((q) => {
    const t = performance.now();
    for (let i = 0; i < repeat; i++) TaxPrivacyEngine.answer(M, q, null);
    return (performance.now() - t) / repeat;
  });
}"""


def main() -> None:
    bot = Bot.from_path()
    qs = questions()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        files = export_site(bot, site)
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            line = server.stdout.readline() if server.stdout else ""  # "Serving HTTP on 127.0.0.1 port N ..."
            port = int(line.split(" port ")[1].split()[0])
            url = f"http://127.0.0.1:{port}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                loads, first_en, first_es, opens = [], [], [], []
                for _ in range(OPENS):
                    page = browser.new_page()
                    page.goto(f"{url}/topics/index.html")
                    page.add_script_tag(url="/static/engine.js")
                    a, b, c = page.evaluate(FIRST_OPEN)
                    loads.append(a)
                    first_en.append(b)
                    first_es.append(c)
                    page.close()
                    # The widget itself: click to ready (CSS, engine.js, model), as a person sees it.
                    context = browser.new_context()
                    context.add_init_script(OPEN_SHADOW)
                    page = context.new_page()
                    page.goto(f"{url}/index.html")
                    page.wait_for_load_state("networkidle")
                    launcher = page.locator("taxprivacy-chat .launcher")
                    launcher.wait_for()
                    start = time.perf_counter()
                    launcher.click()
                    page.locator("taxprivacy-chat textarea").wait_for()
                    opens.append((time.perf_counter() - start) * 1000)
                    context.close()
                page = browser.new_page()
                page.goto(f"{url}/topics/index.html")
                page.add_script_tag(url="/static/engine.js")
                page.evaluate(FIRST_OPEN)
                js = [t for _ in range(3) for t in page.evaluate(TIME_ALL, [qs, REPEAT])]
                browser.close()
        finally:
            server.terminate()
            server.wait()
    py = python_times(bot, qs) + python_times(bot, qs) + python_times(bot, qs)

    def size(data: bytes) -> str:
        return f"{len(data) / 1024:6.1f} KB raw, {len(gzip.compress(data, 9)) / 1024:5.1f} KB gzipped"

    print(f"{'':34} {'median':>9} {'p99':>9}   ({len(qs)} dev-set questions x 3)")
    print(f"{'answer, Chromium (engine.js)':34} {statistics.median(js):7.3f}ms {pct(js, 0.99):7.3f}ms")
    print(f"{'answer, Python (Bot.ask)':34} {statistics.median(py):7.3f}ms {pct(py, 0.99):7.3f}ms")
    print()
    print(f"first open ({OPENS} fresh pages)              median     max")
    print(f"{'fetch + parse model.json':34} {statistics.median(loads):7.1f}ms {max(loads):7.1f}ms")
    print(f"{'first answer, en (builds en index)':34} {statistics.median(first_en):7.1f}ms {max(first_en):7.1f}ms")
    print(f"{'first answer, es (builds es index)':34} {statistics.median(first_es):7.1f}ms {max(first_es):7.1f}ms")
    print(f"{'widget: click to ready to type':34} {statistics.median(opens):7.1f}ms {max(opens):7.1f}ms")
    print()
    for name in ("static/model.json", "static/engine.js", "widget.js", "static/widget.css"):
        print(f"{name:34} {size(files[name])}")


if __name__ == "__main__":
    main()
