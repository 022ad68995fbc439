"""Where numba keeps compiled kernels: a folder keyed by a hash of the model's sources.

numba invalidates a cached kernel when its own file changes, but not when a function it
inlines from another module does; a kernel could then run stale code. Keying the folder by all
of ``model/*.py`` rules that out. Set ``NUMBA_CACHE_DIR`` to choose the folder yourself.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba


def source_hash() -> str:
    """A short hash of every module of the ``model`` package."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def use_source_keyed_cache() -> None:
    """Point numba's cache at ``$XDG_CACHE_HOME/empowernet/kernels-<hash>`` (unless the user
    chose a folder)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    numba.config.CACHE_DIR = str(base / "empowernet" / f"kernels-{source_hash()}")
