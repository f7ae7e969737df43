"""The HSDS 3.1 JSON schemas (hsds_schemas/, Open Referral, CC BY-SA 4.0) as validators: every `$ref` names a
sibling file, resolved from a local registry (nothing fetched), and formats (uuid, date-time, uri, email) checked."""
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schemas"
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")
FORMATS = FormatChecker()


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    return Registry().with_resources(
        (path.name, Resource.from_contents(_schema(path.name), default_specification=DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json") if path.name != "openapi.json")


@cache
def validator(object_name: str) -> Draft202012Validator:
    """A validator of one HSDS object ("service", "organization", "service_at_location"...)."""
    return Draft202012Validator(_schema(f"{object_name}.json"), registry=registry(), format_checker=FORMATS)


@cache
def page_validator(object_name: str) -> Draft202012Validator:
    """A page of the API reference (its Page schema, every field required) whose contents are `object_name`s."""
    page = _schema("openapi.json")["components"]["schemas"]["Page"]
    schema = {**page, "required": list(PAGE_FIELDS),
              "properties": {**page["properties"], "contents": {"type": "array",
                                                                "items": {"$ref": f"{object_name}.json"}}}}
    return Draft202012Validator(schema, registry=registry(), format_checker=FORMATS)


def errors_of(validating: Draft202012Validator, payload: Any) -> list[str]:
    """Every validation error, with where it is, for a readable assertion."""
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validating.iter_errors(payload)]
