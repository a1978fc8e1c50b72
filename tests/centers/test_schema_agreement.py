"""The compiled schema check (fastjsonschema) and jsonschema agree on every document: the loader trusts the
compiled check's "conforms" and asks jsonschema for the errors only when it says no."""

import copy
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centers.structure_format import validation
from centers.structure_format.parsing import read_file

from ..conftest import FIXTURES

DOCUMENT = read_file(Path(FIXTURES) / "lejre.yaml").data
FULL = jsonschema.Draft202012Validator(validation.schema())


def paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*path, index))


PATHS = [path for path in paths(DOCUMENT) if path]
REPLACEMENTS = (
    None,
    True,
    0,
    1.5,
    -1,
    "",
    "X Y",
    "æ" * 301,
    "2014-13-45",
    "ny-nøgle",
    [],
    ["a", "a"],
    {},
    {"ukendt": 1},
)


def conforms_compiled(data) -> bool:
    try:
        validation._conforms()(data)
    except validation.fastjsonschema.JsonSchemaException:
        return False
    return True


def test_a_fixture_conforms_to_both():
    assert FULL.is_valid(DOCUMENT)
    assert conforms_compiled(DOCUMENT)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(("replace", "delete", "add"))),
        min_size=1,
        max_size=3,
    ),
    replacement=st.sampled_from(REPLACEMENTS),
)
def test_both_validators_agree_on_mutated_documents(changes, replacement):
    data = copy.deepcopy(DOCUMENT)
    for path, change in changes:
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            last = path[-1]
            if change == "replace":
                parent[last] = copy.deepcopy(replacement)
            elif change == "delete":
                del parent[last]
            elif isinstance(parent, dict):
                parent[f"{last}-ekstra"] = copy.deepcopy(replacement)
            else:
                parent.append(copy.deepcopy(replacement))
        except (KeyError, IndexError, TypeError):
            continue
    assert conforms_compiled(data) == FULL.is_valid(data)


@pytest.mark.parametrize("value", [1.0, True, "7", 10**20])
def test_both_validators_agree_on_numbers(value):
    data = copy.deepcopy(DOCUMENT)
    data["municipality"]["kommunekode"] = value
    assert conforms_compiled(data) == FULL.is_valid(data)
