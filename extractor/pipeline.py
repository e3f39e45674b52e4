"""Builds the spaCy pipeline from ``pipeline.cfg`` (rules), once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources

import spacy
from spacy.language import Language

# Registering factories, tokenizers and misc functions is an import side effect.
from . import DEFAULT_MODE, MODES, assemble, clean, nlp, rules, segment  # noqa: F401
from .resources import DATA_PACKAGE, trained_pipeline_path


def load_config():
    """The pipeline config shipped in the package."""
    text = resources.files(DATA_PACKAGE).joinpath("pipeline.cfg").read_text(encoding="utf-8")
    return spacy.util.load_config_from_str(text)


@cache
def build(mode: str = DEFAULT_MODE) -> Language:
    """The pipeline for a mode, built and initialized once per process.

    ``rules``: the rule components alone. ``model`` and ``hybrid``: the same,
    then the trained components (see :mod:`extractor.model`), from the repository's
    ``models/directives`` or the copy installed with the package
    (:func:`extractor.resources.trained_pipeline_path`).
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    config = load_config()
    pipeline = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    pipeline.initialize()
    if mode != "rules":
        from . import model  # noqa: F401  (registers the directive_model factory)

        pipeline.add_pipe("directive_model",
                          config={"mode": mode, "path": str(trained_pipeline_path())})
    return pipeline
