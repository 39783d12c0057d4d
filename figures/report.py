"""Problems written for tools: JSON for scripts, GitHub workflow commands for pull requests.

The text form (``PATH:LINE: message``) is :class:`figures.model.Problem`'s own;
these are the forms a newsroom's CI reads.
"""

from __future__ import annotations

from figures.model import Catalogue, Problem


def failed(catalogue: Catalogue, strict: bool = False) -> bool:
    """True when the check fails: any problem, or with ``strict`` any warning too."""
    return bool(catalogue.problems or (strict and catalogue.warnings))


def reported(catalogue: Catalogue) -> list[Problem]:
    """Every problem, then every warning (checks against archived texts), each in file and line order."""
    return [*catalogue.problems, *catalogue.warnings]


def unquoted(catalogue: Catalogue) -> list[tuple[str, int, str]]:
    """``(file, line, reason)`` of each claim excused from the number check, for editors to read."""
    return [(f.path or catalogue.path, c.line_of("unquoted_value"), c.unquoted_value)
            for f in catalogue.figures for c in f.claims if c.unquoted_value]


def as_text(catalogue: Catalogue) -> list[str]:
    """``PATH:LINE: message`` per problem, ``PATH:LINE: warning: message`` per warning, and the editors' notes."""
    lines = [str(p) for p in catalogue.problems]
    lines += [f"{p.path}:{p.line}: warning: {p.message}" for p in catalogue.warnings]
    lines += [f"{path}:{line}: note: the value is not matched against the quote: {reason}" for path, line, reason in unquoted(catalogue)]
    return lines


def as_json(catalogue: Catalogue, strict: bool = False) -> dict:
    """The check's result as one JSON object: counts, then every problem and warning with its code, field, file and line."""
    return {
        "path": catalogue.path,
        "ok": not failed(catalogue, strict),
        "strict": strict,
        "figures": len(catalogue.figures),
        "claims": catalogue.claim_count,
        "problems": [
            {"code": p.code, "field": p.field, "path": p.path, "line": p.line, "message": p.message,
             "severity": "error" if strict else p.severity}
            for p in reported(catalogue)
        ],
    }


def github_annotations(catalogue: Catalogue, strict: bool = False) -> list[str]:
    """One ``::error file=…,line=…,title=…::message`` line per problem (``::warning`` per warning), as GitHub Actions reads them.

    With ``strict`` warnings are errors. Values are escaped as the workflow-command
    format asks (``%``, CR and LF in the message; also ``:`` and ``,`` in
    properties), so no catalogue text can end an annotation early or start another command.
    """
    return [_annotation(p, "error" if strict else p.severity) for p in reported(catalogue)]


def _annotation(problem: Problem, level: str = "error") -> str:
    properties = f"file={_property(problem.path)},line={problem.line},title={_property(problem.code)}"
    return f"::{level} {properties}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
