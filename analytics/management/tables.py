"""Tables for the terminal, shared by the commands that print model metrics."""

from typing import Any

COLUMNS = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1")


def metrics_table(results: dict[str, Any], selected: str) -> list[str]:
    """The candidates and baselines side by side, for the terminal."""
    header = f"  {'model':<26}" + "".join(f"{c:>10}" for c in COLUMNS)
    lines = [header, "  " + "-" * (len(header) - 2)]
    for name, m in results.items():
        mark = "*" if name == selected else " "
        cells = "".join(f"{m.get(c):>10.4f}" if m.get(c) is not None else f"{'—':>10}" for c in COLUMNS)
        kind = "" if m.get("kind") == "candidate" else " (baseline)"
        lines.append(f"{mark} {name + kind:<26}{cells}")
    return lines
