"""``extractor report``: one self-contained HTML file over a batch's JSON outputs.

Inline CSS and JS only, nothing fetched: the file opens from disk, offline. Per document
the text with its directives highlighted (or, for outputs made without ``--with-text``,
the evidence sentences), and the fields; first a summary (documents, directives by
modality and by actor, deadlines by month).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Optional, Union

from ..fields import label_vi, presentation
from .assets import fill, package_text

LOW_CONFIDENCE = 0.6
_NO_ACTOR = "(không rõ cơ quan)"
_NO_DEADLINE = "Không có thời hạn"
_UNDATED = "Có thời hạn, không rõ ngày"


def load_documents(out_dir: Union[str, os.PathLike]) -> tuple[list[tuple[str, dict]], list[str]]:
    """(relative path, document) of every contract JSON under ``out_dir``, sorted; and the
    files set aside (unreadable, or not an extractor output)."""
    root = Path(out_dir)
    docs: list[tuple[str, dict]] = []
    skipped: list[str] = []
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith(".") or not path.is_file():  # batch.write_atomic's temp files
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            skipped.append(f"{rel}: {type(exc).__name__}")
            continue
        # stdout of several inputs is a JSON list of documents
        items = data if isinstance(data, list) else [data]
        found = [d for d in items if _is_document(d)]
        if not found:
            skipped.append(f"{rel}: not an extractor output")
        elif len(found) < len(items):
            skipped.append(f"{rel}: {len(items) - len(found)} entries not extractor outputs")
        for i, d in enumerate(found):
            docs.append((rel if len(found) == 1 else f"{rel}#{i + 1}", d))
    return docs, skipped


def _is_document(d) -> bool:
    """Whether ``d`` is a document of the JSON contract (validated by its schema)."""
    from pydantic import ValidationError

    from ..schema import Document

    if not isinstance(d, dict):
        return False
    try:
        Document.read(d)  # this version of the contract or an earlier one still read
    except (ValidationError, RecursionError):
        return False
    return True


def write_report(out_dir: Union[str, os.PathLike], output: Union[str, os.PathLike]) -> int:
    """Write the HTML report of the outputs under ``out_dir``; returns the number of documents."""
    docs, skipped = load_documents(out_dir)
    for line in skipped:
        print(f"report: skipped {line}", file=sys.stderr)
    page = render_report(docs, title=f"Báo cáo trích xuất chỉ đạo — {Path(out_dir).name}",
                         skipped=skipped)  # fmt: skip
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return len(docs)


def render_report(
    docs: list[tuple[str, dict]], *, title: str, skipped: Optional[list[str]] = None
) -> str:
    """The report's HTML for (name, document) pairs."""
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    total = sum(len(d["directives"]) for _, d in docs)
    subtitle = f"{len(docs)} văn bản, {total} chỉ đạo · lập lúc {when}"
    sections = [_document(i, name, doc) for i, (name, doc) in enumerate(docs, 1)]
    return fill(package_text("templates", "report.html"), {
        "title": _e(title), "subtitle": _e(subtitle),
        "summary": _summary(docs, skipped or []), "documents": "\n".join(sections),
    })  # fmt: skip


# -- summary -------------------------------------------------------------------------


