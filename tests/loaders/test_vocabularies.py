"""Every fixed list of values has one source, ``data_loaders/vocabularies.py``: the models read it,
and the schema's CHECK lists and the SQL that names the values are held to it here, exactly."""

from __future__ import annotations

import re
from typing import Literal, get_args, get_origin

from data_loaders import vocabularies
from data_loaders.build import SCHEMA
from data_loaders.tables import TABLES
from metrics.query import SQL_DIR

_TABLE = re.compile(r"CREATE TABLE (\w+) \((.*?)\n\);", re.DOTALL)
_CHECK_IN = re.compile(r"CHECK \((\w+) IN \(([^)]*)\)\)")


def _quoted(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([^']*)'", text))


def _schema_checks() -> dict[tuple[str, str], tuple[str, ...]]:
    found = {}
    for table, body in _TABLE.findall(SCHEMA.read_text(encoding="utf-8")):
        for column, values in _CHECK_IN.findall(body):
            found[(table, column)] = _quoted(values)
    return found


def _literal(annotation) -> tuple[str, ...] | None:
    for member in (annotation, *get_args(annotation)):
        if get_origin(member) is Literal:
            return get_args(member)
    return None


def test_every_check_list_of_the_schema_is_a_vocabulary():
    assert _schema_checks() == vocabularies.CHECKED


def test_money_check_is_the_vocabulary():
    schema = SCHEMA.read_text(encoding="utf-8")
    (money,) = re.findall(r"CHECK \(\(measure IN \(([^)]*)\)\) = \(unit = 'EUR'\)\)", schema)
    assert _quoted(money) == vocabularies.MONEY


def test_every_model_reads_the_vocabulary_of_its_column():
    literals = {}
    for table, spec in TABLES.items():
        for name, field in spec.model.model_fields.items():
            values = _literal(field.annotation)
            if values is not None:
                literals[(table, name)] = values
    checked = {key: values for key, values in vocabularies.CHECKED.items() if key[0] in TABLES}
    assert literals == checked | vocabularies.MODELS_ONLY


def test_the_sql_names_the_staff_roles_of_the_vocabulary():
    staffing = (SQL_DIR / "staffing_fte_by_school.sql").read_text(encoding="utf-8")
    (roles,) = re.findall(r"roles \(role, role_order\) AS \(\s*VALUES (.*?)\n\)", staffing, re.DOTALL)
    pairs = re.findall(r"\('(\w+)', (\d+)\)", roles)
    assert tuple(role for role, _ in pairs) == vocabularies.STAFF_ROLES
    assert [int(order) for _, order in pairs] == list(range(1, len(pairs) + 1))

    compare = (SQL_DIR / "compare_municipalities.sql").read_text(encoding="utf-8")
    (norm,) = re.findall(r"st\.role IN \(([^)]*)\)", compare)
    assert _quoted(norm) == vocabularies.NORM_ROLES


def test_the_seed_converter_maps_onto_the_vocabularies():
    from devtools import seed_convert as seed

    assert tuple(seed.ROLES.values()) == vocabularies.STAFF_ROLES
    maps = {
        vocabularies.SCHOOL_TYPES: seed.SCHOOL_TYPES.values(),
        vocabularies.SECTORS: seed.SECTORS.values(),
        vocabularies.RISK_GROUPS: seed.RISK_GROUPS.values(),
        vocabularies.SUB_RISKS: seed.SUB_RISKS.values(),
        vocabularies.OUTCOME_LEVELS: seed.LEVELS.values(),
        vocabularies.EXAM_SUBJECTS: seed.SUBJECTS.values(),
        vocabularies.OUTCOME_UNITS: seed.UNITS.values(),
        vocabularies.PREVENTION_LEVELS: seed.PREVENTION_LEVELS.values(),
        vocabularies.INDICATOR_BREAKDOWNS: seed.BREAKDOWNS.values(),
        vocabularies.DESIRED_TRENDS: seed.TRENDS.values(),
        vocabularies.SUPPORT_ITEMS: [item for _, item in seed.PUMPURS_SUPPORT.values()],
    }
    for vocabulary, mapped in maps.items():
        assert set(mapped) <= set(vocabulary), set(mapped) - set(vocabulary)
