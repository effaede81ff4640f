"""Helpers shared by the bench scripts: the machine line and Markdown tables."""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import List, Sequence


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "") if Path("/proc/cpuinfo").exists() else ""
    return f"{len(os.sched_getaffinity(0))} usable cores ({os.cpu_count()} total), {cpu or platform.processor()}, Python {platform.python_version()}"


def md_table(header: Sequence[str], rows: List[Sequence]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])
