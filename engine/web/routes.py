"""Every URL of the citizen's side, named so templates and redirects build them with ``url_for``."""

from starlette.routing import Route

from engine.web.legal import accessibility, privacy
from engine.web.public import fiche, home, my_dossiers, start, theme_css
from engine.web.steps import refresh, show_step, stop, take_step
from engine.web.submission import receipt, send, show_summary
from engine.web.uploads import delete_file, download, send_pieces, show_pieces

_DOSSIER = "/dossiers/{dossier_id}"

routes = [
    # A dossier's pages first: the router tries the routes in order, and these are asked most, all day.
    Route(_DOSSIER + "/etapes/{page_id}", show_step, methods=["GET"], name="step"),
    Route(_DOSSIER + "/etapes/{page_id}", take_step, methods=["POST"], name="take_step"),
    Route(_DOSSIER + "/etapes/{page_id}/champs", refresh, methods=["POST"], name="refresh"),
    Route(_DOSSIER + "/arret", stop, name="stop"),
    Route(_DOSSIER + "/pieces", show_pieces, methods=["GET"], name="pieces"),
    Route(_DOSSIER + "/pieces", send_pieces, methods=["POST"], name="send_pieces"),
    Route(_DOSSIER + "/fichiers/{file_id}", download, name="download"),
    Route(_DOSSIER + "/fichiers/{file_id}/supprimer", delete_file, methods=["POST"], name="delete_file"),
    Route(_DOSSIER + "/recapitulatif", show_summary, methods=["GET"], name="summary"),
    Route(_DOSSIER + "/envoyer", send, methods=["POST"], name="submit"),
    Route(_DOSSIER + "/recepisse", receipt, name="receipt"),
    Route("/", home, name="home"),
    Route("/theme.css", theme_css, name="theme_css"),
    Route("/mes-demarches", my_dossiers, name="my_dossiers"),
    Route("/donnees-personnelles", privacy, name="privacy"),
    Route("/accessibilite", accessibility, name="accessibility"),
    Route("/demarches/{slug}", fiche, name="fiche"),
    Route("/demarches/{slug}/commencer", start, methods=["POST"], name="start"),
]