def _summary(docs: list[tuple[str, dict]], skipped: list[str]) -> str:
    directives = [d for _, doc in docs for d in doc["directives"]]
    modality_vi = presentation().modality
    by_modality = Counter(modality_vi.get(d["modality"], d["modality"]) for d in directives)
    by_actor = Counter(_actor_name(d.get("actor")) for d in directives)
    by_month: Counter = Counter()
    for d in directives:
        deadline = d.get("deadline")
        if not deadline:
            by_month[_NO_DEADLINE] += 1
        elif deadline.get("date"):
            by_month[deadline["date"][:7]] += 1
        else:
            by_month[_UNDATED] += 1
    months = sorted(k for k in by_month if k[:1].isdigit())
    months += [k for k in (_UNDATED, _NO_DEADLINE) if k in by_month]
    low = sum(1 for d in directives if d.get("confidence", 1) < LOW_CONFIDENCE)
    empty = sum(1 for _, doc in docs if not doc["directives"])
    overview = [
        ("Văn bản", len(docs)), ("Chỉ đạo", len(directives)),
        ("Văn bản không có chỉ đạo", empty), (f"Độ tin cậy thấp (< {LOW_CONFIDENCE})", low),
    ]  # fmt: skip
    if skipped:
        overview.append(("Tệp bỏ qua", len(skipped)))
    parts = [
        '<section class="box" id="summary"><h2>Tổng hợp</h2><div class="stats">',
        _table("Tổng quan", ("", "Số lượng"), overview, bars=False),
        _table("Theo loại chỉ đạo", ("Loại", "Số chỉ đạo"), by_modality.most_common()),
        _table("Thời hạn theo tháng", ("Tháng", "Số chỉ đạo"), [(m, by_month[m]) for m in months]),
        "</div>",
        _table("Theo cơ quan chủ trì", ("Cơ quan", "Số chỉ đạo"),
               sorted(by_actor.items(), key=lambda kv: (-kv[1], kv[0]))),
    ]  # fmt: skip
    if skipped:
        parts.append("<h3>Tệp bỏ qua</h3><ul>" + "".join(f"<li>{_e(s)}</li>" for s in skipped)
                     + "</ul>")  # fmt: skip
    if docs:
        parts.append("<h3>Văn bản</h3><ol class=\"toc\">" + "".join(
            f'<li><a href="#doc-{i}">{_e(_title(name, doc))}</a> '
            f'<span class="muted">({len(doc["directives"])})</span></li>'
            for i, (name, doc) in enumerate(docs, 1)) + "</ol>")  # fmt: skip
    parts.append("</section>")
    return "\n".join(parts)


def _table(caption: str, head: tuple[str, str], rows, *, bars: bool = True) -> str:
    rows = list(rows)
    top = max((n for _, n in rows), default=0) or 1
    body = "".join(
        f"<tr><td>{_e(label)}</td><td class=\"n\">{n}</td>"
        + (f'<td><span class="bar" style="width:{round(120 * n / top)}px"></span></td>'
           if bars else "") + "</tr>"
        for label, n in rows
    ) or '<tr><td colspan="3" class="muted">—</td></tr>'  # fmt: skip
    extra = "<th></th>" if bars else ""
    return (f"<div><h3>{_e(caption)}</h3><table><thead><tr><th>{_e(head[0])}</th>"
            f"<th>{_e(head[1])}</th>{extra}</tr></thead><tbody>{body}</tbody></table></div>")


def _actor_name(actor: Optional[dict]) -> str:
    if not actor:
        return _NO_ACTOR
    return (actor.get("canonical") or {}).get("name") or actor.get("text") or _NO_ACTOR


# -- documents -----------------------------------------------------------------------


def _title(name: str, doc: dict) -> str:
    info = doc.get("document") or {}
    return info.get("number") or name


def _document(index: int, name: str, doc: dict) -> str:
    info = doc.get("document") or {}
    source = doc.get("source") or {}
    meta = [name]
    if info.get("date"):
        meta.append(f"ngày {info['date']}")
    if info.get("issuing_body"):
        meta.append(info["issuing_body"].get("text", ""))
    meeting = info.get("meeting") or {}
    if meeting.get("title"):
        meta.append(meeting["title"].get("text", ""))
    meta.append(f"{source.get('format', '?')}, {source.get('chars', 0)} ký tự")
    directives = doc["directives"]
    prefix = f"d{index}-"
    if doc.get("text"):
        body = f'<div class="text">{highlight(doc["text"], directives, prefix)}</div>'
    elif directives:
        body = ('<p class="muted">Đầu ra không kèm văn bản (--with-text): các câu gốc.</p>'
                + _evidence_sentences(directives, prefix))  # fmt: skip
    else:
        body = '<p class="muted">Không có văn bản kèm theo.</p>'
    warnings = "".join(f"<li>{_e(w)}</li>" for w in doc.get("warnings") or [])
    return (
        f'<section class="box" id="doc-{index}"><h2>{index}. {_e(_title(name, doc))}</h2>'
        f'<p class="muted">{_e(" · ".join(m for m in meta if m))}</p>'
        + (f'<ul class="muted">{warnings}</ul>' if warnings else "")
        + f'<div class="doc-grid"><div>{body}</div>'
        f'<div class="fields">{_fields(directives, prefix)}</div></div></section>'
    )


