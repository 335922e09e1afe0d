"""Numbers set path by path on top of a scenario: what the simulation and the tornado vary.

A path changes numbers only — never which companies, rows or years there are — so ``compute_paths`` reads a
scenario's structure once and its numbers as arrays with a leading paths axis. ``Draws`` holds, for each cell some
path sets, its value on every path; every other cell reads as entered, on every path. ``Draws()`` is one path with
nothing set: the scenario as entered, which is what ``compute()`` computes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from model.core.scenario import Cell, Table

Array = npt.NDArray[np.float64]
CellAddress = tuple[str, int, str]          # (sheet, row index in its table, column key)


def is_number(value: Cell) -> bool:
    """A cell the model reads as a number (True/False are not numbers, whatever Python says)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Draws:
    """``cells[(sheet, row, key)]``: that cell's value on each of ``paths`` paths (an array of that length)."""

    paths: int = 1
    cells: Mapping[CellAddress, Array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for address, values in self.cells.items():
            if np.shape(values) != (self.paths,):
                raise ValueError(f"{address}: {np.shape(values)} values for {self.paths} paths")

    @cached_property
    def _by_column(self) -> dict[tuple[str, str], list[tuple[int, Array]]]:
        out: dict[tuple[str, str], list[tuple[int, Array]]] = {}
        for (sheet, row, key), values in self.cells.items():
            out.setdefault((sheet, key), []).append((row, np.asarray(values, dtype=float)))
        return out

    def column(self, table: Table, key: str, blank: float | Array) -> Array:
        """(paths, rows): the column's numbers on every path; a cell without a number reads ``blank`` (a number,
        or one per path)."""
        return self.block(table, (key,), blank)[:, :, 0]

    def block(self, table: Table, keys: Sequence[str], blank: float | Array) -> Array:
        """(paths, rows, columns): the numbers of those columns on every path, a cell without one reading
        ``blank`` (a number, or one per path)."""
        columns = [table.column_values(key) for key in keys]
        # is_number inline (a cell is an int or a float, not a bool): this runs on every cell of every compute
        numbers = [[v if ((c := v.__class__) is float or c is int or (c is not bool and isinstance(v, int | float)))
                     else None for v in column] for column in columns]
        stated = np.array([[v is not None for v in column] for column in numbers], dtype=bool).T.reshape(
            len(table), len(keys))
        entered = np.array([[0.0 if v is None else v for v in column] for column in numbers],
                           dtype=np.float64).T.reshape(len(table), len(keys))
        out = np.where(stated, entered, np.asarray(blank, dtype=float).reshape(-1, 1, 1))
        if out.shape[0] != self.paths:
            out = np.broadcast_to(out, (self.paths, len(table), len(keys))).copy()
        for j, key in enumerate(keys):
            for row, values in self._by_column.get((table.sheet, key), ()):
                out[:, row, j] = values
        return out

    def stated(self, table: Table, key: str) -> npt.NDArray[np.bool_]:
        """(rows,): whether each cell holds a number, as entered or set by the draws."""
        out = np.fromiter((is_number(v) for v in table.column_values(key)), dtype=bool, count=len(table))
        for row, _ in self._by_column.get((table.sheet, key), ()):
            out[row] = True
        return out

    def sets(self, sheet: str) -> bool:
        """Whether any path sets a cell of that sheet."""
        return any(s == sheet for s, _ in self._by_column)
