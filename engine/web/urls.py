"""The URL of a named page, from the route table read once: starlette's ``url_for`` walks every route and builds an
absolute URL on each call, which cost a step page three times what drawing its header did."""

from starlette.requests import Request
from starlette.routing import Route

__all__ = ["url_for"]


def url_for(request: Request, name: str, **params: str) -> str:
    """The URL of route ``name`` with ``params`` (ids and page ids: letters, digits, ``_`` and ``-``, nothing to
    quote), absolute like ``url_for``'s: the request's base URL (kept by starlette per request) and the path."""
    state = request.app.state
    formats: dict[str, str] | None = getattr(state, "path_formats", None)
    if formats is None:
        formats = {route.name: route.path_format for route in request.app.routes if isinstance(route, Route)}
        state.path_formats = formats
    return str(request.base_url).rstrip("/") + formats[name].format(**params)
