"""The ``guichet`` command: the editor's tools (check, schema, new, explain), the server, and the operator's
(db upgrade, courriels).

argparse, not click: click is not in the stack and these few sub-commands do not need it."""

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import uvicorn

from engine.app import build
from engine.catalogue import catalogue_files, load_file
from engine.db import migrate, normalise_url
from engine.diagnostics import Severity, format_report
from engine.explain import explain_file
from engine.outbox import pending
from engine.postman import FOLLOW_SECONDS, Delivery, Postman
from engine.scaffold import write_scaffold
from engine.schema import SCHEMA_PATH, schema_text
from engine.settings import Settings

DEFAULT_CATALOGUE = Path("catalogue")


def _check(args: argparse.Namespace) -> int:
    today = date.fromisoformat(args.date) if args.date else date.today()
    files = catalogue_files(args.paths or [DEFAULT_CATALOGUE])
    missing = [path for path in args.paths if not path.exists()]
    if missing:
        print(f"guichet check : {missing[0]} n'existe pas", file=sys.stderr)
        return 2
    results = [load_file(path, today=today) for path in files]
    diagnostics = [d for result in results for d in result.diagnostics]
    failed = any(d.severity == Severity.ERREUR for d in diagnostics)
    if args.format == "json":
        payload = {
            "ok": not failed,
            "fichiers": [
                {"chemin": r.path, "ok": r.ok, "version": r.entry.version if r.entry else None} for r in results
            ],
            "diagnostics": [d.to_json() for d in diagnostics],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if diagnostics:
            print(format_report(diagnostics, {r.path: r.source for r in results}))
        loaded = sum(1 for r in results if r.ok)
        print(
            f"{loaded}/{len(results)} dispositif{'s' if len(results) > 1 else ''} chargé{'s' if loaded > 1 else ''}"
            + (f", cas de test exécutés au {today.strftime('%d/%m/%Y')}" if loaded else "")
        )
    return 1 if failed else 0


def _schema(args: argparse.Namespace) -> int:
    text = schema_text()
    target: Path = args.output
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} n'est pas à jour : lancez « guichet schema »", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"schéma écrit dans {target}")
    return 0


def _new(args: argparse.Namespace) -> int:
    return write_scaffold(args.slug, args.dossier)


def _explain(args: argparse.Namespace) -> int:
    return explain_file(args.file, today=date.today())


def _serve(args: argparse.Namespace) -> int:
    uvicorn.run("engine.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                proxy_headers=True, log_level="info")  # fmt: skip
    return 0


def _db(args: argparse.Namespace) -> int:
    settings = Settings.from_environ()
    migrate(settings.database_url)
    print(f"base de données à jour : {normalise_url(settings.database_url).split('@')[-1]}")
    return 0


def _courriels(args: argparse.Namespace) -> int:
    state = build(Settings.from_environ())
    try:
        if args.suivre:
            return _follow(state.postman, every=args.intervalle, waiting_too=args.tout)
        done = state.postman.deliver(waiting_too=args.tout)
        left = pending(state.db)
    finally:
        state.db.dispose()
    print(f"{_sent(done)}, {_count(left, 'courriel en attente', 'courriels en attente')}")
    return 1 if done.failed else 0


def _follow(postman: Postman, *, every: float, waiting_too: bool) -> int:
    """Send the outbox's e-mails as they come, until SIGTERM (the service manager) or SIGINT (Ctrl-C): the batch under
    way is finished and recorded first. A second signal stops at once."""
    stop = threading.Event()
    previous = {number: signal.getsignal(number) or signal.SIG_DFL for number in (signal.SIGTERM, signal.SIGINT)}

    def stopping(signum: int, _frame: object) -> None:
        stop.set()
        for number, handler in previous.items():  # the next signal does what it did before: stop now
            signal.signal(number, handler)

    for number in previous:
        signal.signal(number, stopping)
    print(f"envoi des courriels au fil de l'eau (toutes les {every:g} s) ; SIGTERM ou Ctrl-C pour arrêter", flush=True)
    try:
        done = postman.follow(stop, every=every, waiting_too=waiting_too, report=lambda d: print(_sent(d), flush=True))
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    print(f"arrêté : {_sent(done)} en tout", flush=True)
    return 0


def _sent(done: Delivery) -> str:
    return f"{_count(done.sent, 'courriel envoyé', 'courriels envoyés')}, {_count(done.failed, 'échec', 'échecs')}"


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(
            f"{value!r} : un nombre de secondes positif est attendu (par exemple 1 ou 0.5)"
        )
    return seconds


def _count(number: int, one: str, several: str) -> str:
    return f"{number} {one if number <= 1 else several}"


def parser() -> argparse.ArgumentParser:
    """The command line, in French like the rest of the editor's tools."""
    main = argparse.ArgumentParser(prog="guichet", description="Guichet : un dispositif, un formulaire.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    check = commands.add_parser("check", help="vérifier des fichiers de dispositif (par défaut : catalogue/)")
    check.add_argument("paths", nargs="*", type=Path, metavar="CHEMIN")
    check.add_argument("--format", choices=("texte", "json"), default="texte")
    check.add_argument("--date", help="jour utilisé par les cas de test sans date (AAAA-MM-JJ)")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="écrire le schéma JSON du format (complétion dans l'éditeur)")
    schema.add_argument("--output", type=Path, default=SCHEMA_PATH)
    schema.add_argument("--check", action="store_true", help="échouer si le schéma écrit n'est pas à jour")
    schema.set_defaults(run=_schema)

    new = commands.add_parser("new", help="créer un fichier de dispositif commenté, prêt à compléter")
    new.add_argument("slug", metavar="IDENTIFIANT")
    new.add_argument("--dossier", type=Path, default=DEFAULT_CATALOGUE)
    new.set_defaults(run=_new)

    explain = commands.add_parser("explain", help="décrire un dispositif en français, pour relecture")
    explain.add_argument("file", type=Path, metavar="FICHIER")
    explain.set_defaults(run=_explain)

    serve = commands.add_parser("serve", help="lancer l'application web (SQLite par défaut, DATABASE_URL sinon)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processus (PostgreSQL seulement : SQLite en veut un)")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="base de données : « guichet db upgrade » applique les migrations")
    db.add_argument("action", choices=("upgrade",))
    db.set_defaults(run=_db)

    courriels = commands.add_parser(
        "courriels", help="envoyer les courriels en attente (ceux que le serveur de messagerie a refusés, par exemple)"
    )
    courriels.add_argument(
        "--tout", action="store_true", help="sans attendre l'heure du nouvel essai prévue après un échec"
    )
    courriels.add_argument(
        "--suivre",
        action="store_true",
        help="ne pas s'arrêter : envoyer les courriels à mesure qu'ils arrivent, jusqu'à SIGTERM ou Ctrl-C "
        "(le service d'envoi à lancer à côté de l'application quand MAIL_DELIVERY=separate)",
    )
    courriels.add_argument(
        "--intervalle",
        type=_seconds,
        default=FOLLOW_SECONDS,
        metavar="SECONDES",
        help=f"avec --suivre : secondes entre deux coups d'œil à la file d'envoi ({FOLLOW_SECONDS:g})",
    )
    courriels.set_defaults(run=_courriels)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``guichet`` console script."""
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
