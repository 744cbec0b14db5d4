"""Read criterion results (target/criterion/**/new/{benchmark,estimates}.json) and run cargo bench."""

from __future__ import annotations

import glob
import json
import os
import subprocess

from bench_common import ROOT


def target_dir() -> str:
    """Cargo's target directory (honours CARGO_TARGET_DIR and config), else ROOT/target."""
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)["target_directory"]
    except (OSError, subprocess.CalledProcessError, KeyError, ValueError):
        return os.path.join(ROOT, "target")


def bench_targets(package: str) -> list[str]:
    """Names of the [[bench]] targets of a workspace package (empty if unknown)."""
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    for pkg in json.loads(out)["packages"]:
        if pkg["name"] == package:
            return [t["name"] for t in pkg["targets"] if "bench" in t["kind"]]
    return []


def run_cargo_bench(package: str, bench: str, extra: list[str]) -> bool:
    """`cargo bench -p package --bench bench -- extra`; True on success. Output streams through."""
    cmd = ["cargo", "bench", "-p", package, "--bench", bench, "--", *extra]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT).returncode == 0


def load_all() -> dict[str, dict]:
    """full_id ("six_j/f64_all_j_le_10", "sh/f64/l_max/2") -> mean_ns, elements, ..."""
    res: dict[str, dict] = {}
    base = os.path.join(target_dir(), "criterion")
    for bj in glob.glob(os.path.join(base, "**", "new", "benchmark.json"), recursive=True):
        try:
            with open(bj) as fh:
                b = json.load(fh)
            with open(os.path.join(os.path.dirname(bj), "estimates.json")) as fh:
                e = json.load(fh)
        except (OSError, ValueError):
            continue
        thr = b.get("throughput") or {}
        elements = thr.get("Elements")
        mean = e["mean"]["point_estimate"]
        res[b["full_id"]] = {
            "group": b["group_id"],
            "function": b.get("function_id"),
            "value": b.get("value_str"),
            "mean_ns": mean,
            "median_ns": e["median"]["point_estimate"],
            "elements": elements,
            "bytes": thr.get("Bytes"),
            "ns_per_element": mean / elements if elements else None,
            "mtime": os.path.getmtime(bj),
        }
    return res
