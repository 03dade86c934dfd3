"""The load-time checks of a form, all at once: ids, references, values, wording, and every expression."""

from forms.checks.references import check_identifiers, check_lists, check_references
from forms.checks.values import check_values
from forms.checks.wording import check_choices, check_wording
from forms.definition import Form
from forms.problems import Loc, Problem
from forms.rules import Rules, compile_rules


def check_form(form: Form, *, agent_fields: tuple[tuple[Loc, str], ...] = ()) -> tuple[Rules, list[Problem]]:
    """Every problem of the form and its compiled rules; ``agent_fields`` share the id namespace (I003)."""
    problems: list[Problem] = [
        *check_identifiers(form, agent_fields),
        *check_lists(form),
        *check_references(form),
        *check_values(form),
        *check_wording(form),
        *check_choices(form),
    ]
    rules, expression_problems = compile_rules(form)
    problems.extend(expression_problems)
    return rules, problems


__all__ = ["check_form"]
