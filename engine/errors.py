"""The errors the engine raises on purpose, under one root so the web layer can map each kind to one response.

```
EngineError
 ├── ConfigurationError     the environment cannot start the app (missing SECRET_KEY in production…)
 ├── NotFound               no such dossier or pièce for this usager (someone else's looks the same: no enumeration)
 ├── ConflictError          the dossier changed since it was read (two tabs, two agents): reload and retry
 │    └── SubmittedError    the dossier is no longer a draft: show its receipt instead
 ├── UploadError            a file the usager sent is refused; ``message`` is the French text to show
 └── MailError              the SMTP server did not take the e-mail
```

Messages meant for the usager are French; the others are for the operator's logs."""

__all__ = [
    "ConfigurationError",
    "ConflictError",
    "EngineError",
    "MailError",
    "NotFound",
    "SubmittedError",
    "UploadError",
]


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(EngineError):
    """A setting is missing or malformed: raised at start-up, before serving anything."""


class NotFound(EngineError):
    """The dossier or pièce does not exist, or is not this usager's."""


class ConflictError(EngineError):
    """The dossier was changed by another request since it was read."""


class SubmittedError(ConflictError):
    """The dossier has been submitted: a draft-only action no longer applies."""


class UploadError(EngineError):
    """An uploaded file is refused (empty, wrong format, too big, protected)."""


class MailError(EngineError):
    """An e-mail could not be handed over for delivery."""
