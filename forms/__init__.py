"""What a dispositif asks and what counts as valid: pure form semantics, no I/O."""

from forms.cases import run_cases
from forms.checks import check_form
from forms.definition import CasDeTest, Form, Page, Piece
from forms.evaluation import PieceRequest, Situation, evaluate
from forms.fields import AnyField
from forms.rules import Rules, compile_rules
from forms.validation import ValidationResult, validate

__all__ = [
    "AnyField", "CasDeTest", "Form", "Page", "Piece", "PieceRequest", "Rules", "Situation", "ValidationResult",
    "check_form", "compile_rules", "evaluate", "run_cases", "validate",
]  # fmt: skip
