"""The evaluation report: JSON for machines, PNG plots, one offline HTML page
with displaCy renderings of the documents the model got wrong."""
from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Dict, Optional, Sequence

from spacy import displacy
from spacy.tokens import Doc

from .run import Evaluation, gold_spans
from .scores import MISSED, SPURIOUS, Scores


def _fig_to_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def confusion_png(scores: Scores) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = list(scores.labels) + [SPURIOUS]
    cols = list(scores.labels) + [MISSED]
    grid = np.array([[scores.confusion.get(r, {}).get(c, 0) for c in cols] for r in rows], dtype=float)
    fig, ax = plt.subplots(figsize=(9, 7.5))
    shown = np.log1p(grid)
    ax.imshow(shown, cmap="Blues")
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("predicted (same span) / missed")
    ax.set_ylabel("gold / spurious")
    for i in range(len(rows)):
        for j in range(len(cols)):
            if grid[i, j]:
                ax.text(j, i, int(grid[i, j]), ha="center", va="center", fontsize=7, color="white" if shown[i, j] > shown.max() / 2 else "black")
    ax.set_title("Entity confusion (exact spans; boundary errors counted separately)")
    data = _fig_to_png(fig)
    plt.close(fig)
    return data


def curve_png(log_path: Path) -> Optional[bytes]:
    if not log_path or not Path(log_path).exists():
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(line) for line in Path(log_path).read_text(encoding="utf8").splitlines() if line.strip()]
    if not rows:
        return None
    steps = [r["step"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(steps, [r["other_scores"].get("ents_f", r["score"]) for r in rows], label="dev ents_f")
    ax.plot(steps, [r["other_scores"].get("ents_p", 0) for r in rows], label="dev P", alpha=0.6)
    ax.plot(steps, [r["other_scores"].get("ents_r", 0) for r in rows], label="dev R", alpha=0.6)
    ax.set_xlabel("step")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(steps, [r["losses"].get("ner", 0) for r in rows], color="grey", linestyle=":", label="ner loss")
    ax2.set_ylabel("ner loss")
    ax.legend(loc="lower right")
    ax.set_title("Training curve")
    data = _fig_to_png(fig)
    plt.close(fig)
    return data


def _render(doc: Doc, spans, colors: Dict[str, str]) -> str:
    return displacy.render(
        {"text": doc.text, "ents": [{"start": s, "end": e, "label": l} for s, e, l in spans], "title": None},
        style="ent", manual=True, page=False, jupyter=False, options={"colors": colors},
    )


def _table(evaluations: Sequence[Evaluation]) -> str:
    labels = evaluations[0].scores.labels
    head = "".join(f"<th colspan=3>{html.escape(e.name)}</th>" for e in evaluations)
    sub = "".join("<th>P</th><th>R</th><th>F</th>" for _ in evaluations)
    rows = []
    for label in labels + ["micro"]:
        cells = []
        for e in evaluations:
            prf = e.scores.micro if label == "micro" else e.scores.per_label[label]
            cells.append(f"<td>{prf.precision:.3f}</td><td>{prf.recall:.3f}</td><td><b>{prf.f1:.3f}</b></td>")
        support = evaluations[0].scores.micro if label == "micro" else evaluations[0].scores.per_label[label]
        rows.append(f"<tr><td>{label}</td><td>{support.tp + support.fn}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>label</th><th>support</th>{head}</tr><tr><th></th><th></th>{sub}</tr>{''.join(rows)}</table>"


def write_report(out_dir: Path, main: Evaluation, pre: Optional[Evaluation], docs: Sequence[Doc], colors: Dict[str, str], *, training_log: Optional[Path] = None, max_error_docs: int = 25, extra: Optional[dict] = None) -> Dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    numbers = {"model": main.to_dict(), "preannotator": pre.to_dict() if pre else None, **(extra or {})}
    if pre:
        numbers["gain_micro_f"] = round(main.scores.micro.f1 - pre.scores.micro.f1, 4)
    paths["json"] = out_dir / "evaluation.json"
    paths["json"].write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf8")
    images = {"confusion": confusion_png(main.scores)}
    curve = curve_png(training_log) if training_log else None
    if curve:
        images["training-curve"] = curve
    for name, data in images.items():
        paths[name] = out_dir / f"{name}.png"
        paths[name].write_bytes(data)
    sections = []
    errors = []
    for doc, predicted in zip(docs, main.predictions):
        gold = gold_spans(doc)
        if set(gold) != set(predicted):
            errors.append((len(set(gold) ^ set(predicted)), doc, gold, predicted))
    errors.sort(key=lambda item: -item[0])
    for count, doc, gold, predicted in errors[:max_error_docs]:
        key = html.escape(str(doc.user_data.get("task_key", "")))
        sections.append(
            f"<h3>{key} · {count} differing spans</h3><div class=pair><div><h4>gold</h4>{_render(doc, gold, colors)}</div>"
            f"<div><h4>predicted</h4>{_render(doc, predicted, colors)}</div></div>"
        )
    embedded = "".join(f'<h2>{name}</h2><img alt="{name}" src="data:image/png;base64,{base64.b64encode(data).decode()}">' for name, data in images.items())
    errors_table = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in sorted(main.scores.errors.items()))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>attache evaluation: {html.escape(main.name)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1400px}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}
.pair{{display:grid;grid-template-columns:1fr 1fr;gap:1em}} .pair>div{{border:1px solid #eee;padding:.5em;font-size:90%}}</style></head>
<body><h1>Evaluation of {html.escape(main.name)}</h1>
<p>{main.scores.documents} documents · micro F1 {main.scores.micro.f1:.3f} · macro F1 {main.scores.macro_f1:.3f}{f" · pre-annotator micro F1 {pre.scores.micro.f1:.3f} (gain {numbers['gain_micro_f']:+.3f})" if pre else ""}
· {main.words_per_second:,.0f} words/s</p>
<h2>Scores per label</h2>{_table([e for e in (main, pre) if e])}
<h2>Errors</h2><p>label: right span, wrong label · boundary: overlapping span, right label · missed / spurious: no overlapping counterpart</p>
<table><tr><th>kind</th><th>count</th></tr>{errors_table}</table>
{embedded}
<h2>Documents with errors ({len(errors)}, worst {min(len(errors), max_error_docs)} shown)</h2>
{''.join(sections)}
</body></html>
"""
    paths["html"] = out_dir / "report.html"
    paths["html"].write_text(page, encoding="utf8")
    return paths
