"""Progress bars for long work: shown on a terminal, silent otherwise (logs, pipes, CI)."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


def _size() -> tuple[int | None, int | None]:
    """(columns, rows) to force, or None to let tqdm follow the terminal. A fresh pty (``script``,
    a CI runner's tty, a container without a size) reports 0 x 0, which would hide the bar."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return 80, 24
    return (None if size.columns > 0 else 80), (None if size.lines > 0 else 24)


def bar(total: int | None, desc: str, unit: str = "it", min_total: int = 2) -> tqdm:
    """A tqdm bar on stderr, disabled unless stderr is a TTY and there is more than a trickle."""
    show = sys.stderr.isatty() and (total is None or total >= min_total)
    cols, rows = _size() if show else (None, None)
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not show,
        leave=False,
        ncols=cols,
        nrows=rows,
        dynamic_ncols=cols is None,
    )
