"""Composing ``configs/`` with Hydra overrides into a validated :class:`model.Config`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments import store
from experiments.uncertainty import shipped, with_draw
from model.params import Config, ConfigError, build, describe, to_dict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = PROJECT_ROOT / "configs"


def _project_path(relative: str) -> str:
    return str(PROJECT_ROOT / relative)


def _writable(node: DictConfig) -> None:
    OmegaConf.set_readonly(node, False)
    for key in node:
        child = node._get_node(key)
        if isinstance(child, DictConfig):
            _writable(child)


def _run_folder(*, _root_: DictConfig) -> str:
    """The run id of the composed config (``store.run_id``), for Hydra's output folders."""
    return store.run_id(to_dict(as_config(_root_)))


@cache
def _store_schema() -> None:
    """Store the typed schema in Hydra's config store, once a process: building it takes a
    third of a composition, and Hydra hands every composition its own copy of it."""
    schema = OmegaConf.structured(Config)
    _writable(schema)  # the dataclasses are frozen for the model; composition must merge
    ConfigStore.instance().store(name="base_config", node=schema)


def register() -> None:
    """Register the typed schema, the ``${project:...}`` path resolver, the
    ``${run_folder:}`` resolver naming a run's folder by its content and the
    ``${shipped_posterior:}`` resolver (the shipped calibration's folder if it holds a
    posterior, else '': ``uncertainty.shipped``) (idempotent)."""
    _store_schema()
    if not OmegaConf.has_resolver("project"):
        OmegaConf.register_new_resolver("project", _project_path)
    if not OmegaConf.has_resolver("run_folder"):
        OmegaConf.register_new_resolver("run_folder", _run_folder)
    if not OmegaConf.has_resolver("shipped_posterior"):
        OmegaConf.register_new_resolver("shipped_posterior", shipped)


ONE_CONFIG_GROUPS = ("scenario", "population")
"""The config groups a run takes one config of (the choices of ``configs/config.yaml``'s
defaults)."""


def refuse_merged_configs(overrides: Sequence[str]) -> None:
    """Raise ConfigError for an override giving a group of :data:`ONE_CONFIG_GROUPS` a list
    (``scenario=[a,b]``): Hydra would merge those configs into one run, each over the one
    before, where a run of each is meant (a sweep, ``-m scenario=a,b``)."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except HydraException:
        return  # the composition says what is wrong with it
    for override in parsed:
        group, names = override.key_or_group, override.value()
        if group in ONE_CONFIG_GROUPS and isinstance(names, list) and len(names) > 1:
            listed = ",".join(map(str, names))
            raise ConfigError(
                f"{override.input_line} gives {group} a list: Hydra would merge those "
                f"{group} configs into one run, not run each of them. To run each of them, "
                f"make a sweep: empowernet run -m {group}={listed}.")


def _compose(overrides: Sequence[str], with_hydra: bool) -> DictConfig:
    register()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    refuse_merged_configs(overrides)
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose("config", overrides=list(overrides),
                          return_hydra_config=with_hydra)
            if not with_hydra:
                OmegaConf.resolve(cfg)
            return cfg
    except (HydraException, OmegaConfBaseException, ValueError) as err:
        raise ConfigError(explain(err, overrides)) from None


def compose_raw(overrides: Sequence[str] = ()) -> DictConfig:
    """Compose ``configs/config.yaml`` with Hydra ``overrides``; errors become ConfigError."""
    return _compose(overrides, with_hydra=False)


def explain(err: Exception, overrides: Sequence[str]) -> str:
    """One paragraph on a Hydra/OmegaConf composition error, in the user's terms: an unknown
    key or config name with the nearest valid spelling, several values without ``-m``."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if isinstance(err, MissingConfigException) and "/" in (err.missing_cfg_file or ""):
        group, name = err.missing_cfg_file.rsplit("/", 1)
        return unknown_name(group, name, err.options or [])
    unknown = re.match(r"Could not override '([^']+)'", first)
    if unknown:
        return unknown_key(unknown.group(1))
    several = re.match(r"Ambiguous value for argument '(([^=']+)=[^']*)'", first)
    if several:
        listed = ("" if several.group(2).lstrip("+~") in ONE_CONFIG_GROUPS
                  else f"; for a list value write {several.group(2)}=[a,b]")
        return (f"{several.group(1)} gives {several.group(2)} several values; to run each of "
                f"them, add -m (empowernet run -m {several.group(1)}){listed}.")
    cause = err.__cause__ or err.__context__
    if cause is not None and str(cause).strip():
        first = f"{first} ({str(cause).strip().splitlines()[0]})"
    hint = quoting_hint(first)
    if hint:
        return hint
    wrong_type = re.search(r"Error merging override ([^=\s]+)=(.*?) \(Value '[^']*' (?:of type "
                           r"'\w+' could not be converted to|is not a valid) (\w+)", first)
    if wrong_type:
        return wrong_kind(*wrong_type.groups())
    wrong_shape = re.search(r"Error merging override ([^=\s]+)=(.*?) \((?:Invalid value "
                            r"assigned: \w+ is not a (ListConfig)|field '[^']*' is not "
                            r"(Optional)|Cannot convert '\w+' to (string))", first)
    if wrong_shape:
        key, value, *kind = wrong_shape.groups()
        return wrong_kind(key, value, next(k for k in kind if k))
    return (f"the configuration could not be composed from overrides {list(overrides)}: "
            f"{first}. Keys and allowed values are listed in docs/parameters.md; scenario "
            "groups are the folders of configs/.")


