"""Lighter imports of underthesea and spaCy, for the cold start of a short run.

underthesea's package ``__init__`` imports every optional pipeline it has (classification,
sentiment, translation, dependency parsing, an agent: requests, joblib, httpx), and spaCy's
imports its command line (typer, weasel, rich) for ``spacy.info`` alone. The extractor uses
neither; together they were about a fifth of the start-up of ``extractor extract one.txt``.
Both deferrals keep the libraries whole: the first attribute asked of ``underthesea`` runs
its ``__init__`` as usual, and ``spacy.info`` imports spaCy's command line when called.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


def defer_underthesea() -> None:
    """Register the ``underthesea`` package without running its ``__init__`` (until an
    attribute of the package itself is asked for), so that importing the submodules the
    extractor uses imports only those. Does nothing once underthesea is imported.

    Its submodules import one another in a cycle that its ``__init__`` enters by
    ``underthesea.pipeline.text_normalize``: a module importing ``word_tokenize`` from its
    submodule imports that one first."""
    if "underthesea" in sys.modules:
        return
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.loader is None:
        return
    package = importlib.util.module_from_spec(spec)

    def __getattr__(name: str):
        del package.__dict__["__getattr__"]
        spec.loader.exec_module(package)  # the package's own __init__, as a plain import
        return getattr(package, name)

    package.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules["underthesea"] = package


def defer_spacy_cli() -> None:
    """Let ``import spacy`` skip its command line: the ``from .cli.info import info`` of
    spaCy's ``__init__`` gets a function that imports the command line when called. The
    stand-in module leaves ``sys.modules`` as soon as spaCy has read it, so any later
    import of ``spacy.cli`` is the real one. Does nothing once spaCy is imported."""
    if "spacy" in sys.modules or "spacy.cli.info" in sys.modules:
        return
    stub = types.ModuleType("spacy.cli.info")

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    def __getattr__(name: str):
        if sys.modules.get("spacy.cli.info") is stub:
            del sys.modules["spacy.cli.info"]
        if name == "info":
            return info
        raise AttributeError(name)

    stub.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules["spacy.cli.info"] = stub


def defer() -> None:
    """Both deferrals (called when the ``extractor`` package is imported)."""
    defer_underthesea()
    defer_spacy_cli()
