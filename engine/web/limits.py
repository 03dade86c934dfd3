"""Refuse an oversized request body before anything reads it: uploads are checked for size here first (413),
then each file against its pièce's own limit. Pure ASGI, so the body is streamed and counted, never buffered."""

from engine.web.security import ASGIApp, Message, Receive, Scope, Send

_TOO_LARGE = (
    '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Fichier trop volumineux</title>'
    "<p>L'envoi dépasse la taille autorisée. Revenez en arrière et choisissez un fichier plus léger.</p></html>"
).encode()


class BodyLimit:
    """413 when the declared or the actual body exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _Oversized
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _Oversized:
            if not started:
                await _refuse(send)


class _Oversized(Exception):
    """The body grew past the limit while being read."""


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(_TOO_LARGE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _TOO_LARGE})
