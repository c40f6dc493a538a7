"""The --fields mini-language, by example."""

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.field_dsl import parse_field, parse_fields
from csvimport_scaffold.spec import make_feature_spec


def test_a_plain_required_text_field():
    field, is_key = parse_field("name:string:required,max=100")
    assert (field.name, field.type, field.required, field.max) == ("name", "string", True, 100)
    assert field.label == "Name" and field.trim and not is_key


def test_fields_are_required_unless_optional_or_defaulted():
    age, _ = parse_field("age:int:optional,min=0")
    role, _ = parse_field("role:enum(admin|member):default=member")
    assert not age.required and age.min == 0
    assert not role.required and role.default == "member" and role.values == ("admin", "member")


def test_the_key_rule_marks_the_row_identifier():
    fields, keys = parse_fields(["name:string", "email:email:unique,key"])
    assert keys == ["email"]
    assert make_feature_spec("user", fields, key_flags=keys).key == "email"


def test_without_key_a_unique_email_identifies_rows_else_the_first_field():
    with_email, _ = parse_fields(["name:string", "email:email:unique"])
    without, _ = parse_fields(["name:string", "age:int"])
    assert make_feature_spec("user", with_email).key == "email"
    assert make_feature_spec("user", without).key == "name"


def test_commas_inside_a_regex_do_not_split_rules():
    field, _ = parse_field(r"code:string:regex=^[A-Z]{2,4}-\d{3}$,unique")
    assert field.regex == r"^[A-Z]{2,4}-\d{3}$" and field.unique


def test_aliases_accumulate_and_may_contain_spaces():
    field, _ = parse_field("joinedOn:date:optional,alias=Joined On,alias=Start date")
    assert field.aliases == ("Joined On", "Start date")
    assert field.label == "Joined on"


def test_dates_bounds_are_real_dates():
    field, _ = parse_field("startsOn:date:min=2024-01-01,max=2024-12-31")
    assert (field.min, field.max) == ("2024-01-01", "2024-12-31")
    with pytest.raises(UsageError, match="not a real date"):
        parse_field("startsOn:date:min=2024-02-30")


def test_trim_is_on_by_default_and_can_be_switched_off():
    assert parse_field("note:string")[0].trim
    assert not parse_field("note:string:trim=false")[0].trim


def test_batch_size_defaults_to_the_provider_bind_limit_over_columns_capped():
    fields, _ = parse_fields([f"c{i}:string" for i in range(40)])
    assert make_feature_spec("wide", fields, provider="sqlite").batch_size == 32_766 // 40
    narrow, _ = parse_fields(["a:string", "b:int"])
    assert make_feature_spec("narrow", narrow, provider="postgresql").batch_size == 1_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name:strng",
            "unknown type 'strng' in field 'name:strng' (expected one of: string, email,",
        ),
        ("name", "missing type in field 'name'"),
        ("Name:string", "invalid field name 'Name'"),
        ("age:int:min=abc", "min value 'abc' in field 'age:int:min=abc' is not a whole number"),
        ("age:int:min=5,max=1", "min 5 is greater than max 1"),
        ("ok:boolean:min=1", "rule 'min' does not apply to type boolean"),
        ("age:int:required,optional", "rules 'required' and 'optional' conflict"),
        ("age:int:required,default=3", "rule 'default' conflicts with 'required'"),
        (
            "role:enum(a|b):default=c",
            "default 'c' in field 'role:enum(a|b):default=c' is not one of: a, b",
        ),
        ("code:string:regex=a\nb", "holds a line break"),
        ("code:string:regex=(?i:abc)", "inline flags"),
        ("age:int:regex=\\d+", "rule 'regex' does not apply to type int"),
        ("name:string:colour=red", "unknown rule 'colour'"),
        ("name:string:max=1,max=2", "rule 'max' given twice"),
        ("role:enum()", "empty enum value"),
        ("role:enum(a|b", "unclosed enum("),
        ("line:string", "field name 'line' is reserved"),
        ("n:int:lowercase", "rule 'lowercase' does not apply to type int"),
        ("name:string:unique=maybe", "rule 'unique' takes true or false"),
        ("name:string:max=", "rule 'max' needs a value"),
    ],
)
def test_mistakes_name_the_bad_token(text, message):
    with pytest.raises(UsageError) as caught:
        parse_field(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
