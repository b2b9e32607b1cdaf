"""The benchmark script runs (on a tiny size); its figures are not asserted: machines are noisy."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.settings import PROJECT_ROOT


def test_benchmark_script_runs_on_a_tiny_size(tmp_path):
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "20", "--quick", "--json", str(output)],
        capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "| article (dev set) |" in result.stdout and "| generated 20 |" in result.stdout
    figures = json.loads(output.read_text(encoding="utf-8"))
    assert set(figures) == {"machine", "start_up", "article", "generated", "end_to_end", "database_contention",
                            "shared_store"}
    assert set(figures["shared_store"]) >= {"sqlite", "postgresql"}
    assert figures["database_contention"]["during_exclusive_lock_ms"]["n"] == 10
    assert figures["generated"]["20"]["facts"] == 20
    assert figures["end_to_end"]["answers"] == 10
