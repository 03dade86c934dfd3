"""« Vouliez-vous dire … ? »: the nearest known name to a misspelt one, for every check reporting an unknown name."""

from collections.abc import Iterable


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, abandoned as soon as it exceeds ``limit`` (the caller only cares about small ones)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word`` when it is close enough to be a typo, else None.

    Close enough: at most 2 edits (pyxform's rule), or 1 for very short words where 2 edits make anything match;
    a candidate that contains the word or is contained by it also counts (``revenu`` → ``revenus_demandeur``)."""
    limit = 1 if len(word) <= 4 else 2
    best: tuple[int, str] | None = None
    for candidate in candidates:
        if candidate == word:
            continue
        distance = _distance(word.lower(), candidate.lower(), limit)
        if distance > limit and len(word) >= 4 and (word in candidate or candidate in word):
            distance = limit
        if distance <= limit and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None
