"""The downloads that are built only on click (Streamlit's deferred download buttons), fetched in a real
browser: an exercise's notebook, the trained model of a finished result, the learner's progress file."""
from __future__ import annotations

import json
import zipfile

import nbformat
import pytest

from tests.browser import open_page, wait_idle
from tutorial import notebook
from tutorial.chapters import by_number

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _download(page, label: str, tmp_path):
    with page.expect_download(timeout=120_000) as caught:
        page.get_by_role("button", name=label).first.click()
    target = tmp_path / caught.value.suggested_filename
    caught.value.save_as(target)
    return target


def test_exercise_notebook_and_model_download(app_url, desktop_page, tmp_path):
    page, entry = desktop_page, by_number(7)
    open_page(page, app_url, entry)
    path = _download(page, "Als Notebook herunterladen", tmp_path)
    assert path.name == "ex_06_sigmoid.ipynb"            # chapter 7 starts from chapter 6's sigmoid network
    node = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(node)
    assert [c.source for c in node.cells if c.cell_type == "code"][0] == notebook.settings_code(10, 60000)

    skip = page.get_by_role("button", name="Ohne Vermutung weiter")
    if skip.count():
        skip.first.click()
        wait_idle(page, entry.page_title)
    page.get_by_role("button", name="Fertiges Ergebnis ansehen").first.click()
    page.get_by_text("Modell herunterladen").first.wait_for(timeout=120_000)
    path = _download(page, "Modell herunterladen", tmp_path)
    assert path.name == "ex_06_sigmoid.keras"
    with zipfile.ZipFile(path) as archive:                 # a .keras file: config, metadata and weights
        assert {"config.json", "metadata.json"} <= set(archive.namelist())


def test_progress_file_download(app_url, desktop_page, tmp_path):
    page = desktop_page
    open_page(page, app_url, by_number(1))
    page.get_by_text("Fortschritt als Datei sichern oder laden").first.click()
    path = _download(page, "Fortschritt herunterladen", tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["app"] == "deep-learning-ohne-doktortitel" and "ch01" in data["visited"]
