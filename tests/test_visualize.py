"""The directives shown: ``doc.spans["directives"]`` for displaCy and span tools, with
``Span._.vnx_*`` fields, and ``extractor.visualize`` (HTML, escaped, one card per
directive, its fields highlighted by role)."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from spacy import displacy
from spacy.tokens import Doc, Span

import extractor
from extractor import extensions
from extractor.api import document_of, extract_text
from extractor.fields import fields, presentation
from extractor.normalize import normalize_text
from extractor.pipeline import build
from extractor.visualization import Mark, nest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.txt"))
SPAN_KINDS = {"span", "entity", "entities", "deadline"}


class Cards(HTMLParser):
    """Per directive card (data-id): the text of each top-level mark of each role, the
    hover titles, and every tag met (to find injected ones)."""

    def __init__(self):
        super().__init__()
        self.cards: dict[str, dict[str, list[str]]] = {}
        self.titles: list[str] = []
        self.tags: Counter = Counter()
        self.text: list[str] = []
        self._card = None
        self._open: list[tuple[str, str]] = []  # (tag, role or "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if tag == "div" and "data-id" in attrs:
            self._card = self.cards.setdefault(attrs["data-id"], {})
        role = attrs.get("data-role", "") if tag == "mark" else ""
        if role:
            self.titles.append(attrs.get("title", ""))
            if self._card is not None and not any(r == role for _, r in self._open):
                self._card.setdefault(role, []).append("")
        self._open.append((tag, role))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        if self._card is None:
            return
        for role in dict.fromkeys(r for _, r in self._open if r):
            self._card[role][-1] += data


def parse(html: str) -> Cards:
    parser = Cards()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_doc(seed_text) -> Doc:
    return build("hybrid")(normalize_text(seed_text))


# -- doc.spans["directives"] ---------------------------------------------------------


def test_every_directive_is_a_span_with_its_fields(seed_doc):
    group = seed_doc.spans["directives"]
    document = document_of(seed_doc)
    assert len(group) == len(document.directives) == 7
    for span, d in zip(group, document.directives):
        assert span.label_ == d.modality.value
        assert span.start_char <= d.evidence.start and d.evidence.end <= span.end_char
        assert span._.vnx_action.text == d.action.text
        assert (span._.vnx_actor.text if span._.vnx_actor else None) == \
            (d.actor.text if d.actor else None)  # fmt: skip
        assert (span._.vnx_deadline.text if span._.vnx_deadline else None) == \
            (d.deadline.text if d.deadline else None)  # fmt: skip
        assert span._.vnx_modality == d.modality.value
        assert span._.vnx_confidence == d.confidence
        assert span._.vnx_rules == d.rules


def test_span_fields_are_none_off_the_directives_group(seed_doc):
    other = seed_doc[0:3]
    assert other._.vnx_action is None and other._.vnx_directive is None
    forged = Span(seed_doc, 0, 3, span_id="directive:99")
    assert forged._.vnx_actor is None


def test_every_extension_is_namespaced():
    assert all(Doc.has_extension(extensions.PREFIX + name) for name in extensions.DOC_ATTRS)
    assert all(Span.has_extension(extensions.PREFIX + name)
               for name in extensions.SPAN_GETTERS)  # fmt: skip
    for bare in ("text", "directives", "warnings", "metadata", "actor", "action"):
        assert not Doc.has_extension(bare) and not Span.has_extension(bare)


def test_displacy_renders_every_directive(seed_doc):
    html = displacy.render(seed_doc, style="span", options={"spans_key": "directives"},
                           jupyter=False)  # fmt: skip

    class Labels(HTMLParser):
        def __init__(self):
            super().__init__()
            self.labels: list[str] = []
            self.inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = "z-index: 10" in (dict(attrs).get("style") or "")

        def handle_data(self, data):
            if self.inside and data.strip():
                self.labels.append(data.strip())
                self.inside = False

    parser = Labels()
    parser.feed(html)
    modalities = Counter(s.label_ for s in seed_doc.spans["directives"])
    assert Counter(parser.labels) == modalities and sum(modalities.values()) == 7


# -- visualize -----------------------------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_visualize_shows_every_directives_action(path):
    document = extract_text(path.read_text(encoding="utf-8"))
    cards = parse(extractor.visualize(document)).cards
    assert list(cards) == [d.id for d in document.directives]
    for d in document.directives:
        shown = cards[d.id]
        assert "".join(shown["action"]) == d.action.text, d.action.text
        if d.actor is not None:
            assert d.actor.text in shown["actor"]
        if d.deadline is not None:
            assert d.deadline.text in shown["deadline"]


def test_visualize_the_seed_and_its_hover_titles(seed_text):
    document = extract_text(seed_text)
    parsed = parse(extractor.visualize(document))
    assert len(parsed.cards) == 7
    sources = {s.source for d in document.directives for s in (d.action, d.actor) if s}
    assert all(any(source in title for title in parsed.titles) for source in sources)
    # a processed Doc and the JSON of the result show the same
    assert extractor.visualize(json.loads(document.to_json())) == extractor.visualize(document)


def test_repr_html_is_visualize(seed_text):
    document = extract_text(seed_text)
    assert document._repr_html_() == extractor.visualize(document)


def test_a_processed_doc_is_shown_too(seed_doc):
    cards = parse(extractor.visualize(seed_doc)).cards
    assert [c["action"] for c in cards.values()] == \
        [[d.action.text] for d in document_of(seed_doc).directives]  # fmt: skip


def test_untrusted_text_and_sources_are_escaped():
    text = ('Giao Bộ Tài chính <script>alert("x")</script> chủ trì rà soát các quy định, '
            "báo cáo Thủ tướng Chính phủ.")  # fmt: skip
    document = extract_text(text)
    assert len(document.directives) == 1
    d = document.directives[0]
    assert "<script>" in d.action.text  # the markup is in a highlighted field
    hostile = d.action.model_copy(update={"source": '"><img src=x onerror=alert(1)>'})
    document.directives[0] = d.model_copy(update={"action": hostile})
    html = extractor.visualize(document, page=True)
    parsed = parse(html)
    assert parsed.tags["script"] == 0 and parsed.tags["img"] == 0
    assert parsed.cards[d.id]["action"] == [d.action.text]  # shown as text
    assert any('"><img src=x' in title for title in parsed.titles)


def test_a_document_without_directives_says_so():
    document = extract_text("Hôm nay trời đẹp.")
    html = extractor.visualize(document)
    assert not document.directives and presentation().visualize.none in html


def test_visualize_refuses_what_it_cannot_show():
    with pytest.raises(TypeError, match="visualize takes"):
        extractor.visualize("plain text")


def test_the_colours_are_data_for_the_fields_that_are_spans():
    kinds = {f.name: f.kind for f in fields()}
    colours = presentation().role_colours
    assert all(kinds.get(role) in SPAN_KINDS for role in colours)
    legend = parse(extractor.visualize(extract_text("Hôm nay trời đẹp."))).text
    labels = {f.name: f.label_vi for f in fields()}
    assert all(labels[role] in legend for role in colours)


# (marks as (start, end, role), expected forest as nested (start, end, role, children))
NEST_CASES = [
    ([(0, 5, "a"), (6, 9, "b")], [(0, 5, "a", []), (6, 9, "b", [])]),
    ([(0, 10, "action"), (4, 8, "deadline")], [(0, 10, "action", [(4, 8, "deadline", [])])]),
    ([(4, 8, "deadline"), (0, 10, "action")], [(0, 10, "action", [(4, 8, "deadline", [])])]),
    # crossing: the later mark is cut at the end of the first
    ([(0, 6, "actor"), (3, 9, "action")],
     [(0, 6, "actor", [(3, 6, "action", [])]), (6, 9, "action", [])]),
    ([(2, 2, "empty")], []),
]  # fmt: skip


def _forest(marks: list[Mark]) -> list:
    return [(m.start, m.end, m.role, _forest(m.children)) for m in marks]


@pytest.mark.parametrize("marks,expected", NEST_CASES)
def test_nest(marks, expected):
    assert _forest(nest([Mark(s, e, r, r) for s, e, r in marks])) == expected
