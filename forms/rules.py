"""Compile every expression of a form once, at load time, into ``Rules``; report what does not compile.

Besides each expression's own errors this checks what needs the whole form: an expression may only read what is
known when it runs (E007: a condition cannot look at a later answer) and calculs must not depend on themselves
(E008)."""

import re
from dataclasses import dataclass, field as dc_field
from datetime import date
from functools import cached_property

from forms.definition import Arret, Form
from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    Expression,
    ExpressionError,
    ExpressionErrors,
    Scope,
    Type,
    compile_expression,
)
from forms.fields import AnyField, BlocRepetable, ChampSimple, Date, Explication
from forms.problems import AVERTISSEMENT, ERREUR, Loc, Problem
from forms.scope import VALUE_TYPES, form_scope

Position = tuple[int, int]
"""(page index, order of the field in the page walk): an expression at P may read what stands before P."""
_END = 10**6


@dataclass
class Rules:
    """Every compiled expression of a form, by what it governs."""

    form: Form
    scope: Scope
    page_visible: dict[str, Expression] = dc_field(default_factory=dict)
    field_visible: dict[str, Expression] = dc_field(default_factory=dict)
    field_required: dict[str, Expression] = dc_field(default_factory=dict)
    field_rules: dict[str, list[tuple[Expression, str]]] = dc_field(default_factory=dict)
    date_bounds: dict[str, tuple[Expression | None, Expression | None]] = dc_field(default_factory=dict)
    arrets: dict[str, list[tuple[Arret, Expression]]] = dc_field(default_factory=dict)
    calculs: list[tuple[str, Expression]] = dc_field(default_factory=list)
    """In dependency order."""
    piece_visible: dict[str, Expression] = dc_field(default_factory=dict)
    piece_required: dict[str, Expression] = dc_field(default_factory=dict)
    piece_year: dict[str, Expression] = dc_field(default_factory=dict)
    piece_range: dict[str, tuple[Expression | None, Expression | None]] = dc_field(default_factory=dict)
    option_visible: dict[tuple[str, str], Expression] = dc_field(default_factory=dict)
    field_ids: tuple[str, ...] = dc_field(init=False)
    """Every field's id in page order, blocks' sub-fields included (a walk blanks the hidden ones)."""

    def __post_init__(self) -> None:
        self.field_ids = tuple(field.id for field, _, _ in self.form.walk_fields())

    @cached_property
    def conditional_lists(self) -> frozenset[str]:
        """The lists with an option shown only under a condition (asked once compiled: ``compile_rules`` fills
        ``option_visible`` after building the rules)."""
        return frozenset(liste for liste, _ in self.option_visible)


@dataclass
class _Compiler:
    form: Form
    scope: Scope
    problems: list[Problem] = dc_field(default_factory=list)
    positions: dict[str, Position] = dc_field(default_factory=dict)
    calcul_deps: dict[str, frozenset[str]] = dc_field(default_factory=dict)

    def compile(
        self,
        source: str,
        loc: Loc,
        expected: Type,
        *,
        bloc: str | None = None,
        at: Position | None = None,
        ignored: tuple[str, ...] = (),
    ) -> Expression | None:
        try:
            expression = compile_expression(source, self.scope, expected=expected, bloc=bloc)
        except ExpressionErrors as failure:
            self.problems.extend(expression_problem(error, loc) for error in failure.errors)
            return None
        self.problems.extend(expression_problem(w, loc) for w in expression.warnings if w.code not in ignored)
        if at is not None:
            self._check_order(expression, loc, at)
        return expression

    def _check_order(self, expression: Expression, loc: Loc, at: Position) -> None:
        for name in sorted(expression.names):
            known = self.available_at(name)
            if known is not None and known >= at:
                where = self._describe(name)
                message = (
                    f"« {name} » {where} : cette condition ne peut pas l'utiliser, car elle est évaluée avant "
                    "que l'usager y ait répondu"
                )
                self.problems.append(Problem("E007", loc, message, span=name_span(expression.source, name)))

    def _describe(self, name: str) -> str:
        if name in self.form.calculs:
            return "est un calcul qui dépend de réponses données plus loin"
        page = self.form.pages[self.positions[name][0]]
        return f"est demandé sur la page « {page.id} », ou plus loin sur la même page"

    def available_at(self, name: str, seen: frozenset[str] = frozenset()) -> Position | None:
        """When a name is known: its field's position, the latest of a calcul's inputs, None if always known."""
        if name in self.positions:
            return self.positions[name]
        if name in self.calcul_deps and name not in seen:
            known = [self.available_at(dep, seen | {name}) for dep in self.calcul_deps[name]]
            return max((k for k in known if k is not None), default=None)
        return None


