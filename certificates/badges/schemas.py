"""The Open Badges 3.0 JSON Schemas, vendored in schemas/ (see schemas/README.md)."""

import functools
import json
from pathlib import Path

from jsonschema import Draft201909Validator

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@functools.cache
def validator(name: str) -> Draft201909Validator:
    """`achievementcredential` or `profile`: a validator built once per process."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    # Formats too (`date-time` of validFrom…), as far as jsonschema's checkers go.
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(name: str, document) -> list[str]:
    """Where `document` breaks the schema (JSON paths), empty when it conforms."""
    return [error.json_path for error in validator(name).iter_errors(document)]
