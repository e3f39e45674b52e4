"""Lighter imports of underthesea and spaCy, for the cold start of a short run.

underthesea's package ``__init__`` imports every optional pipeline it has (classification,
sentiment, translation, dependency parsing, an agent: requests, joblib, httpx), and spaCy's
imports its command line (typer, weasel, rich) for ``spacy.info`` alone. The extractor uses
neither; together they were about a fifth of the start-up of ``extractor extract one.txt``.
Both deferrals keep the libraries whole: the first attribute asked of ``underthesea`` runs
its ``__init__`` as usual, and ``spacy.info`` imports spaCy's command line when called.
A third spares joblib: underthesea reads plain pickles with it (see ``_light_joblib``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import pickle
import sys
import types
from contextlib import contextmanager
from typing import Iterator


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


class _PlainUnpickler(pickle.Unpickler):
    """The C unpickler, for pickles of plain data only (no class or function to find)."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")


def _real_joblib() -> types.ModuleType:
    if isinstance(sys.modules.get("joblib"), _JoblibStandIn):
        del sys.modules["joblib"]
    return importlib.import_module("joblib")


class _JoblibStandIn(types.ModuleType):
    """``joblib`` as underthesea's modules see it: ``load`` reads a plain, uncompressed
    pickle with the C unpickler; anything else (a compressed file, numpy arrays, any other
    attribute) goes to the real joblib, imported then."""

    @staticmethod
    def load(filename, *args, **kwargs):
        if not args and not kwargs and isinstance(filename, str):
            try:
                with open(filename, "rb") as f:
                    return _PlainUnpickler(f).load()
            except Exception:  # not a plain pickle: joblib reads it, or says why not
                pass
        return _real_joblib().load(filename, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(_real_joblib(), name)


@contextmanager
def _light_joblib() -> Iterator[None]:
    """While underthesea's modules are imported, ``import joblib`` gives the stand-in.

    underthesea reads its normalization table and its CRFs' feature lists and dictionaries
    with ``joblib.load``: plain pickles (a dict, lists, a set of 72 547 words), which joblib
    reads with the pure-Python unpickler (0.2 s per dictionary) after importing itself and
    numpy's parallel machinery (0.3 s). The C unpickler reads the same stream into the same
    objects."""
    if "joblib" in sys.modules:
        yield
        return
    sys.modules["joblib"] = _JoblibStandIn("joblib")
    try:
        yield
    finally:
        if isinstance(sys.modules.get("joblib"), _JoblibStandIn):
            del sys.modules["joblib"]


# underthesea's modules that read a file with ``joblib.load`` when imported or called.
_JOBLIB_READERS = ("underthesea.pipeline.text_normalize.text_normalizer",
                   "underthesea.models.fast_crf_sequence_tagger")  # fmt: skip


class _LightJoblibLoader(importlib.abc.Loader):
    """The module's own loader, run with the light ``joblib`` in ``sys.modules``."""

    def __init__(self, loader: importlib.abc.Loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        with _light_joblib():
            self.loader.exec_module(module)

    def __getattr__(self, name: str):  # get_source and the like, for tracebacks
        return getattr(self.loader, name)


class _LightJoblibFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in _JOBLIB_READERS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _LightJoblibLoader(spec.loader)
        return spec


def defer_joblib() -> None:
    """underthesea's modules that read files with joblib get the light stand-in instead
    (see ``_light_joblib``). Does nothing once they are imported."""
    if any(name in sys.modules for name in _JOBLIB_READERS):
        return
    if not any(isinstance(f, _LightJoblibFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LightJoblibFinder())


def defer() -> None:
    """The deferrals (called when the ``extractor`` package is imported)."""
    defer_underthesea()
    defer_spacy_cli()
    defer_joblib()