def name_span(source: str, name: str) -> tuple[int, int, int] | None:
    """Where a name is read in an expression's text (line within it, start and end columns), outside strings.

    The checker knows which names an expression reads; a message about one of them points at it, not at the start
    of the expression."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
    for number, line in enumerate(source.split("\n"), start=1):
        for match in pattern.finditer(line):
            before = line[: match.start()]
            if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
                return number, match.start(), match.end()
    return None


def expression_problem(error: ExpressionError, loc: Loc) -> Problem:
    """An expression's error or warning as a problem of the element at ``loc``, pointing inside its text."""
    return Problem(
        code=error.code,
        loc=loc,
        message=error.message,
        severity=AVERTISSEMENT if error.severity == AVERTISSEMENT else ERREUR,
        suggestion=error.suggestion,
        span=(error.line, error.column, error.end_column),
    )


def compile_rules(form: Form, scope: Scope | None = None) -> tuple[Rules, list[Problem]]:
    """Compile the form's expressions; the problems say what is wrong, the rules hold what compiled."""
    scope = scope or form_scope(form)
    compiler = _Compiler(form, scope)
    order = 0
    for field, index, _ in form.walk_fields():
        compiler.positions[field.id] = (index, order)
        order += 1
    rules = Rules(form, scope)
    _compile_calculs(compiler, rules)
    _compile_pages(compiler, rules)
    _compile_pieces(compiler, rules)
    _compile_options(compiler, rules)
    return rules, compiler.problems


def _compile_calculs(compiler: _Compiler, rules: Rules) -> None:
    compiled: dict[str, Expression] = {}
    for name, calcul in compiler.form.calculs.items():
        expression = compiler.compile(
            calcul.expr, ("calculs", name, "expr"), VALUE_TYPES[calcul.type], ignored=calcul.ignorer
        )
        if expression is not None:
            compiled[name] = expression
            compiler.calcul_deps[name] = frozenset(n for n in expression.names if n in compiler.form.calculs)
    ordered, cycles = _topological(compiler.calcul_deps)
    for cycle in cycles:
        first, following = cycle[0], cycle[1]
        compiler.problems.append(
            Problem(
                "E008",
                ("calculs", first, "expr"),
                "ces calculs dépendent les uns des autres en boucle : " + " → ".join(cycle),
                span=name_span(compiler.form.calculs[first].expr, following),
            )
        )
    rules.calculs = [(name, compiled[name]) for name in ordered if name in compiled]


def _topological(deps: dict[str, frozenset[str]]) -> tuple[list[str], list[list[str]]]:
    """Calculs in an order where each comes after what it reads, and the cycles that prevent one."""
    ordered: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            start = path.index(name)
            cycles.append([*path[start:], name])
            return
        state[name] = 1
        for dep in sorted(deps.get(name, ())):
            visit(dep, [*path, name])
        state[name] = 2
        ordered.append(name)

    for name in deps:
        visit(name, [])
    return ordered, cycles


