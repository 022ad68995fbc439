"""The households' social network: a Watts-Strogatz small world, a run of ties per row.

Each household is tied to ``degree/2`` neighbours on each side of a ring; each tie is rewired to
a random household with probability ``rewiring`` (draws from the counter-based ``network``
stream). Without homophily the ring follows row order, so most neighbours sit in nearby rows and
the kernels read them from cache; with homophily by assets, households are placed on the ring in
order of their starting assets.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from model import rng
from model.params import NetworkParams

if TYPE_CHECKING:  # networkx is imported when a graph is asked for, not with the model
    import networkx as nx


@dataclass(frozen=True)
class Network:
    """Undirected graph: the neighbours of ``h`` are ``index[span[h, 0]:span[h, 1]]``, ascending.

    Each row's ties are one run of ``index`` (built in row order, as CSR). A run need not stay
    next to its row's neighbours in ``index``: :func:`hand_over` gives a row's run to another row
    by changing two spans, so no other row's ties move.
    """

    span: np.ndarray   # int64[n, 2]: the first tie of each row and one past its last
    index: np.ndarray  # uint32[ties] (unsigned: no wraparound checks)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return self.span.shape[0]

    def degree(self) -> np.ndarray:
        """Number of ties of each node (int64[n])."""
        return self.span[:, 1] - self.span[:, 0]

    def neighbours(self, h: int) -> np.ndarray:
        """The rows tied to row ``h``, ascending (uint32)."""
        return self.index[self.span[h, 0]:self.span[h, 1]]

    def edges(self) -> np.ndarray:
        """Each undirected tie once, as int64[m, 2] with the smaller row first."""
        degree = self.degree()
        rows = np.flatnonzero(degree)
        rows = rows[np.argsort(self.span[rows, 0], kind="stable")]  # runs in the order of index
        owner = np.repeat(rows, degree[rows])
        keep = owner < self.index
        return np.column_stack([owner[keep], self.index[keep].astype(np.int64)])

    def to_networkx(self, nodes: np.ndarray | None = None) -> nx.Graph:
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


def snowball(network: Network, eligible: np.ndarray, first: np.ndarray,
             size: int) -> np.ndarray:
    """Up to ``size`` rows of ``eligible`` (bool[n]) joined by ties, ascending: the rows of
    ``first`` in their order, each followed at once by its eligible neighbours, then
    breadth-first onwards from them, and, while rows are wanted and none is queued, the lowest
    eligible row not taken yet. A sample whose ties show, where ``size`` rows drawn apart
    would have almost none between them (and ``first`` rows taken alone, when there are more
    of them than ``size``, would be such rows)."""
    taken = np.zeros(network.n, dtype=np.bool_)
    order: list[int] = []
    queue: deque[int] = deque()

    def take(h: int) -> None:
        """Row ``h`` into the sample, its neighbours queued, if it is wanted and free."""
        if len(order) < size and eligible[h] and not taken[h]:
            taken[h] = True
            order.append(h)
            queue.extend(int(j) for j in network.neighbours(h))

    for h in first:
        take(int(h))
        for j in network.neighbours(int(h)):
            take(int(j))
    spare = iter(np.flatnonzero(eligible).tolist())
    while len(order) < size:
        if not queue:
            h = next((h for h in spare if not taken[h]), None)
            if h is None:
                break
            queue.append(h)
        take(queue.popleft())
    return np.sort(np.array(order, dtype=np.int64))


def from_edges(n: int, edges: np.ndarray) -> Network:
    """An undirected graph from tie pairs (duplicates and self-ties dropped), in CSR order.

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
    return Network(np.column_stack([ptr[:-1], ptr[1:]]), dst.astype(np.uint32))


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
    return Network(np.concatenate([network.span, np.zeros((n - network.n, 2), np.int64)]),
                   network.index)


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
def hand_over_ties(span: np.ndarray, index: np.ndarray, vacated: np.ndarray,
                   taker: np.ndarray) -> None:
    """:func:`hand_over` on the network's arrays (``Network.span``, ``Network.index``), in
    place; for compiled callers."""
    by_vacated = np.argsort(vacated)
    sorted_vacated = vacated[by_vacated]
    for k in range(vacated.shape[0]):
        span[taker[k], 0] = span[vacated[k], 0]
        span[taker[k], 1] = span[vacated[k], 1]
        span[vacated[k], 0] = span[vacated[k], 1] = 0
    for k in range(vacated.shape[0]):
        for j in range(span[taker[k], 0], span[taker[k], 1]):
            # a neighbour that is itself handed over and not yet renamed here has its ties at
            # its taker's row
            holder = np.int64(index[j])
            at = np.searchsorted(sorted_vacated, holder)
            if at < sorted_vacated.shape[0] and sorted_vacated[at] == holder:
                holder = taker[by_vacated[at]]
            _replace_tie(index[span[holder, 0]:span[holder, 1]], vacated[k], taker[k])


def hand_over(network: Network, vacated: np.ndarray, taker: np.ndarray) -> None:
    """Hand the ties of each row ``vacated[k]`` to row ``taker[k]``, which has none, in place:
    the neighbours of the one become those of the other, and each neighbour's ties stay
    ascending (int64 rows, ``vacated`` and ``taker`` disjoint)."""
    hand_over_ties(network.span, network.index, vacated, taker)
