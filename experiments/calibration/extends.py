"""A calibration file that builds on another (``extends:``) and names its world (``world:``).

A file with ``extends: default.yaml`` takes that file's settings, parameters and moments, and
adds to them (or replaces, entry by entry) what it gives itself; so a second world is
calibrated to the same moments without copying them. ``world:`` names the model the runs use:
``default``, or a null model of ``configs/null/`` whose overrides (``+null=NAME``) are put
before the file's own ``settings.overrides``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from experiments import store
from experiments.null_models import DEFAULT, WORLDS
from model.params import ConfigError

SECTIONS = ("settings", "parameters", "moments")
"""Sections an extending file adds to, entry by entry."""

Fail = Callable[[str, str], ConfigError]


def base_tree(path: Path, name: Any, fail: Fail) -> tuple[dict[str, Any], bytes]:
    """The tree and raw bytes of the file ``name`` (beside ``path``) that ``path`` extends.

    Raises:
        ConfigError: the base is not a file name beside ``path``, is unreadable, or itself
            extends another file.
    """
    if not isinstance(name, str) or Path(name).name != name:
        raise fail("extends", f"give the name of a calibration file in {path.parent.name}/, "
                   f"not {name!r}")
    base = path.parent / name
    try:
        raw = base.read_bytes()
        tree = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as err:
        raise fail("extends", f"{name} cannot be read ({store.reason_words(err)})") from None
    if not isinstance(tree, dict):
        raise fail("extends", f"{name} is not a calibration file (a mapping)")
    if "extends" in tree:
        raise fail("extends", f"{name} extends another file itself; extend a file that "
                   "stands alone")
    return tree, raw


def merged(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``own``'s entries added to (or replacing) its sections' entries."""
    tree = {k: v for k, v in base.items() if k not in SECTIONS}
    tree.update({k: v for k, v in own.items() if k not in (*SECTIONS, "extends")})
    for section in SECTIONS:
        given = [node for node in (base.get(section), own.get(section)) if node is not None]
        if any(not isinstance(node, dict) for node in given):
            tree[section] = given[-1]  # left for the checks to refuse
        elif given:
            tree[section] = {k: v for node in given for k, v in node.items()}
    return tree


def resolve(path: Path, tree: dict[str, Any], raw: bytes, fail: Fail,
            ) -> tuple[dict[str, Any], bytes]:
    """The file's tree with its base merged in (if it extends one), and the bytes that
    identify it (its own, then its base's)."""
    if "extends" not in tree:
        return tree, raw
    base, base_raw = base_tree(path, tree["extends"], fail)
    return merged(base, tree), raw + base_raw


def world_of(tree: dict[str, Any], fail: Fail) -> str:
    """The file's world (``default`` if it names none).

    Raises:
        ConfigError: the world is not one of the models.
    """
    world = tree.get("world", DEFAULT)
    if world not in WORLDS:
        raise fail("world", f"{world!r} is not a model; the models are {', '.join(WORLDS)}")
    return world