def _compile_pages(compiler: _Compiler, rules: Rules) -> None:
    form = compiler.form
    for index, page in enumerate(form.pages):
        base: Loc = ("pages", index)
        if page.visible_si:
            found = compiler.compile(
                page.visible_si, (*base, "visible_si"), BOOLEEN, at=(index, -1), ignored=page.ignorer
            )
            if found:
                rules.page_visible[page.id] = found
        for number, arret in enumerate(page.arret_si):
            loc: Loc = (*base, "arret_si", number, "si")
            found = compiler.compile(arret.si, loc, BOOLEEN, at=(index, _END), ignored=page.ignorer)
            if found:
                rules.arrets.setdefault(page.id, []).append((arret, found))
        for position, field in enumerate(page.champs):
            _compile_field(compiler, rules, field, (*base, "champs", position), None)
            if isinstance(field, BlocRepetable):
                for sub_position, sub in enumerate(field.champs):
                    _compile_field(compiler, rules, sub, (*base, "champs", position, "champs", sub_position), field.id)


def _compile_field(
    compiler: _Compiler, rules: Rules, field: AnyField | ChampSimple, loc: Loc, bloc: str | None
) -> None:
    at = compiler.positions[field.id]
    ignored = field.ignorer

    def condition(source: str | None, key: str, where: Position) -> Expression | None:
        if not source:
            return None
        return compiler.compile(source, (*loc, key), BOOLEEN, bloc=bloc, at=where, ignored=ignored)

    if found := condition(field.visible_si, "visible_si", at):
        rules.field_visible[field.id] = found
    if isinstance(field, Explication | BlocRepetable):
        return
    if found := condition(field.obligatoire_si, "obligatoire_si", at):
        rules.field_required[field.id] = found
    page_end = (at[0], _END)
    for number, regle in enumerate(field.validation):
        found = compiler.compile(
            regle.regle, (*loc, "validation", number, "regle"), BOOLEEN, bloc=bloc, at=page_end, ignored=ignored
        )
        if found:
            rules.field_rules.setdefault(field.id, []).append((found, regle.message))
    if isinstance(field, Date):
        low, high = (
            compiler.compile(bound, (*loc, key), DATE, bloc=bloc, at=at, ignored=ignored)
            if isinstance(bound, str)
            else None
            for key, bound in (("min", field.min), ("max", field.max))
        )
        if low or high:
            rules.date_bounds[field.id] = (low, high)


def _compile_pieces(compiler: _Compiler, rules: Rules) -> None:
    for index, piece in enumerate(compiler.form.pieces):
        loc: Loc = ("pieces", index)
        bloc = piece.pour_chaque if piece.pour_chaque in compiler.form.fields else None

        def compile_piece(source: str, where: Loc, expected: Type) -> Expression | None:
            return compiler.compile(source, where, expected, bloc=bloc, ignored=piece.ignorer)  # noqa: B023

        if piece.visible_si and (found := compile_piece(piece.visible_si, (*loc, "visible_si"), BOOLEEN)):
            rules.piece_visible[piece.id] = found
        if piece.obligatoire_si and (found := compile_piece(piece.obligatoire_si, (*loc, "obligatoire_si"), BOOLEEN)):
            rules.piece_required[piece.id] = found
        validite = piece.validite
        if validite and isinstance(validite.annee, str):
            if found := compile_piece(validite.annee, (*loc, "validite", "annee"), NOMBRE):
                rules.piece_year[piece.id] = found
        if validite and validite.entre:
            low, high = (
                compile_piece(bound, (*loc, "validite", "entre", n), DATE) if isinstance(bound, str) else None
                for n, bound in enumerate(validite.entre)
            )
            rules.piece_range[piece.id] = (low, high)


def _compile_options(compiler: _Compiler, rules: Rules) -> None:
    for name, options in compiler.form.listes.items():
        for index, option in enumerate(options):
            if option.visible_si:
                found = compiler.compile(option.visible_si, ("listes", name, index, "visible_si"), BOOLEEN)
                if found:
                    rules.option_visible[(name, option.code)] = found


def literal_date(value: date | str | None) -> date | None:
    """A bound written as a plain date (the others are expressions, compiled above)."""
    return value if isinstance(value, date) else None
