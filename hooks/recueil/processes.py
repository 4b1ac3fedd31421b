"""How many processes work can be shared between: the processors this process may run on."""

from __future__ import annotations

import os


def available() -> int:
    if hasattr(os, "sched_getaffinity"):  # a container or `taskset` may allow fewer than the machine has
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