def highlight(text: str, directives: list[dict], prefix: str, base: int = 0) -> str:
    """``text`` (which starts at offset ``base`` of the document) as HTML, with each
    directive's evidence and action marked; ``data-d`` names the directives of a mark."""
    spans = []
    for i, d in enumerate(directives):
        for kind in ("evidence", "action"):
            s, e = d[kind]["start"] - base, d[kind]["end"] - base
            s, e = max(s, 0), min(e, len(text))
            if s < e:
                spans.append((s, e, kind, f"{prefix}{i + 1}", d.get("confidence", 1)))
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = _e(text[a:b])
        cover = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if not cover:
            out.append(chunk)
            continue
        acts = [sp for sp in cover if sp[2] == "action"]
        ids = list(dict.fromkeys(sp[3] for sp in (acts or cover)))
        cls = ["ev"]
        if acts:
            cls.append("act")
            if any(sp[4] < LOW_CONFIDENCE for sp in acts):
                cls.append("lowc")
        out.append(f'<mark class="{" ".join(cls)}" data-d="{" ".join(ids)}">{chunk}</mark>')
    return "".join(out)


def _evidence_sentences(directives: list[dict], prefix: str) -> str:
    seen: dict[tuple[int, int], str] = {}
    for d in directives:
        ev = d["evidence"]
        seen.setdefault((ev["start"], ev["end"]), ev["text"])
    return "".join(
        f'<p class="evidence">{highlight(text, directives, prefix, base=start)}</p>'
        for (start, _), text in sorted(seen.items())
    )


def _fields(directives: list[dict], prefix: str) -> str:
    if not directives:
        return '<p class="muted">Không tìm thấy chỉ đạo nào.</p>'
    reviewed = any("review" in d for d in directives)
    columns = ("issuer", "actor", "coactors", "action", "topic", "deadline", "modality")
    head = ["#", *(label_vi(name) for name in columns), "Độ tin cậy"] + (
        ["Duyệt"] if reviewed else [])  # fmt: skip
    rows = []
    for i, d in enumerate(directives, 1):
        low = d.get("confidence", 1) < LOW_CONFIDENCE
        deadline = d.get("deadline") or {}
        when = deadline.get("text") or ""
        if deadline.get("date"):
            when = f"{when} ({deadline['date']})" if when else deadline["date"]
        topic = (d.get("topic") or {}).get("text") or (d.get("purpose") or {}).get("text") or ""
        cells = [
            str(i),
            _entity(d.get("issuer")),
            _entity(d.get("actor")),
            "; ".join(_entity(c) for c in d.get("coactors") or []),
            _e(d["action"]["text"]),
            _e(topic),
            _e(when),
            _e(presentation().modality.get(d["modality"], d["modality"])),
            f"{d.get('confidence', 0):.2f}" + (' <span class="flag">thấp</span>' if low else ""),
        ]
        if reviewed:
            status = (d.get("review") or {}).get("status", "")
            cells.append(_e(presentation().review_status.get(status, status)))
        cls = "d low" if low else "d"
        rows.append(f'<tr class="{cls}" data-target="{prefix}{i}">'
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")  # fmt: skip
    return ("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")  # fmt: skip


def _entity(e: Optional[dict]) -> str:
    if not e:
        return ""
    name = (e.get("canonical") or {}).get("name")
    text = e.get("text") or name or ""
    if name and name.casefold() != text.casefold():
        return f'{_e(text)} <span class="canon">→ {_e(name)}</span>'
    return _e(text)


def _e(value) -> str:
    return html.escape(str(value), quote=True)
