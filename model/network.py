"""The households' social network: a Watts-Strogatz small world stored as CSR arrays.

Each household is tied to ``degree/2`` neighbours on each side of a ring; each tie is rewired to
a random household with probability ``rewiring`` (draws from the counter-based ``network``
stream). Without homophily the ring follows row order, so most neighbours sit in nearby rows and
the kernels read them from cache; with homophily by assets, households are placed on the ring in
order of their starting assets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from model import rng
from model.params import NetworkParams


@dataclass(frozen=True)
class Network:
    """Undirected graph in CSR form: neighbours of ``h`` are ``index[ptr[h]:ptr[h+1]]``."""

    ptr: np.ndarray    # int64[n + 1]
    index: np.ndarray  # uint32[nnz], ascending within each row (unsigned: no wraparound checks)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return self.ptr.shape[0] - 1

    def degree(self) -> np.ndarray:
        """Number of ties of each node (int64[n])."""
        return np.diff(self.ptr)

    def edges(self) -> np.ndarray:
        """Each undirected tie once, as int64[m, 2] with the smaller row first."""
        rows = np.repeat(np.arange(self.n), self.degree())
        keep = rows < self.index
        return np.column_stack([rows[keep], self.index[keep].astype(np.int64)])

    def to_networkx(self, nodes: np.ndarray | None = None):
        """The graph (or the subgraph on ``nodes``) as a ``networkx.Graph``."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(self.n) if nodes is None else nodes.tolist())
        edges = self.edges()
        if nodes is not None:
            inside = np.isin(edges, nodes).all(axis=1)
            edges = edges[inside]
        graph.add_edges_from(edges.tolist())
        return graph


def from_edges(n: int, edges: np.ndarray) -> Network:
    """CSR of an undirected graph from tie pairs (duplicates and self-ties dropped).

    Each directed tie is one int64 key ``source * n + target``; sorting the keys orders the ties
    by source, then target, and neighbouring equal keys are the duplicates.
    """
    edges = edges[edges[:, 0] != edges[:, 1]].astype(np.int64)
    keys = np.concatenate([edges[:, 0] * n + edges[:, 1], edges[:, 1] * n + edges[:, 0]])
    keys.sort()
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if keys.size else keys
    src, dst = np.divmod(keys, n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return Network(ptr, dst.astype(np.uint32))


def small_world(n: int, params: NetworkParams, seed: int,
                assets: np.ndarray | None = None) -> Network:
    """A small-world network over ``n`` households."""
    half = min(params.degree // 2, (n - 1) // 2)
    if half <= 0:
        return from_edges(n, np.zeros((0, 2), dtype=np.int64))
    ring = np.argsort(assets, kind="stable") if params.homophily_by_assets and \
        assets is not None else np.arange(n)
    position = np.arange(n)
    pieces = []
    for step in range(1, half + 1):
        key = rng.key(seed, "network", step)
        rewire = rng.uniforms(key, n, 0) < params.rewiring
        target = ring[(position + step) % n]
        random_target = np.minimum((rng.uniforms(key, n, 1) * n).astype(np.int64), n - 1)
        target = np.where(rewire, random_target, target)
        pieces.append(np.column_stack([ring, target]))
    return from_edges(n, np.concatenate(pieces))


def with_rows(network: Network, n: int) -> Network:
    """The network over ``n`` rows: rows from ``network.n`` on have no ties yet."""
    ptr = np.concatenate([network.ptr, np.full(n - network.n, network.ptr[-1])])
    return Network(ptr, network.index)


@njit(cache=True)
def _moved_rows(ptr: np.ndarray, index: np.ndarray, vacated: np.ndarray, taker: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """The CSR arrays with the neighbour list of each row ``vacated[k]`` moved, as it is, to
    row ``taker[k]``; the lists of the other rows are copied in runs between those rows."""
    n = ptr.shape[0] - 1
    changed = np.concatenate((vacated, taker))  # rows whose ties change hands
    source = np.concatenate((np.full(vacated.shape[0], -1, np.int64), vacated))
    new_ptr = np.empty(n + 1, dtype=np.int64)
    new_index = np.empty_like(index)
    new_ptr[0] = 0
    done = 0  # rows below ``done`` are in place
    for c in np.argsort(changed):
        row = changed[c]
        shift = new_ptr[done] - ptr[done]
        new_ptr[done + 1:row + 1] = ptr[done + 1:row + 1] + shift
        new_index[new_ptr[done]:new_ptr[row]] = index[ptr[done]:ptr[row]]
        new_ptr[row + 1] = new_ptr[row]
        s = source[c]
        if s >= 0:
            new_ptr[row + 1] += ptr[s + 1] - ptr[s]
            new_index[new_ptr[row]:new_ptr[row + 1]] = index[ptr[s]:ptr[s + 1]]
        done = row + 1
    new_ptr[done + 1:] = ptr[done + 1:] + (new_ptr[done] - ptr[done])
    new_index[new_ptr[done]:] = index[ptr[done]:]
    return new_ptr, new_index


@njit(cache=True, inline="always")
def _replace_tie(ties: np.ndarray, old: int, new: int) -> None:
    """Replace the neighbour ``old`` by ``new`` in the ascending ``ties`` (uint32), moving it
    to its place so that they stay ascending."""
    i = 0
    while ties[i] != old:
        i += 1
    while i + 1 < ties.shape[0] and ties[i + 1] < new:
        ties[i] = ties[i + 1]
        i += 1
    while i > 0 and ties[i - 1] > new:
        ties[i] = ties[i - 1]
        i -= 1
    ties[i] = new


@njit(cache=True)
def _rename(ptr: np.ndarray, index: np.ndarray, new_ptr: np.ndarray, new_index: np.ndarray,
            vacated: np.ndarray, taker: np.ndarray) -> None:
    """In the moved arrays (:func:`_moved_rows`), make the neighbours of each row
    ``vacated[k]`` find ``taker[k]`` in its place, keeping their lists ascending."""
    by_vacated = np.argsort(vacated)
    sorted_vacated = vacated[by_vacated]
    for k in range(vacated.shape[0]):
        for j in range(ptr[vacated[k]], ptr[vacated[k] + 1]):
            holder = np.int64(index[j])  # the row that now holds this neighbour's ties
            at = np.searchsorted(sorted_vacated, holder)
            if at < sorted_vacated.shape[0] and sorted_vacated[at] == holder:
                holder = taker[by_vacated[at]]
            _replace_tie(new_index[new_ptr[holder]:new_ptr[holder + 1]], vacated[k], taker[k])


def hand_over(network: Network, vacated: np.ndarray, taker: np.ndarray) -> Network:
    """The network with the ties of each row ``vacated[k]`` handed to row ``taker[k]``, which
    has none: the neighbours of the one are the neighbours of the other (int64 rows)."""
    new_ptr, new_index = _moved_rows(network.ptr, network.index, vacated, taker)
    _rename(network.ptr, network.index, new_ptr, new_index, vacated, taker)
    return Network(new_ptr, new_index)
