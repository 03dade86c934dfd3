"""The two pages every public service owes its users: what is done with their data, and how accessible it is.

The RGPD table is built from the catalogue itself (each dispositif declares its purpose, legal basis and retention),
so a new dispositif appears there the day it is published."""

from starlette.requests import Request
from starlette.responses import Response

from engine.web.context import guichet
from engine.web.public import page
from forms.scalars import format_duree

_PRIVACY = (
    (
        "Qui traite vos données",
        (
            "La province Sud traite les informations que vous donnez dans vos démarches en ligne. Chaque démarche "
            "indique pourquoi elle les demande, sur quelle base légale, et combien de temps elles sont gardées.",
        ),
    ),
    (
        "Vos droits",
        (
            "Vous pouvez accéder à vos données, les faire corriger, demander leur effacement quand la loi le permet, "
            "ou vous opposer à leur traitement. Écrivez au délégué à la protection des données de la province Sud : "
            "dpo@province-sud.nc.",
            "Si vous estimez que vos droits ne sont pas respectés, vous pouvez saisir la CNIL.",
        ),
    ),
    (
        "Cookies",
        (
            "Ce site n'utilise qu'un cookie, indispensable : il garde votre démarche en cours et protège vos envois. "
            "Il ne sert à aucune mesure d'audience ni à aucune publicité.",
        ),
    ),
)

_ACCESSIBILITY = (
    (
        "État de conformité",
        (
            "Ce site vise la conformité au référentiel général d'amélioration de l'accessibilité (RGAA 4.1). "
            "Chaque type de page est vérifié automatiquement (axe-core) et parcouru au clavier seul ; un audit "
            "complet par un organisme indépendant reste à faire : le site est déclaré partiellement conforme.",
        ),
    ),
    (
        "Ce qui est fait pour vous",
        (
            "Les formulaires fonctionnent sans JavaScript, sur téléphone comme sur ordinateur. Chaque champ a son "
            "libellé ; les champs facultatifs sont indiqués « (optionnel) » ; les erreurs sont décrites à côté du "
            "champ et résumées en haut de la page, avec un lien vers chacune.",
        ),
    ),
    (
        "Signaler un problème",
        (
            "Si vous ne pouvez pas accéder à un contenu ou à une démarche, écrivez à accessibilite@province-sud.nc : "
            "nous vous aiderons à faire la démarche par un autre moyen (téléphone, courrier, guichet).",
            "Si vous n'obtenez pas de réponse, vous pouvez saisir le Défenseur des droits.",
        ),
    ),
)


async def privacy(request: Request) -> Response:
    """Données personnelles: the rights, and each dispositif's purpose, legal basis and retention."""
    app = guichet(request)
    treatments = sorted(
        (
            entry.dispositif.dispositif.titre,
            entry.dispositif.dispositif.rgpd.finalite,
            entry.dispositif.dispositif.rgpd.base_legale,
            format_duree(entry.dispositif.dispositif.rgpd.conservation),
        )
        for entry in app.catalogue.values()
    )
    context = {"titre": "Données personnelles", "sections": _PRIVACY, "traitements": treatments}
    return page(request, "legal.html", context)


async def accessibility(request: Request) -> Response:
    """Accessibilité: the declaration of the site's accessibility."""
    context = {"titre": "Accessibilité : partiellement conforme", "sections": _ACCESSIBILITY, "traitements": ()}
    return page(request, "legal.html", context)
