"""empowernet's Hydra sweeper (``hydra/sweeper=resumable``, which ``empowernet run -m`` sets).

Hydra finds its plugins by scanning the ``hydra_plugins`` package. That package is a namespace
shared with the launchers installed beside Hydra, so ``hydra_plugins/`` has no ``__init__.py``.
"""
