"""What every response and every state-changing request must carry: strict headers, an usager key, a CSRF token.

The session is a signed cookie (starlette's SessionMiddleware), so any instance behind the load balancer can read it
with the shared SECRET_KEY: nothing is kept in a process. It holds an opaque usager key — until accounts exist, the
owner of drafts and dossiers — and the CSRF token that every POST must echo."""

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


class SecurityHeaders:
    """Adds the strict headers to every response (pure ASGI: it never buffers a body)."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if production:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {name.lower() for name, _ in message["headers"]}
                message["headers"] += [h for h in self.headers if h[0] not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _session_token(request: Request, key: str, size: int) -> str:
    """A random value kept in the signed session under ``key``, created on first use."""
    session = request.session
    value = session.get(key)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(size)
        session[key] = value
    return value


def usager_key(request: Request) -> str:
    """The opaque key of the usager behind this browser, created on first use.

    When accounts arrive, the account's id replaces it: dossiers keep an ``owner`` string either way, and a
    login can re-attach the cookie's drafts to the account."""
    return _session_token(request, "usager", 24)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; templates put it in every form."""
    return _session_token(request, "csrf", 32)


def _check_csrf(request: Request, form: FormData) -> None:
    expected = request.session.get("csrf")
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not isinstance(expected, str) or not isinstance(given, str) or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "Jeton de sécurité absent ou expiré : rechargez la page puis recommencez.")


async def verified_form(request: Request, *, max_files: int = 0, max_part_size: int = 1024 * 1024) -> FormData:
    """The posted form, bounded in size, after checking its CSRF token (403 otherwise).

    Every state-changing endpoint reads its form through here, so none can forget the check. An endpoint that
    accepts files closes the form when done: Starlette closes the uploads' temporary files only when asked."""
    form = await request.form(max_files=max_files, max_fields=2000, max_part_size=max_part_size)
    try:
        _check_csrf(request, form)
    except HTTPException:
        await form.close()  # uploads sit in temporary files: a refused request must not leave them open
        raise
    return form
