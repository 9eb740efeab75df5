"""`bptutor serve`: the tutor in a class's browsers, one app process and one record per visitor.

textual-serve (the `serve` extra) does the serving: each websocket gets its own `python -m tutor`
process. What this module adds to its Server:

- one learner, one record: every session's process gets its own fresh BPTUTOR_DATA_DIR, a folder
  under one temporary root of this server, removed when the session ends (and the root when the
  server stops); the learner takes the record away with "Download my progress";
- a cap: past `max_sessions` at once, the page (and the websocket) say the class is full;
- no orphans: a session whose tab is closed is told to quit, and killed if it has not within a few
  seconds; the server kills whatever is left when it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tutor import __version__
from tutor.lessons.cache import CACHE_ENV
from tutor.progress import DATA_ENV
from tutor.record import SESSION_ENV

LESSON_CACHE = "lesson-cache.json"  # in the server's temporary folder, shared by its sessions
STOP_GRACE = 5.0  # seconds a session has to quit on its own before it is killed
FULL_MESSAGE = "The class is full: every seat of this bptutor is taken. Try again in a little while."
WILDCARDS = ("0.0.0.0", "::", "")  # every address of this machine

log = logging.getLogger("textual-serve")


def default_max_sessions() -> int:
    """4 sessions a core: an idle tutor costs little, one building a trace costs a core for a moment."""
    return 4 * (os.cpu_count() or 1)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def session_command(lesson_dirs: list[Path]) -> str:
    """The one command a session runs: this Python's tutor app (no shell is left: `exec`)."""
    words = [sys.executable, "-m", "tutor"]
    for folder in lesson_dirs:
        words += ["--lessons", str(Path(folder).resolve())]
    return "exec " + shlex.join(words)


class Session(AppService):
    """One visitor's app process, with its own data folder."""

    def __init__(self, command: str, data_dir: Path, **kwargs):
        super().__init__(command, **kwargs)
        self.data_dir = data_dir

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[DATA_ENV] = str(self.data_dir)
        # One lesson cache for every session, beside their folders: only the first reads every lesson file.
        environment[CACHE_ENV] = str(self.data_dir.parent / LESSON_CACHE)
        environment[SESSION_ENV] = "1"
        return environment

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def end(self) -> None:
        """Ask the app to quit; kill it if it has not after STOP_GRACE seconds. Then remove its folder."""
        try:
            await asyncio.wait_for(self.stop(), STOP_GRACE)
        except Exception as error:  # a timeout, or a pipe already closed
            log.warning("session %s did not stop cleanly: %r", self.pid, error)
        self.kill()
        if self._process is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._process.wait(), STOP_GRACE)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()


class ClassroomServer(Server):
    """textual-serve's Server with a fresh record per session, a cap on sessions, and no orphans."""

    def __init__(
        self,
        lesson_dirs: list[Path],
        host: str = "127.0.0.1",
        port: int = 8000,
        max_sessions: int | None = None,
        public_url: str | None = None,
    ):
        shown = public_url or f"http://{socket.gethostname() if host in WILDCARDS else host}:{port}"
        super().__init__(session_command(lesson_dirs), host=host, port=port, title="bptutor", public_url=shown)
        self.max_sessions = max_sessions or default_max_sessions()
        self.sessions: set[Session] = set()
        self.given_public_url = public_url
        self.root = Path(tempfile.mkdtemp(prefix="bptutor-serve-"))

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"bptutor {__version__}: serving the tutor on [bold]{self.public_url}[/] "
            f"(up to {self.max_sessions} learners at once; each gets a fresh record).\n"
            "Press Ctrl+C to stop.",
            highlight=False,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        for session in list(self.sessions):
            session.kill()
        await asyncio.gather(*(session.end() for session in list(self.sessions)), return_exceptions=True)
        shutil.rmtree(self.root, ignore_errors=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page; its links point where the browser came from unless --public-url says."""
        if self.full:
            return web.Response(status=503, text=full_page(), content_type="text/html", headers={"Retry-After": "60"})
        base = (self.given_public_url or f"{request.scheme}://{request.host}").rstrip("/")
        scheme, rest = base.split(":", 1)
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.full:  # the page was served when there was a seat, and it has been taken since
            await websocket.send_bytes(f"\r\n  {FULL_MESSAGE}\r\n".encode())
            await websocket.close(code=1013, message=b"the class is full")  # 1013: try again later
            return websocket
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session = Session(
            self.command,
            Path(tempfile.mkdtemp(prefix="session-", dir=self.root)),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(session)  # no await between the check and this: the cap holds
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            await session.end()
            self.sessions.discard(session)
        return websocket


def full_page() -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>bptutor: the class is full</title></head>"
        "<body style='background:#0c181f;color:#eee;font-family:monospace;padding:4em'>"
        f"<h1>The class is full</h1><p>{FULL_MESSAGE}</p>"
        "<p><button onclick='location.reload()'>Try again</button></p></body></html>"
    )


def serve(lesson_dirs: list[Path], host: str, port: int, max_sessions: int | None, public_url: str | None) -> int:
    """Run the server until Ctrl+C (or SIGTERM)."""
    if not is_loopback(host):
        print(
            f"Warning: serving on {host}: anyone who can reach port {port} of this machine gets a session of "
            "bptutor. Use --host 127.0.0.1 (the default) to serve this machine only.",
            file=sys.stderr,
        )
    server = ClassroomServer(lesson_dirs, host=host, port=port, max_sessions=max_sessions, public_url=public_url)
    try:
        server.serve()
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
    return 0
