"""``empowernet dashboard``: find the sweeps, say the address, hand over to Solara's server."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from experiments import console
from experiments.analysis.translations import text
from experiments.dashboard import LANG_ENV, SWEEPS_ENV
from experiments.sweep import INDEX, holds_sweep
from model.params import ConfigError

DEFAULT_OUTPUTS = Path("outputs")
"""Where sweeps are looked for when none is named (``hydra.sweep.dir`` defaults below it)."""

ASSETS = Path(sys.prefix) / "share" / "solara" / "cdn"
"""The browser libraries the page loads, installed by the ``solara-assets`` package, so that
the dashboard works without a connection to a package CDN."""

ASSET_ALIASES = Path(sys.prefix) / "share" / "empowernet" / "dashboard-assets"
""":data:`ASSETS` under their exact names and their major versions (``vega@5``), which
Solara's Altair widget asks for."""

COOKIE_WARNING = "ignore::UserWarning:solara.server.starlette"
"""Solara's warning, on every page load over plain http, that its session cookie falls back to
SameSite=Lax: expected for a dashboard on this computer or a local network, and a screenful."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def stored_sweeps(outputs: Path = DEFAULT_OUTPUTS) -> list[Path]:
    """The sweeps under ``outputs``: folders with a sweep index and at least one run."""
    if not outputs.is_dir():
        return []
    return sorted(index.parent for index in outputs.rglob(INDEX) if holds_sweep(index.parent))


def offline_assets(source: Path = ASSETS, aliases: Path = ASSET_ALIASES) -> Path:
    """A folder of links to every library in ``source``, by its name and by its name with
    the major version alone; returns it."""
    aliases.mkdir(parents=True, exist_ok=True)
    for library in source.iterdir():
        major = re.sub(r"^(.+@\d+)\.\d+\.\d+$", r"\1", library.name)
        for name in {library.name, major}:
            link = aliases / name
            if not link.exists():
                link.symlink_to(library, target_is_directory=True)
    return aliases


def solara_command(host: str, port: int) -> list[str]:
    """The command that serves the dashboard's page."""
    return [sys.executable, "-m", "solara", "run", "experiments.dashboard.app", "--host", host,
            "--port", str(port), "--production", "--no-open", "--log-level", "warning"]


def check_address(host: str, port: int) -> None:
    """Refuse an address the server could not listen on: a port another program holds, or a
    host that is not this computer's.

    Raises:
        ConfigError: naming the host and port, and what to give instead.
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            pass
    except OSError as err:
        raise ConfigError(f"--host {host} --port {port}: the dashboard cannot listen there "
                          f"({err.strerror or err}). Give a free port with --port (another "
                          f"number), or with --host an address of this computer ({DEFAULT_HOST}"
                          ", or 0.0.0.0 for every network interface).") from None


def serve(sweep_dirs: Sequence[str], host: str, port: int, lang: str = "en") -> None:
    """Serve the dashboard in ``lang`` until Ctrl-C; replaces this process with Solara's
    server."""
    check_address(host, port)
    folders = [Path(d) for d in sweep_dirs] or stored_sweeps()
    os.environ[SWEEPS_ENV] = os.pathsep.join(str(f) for f in folders)
    os.environ[LANG_ENV] = lang
    os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(offline_assets())
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    os.environ["SOLARA_THEME_SHOW_BANNER"] = "false"  # no "This website runs on Solara"
    os.environ["SOLARA_THEME_TITLE"] = text("dashboard title", lang)  # the browser's tab
    os.environ["PYTHONWARNINGS"] = ",".join(  # see COOKIE_WARNING
        filter(None, [os.environ.get("PYTHONWARNINGS"), COOKIE_WARNING]))
    console.say(f"dashboard at http://{host}:{port}/ with {len(folders)} stored sweep(s); "
                "the address answers once the live model is built (up to a minute the first "
                "time, seconds later); Ctrl-C stops it")
    sys.stdout.flush()
    sys.stderr.flush()
    command = solara_command(host, port)
    os.execv(command[0], command)
