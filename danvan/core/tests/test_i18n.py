"""The Vietnamese catalogue is complete, and the extractor really finds the strings."""

from pathlib import Path

from django.conf import settings

from danvan.core.i18n_catalogue import extract_messages, missing_translations
from danvan.core.text import fold_text, normalize_text

PO = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"


def test_the_extractor_finds_python_template_and_block_strings():
    msgids = extract_messages([Path(settings.BASE_DIR) / "danvan"])
    assert "People's Committee" in msgids  # gettext_lazy in a model's choices
    assert "Sign in" in msgids  # {% translate %}
    assert "Hello, %(name)s" in msgids  # {% blocktranslate with %}


def test_every_string_has_a_vietnamese_translation():
    msgids = extract_messages([Path(settings.BASE_DIR) / "danvan"])
    missing = missing_translations(PO, msgids)
    assert not missing, (
        f"{len(missing)} untranslated: run `manage.py sync_catalogues`, translate, "
        f"then `manage.py compile_catalogues`: {missing[:10]}"
    )


def test_it_folds_vietnamese_text_for_search():
    assert fold_text("ĐẤT ĐAI") == fold_text("đất đai") == fold_text("dat dai") == "dat dai"
    assert fold_text("  Phường   Vị Thanh ") == "phuong vi thanh"
    decomposed = "Ho\u0302\u0300"  # "Hồ" typed with combining marks
    assert normalize_text(decomposed) == "Hồ"
    assert fold_text(None) == normalize_text(None) == ""


def test_the_extractor_reads_plural_blocks_and_underscore_arguments():
    from danvan.core.i18n_catalogue import extract_entries

    entries = extract_entries([Path(settings.BASE_DIR) / "danvan"])
    assert entries["%(n)s task"] == "%(n)s tasks"
    assert "Overdue" in entries  # {% include … with heading=_("Overdue") %}
