"""Build hook: the trained pipeline ships inside the wheel.

Everything else is declared in ``setup.cfg``. The repository's ``models/directives`` and
``models/sectors`` (where ``extractor train`` writes, and what the tests check against the
corpus) are copied, file for file, to ``extractor/trained/<name>`` in the built package,
where :func:`extractor.resources.trained_path` finds them. An editable install reads
``models/`` in the checkout instead, so nothing is copied there.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODELS = Path(__file__).resolve().parent / "models"
SHIPPED = ("directives", "sectors")


class BuildWithModel(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            model = MODELS / name
            if not (model / "meta.json").is_file():
                raise SystemExit(f"no trained pipeline at {model}: run 'extractor train' first")
            target = Path(self.build_lib, "extractor", "trained", name)
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(model, target)


setup(cmdclass={"build_py": BuildWithModel})
