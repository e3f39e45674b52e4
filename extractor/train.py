"""``extractor train``: build training data from the corpus, train, write the model.

Training data: every non-skipped sentence of the train split, tokenized by the
pipeline's own tokenizer, with the rule segmenter's candidate clauses; gold
directive clauses labelled by modality (spancat) and gold role spans (ner).
Spans that do not align with token boundaries, overlap another role span, or
fall in no candidate clause are counted and reported, never dropped silently.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Optional

from .corpus import CORPUS_DIR, corpus_hash, iter_split
from .model import TrainingStats, models_dir, training_docs, write_docbin
from .resources import rule_data_hash


def _git_commit() -> Optional[str]:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=10)  # fmt: skip
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def train(
    config: Path,
    output: Path,
    *,
    train_split: str = "train",
    dev_split: str = "dev",
    limit: Optional[int] = None,
    max_steps: Optional[int] = None,
    seed: Optional[int] = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Train the model and write a spaCy pipeline directory to ``output``; return its meta."""
    from spacy.cli.train import train as spacy_train

    from .pipeline import build

    rules = build("rules")
    stats = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for split in (train_split, dev_split):
            docs = list(iter_split(split))
            if limit is not None:
                docs = docs[:limit]
            st = TrainingStats()
            sents = training_docs(docs, rules, st)
            paths[split] = Path(tmp) / f"{split}.spacy"
            write_docbin(sents, paths[split])
            stats[split] = st
            log(f"{split}: {len(docs)} documents, {st.sentences} sentences, "
                f"{st.directives} gold directives, {st.directive_clauses} labelled clauses, "
                f"{st.unsuggested} in no candidate clause, {st.role_spans} role spans, "
                f"{len(st.misaligned)} misaligned, {st.overlapping} overlapping")  # fmt: skip
            for line in st.misaligned[:20]:
                log(f"  misaligned: {line}")
        overrides = {"paths.train": str(paths[train_split]), "paths.dev": str(paths[dev_split])}
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
            overrides["training.eval_frequency"] = max(1, min(200, max_steps))
        if seed is not None:
            overrides["system.seed"] = seed
        workdir = Path(tmp) / "out"
        spacy_train(config, workdir, overrides=overrides, use_gpu=-1)
        best = workdir / "model-best"
        _forget_paths(best / "config.cfg")
        meta_path = best / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update({
            "name": "directives",
            "corpus_hash": corpus_hash(CORPUS_DIR),
            "rule_data_hash": rule_data_hash(),
            "commit": _git_commit(),
            "seed": seed if seed is not None else _config_seed(config),
            "training": {split: _stats_dict(st) for split, st in stats.items()},
            "dev_scores": {k: v for k, v in meta.get("performance", {}).items()
                           if isinstance(v, (int, float))},
        })  # fmt: skip
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")  # fmt: skip
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(best, output)
    return meta


def _forget_paths(config: Path) -> None:
    """The saved config names the temporary training files: reset them, so that two runs
    with the same seed write the same pipeline (only meta.json's commit may differ)."""
    from spacy.util import load_config

    cfg = load_config(config)
    for key in ("train", "dev"):
        cfg["paths"][key] = None
    cfg.to_disk(config)


def _config_seed(config: Path) -> Optional[int]:
    from spacy.util import load_config

    return load_config(config)["system"]["seed"]


def _stats_dict(st: TrainingStats) -> dict:
    return {"sentences": st.sentences, "directives": st.directives,
            "labelled_clauses": st.directive_clauses, "unsuggested": st.unsuggested,
            "role_spans": st.role_spans, "misaligned": len(st.misaligned),
            "overlapping": st.overlapping}  # fmt: skip


def default_config() -> Path:
    return models_dir() / "directives.cfg"
