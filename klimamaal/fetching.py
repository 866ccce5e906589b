"""Downloads that end, whatever the server does: httpx, streamed to a file, under limits.

Every way one URL can go wrong ends as a :class:`FetchFailed` that names the
URL and the cause: a malformed URL, a name that does not resolve, a refused or
reset connection, a body cut short, a reply that is not HTTP, a redirect loop,
an HTTP error status, a body over the maximum size (refused as soon as it is
passed, never read whole into memory), a server too slow (timeouts per connect
and per read, and a deadline for the whole download, since a server that drips
one byte at a time never trips a read timeout) or a type that is no document.
``transient`` marks what a retry can cure (5xx, timeouts): the flow retries
those through Prefect task retries, never a 4xx.

A conditional request (``If-None-Match``, ``If-Modified-Since``) that the
server answers 304 costs one request and yields no bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import httpx

from extractors.document import ReadError
from klimamaal.config import env_float, max_document_bytes, user_agent

#: Media types read as documents; anything else a server sends is refused by name.
DOCUMENT_TYPES = (
    "application/pdf",
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/octet-stream",
)


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one download may take (``KLIMAMAAL_FETCH_*``, ``KLIMAMAAL_MAX_DOCUMENT_MB``)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 300.0
    max_bytes: int = 250 * 1024 * 1024
    max_redirects: int = 10

    @classmethod
    def from_env(cls) -> FetchLimits:
        return cls(
            connect_timeout=env_float("KLIMAMAAL_FETCH_CONNECT_TIMEOUT", cls.connect_timeout),
            read_timeout=env_float("KLIMAMAAL_FETCH_READ_TIMEOUT", cls.read_timeout),
            deadline=env_float("KLIMAMAAL_FETCH_DEADLINE", cls.deadline),
            max_bytes=max_document_bytes(),
        )


class FetchFailed(ReadError):
    """A URL could not be had; the message names it and the cause. ``transient``: worth a retry."""

    def __init__(self, url: str, cause: str, *, transient: bool = False, hint: str = "") -> None:
        super().__init__(url, cause, hint=hint)
        self.transient = transient


@dataclass(frozen=True)
class Download:
    """What a GET brought: 304 (``not_modified``, no file) or the body in ``path`` with its sha256."""

    url: str
    status: int
    path: Path | None = None
    sha256: str | None = None
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None
    media_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def new_client(limits: FetchLimits | None = None) -> httpx.Client:
    """A client with an honest User-Agent, the limits' timeouts and redirects followed up to a bound."""
    limits = limits or FetchLimits.from_env()
    return httpx.Client(
        headers={"User-Agent": user_agent()},
        timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
    )


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host and a valid port; else FetchFailed naming what is wrong."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError as error:
        raise FetchFailed(url, f"is a malformed URL: {error}", hint="correct the source") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(url, "is a malformed URL: needs http:// or https:// and a host", hint="correct it")
    return url


def download(
    client: httpx.Client,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    folder: Path | None = None,
    max_bytes: int | None = None,
) -> Download:
    """GET ``url`` (conditionally when ``etag``/``last_modified`` are known) into a temporary file."""
    check_url(url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit = limits.max_bytes if max_bytes is None else max_bytes
    started = time.monotonic()
    path: Path | None = None
    try:
        with client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            if response.status_code == 304:
                return Download(final, 304, etag=etag, last_modified=last_modified)
            if response.status_code >= 400:
                transient = response.status_code >= 500 or response.status_code == 429
                raise FetchFailed(
                    url,
                    f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                    transient=transient,
                    hint="retried" if transient else "check the address",
                )
            media_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower() or None
            if media_type is not None and media_type not in DOCUMENT_TYPES:
                raise FetchFailed(url, f"serves {media_type}, which is not a document", hint="not read")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(url, int(declared), limit)
            digest = hashlib.sha256()
            size = 0
            handle, name = tempfile.mkstemp(prefix="klimamaal-", dir=folder)
            path = Path(name)
            with os.fdopen(handle, "wb") as out:
                for chunk in response.iter_bytes():  # as received: the deadline is checked per arrival
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(url, size, limit)
                    if time.monotonic() - started > limits.deadline:
                        raise FetchFailed(
                            url,
                            f"took longer than the deadline of {limits.deadline:g} s ({size} bytes received)",
                            transient=True,
                            hint="raise KLIMAMAAL_FETCH_DEADLINE for a slow server",
                        )
                    digest.update(chunk)
                    out.write(chunk)
            return Download(
                final,
                response.status_code,
                path=path,
                sha256=digest.hexdigest(),
                size=size,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                media_type=media_type,
            )
    except FetchFailed:
        _remove(path)
        raise
    except httpx.TooManyRedirects as error:
        _remove(path)
        raise FetchFailed(url, f"redirects in a loop: {error}", hint="check the address") from error
    except httpx.TimeoutException as error:
        _remove(path)
        kind = "connecting" if isinstance(error, httpx.ConnectTimeout) else "waiting for data"
        raise FetchFailed(url, f"timed out {kind} ({type(error).__name__})", transient=True) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        _remove(path)
        raise FetchFailed(url, f"is a malformed URL: {error}", hint="correct the source") from error
    except httpx.ConnectError as error:
        _remove(path)
        raise FetchFailed(url, f"cannot connect: {error}", hint="check the host name and network") from error
    except httpx.RemoteProtocolError as error:
        _remove(path)
        raise FetchFailed(
            url, f"answered with a broken HTTP reply: {error}", hint="the body is incomplete"
        ) from error
    except httpx.HTTPError as error:
        _remove(path)
        raise FetchFailed(url, f"failed: {type(error).__name__}: {error}") from error
    except OSError as error:
        _remove(path)
        raise FetchFailed(url, f"failed: {error}") from error


def _too_large(url: str, size: int, limit: int) -> FetchFailed:
    return FetchFailed(
        url,
        f"is more than {limit / 1048576:.1f} MB (the maximum document size; {size} bytes seen)",
        hint="raise KLIMAMAAL_MAX_DOCUMENT_MB to read it",
    )


def _remove(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
