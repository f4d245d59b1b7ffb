"""PNG plots of a suite run (matplotlib; skipped with a line when it is not installed)."""
from __future__ import annotations

from pathlib import Path


def plot_all(results: dict, out: Path) -> list[str]:
    """Write the plots the results allow; return lines for stderr."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["plots skipped: matplotlib is not installed (pip install -r requirements-dev.txt)"]
    made = []
    benches = results["benchmarks"]
    curve = benches.get("compare_curve", {}).get("result")
    if curve:
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        for mode in curve["slope"]:
            pts = [p for p in curve["points"] if p["mode"] == mode]
            left.plot([p["sentences"] for p in pts], [p["seconds"] for p in pts], "o-", label=mode)
            right.plot([p["versions"] for p in pts], [p["ms_per_sentence"] for p in pts], "o-", label=mode)
        left.set(xlabel="total sentences", ylabel="compare seconds", title="compare time")
        right.set(xlabel="versions", ylabel="ms per sentence", title="cost per sentence")
        left.legend()
        made.append(_save(fig, out / "compare_curve.png", plt))
    bars = {name: benches[name]["rows"] for name in ("alignment", "throughput", "cold_start")
            if "rows" in benches.get(name, {})}
    if bars:
        fig, axes = plt.subplots(1, len(bars), figsize=(5 * len(bars), 4), squeeze=False)
        for ax, (name, rows) in zip(axes[0], bars.items(), strict=False):
            labels = [r["figure"] for r in rows]
            ax.barh([f"{x} (drift)" for x in labels], [r["value"] for r in rows], color="tab:blue")
            ax.barh([f"{x} (base)" for x in labels], [r["baseline_value"] or 0 for r in rows], color="tab:gray")
            ax.set_title(name)
            ax.tick_params(axis="y", labelsize=7)
        made.append(_save(fig, out / "figures.png", plt))
    return [f"wrote {p}" for p in made]


def _save(fig, path: Path, plt) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
