"""The trained sector classifier: a spaCy ``textcat`` over one text per directive.

The text joins the directive's topic, action, actor and sentence with the document's
leading fields by keyword count (``doc:<id>`` tokens): a clerk files a health-station
repair under "Thiên tai" when the whole notice is about a storm, and the classifier needs
that context as much as the directive's own words. The pipeline is ``spacy.blank("xx")``
(syllables, no Vietnamese tokenizer needed) with a bag-of-n-grams ``textcat``: small, fast
on the CPU, and trained in seconds from the corpus.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Iterable, Optional

from .sector import keyword_counts, model_text, sectors

MODEL_NAME = "sectors"
# Six passes, not twelve: the bag of n-grams fits its train split by six, and the extra
# passes only cost unseen texts (hybrid field-dev/dev 0.817/0.784 and 0.796/0.764 with six,
# seeds 0 and 1, against 0.775/0.750 and 0.782/0.767 with twelve).
EPOCHS = 6
_CONFIG = {"threshold": 0.0, "model": {
    "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 3,
    "no_output_layer": False, "length": 65536}}  # fmt: skip


def document_fields(text: str, top: int = 2) -> list[str]:
    """The ``top`` fields whose keywords occur most in a whole document (ties in the list's
    order)."""
    counts = keyword_counts(text)
    order = {s.id: i for i, s in enumerate(sectors())}
    return sorted(counts, key=lambda sid: (-counts[sid], order[sid]))[:top]


def example_text(fields: dict[str, Optional[str]], document: list[str]) -> str:
    """What the classifier reads for one directive."""
    return model_text(fields) + " | " + " ".join(f"doc:{sid}" for sid in document)


def _gold_examples(docs: Iterable) -> list[tuple[str, str]]:
    out = []
    for doc in docs:
        context = document_fields(doc.text)
        for d in doc.gold.directives:
            if d.sector is None:
                continue
            fields = {"topic": d.topic.text if d.topic else None, "action": d.action.text,
                      "actor": d.actor.text if d.actor else None, "evidence": d.evidence.text}
            out.append((example_text(fields, context), d.sector))
    return out


def train_sector_model(output: Path, *, seed: int = 0, epochs: int = EPOCHS, limit: Optional[int]
                       = None, log=print) -> dict:  # fmt: skip
    """Train on the corpus train split, score on dev, save to ``output``; returns meta."""
    import spacy
    from spacy.training import Example

    from .corpus import corpus_hash, iter_split
    from .resources import rule_data_hash

    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    train = _gold_examples(list(iter_split("train"))[:limit])
    dev = _gold_examples(iter_split("dev"))
    labels = [s.id for s in sectors()]
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat", config=_CONFIG)
    for label in labels:
        textcat.add_label(label)

    def examples(pairs):
        return [Example.from_dict(nlp.make_doc(text), {"cats": {k: float(k == gold)
                                                                 for k in labels}})
                for text, gold in pairs]  # fmt: skip

    train_examples = examples(train)
    optimizer = nlp.initialize(lambda: train_examples)
    for epoch in range(epochs):
        random.shuffle(train_examples)
        losses: dict = {}
        for batch in spacy.util.minibatch(train_examples, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses)
        log(f"sector epoch {epoch + 1}: loss {losses.get('textcat', 0):.3f}")
    right = sum(_best(doc.cats) == gold for doc, (_, gold) in
                zip(nlp.pipe(t for t, _ in dev), dev))  # fmt: skip
    meta = {"corpus_hash": corpus_hash(), "rule_data_hash": rule_data_hash(), "seed": seed,
            "epochs": epochs,
            "train_examples": len(train), "dev_examples": len(dev),
            "dev_accuracy": round(right / len(dev), 4) if dev else None}  # fmt: skip
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    (output / "training.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def _best(cats: dict[str, float]) -> str:
    return max(cats, key=lambda k: (cats[k], k))


@cache
def load_sector_model(path: Optional[str] = None):
    """The shipped classifier (``models/sectors``), or None when it is not there."""
    import spacy

    from .resources import trained_path

    where = Path(path) if path else trained_path(MODEL_NAME)
    if not (where / "meta.json").exists():
        return None
    return spacy.load(where)


def predict(texts: list[str], nlp=None) -> list[Optional[dict[str, float]]]:
    """Class probabilities per text by ``nlp`` (else the shipped classifier), or None for
    each when there is no model."""
    nlp = load_sector_model() if nlp is None else nlp
    if nlp is None:
        return [None] * len(texts)
    return [dict(doc.cats) for doc in nlp.pipe(texts)]
