"""Builds the spaCy pipeline from ``pipeline.cfg`` (rules), once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources

import spacy
from spacy.language import Language

# Registering factories, tokenizers and misc functions is an import side effect.
from . import (  # noqa: F401
    DEFAULT_MODE,
    MODES,
    assemble,
    clean,
    components,
    model,
    nlp,
    rules,
    segment,
)
from .readers.base import MAX_TEXT_CHARS
from .resources import DATA_PACKAGE

MODEL_STAGE = "directive_model"
SECTOR_STAGE = "sector_classifier"


def load_config():
    """The pipeline config shipped in the package."""
    text = resources.files(DATA_PACKAGE).joinpath("pipeline.cfg").read_text(encoding="utf-8")
    return spacy.util.load_config_from_str(text)


@cache
def build(mode: str = DEFAULT_MODE) -> Language:
    """The pipeline for a mode, built and initialized once per process.

    ``rules``: the config without the trained ``directive_model``. ``model`` and
    ``hybrid``: the same with it, in that mode (see :mod:`extractor.model`).
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    config = load_config()
    exclude = [MODEL_STAGE] if mode == "rules" else []
    if mode != "rules":
        # its path left empty: the repository's models/directives, or the installed copy
        config["components"][MODEL_STAGE]["mode"] = mode
    # the rules alone read the field from keywords; the trained classifier joins otherwise
    config["components"][SECTOR_STAGE]["use_model"] = mode != "rules"
    pipeline = spacy.util.load_model_from_config(config, auto_fill=True, validate=True,
                                                 exclude=exclude)  # fmt: skip
    pipeline.initialize()
    # spaCy's 1,000,000-character guard is for its own parsers; the readers' limit is ours.
    pipeline.max_length = MAX_TEXT_CHARS
    return pipeline


def pipeline_mode(pipeline: Language) -> str:
    """The mode a pipeline runs in: ``rules`` without the trained model, else the model's."""
    if MODEL_STAGE not in pipeline.pipe_names:
        return "rules"
    return str(pipeline.get_pipe(MODEL_STAGE).mode)
