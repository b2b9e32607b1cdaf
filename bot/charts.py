"""Pictures for moderators: /stats and `factbot stats --chart`."""

from __future__ import annotations

import io
import math

from bot.database import Stats

MAX_DATE_LABELS = 12


def stats_chart_png(stats: Stats) -> bytes:
    """Questions per day (bars) and the share answered (line), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    days = [day for day, _, _ in stats.per_day]
    totals = [total for _, total, _ in stats.per_day]
    # A day with no questions has no answer rate: a gap in the line, not 0 % answered.
    rates = [answered / total if total else math.nan for _, total, answered in stats.per_day]
    figure, questions_axis = pyplot.subplots(figsize=(8, 3.5), dpi=100)
    try:
        questions_axis.bar(days, totals, color="#5865F2", label="questions")
        questions_axis.set_ylabel("questions per day")
        questions_axis.set_ylim(bottom=0)
        questions_axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        questions_axis.tick_params(axis="x", labelrotation=45, labelsize=8)
        questions_axis.xaxis.set_major_locator(MaxNLocator(MAX_DATE_LABELS, integer=True))  # a year of days stays legible
        rate_axis = questions_axis.twinx()
        rate_axis.plot(days, rates, color="#57F287", marker="o", label="answered")
        rate_axis.set_ylim(0, 1.05)
        rate_axis.yaxis.set_major_formatter(PercentFormatter(1.0))
        rate_axis.set_ylabel("answered")
        questions_axis.set_title(f"Questions in the last {stats.days} days")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
