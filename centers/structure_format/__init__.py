"""The structure format (orgmodel/1), owned here whole: parsing with line numbers, validation against the JSON
Schema and the domain rules, loading in one transaction, canonical export. Apps that own part of the document
(governance) register a section in `centers.extensions`.
"""

from .exporting import export
from .loading import (
    MunicipalityExists,
    add_versions,
    check_documents,
    load,
    load_all,
    lock_for_new_trees,
    nested_sets,
)
from .parsing import (
    FORMAT,
    MAX_NESTING,
    MAX_REPORTED_ERRORS,
    Document,
    NodePath,
    StructureError,
    StructureInvalid,
    document_text,
    dump,
    format_date,
    format_path,
    parse_date,
    parse_text,
    read_file,
    stored_text,
)
from .sections import LoadContext, SectionExport, StructureSection
from .validation import SCHEMA_PATH, Checker, schema, validate

__all__ = [
    "FORMAT",
    "MAX_NESTING",
    "MAX_REPORTED_ERRORS",
    "SCHEMA_PATH",
    "Checker",
    "Document",
    "LoadContext",
    "MunicipalityExists",
    "NodePath",
    "SectionExport",
    "StructureError",
    "StructureInvalid",
    "StructureSection",
    "add_versions",
    "check_documents",
    "document_text",
    "dump",
    "export",
    "format_date",
    "format_path",
    "load",
    "load_all",
    "lock_for_new_trees",
    "nested_sets",
    "parse_date",
    "parse_text",
    "read_file",
    "schema",
    "stored_text",
    "validate",
]
