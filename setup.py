"""Build hook: the trained pipeline ships inside the wheel.

Everything else is declared in ``setup.cfg``. The repository's ``models/directives``
(where ``extractor train`` writes, and what the tests check against the corpus) is
copied, file for file, to ``extractor/trained/directives`` in the built package, where
:func:`extractor.resources.trained_pipeline_path` finds it. An editable install reads
``models/`` in the checkout instead, so nothing is copied there.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL = Path(__file__).resolve().parent / "models" / "directives"
TARGET = ("extractor", "trained", "directives")


class BuildWithModel(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (MODEL / "meta.json").is_file():
            raise SystemExit(f"no trained pipeline at {MODEL}: run 'extractor train' first")
        target = Path(self.build_lib, *TARGET)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(MODEL, target)


setup(cmdclass={"build_py": BuildWithModel})
