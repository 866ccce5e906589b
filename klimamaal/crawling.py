"""Politeness and discovery: robots.txt, a delay per host, soft 404s, and the links of index pages.

One :class:`Hosts` per process and run keeps, per host: its robots.txt (read
with the standard library's parser), the time of the last request (so two
requests to one host are ``KLIMAMAAL_HOST_DELAY`` apart, whichever thread makes
them), and what the host answers for a path that cannot exist: a host that
answers 200 there serves "page not found" pages as 200 (a soft 404), and a
page that reads like that probe is recorded as a failure, never stored.

Links of an HTML index page come from courlan (trafilatura's URL library);
sitemaps and RSS/Atom feeds are read for their ``<loc>``/``<link>`` elements
with lxml, because trafilatura's own feed and sitemap readers drop hosts
without a registered domain (the loopback servers of the tests, an intranet).
"""

from __future__ import annotations

import difflib
import re
import secrets
import threading
import time
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

from db.versions import location_for
from klimamaal.config import host_delay, user_agent
from klimamaal.fetching import Download, FetchFailed, FetchLimits, check_url, download
from models import Location, utcnow

#: Links followed from an index page when the source gives no pattern: files of the kinds klimamaal reads.
DEFAULT_FOLLOW = r"(?i)\.(pdf|html?|txt|md)(\?.*)?$|/[^./?#]+/?(\?.*)?$"
#: A page whose text is at least this similar to the host's answer for a path that cannot exist is a soft 404.
SOFT_404_SIMILARITY = 0.9
#: Bytes of a probe or page compared for a soft 404.
COMPARED_CHARS = 4000


def host_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots: urllib.robotparser.RobotFileParser | None = None
    probe_text: str | None = None
    probed: bool = False
    last_request: float = 0.0


class Hosts:
    """What a crawl knows per host; safe to share between the threads of one process."""

    def __init__(self, client: httpx.Client, limits: FetchLimits, delay: float | None = None) -> None:
        self.client = client
        self.limits = limits
        self.delay = host_delay() if delay is None else delay
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, url: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(host_of(url), _Host())

    def wait_turn(self, url: str) -> None:
        """Sleep until the host's delay since its last request has passed, then claim the turn."""
        host = self._host(url)
        with host.lock:
            pause = host.last_request + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            host.last_request = time.monotonic()

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets our User-Agent fetch ``url`` (read once per host)."""
        host = self._host(url)
        with host.lock:
            if host.robots is None:
                host.robots = self._read_robots(url)
        return host.robots.can_fetch(user_agent(), url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser()
        robots_url = host_of(url) + "/robots.txt"
        try:
            response = self.client.get(robots_url, timeout=self.limits.read_timeout)
        except httpx.HTTPError:
            parser.parse([])  # unreachable robots.txt: nothing is disallowed (RFC 9309 treats 4xx alike)
            return parser
        parser.parse(response.text.splitlines() if response.status_code == 200 else [])
        return parser

    def get(self, url: str, **conditions: str | None) -> Download:
        """A polite GET: robots.txt, the host's delay, then :func:`klimamaal.fetching.download`."""
        check_url(url)
        if not self.allowed(url):
            raise FetchFailed(url, "is disallowed by the host's robots.txt", hint="not fetched")
        self.wait_turn(url)
        return download(self.client, url, limits=self.limits, **conditions)

    def soft_404(self, url: str, fetched: Download) -> bool:
        """Whether an HTML page reads like the host's answer for a path that cannot exist."""
        if fetched.path is None or fetched.media_type not in (None, "text/html", "application/xhtml+xml"):
            return False
        probe = self._probe(url)
        if probe is None:
            return False
        page = visible_text(fetched.path.read_bytes()[: COMPARED_CHARS * 8], url)
        matcher = difflib.SequenceMatcher(None, probe, page[:COMPARED_CHARS], autojunk=False)
        return matcher.ratio() >= SOFT_404_SIMILARITY

    def _probe(self, url: str) -> str | None:
        """The text of the host's 200 answer for one random path, or None when it answers an error."""
        host = self._host(url)
        with host.lock:
            if host.probed:
                return host.probe_text
            host.probed = True
        probe_url = f"{host_of(url)}/{secrets.token_hex(8)}-klimamaal-probe.html"
        try:
            self.wait_turn(probe_url)
            fetched = download(self.client, probe_url, limits=self.limits, max_bytes=1 << 20)
        except FetchFailed:
            return None
        try:
            if fetched.status != 200 or fetched.path is None:
                return None
            text = visible_text(fetched.path.read_bytes(), probe_url)[:COMPARED_CHARS]
        finally:
            fetched.discard()
        host.probe_text = text
        return text


