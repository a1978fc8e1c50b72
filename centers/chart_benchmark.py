"""The interactive chart of a version in headless chromium, timed, for `manage.py benchmark`.

No Django server runs: Playwright hands every page request to a Django test client on the calling thread, so the
chart shows what the caller's database connection sees, an uncommitted transaction included. A small relay on
127.0.0.1 (a thread that never touches the database) then gives the browser the static files and the responses
the client made, over a socket: Playwright's `route.fulfill` copies a body through two JSON pipes, which costs
about a second for the 4 MB tree of a 20,000-unit version and would be timed as if it were the chart's.
"""

from __future__ import annotations

import asyncio
import html
import mimetypes
import re
import secrets
import statistics
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponseBase
from django.test import Client

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-background-networking"]
HOST = "127.0.0.1"
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 180_000
EXPAND_ALL = '[data-action="expand-all"]'
RESPONSE_HEADER = "X-Chart-Benchmark-Response"  # names the relayed response a request is to get
# Request headers that the test client sets itself from what it is given.
NOT_FORWARDED = {"content-length", "content-type"}
# Response headers that the relay sets itself.
NOT_RELAYED = {"content-length", "transfer-encoding", "connection"}
FONT_TYPES = {".woff": "font/woff", ".woff2": "font/woff2"}

# Installed in every page before its own scripts. `settled(minCards)` resolves with the end of the drawing (a task
# posted from requestAnimationFrame runs after the frame has been drawn) of the first frame that starts with the
# chart ready: data-state="ready", at least `minCards()` cards, and no d3 transition left to apply.
PAGE_SCRIPT = """
(() => {
  const app = () => document.getElementById("org-chart-app");
  const afterFrame = (callback) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback(performance.now());
    channel.port2.postMessage(null);
  };
  // d3 keeps an element's scheduled transitions in its __transition; the library moves these elements.
  const transitionsPending = (svg) =>
    [svg, ...svg.getElementsByClassName("chart"), ...svg.getElementsByClassName("center-group")]
      .concat(...["node", "link", "connection"].map((name) => Array.from(svg.getElementsByClassName(name))))
      .some((element) => element.__transition !== undefined);
  const isSettled = (minCards) => {
    const element = app();
    if (!element) return false;
    if (element.dataset.state === "error") throw new Error("the chart reports an error (data-state=error)");
    if (element.dataset.state !== "ready") return false;
    const svg = element.querySelector("svg.svg-chart-container");
    const cards = element.getElementsByClassName("org-card").length;
    return Boolean(svg) && cards >= minCards() && !transitionsPending(svg);
  };
  const settled = (minCards) =>
    new Promise((resolve, reject) => {
      const frame = () => {
        try {
          if (isSettled(minCards)) {
            afterFrame(resolve);
            return;
          }
        } catch (error) {
          reject(error);
          return;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  const benchmark = (window.__chartBenchmark = { interactive: null, expanded: null, error: null });
  settled(() => 1).then(
    (time) => { benchmark.interactive = time; },
    (error) => { benchmark.error = String(error); },
  );
  benchmark.watchExpandAll = () => {
    app().querySelector('[data-action="expand-all"]').addEventListener(
      "click",
      (event) => {
        const start = event.timeStamp;
        settled(() => Number(app().dataset.unitCount)).then(
          (time) => { benchmark.expanded = { ms: time - start, cards: app().querySelectorAll(".org-card").length }; },
          (error) => { benchmark.error = String(error); },
        );
      },
      { capture: true, once: true },
    );
  };
})();
"""


class ChartBenchmarkUnavailable(RuntimeError):
    """Playwright or Debian's chromium is missing, so the chart cannot be measured in a browser."""


