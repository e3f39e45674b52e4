"""What an install gets: dependencies and extras, the trained pipeline's location, the
license and type marker. `.ci/run` also builds the wheel and runs it away from the source
tree (`.ci/wheel`)."""

from __future__ import annotations

import configparser
import re
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement

from extractor import resources
from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
WEB = {"fastapi", "uvicorn", "python-multipart"}


def _setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg


def _requirements(value: str) -> list[Requirement]:
    return [Requirement(line) for line in value.splitlines()
            if line.strip() and not line.strip().startswith("#")]  # fmt: skip


def test_the_web_app_is_an_extra():
    cfg = _setup_cfg()
    core = {r.name for r in _requirements(cfg["options"]["install_requires"])}
    assert not core & WEB, "a plain `pip install .` must not install the web app"
    web = {r.name for r in _requirements(cfg["options.extras_require"]["web"])}
    assert web == WEB
    test = _requirements(cfg["options.extras_require"]["test"])
    assert any(r.name == "vn-directive-extractor" and r.extras == {"web"} for r in test)


def test_installed_versions_are_inside_the_declared_ranges():
    # The ranges the tests cover: CI installs the newest release each range allows.
    for req in _requirements(_setup_cfg()["options"]["install_requires"]):
        version = metadata.version(req.name)
        assert req.specifier.contains(version, prereleases=True), (req, version)
    pins = [r for r in _requirements(_setup_cfg()["options"]["install_requires"])
            if any(s.operator == "==" for s in r.specifier)]  # fmt: skip
    assert not pins, f"exact pins: {pins}"


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "fastapi" else real(name, *a))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "needs fastapi" in lines[0] and "-m pip install 'fastapi>=" in lines[0]
    assert "uvicorn" in lines[0] and "python-multipart" in lines[0]


def test_the_trained_pipeline_is_the_checkouts_models_folder(monkeypatch):
    monkeypatch.delenv("EXTRACTOR_MODELS", raising=False)
    assert resources.trained_pipeline_path() == ROOT / "models" / "directives"


def test_an_installed_copy_is_found_inside_the_package(monkeypatch, tmp_path):
    monkeypatch.delenv("EXTRACTOR_MODELS", raising=False)
    shipped = tmp_path / "extractor" / resources.TRAINED_DIR / "directives"
    shipped.mkdir(parents=True)
    (shipped / "meta.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(resources.resources, "files", lambda package: tmp_path / "extractor")
    assert resources.trained_pipeline_path() == shipped
    # $EXTRACTOR_MODELS still wins, as it does for training.
    monkeypatch.setenv("EXTRACTOR_MODELS", str(tmp_path / "elsewhere"))
    assert resources.trained_pipeline_path() == tmp_path / "elsewhere" / "directives"


def test_setup_py_copies_the_models_folder_into_the_package():
    text = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert 'SHIPPED = ("directives", "sectors")' in text
    assert f'"extractor", "{resources.TRAINED_DIR}", name' in text
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    assert "graft models/directives" in manifest and "graft models/sectors" in manifest


def test_license_and_type_marker_ship():
    cfg = _setup_cfg()
    assert cfg["metadata"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert (ROOT / "extractor" / "py.typed").exists()
    assert "py.typed" in cfg["options.package_data"]["extractor"]


@pytest.mark.parametrize("name", ["api.py", "schema.py"])
def test_mypy_checks_the_public_api_strictly(name):
    cfg = _setup_cfg()
    assert f"extractor/{name}" in re.split(r"[,\s]+", cfg["mypy"]["files"])
    assert cfg["mypy"]["strict"] == "True"


def test_training_outside_a_checkout_says_why(monkeypatch, tmp_path):
    import extractor.corpus

    monkeypatch.setattr(extractor.corpus, "CORPUS_DIR", tmp_path / "corpus")
    result = CliRunner().invoke(main, ["train", "--output", str(tmp_path / "m")])
    assert result.exit_code == 1 and "training needs a source checkout" in result.output
    assert not (tmp_path / "m").exists()


def test_the_batch_api_is_exported_at_the_top():
    import extractor
    from extractor import api

    assert extractor.extract_texts is api.extract_texts and extractor.read_file is api.read_file