def visible_text(body: bytes, url: str) -> str:
    """The words of an HTML body without its markup, the URL's own path left out (a 404 page repeats it)."""
    import lxml.html

    try:
        root = lxml.html.fromstring(body)
        for element in root.xpath("//script|//style"):
            element.drop_tree()
        text = root.text_content()
    except (ValueError, lxml.etree.ParserError):
        text = body.decode("utf-8", "replace")
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    for part in (path, Path(path).name):
        if len(part) > 1:
            text = text.replace(part, " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def page_links(body: bytes, url: str, media_type: str | None) -> list[str]:
    """The links of an index page: a sitemap's ``<loc>``, a feed's ``<link>``, an HTML page's ``href``."""
    head = body[:512].lstrip().lower()
    if head.startswith(b"<?xml") or b"<urlset" in head or b"<rss" in head or b"<feed" in head:
        return _xml_links(body, url)
    import courlan

    text = body.decode("utf-8", "replace")
    return sorted(courlan.extract_links(text, url=url, no_filter=True))


def _xml_links(body: bytes, url: str) -> list[str]:
    from lxml import etree

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    links = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "loc" and element.text:
            links.append(element.text.strip())
        elif name == "link":
            href = element.get("href") or (element.text or "").strip()
            if href:
                links.append(href)
    return [urllib.parse.urljoin(url, link) for link in links]


def follows(link: str, index_url: str, pattern: str | None) -> bool:
    """Whether a link of an index page is followed: http(s), the index's host, and the pattern."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme not in ("http", "https") or host_of(link) != host_of(index_url):
        return False
    if urllib.parse.urldefrag(link)[0] == urllib.parse.urldefrag(index_url)[0]:
        return False
    return re.search(pattern or DEFAULT_FOLLOW, link) is not None


def _is_document_link(url: str) -> bool:
    return re.search(r"(?i)\.(pdf|txt|md)(\?.*)?$", url) is not None


def expand_source(
    hosts: Hosts, sessions, spec, *, raise_transient: bool = False
) -> tuple[list, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """The places a registered source stands for, and the failures met on the way: (url, cause).

    A failure is recorded on the index page's place; one a retry can cure is
    raised instead when ``raise_transient`` (the flow retries the task).

    A document source is itself. An index page is fetched conditionally; when
    unchanged, the links it held last time are used. Its links that ``follows``
    are documents at the last level; HTML pages above it are indexes themselves
    (read for links, not stored), a PDF or text file is a document at any level.
    """
    from klimamaal.sources import Source

    def as_source(url: str) -> Source:
        return Source(url, is_url=True, source_id=spec.id, kind=spec.kind, municipality=spec.municipality)

    if not spec.is_index:
        return [as_source(spec.url)], []
    documents: dict[str, Source] = {}
    failures: list[tuple[str, str]] = []
    level = [spec.url]
    seen = {spec.url}
    for depth in range(1, spec.depth + 1):
        following = []
        for page in level:
            try:
                links = _index_links(hosts, sessions, page, spec.id)
            except FetchFailed as error:
                if error.transient and raise_transient:
                    raise
                failures.append((page, str(error)))
                with sessions.begin() as session:
                    location = location_for(session, page, spec.id)
                    location.status, location.error, location.checked_at = "failed", str(error), utcnow()
                continue
            for link in links:
                link = urllib.parse.urldefrag(link)[0]
                if link in seen or not follows(link, page, spec.follow) or not hosts.allowed(link):
                    continue  # robots.txt keeps a link out of the crawl like a pattern does
                seen.add(link)
                if depth < spec.depth and not _is_document_link(link):
                    following.append(link)
                else:
                    documents[link] = as_source(link)
        level = following
    return list(documents.values()), failures


def _index_links(hosts: Hosts, sessions, url: str, source_id: int | None) -> list[str]:  # type: ignore[no-untyped-def]
    """The links of an index page; a 304 gives the ones stored at the last pass."""
    with sessions() as session:
        known = session.scalar(select(Location).where(Location.key == url))
        etag = known.etag if known is not None and known.links is not None else None
        modified = known.last_modified if known is not None and known.links is not None else None
    fetched = hosts.get(url, etag=etag, last_modified=modified)
    try:
        if fetched.not_modified:
            return list(known.links or [])
        if hosts.soft_404(url, fetched):
            raise FetchFailed(url, "answers 200 with a 'page not found' page (a soft 404)", hint="not read")
        assert fetched.path is not None
        links = page_links(fetched.path.read_bytes(), fetched.url, fetched.media_type)
    finally:
        fetched.discard()
    with sessions.begin() as session:
        location = location_for(session, url, source_id)
        location.etag, location.last_modified = fetched.etag, fetched.last_modified
        location.links, location.status, location.error, location.checked_at = links, "ok", None, utcnow()
    return links
