"""Each piece of knowledge lives in one place, and what repeats it for readers (the README, the
copier template's questions) is held to that place."""

import re
from pathlib import Path

import yaml

from csvimport_scaffold.config import PROJECT_ANSWERS
from csvimport_scaffold.field_rules import FIELD_RULES, FIELD_TYPES
from csvimport_scaffold.spec import SETTINGS, Field
from csvimport_scaffold.ui_kit_detection import KNOWN_COMPONENTS, UI_KIT_ANSWERS, UI_KITS

REPO = Path(__file__).resolve().parents[1]
COPIER_YML = REPO / "templates" / "copier.yml"


def readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text()
    start = text.index(f"### {title}\n")
    end = text.index("\n### ", start + 1)
    return text[start:end]


def test_the_readme_lists_the_rules_of_the_rule_table():
    section = readme_section("Field DSL")
    listed = re.findall(r"^  - `([^`]+)`: (.+)$", section, re.M)
    assert listed == [(rule.spelling, rule.help) for rule in FIELD_RULES]


def test_the_readme_lists_the_field_types():
    types_line = next(
        line for line in readme_section("Field DSL").splitlines() if line.startswith("- types:")
    )
    listed = [name.removesuffix("(a|b|c)") for name in re.findall(r"`([^`]+)`", types_line)]
    assert listed == list(FIELD_TYPES)


def test_the_rules_set_the_attributes_recorded_for_a_field():
    set_by_rules = {rule.attribute for rule in FIELD_RULES if rule.attribute}
    assert set_by_rules | {"name", "type", "values"} == set(Field.__dataclass_fields__)


def test_the_template_asks_for_the_settings_of_the_feature_model():
    questions = yaml.safe_load(COPIER_YML.read_text())
    recorded = {
        name
        for name, question in questions.items()
        if not name.startswith("_") and question.get("when") is not False
    }
    feature_questions = {
        name for name in recorded if "kind == 'feature'" in str(questions[name].get("when"))
    }
    project_questions = {name for name in recorded if "when" not in questions[name]} - {"kind"}
    assert feature_questions == set(SETTINGS)
    assert project_questions == set(PROJECT_ANSWERS)


def test_the_template_offers_the_ui_kits_detection_knows():
    questions = yaml.safe_load(COPIER_YML.read_text())
    assert tuple(questions["ui_kit"]["choices"]) == UI_KITS
    assert {name for name in questions if name.startswith("ui_")} == set(UI_KIT_ANSWERS)


def test_the_readme_lists_the_shadcn_components_detection_knows():
    row = next(
        line
        for line in (REPO / "README.md").read_text().splitlines()
        if line.startswith("| shadcn/ui: a `components.json`")
    )
    listed = re.search(r"where it has them \(([^)]*)\)", row).group(1)
    assert tuple(listed.split(", ")) == KNOWN_COMPONENTS
