"""A council portal and plan pages on 127.0.0.1, built at test time from ../shared/real/greve and the corpus.

``Portal`` serves, on one host: an index page (``/``) linking the published
Greve meetings (``/meetings/NAME.html``, read from ../shared, never copied), PDF
plans, a robots.txt that disallows ``/private/``, a PDF regenerated (new
``ModDate`` and ``/ID``) on every request, a plan whose bytes the test
replaces, and the ways a server goes wrong: a 404, a 500 that recovers, a
truncated body, a slow drip, an oversized body, a redirect loop, and a
response held open until the test releases it. Every request is logged with
its status and whether it was conditional. Documents carry an ``ETag`` and
``Last-Modified`` and answer 304 to a matching conditional request.

``soft_404_host`` answers 200 with a Danish "page not found" page for any
path; ``not_http_host`` answers bytes that are not HTTP.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import io
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from klimamaal.config import CORPUS_DIR, shared_dir

GREVE = shared_dir() / "real" / "greve"
MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


def greve_meetings() -> list[Path]:
    return sorted(GREVE.glob("greve_*.html"))


def pdf_of(lines: list[str], subject: str = "") -> bytes:
    """A one-page text PDF (reportlab); ``subject`` changes the bytes, not the text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=not subject)
    if subject:
        pdf.setSubject(subject)
    pdf.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        pdf.drawString(60, 780 - 18 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass
class Request:
    path: str
    status: int
    conditional: bool


@dataclass
class Portal:
    """What the portal serves; tests change it between crawls."""

    meetings: list[Path]
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    flaky_failures: int = 1
    hold: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)
    builds: int = 0
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def publish(self, meeting: Path) -> None:
        self.meetings.append(meeting)

    def index_html(self) -> bytes:
        links = "".join(
            f'<li><a href="/meetings/{m.name}">{m.stem}</a></li>' for m in self.meetings
        ) + "".join(f'<li><a href="{path}">{path}</a></li>' for path in self.files)
        return (
            "<html><head><title>Dagsordener og referater</title></head><body><main><h1>Møder</h1>"
            f'<ul>{links}</ul><a href="/private/intern.pdf">intern</a></main></body></html>'
        ).encode()

    def requests_for(self, prefix: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.path.startswith(prefix)]


class _Handler(http.server.BaseHTTPRequestHandler):
    portal: Portal
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _record(self, status: int) -> None:
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        with self.portal.lock:
            self.portal.log.append(Request(self.path, status, conditional))

    def _send(self, status: int, body: bytes, media_type: str, *, validators: bool = True) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if validators and self.headers.get("If-None-Match") == etag:
            self._record(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        if validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", MODIFIED)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        portal, path = self.portal, self.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain", validators=False)
        if path == "/":
            return self._send(200, portal.index_html(), "text/html; charset=utf-8")
        if path.startswith("/meetings/"):
            meeting = next((m for m in portal.meetings if m.name == path.removeprefix("/meetings/")), None)
            if meeting is not None:
                return self._send(200, meeting.read_bytes(), "text/html; charset=utf-8")
        if path in portal.files:
            body, media_type = portal.files[path]
            return self._send(200, body, media_type)
        if path == "/moddate.pdf":
            with portal.lock:
                portal.builds += 1
                build = portal.builds
            lines = [
                "Klimaplan 2030",
                "Senest i 2030 er CO2-udledningen reduceret med 70 % i forhold til 1990.",
            ]
            return self._send(
                200,
                pdf_of(lines, subject=f"build {build} {time.time()}"),
                "application/pdf",
                validators=False,
            )
        if path == "/flaky.pdf":
            with portal.lock:
                failing = portal.flaky_failures > 0
                portal.flaky_failures -= 1
            if failing:
                return self._send(500, b"midlertidig fejl", "text/plain", validators=False)
            lines = ["Varmeplan", "I 2028 er 95 % af opvarmningen fossilfri."]
            return self._send(200, pdf_of(lines), "application/pdf")
        if path == "/truncated.pdf":
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4\n" + b"x" * 1000)
            self.wfile.flush()
            self.close_connection = True
            return None
        if path == "/slow.pdf":
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            return None
        if path == "/huge.pdf":
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"%PDF" + b"0" * 65532
            try:
                for _ in range(4000):  # 256 MB if nobody stops reading
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            self.close_connection = True
            return None
        if path == "/loop":
            self._record(302)
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/hold.pdf":
            self._record(200)
            portal.held.set()
            portal.hold.wait(120)
            lines = ["Affaldsplan", "I 2030 genanvendes 60 % af husholdningsaffaldet."]
            return self._send(200, pdf_of(lines), "application/pdf")
        return self._send(
            404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html", validators=False
        )


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (the crawler stops a download it no longer wants) is not an
        error of the server; socketserver would print its traceback into the output the tests read."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve_portal(portal: Portal) -> Iterator[Portal]:
    handler = type("PortalHandler", (_Handler,), {"portal": portal})
    with _serving(_Server(("127.0.0.1", 0), handler)) as port:
        portal.port = port
        yield portal


@contextmanager
def _serving(server: socketserver.BaseServer) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]  # type: ignore[index]
    finally:
        server.shutdown()
        server.server_close()


class _Soft404(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, status = b"", 404
        else:
            body = (
                "<html><head><title>Greve Kommune</title></head><body><nav>Forside Borger Erhverv</nav>"
                f"<main><h1>Siden findes ikke</h1><p>Vi kunne desværre ikke finde siden {self.path}.</p>"
                "<p>Prøv at søge, eller gå til forsiden.</p></main><footer>Greve Kommune</footer></body></html>"
            ).encode()
            status = 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def soft_404_host() -> Iterator[str]:
    with _serving(_Server(("127.0.0.1", 0), _Soft404)) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def not_http_host() -> Iterator[str]:
    """Answers every connection with a line that is not HTTP, then closes it."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def answer() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                try:
                    connection.recv(4096)
                    connection.sendall(b"SSH-2.0-OpenSSH_9.2 not a web server\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def plan_pdf(value: int) -> bytes:
    """The plan whose second target changes between versions (``value`` %); the first stays the same."""
    return pdf_of(
        [
            "Klimaplan for Greve Kommune",
            "Senest i 2030 er CO2-udledningen reduceret med 70 % i forhold til 1990.",
            f"I 2035 er energiforbruget i de kommunale bygninger reduceret med {value} % i forhold til 2015.",
        ]
    )


def corpus_pdfs() -> dict[str, tuple[bytes, str]]:
    return {f"/plans/{p.name}": (p.read_bytes(), "application/pdf") for p in sorted(CORPUS_DIR.glob("*.pdf"))}


Waiter = Callable[[], bool]


def wait_for(condition: Waiter, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)
