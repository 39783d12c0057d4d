"""Problems written for tools: JSON for scripts, GitHub workflow commands for pull requests.

The text form (``PATH:LINE: message``) is :class:`figures.model.Problem`'s own;
these are the forms a newsroom's CI reads.
"""

from __future__ import annotations

from figures.model import Catalogue, Problem


def as_json(catalogue: Catalogue) -> dict:
    """The check's result as one JSON object: counts, then every problem with its code, field, file and line."""
    return {
        "path": catalogue.path,
        "ok": catalogue.ok,
        "figures": len(catalogue.figures),
        "claims": catalogue.claim_count,
        "problems": [
            {"code": p.code, "field": p.field, "path": p.path, "line": p.line, "message": p.message}
            for p in catalogue.problems
        ],
    }


def github_annotations(catalogue: Catalogue) -> list[str]:
    """One ``::error file=…,line=…,title=…::message`` line per problem, as GitHub Actions reads them.

    Values are escaped as the workflow-command format asks (``%``, CR and LF in
    the message; also ``:`` and ``,`` in properties), so no catalogue text can
    end an annotation early or start another command.
    """
    return [_annotation(p) for p in catalogue.problems]


def _annotation(problem: Problem) -> str:
    properties = f"file={_property(problem.path)},line={problem.line},title={_property(problem.code)}"
    return f"::error {properties}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