def measure_chart(client: Client, chart_url: str, *, expand_all: bool = False, repeat: int = 3) -> dict:
    """Open the chart page `chart_url` in headless chromium (1440×900) `repeat` times, a fresh browser context (so
    an empty cache) each time, and return the medians in milliseconds:

    - `interactive_ms`: from navigation start until the end of the drawing of the first frame in which the chart
      is ready to use: orgchart.js has set data-state="ready" on #org-chart-app (the end of its first render and
      fit), a card is in the DOM and no d3 transition is left to apply. Checked once a frame, so it may be one
      frame (about 17 ms) late, never early. It includes serving the page, its files and the tree JSON;
    - `data_ms`: from navigation start until the tree JSON has been parsed (orgchart.js's `orgchart:data` mark);
    - `render_ms`: orgchart.js's first render and fit (its `orgchart:render` measure);
    - with `expand_all`: `expand_all_ms`, from the click on "Fold alt ud" (the mouse click's event time) until the
      end of the drawing of the first frame in which the chart is ready again with every unit's card in the DOM
      and placed (checked as above), and `expanded_cards`, the number of cards then.

    Raises ChartBenchmarkUnavailable without Playwright or chromium, RuntimeError when the chart fails.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise ChartBenchmarkUnavailable(f"Playwright for Python is not installed ({error})") from error
    if not CHROMIUM.exists():
        raise ChartBenchmarkUnavailable(f"{CHROMIUM} is missing: install Debian's chromium package")
    if repeat < 1:
        raise ValueError("repeat must be at least 1")

    warm_up(client, chart_url)
    runs = []
    with running_relay() as relay, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise ChartBenchmarkUnavailable(f"chromium does not start: {error}") from error
        try:
            for _ in range(repeat):
                runs.append(measure_once(browser, client, relay, chart_url, expand_all))
        finally:
            browser.close()
    figures = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    if expand_all:
        figures["expanded_cards"] = int(figures["expanded_cards"])
    return figures


def warm_up(client: Client, chart_url: str) -> None:
    """Serve the page and its tree once before timing, so that no run pays for compiling templates or importing."""
    page = client.get(chart_url, headers={"host": HOST})
    if page.status_code != 200:
        raise RuntimeError(f"{chart_url} answers {page.status_code}")
    tree_url = re.search(r'data-tree-url="([^"]+)"', page.content.decode())
    if tree_url:
        client.get(html.unescape(tree_url.group(1)), headers={"host": HOST})


def measure_once(browser: Browser, client: Client, relay: Relay, chart_url: str, expand_all: bool) -> dict:
    context = browser.new_context(locale="da-DK", viewport=VIEWPORT)
    errors: list[str] = []
    try:
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(PAGE_SCRIPT)
        context.route(re.compile(f"^(?!{re.escape(relay.origin)}/)"), lambda route: route.abort("blockedbyclient"))
        static = re.escape(relay.static_prefix.removeprefix("/"))
        context.route(
            re.compile(f"^{re.escape(relay.origin)}/(?!{static})"),
            lambda route: relay.forward(route, client),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(relay.origin + chart_url, wait_until="commit")
        page.wait_for_function("() => window.__chartBenchmark.interactive !== null || window.__chartBenchmark.error")
        figures = chart_figures(page, errors)
        if expand_all:
            page.evaluate("() => window.__chartBenchmark.watchExpandAll()")
            page.click(EXPAND_ALL)
            page.wait_for_function("() => window.__chartBenchmark.expanded !== null || window.__chartBenchmark.error")
            expanded = chart_figures(page, errors)["expanded"]
            figures["expand_all_ms"] = expanded["ms"]
            figures["expanded_cards"] = expanded["cards"]
        del figures["expanded"]
        return figures
    finally:
        context.close()


def chart_figures(page: Page, errors: list[str]) -> dict:
    figures = page.evaluate(
        """() => {
            const benchmark = window.__chartBenchmark;
            const mark = performance.getEntriesByName("orgchart:data")[0];
            const render = performance.getEntriesByName("orgchart:render")[0];
            return {error: benchmark.error, interactive_ms: benchmark.interactive, expanded: benchmark.expanded,
                    data_ms: mark ? mark.startTime : null, render_ms: render ? render.duration : null};
        }"""
    )
    if figures.pop("error") or errors:
        raise RuntimeError(f"the chart at {page.url} failed: {'; '.join(errors) or figures}")
    return figures


class Relay(ThreadingHTTPServer):
    """Serves static files from the finders, and the responses `forward` made, each to the request it names."""

    daemon_threads = True

    def __init__(self):
        super().__init__((HOST, 0), RelayHandler)
        self.origin = f"http://{HOST}:{self.server_address[1]}"
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.responses: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        self.lock = threading.Lock()

    def forward(self, route: Route, client: Client) -> None:
        """Answer a browser request with the test client, on the caller's database connection, then let the relay
        deliver the response."""
        request = route.request
        url = urlsplit(request.url)
        headers = {name: value for name, value in request.all_headers().items() if name.lower() not in NOT_FORWARDED}
        with outside_the_event_loop():
            response = relayed(
                client.generic(
                    request.method,
                    url.path + (f"?{url.query}" if url.query else ""),
                    data=request.post_data_buffer or b"",
                    content_type=request.headers.get("content-type", "application/octet-stream"),
                    headers=headers,
                )
            )
        token = secrets.token_hex(16)
        with self.lock:
            self.responses[token] = response
        route.continue_(headers={**request.headers, RESPONSE_HEADER: token})

    def take(self, token: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        with self.lock:
            return self.responses.pop(token, None)


def relayed(response: HttpResponseBase) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a test client's response. The client closes the response itself (a streaming
    one once read to the end) with Django's `close_old_connections` held back: closing it again here would close
    the caller's database connection, in the middle of its transaction."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_RELAYED]
    headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
    return response.status_code, headers, body


class RelayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self) -> None:
        relay: Relay = self.server
        self.rfile.read(int(self.headers.get("Content-Length") or 0))  # a POST's body went to the test client
        token = self.headers.get(RESPONSE_HEADER)
        path = urlsplit(self.path).path
        if token:
            answer = relay.take(token) or (502, [], b"")
        elif path.startswith(relay.static_prefix):
            answer = static_file(path.removeprefix(relay.static_prefix))
        else:
            answer = (502, [], b"")
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = answer

    def log_message(self, format, *args) -> None:
        """Quiet: the benchmark prints figures, not requests."""


def static_file(path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    found = finders.find(path)
    if not found:
        return 404, [], b""
    content_type = FONT_TYPES.get(Path(found).suffix) or mimetypes.guess_type(found)[0] or "application/octet-stream"
    return 200, [("Content-Type", content_type)], Path(found).read_bytes()


@contextmanager
def running_relay():
    relay = Relay()
    thread = threading.Thread(target=relay.serve_forever, name="chart-benchmark-relay", daemon=True)
    thread.start()
    try:
        yield relay
    finally:
        relay.shutdown()
        relay.server_close()
        thread.join()


@contextmanager
def outside_the_event_loop():
    """Playwright's sync API runs route handlers inside its asyncio loop on this thread. Seeing a loop run, Django
    would refuse the ORM and give the handler a database connection of its own, outside the caller's transaction;
    with the loop set aside, the handler is the plain synchronous code on the caller's thread that it really is.
    Nothing may wait for Playwright meanwhile."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)
