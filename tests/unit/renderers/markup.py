"""A small DOM from the stdlib html.parser, enough to check the generated pages as a browser and a screen reader
would read them: which input a label names, what a form posts."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)
    line: int = 0

    def iter(self) -> Iterator["Element"]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str) -> list["Element"]:
        return [element for element in self.iter() if element.tag == tag]

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root
        self.unclosed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current, line=self.getpos()[0])
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current, line=self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.unclosed.append(f"line {self.getpos()[0]}: </{tag}> closes <{self.current.tag}>")
            for ancestor in self.current.ancestors():
                if ancestor.tag == tag:
                    self.current = ancestor
                    break
            else:
                return
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.unclosed == [], builder.unclosed
    assert builder.current is builder.root, f"<{builder.current.tag}> never closed"
    return builder.root


def submitted(form: Element, submitter: Element | None = None) -> list[tuple[str, str]]:
    """The name/value pairs a browser posts for ``form`` (files left out), as application/x-www-form-urlencoded."""
    pairs: list[tuple[str, str]] = []
    for element in form.iter():
        name = element.get("name")
        if not name or "disabled" in element.attrs:
            continue
        kind = (element.get("type") or ("submit" if element.tag == "button" else "text")).lower()
        if element.tag in ("input", "button") and kind == "submit":
            if element is submitter:
                pairs.append((name, element.get("value") or ""))
        elif element.tag == "input" and kind in ("radio", "checkbox"):
            if "checked" in element.attrs:
                pairs.append((name, element.get("value") or "on"))
        elif element.tag == "input" and kind == "file":
            continue
        elif element.tag == "input":
            pairs.append((name, element.get("value") or ""))
        elif element.tag == "textarea":
            text = element.text()
            pairs.append((name, text[1:] if text.startswith("\n") else text))
        elif element.tag == "select":
            options = element.find_all("option")
            chosen = [option for option in options if "selected" in option.attrs] or options[:1]
            pairs.extend((name, option.get("value") or "") for option in chosen)
    return pairs
