"""The README's settings table is generated from the Settings model; this keeps the two in step."""

from streams.settings import Settings
from tests.support.paths import ROOT


def test_readme_settings_table_matches_the_settings_model():
    assert Settings.markdown_table() in (ROOT / "README.md").read_text(), \
        "README settings table is stale: paste the output of `wirestream settings --markdown`"


def test_every_setting_is_documented():
    for name, info in Settings.model_fields.items():
        assert info.description, f"setting {name} has no description"
