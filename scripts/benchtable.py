"""Print the rows of several ``scripts/bench_*.py --json`` files as one table, and save a copy.

Usage: ``python scripts/benchtable.py OUT.json NAME=ROWS.json ...``. A NAME
whose file is missing (the benchmark failed) gets a row saying so. Ratio is how
many times ours is better than the naive baseline measured in the same run
(baseline / ours for times, ours / baseline for rates).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any


def ratio(row: dict[str, Any]) -> float | None:
    ours, base = row.get("ours"), row.get("baseline")
    if (
        not isinstance(ours, int | float)
        or not isinstance(base, int | float)
        or not ours
        or not base
    ):
        return None
    return float(base / ours if row.get("better", "lower") == "lower" else ours / base)


def figure(value: Any, unit: str) -> str:
    if not isinstance(value, int | float):
        return "-"
    if unit == "s" and value < 1:
        return f"{value * 1000:,.1f} ms"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def main(argv: list[str]) -> int:
    out, pairs = Path(argv[0]), argv[1:]
    rows: list[dict[str, Any]] = []
    failed: list[str] = []
    for pair in pairs:
        name, _, path = pair.partition("=")
        try:
            loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            failed.append(name)
            rows.append({"name": f"{name}: FAILED (see its log)", "ours": None, "unit": ""})
            continue
        rows.extend({"benchmark": name, **row} for row in loaded)
    for row in rows:
        row["ratio"] = ratio(row)
    headers = ("figure", "ours", "naive baseline", "ratio", "target")
    cells = [
        (
            str(row["name"]),
            figure(row.get("ours"), row.get("unit", "")),
            figure(row.get("baseline"), row.get("unit", "")),
            f"x{row['ratio']:,.1f}" if row.get("ratio") else "-",
            row.get("target") or "-",
        )
        for row in rows
    ]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(headers)]
    right = (False, True, True, True, False)
    print()
    for line in (headers, tuple("-" * w for w in widths), *cells):
        print(
            "  ".join(
                v.rjust(w) if r else v.ljust(w) for v, w, r in zip(line, widths, right, strict=True)
            ).rstrip()
        )
    doc = {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_1min": os.getloadavg()[0],
            "python": platform.python_version(),
        },
        "failed": failed,
        "rows": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"\nJSON copy: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