def quoting_hint(said: str) -> str | None:
    """For Hydra's words on an override it could not read because a value holds letters its
    grammar does not allow unquoted (Persian ones, say): how to quote it; else None."""
    unquoted = re.search(r"LexerNoViableAltException: ([^=\s]+)=([^\n]*?)\s*(?:\(token|\n|$)",
                         said)
    sign = next((c for c in unquoted.group(2) if not c.isascii()), None) if unquoted else None
    if sign is None:
        return None
    key, value = unquoted.groups()
    return (f"{key}={value}: a value without quotes may hold only Latin letters, digits and a "
            f"few signs, and {sign!r} is not one of them; quote it: \"{key}='{value}'\" on the "
            "command line.")


KINDS = {"Integer": "a whole number", "Float": "a number", "bool": "true or false",
         "ListConfig": "a list in brackets, such as [12,24]", "Optional": "a value, not null",
         "string": "one word or text, not a list or a mapping"}
"""What a value of each of the schema's types is, in the words of a message."""


def wrong_kind(key: str, value: str, kind: str) -> str:
    """The message for an override whose value is not of its key's type."""
    return (f"{key}={value}: {key} takes {KINDS.get(kind, kind)}, and {value!r} is not one. "
            "Keys and allowed values are listed in docs/parameters.md.")


def _nearest(word: str, choices: Sequence[str]) -> str:
    """`` did you mean X?`` for the closest of ``choices``, or nothing."""
    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {near[0]}?" if near else "."


def unknown_key(key: str) -> str:
    """The message for an override of a key that does not exist, or of a group of a run's
    configs that is not in the defaults (which takes a plus)."""
    names = sorted(p.stem for p in (CONFIG_DIR / key).glob("*.yaml"))
    if names and adds_to_a_run(key, names[0]):
        return (f"{key} is a group of configs that a run does not use unless asked, so it "
                f"is added with a plus: +{key}=NAME, where NAME is one of {', '.join(names)}.")
    keys = [row["key"] for row in describe()]
    return (f"unknown key {key}{_nearest(key, keys)} Every key, with its allowed values, is "
            "listed by 'empowernet params' and in docs/parameters.md.")


def adds_to_a_run(group: str, name: str) -> bool:
    """Whether ``+group=name`` composes a run's config (some folders of configs/ hold other
    commands' files, such as sensitivity designs)."""
    try:
        compose_raw([f"+{group}={name}"])
    except ConfigError:
        return False
    return True


def unknown_name(group: str, name: str, options: Sequence[str]) -> str:
    """The message for a config name (scenario, experiment, population...) that is not in
    its group."""
    options = sorted(options) or sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
    return (f"unknown {group} '{name}': there is no config {group}/{name}.yaml"
            f"{_nearest(name, options)} The {group} configs are: {', '.join(options)}.")


def sweep_params(overrides: Sequence[str] = ()) -> dict[str, list[str]]:
    """The ``hydra.sweeper.params`` of a composition (e.g. of ``+experiment=NAME``), each
    expanded to its list of values: ``a,b`` and ``range(n)`` / ``range(a, b)`` forms."""
    params = OmegaConf.select(_compose(overrides, with_hydra=True),
                              "hydra.sweeper.params") or {}
    return {key: expand(str(value)) for key, value in params.items()}


def hydra_settings(overrides: Sequence[str] = ()) -> DictConfig:
    """Hydra's own settings (the ``hydra`` node) for these overrides: the sweep's folder
    (``sweep.dir``; a default naming the date and time is resolved when read), its sweeper
    and launcher."""
    return _compose(overrides, with_hydra=True).hydra


def expand(text: str) -> list[str]:
    """Values of one sweep parameter: ``a,b,c`` or ``range(n)`` or ``range(a,b)``."""
    text = text.strip()
    if text.startswith("range(") and text.endswith(")"):
        bounds = [int(v) for v in text[6:-1].split(",")]
        return [str(v) for v in range(*bounds)]
    return [v.strip() for v in text.split(",") if v.strip()]


def as_config(cfg: DictConfig | Mapping[str, Any]) -> Config:
    """A validated :class:`Config` from a composed ``DictConfig`` or a mapping of plain values.

    A Hydra run's own ``hydra`` node, if present, is not part of the model's configuration."""
    if isinstance(cfg, DictConfig):  # the hydra node is left unresolved: it names the folder
        cfg = {key: OmegaConf.to_container(value, resolve=True)
               if isinstance(value, DictConfig) else value
               for key, value in cfg.items() if key != "hydra"}
    return with_draw(build(Config, {key: value for key, value in cfg.items()
                                    if key != "hydra"}))


def load_config(overrides: Sequence[str] = ()) -> Config:
    """The validated configuration for Hydra ``overrides`` (e.g. ``["months=36"]``), a new
    object on every call.

    Compositions (about 0.15 s each) are remembered until a YAML file they may read changes:
    one under ``configs/`` or in a ``file://`` folder of a ``hydra.searchpath`` override."""
    if isinstance(overrides, str):
        raise TypeError(f"load_config({overrides!r}): give a list of overrides, e.g. "
                        f"load_config([{overrides!r}]), not one string.")
    overrides = tuple(overrides)
    return as_config(_composed(overrides, _stamp(overrides)))


def _stamp(overrides: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of every file a composition of ``overrides`` may read."""
    folders = [CONFIG_DIR]
    for override in overrides:
        if override.startswith("hydra.searchpath="):
            folders += [Path(p) for p in re.findall(r"file://([^,\]\s]+)", override)]
    return tuple((str(path), st.st_mtime_ns, st.st_size)
                 for folder in folders for path in sorted(folder.rglob("*.yaml"))
                 for st in [path.stat()])


@lru_cache(maxsize=512)
def _composed(overrides: tuple[str, ...], stamp: tuple) -> dict[str, Any]:
    """The plain values of a composition; ``stamp`` only keys the cache."""
    return OmegaConf.to_container(compose_raw(overrides))
