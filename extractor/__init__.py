"""Directive extraction from Vietnamese meeting conclusions.

>>> from extractor import extract
>>> doc = extract(text="Giao Bộ Tài chính chủ trì ...")
"""

from __future__ import annotations

from . import lazy_imports

__version__ = "0.1.0"

lazy_imports.defer()  # lighter imports of underthesea and spaCy (see the module)

# Extraction modes: the rules alone, the trained model alone, or both combined.
MODES = ("rules", "model", "hybrid")
DEFAULT_MODE = "hybrid"

__all__ = ["DEFAULT_MODE", "MODES", "__version__", "extract", "extract_file", "extract_texts",
           "read_file", "visualize"]  # fmt: skip


def __getattr__(name):
    # Lazy: importing the package must not load spaCy and underthesea models.
    if name in ("extract", "extract_file", "extract_text", "extract_texts", "read_file"):
        from . import api

        return getattr(api, name)
    if name == "visualize":
        from .visualization import visualize

        return visualize
    raise AttributeError(name)
