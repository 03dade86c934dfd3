"""``guichet new``: write the starting file of a new dispositif, commented in French for the editor who completes it.

The file is a whole, valid dispositif (it passes ``guichet check``), not a skeleton with blanks: editors learn the
format faster by changing a working example than by filling holes."""

import re
import sys
from pathlib import Path

from forms.scalars import RESERVED

_SLUG = re.compile(r"[a-z][a-z0-9_]{0,39}")
_SLUG_RULE = "minuscules sans accent, chiffres et _ seulement, 40 caractères au plus, en commençant par une lettre"

# Placeholders are replaced with str.replace, not str.format: the YAML itself is full of braces ({{ dossier.numero }}).
_TEMPLATE = """\
# yaml-language-server: $schema=schema.json
# Dispositif « __SLUG__ », créé par « guichet new ». Les textes et montants sont des EXEMPLES : remplacez-les,
# vérifiez avec « guichet check __PATH__ », relisez avec « guichet explain __PATH__ ».
# Indentez avec des espaces, jamais de tabulation ; écrivez entre guillemets un texte qui contient « : ».
format: 1                        # version de la grammaire du fichier : ne la changez pas

dispositif:
  # id : identifiant stable, identique au nom du fichier ; ne le changez jamais
  id: __SLUG__
  version: 1                     # ajoutez 1 à chaque nouvelle publication
  # titre : le titre officiel, montré à l'usager
  titre: __TITLE__
  resume: "À compléter : en une ou deux phrases, à quoi sert la démarche et pour qui."
  thematique: À compléter        # rubrique du catalogue : Santé et social, Éducation, Logement…
  service: À compléter           # le service qui instruit les demandes
  contact: contact@province-sud.nc   # adresse électronique ou téléphone du service
  # base_legale: Délibération n° … du …   # le texte qui fonde le dispositif (facultatif)
  fiche:                         # la fiche pratique, montrée avant de commencer la démarche
    public: Les personnes qui habitent en province Sud.   # qui peut demander
    conditions: |                # une condition par ligne
      Habiter en province Sud.
      Présenter un devis ou une facture pour les demandes de plus de 100 000 F CFP.
    delai: 1 mois environ        # durée habituelle de l'examen d'une demande
    cout: Gratuit
  # campagnes:                   # périodes d'ouverture ; sans cette clé, la démarche est ouverte toute l'année
  #   - {ouverture: 2026-08-01, cloture: 2026-10-31}          # soit des dates fixes (AAAA-MM-JJ)…
  #   - {chaque_annee_du: 01/08, chaque_annee_au: 31/10}      # …soit les mêmes jours chaque année (JJ/MM)
  numerotation: "__PREFIX__-{annee}-{sequence:05}"   # numéro des dossiers : majuscules, chiffres, tirets
  duree_estimee: 10 minutes      # temps pour remplir le formulaire, annoncé à l'usager
  rgpd:                          # ce que l'usager doit savoir sur ses données personnelles
    finalite: Examiner votre demande et vous verser l'aide   # à quoi servent les données
    base_legale: Mission d'intérêt public                   # ce qui autorise à les traiter
    conservation: 5 ans          # combien de temps elles sont gardées après la décision
    destinataires: [Les agents du service chargés des demandes]   # qui les voit
  avant_de_commencer: Préparez un justificatif de domicile de moins de 3 mois.   # à préparer avant de commencer

listes:                          # listes de choix : « code: libellé » ; le code ne change jamais, l'ordre est gardé
  situations:
    salarie: Salarié ou salariée
    independant: Travailleur ou travailleuse indépendante
    sans_activite: Sans activité professionnelle
  motifs_refus:
    conditions: Conditions non remplies
    incomplet: Dossier incomplet après relance
    autre: Autre motif

pages:                           # les pages du formulaire, dans l'ordre où l'usager les voit
  - id: eligibilite              # identifiant de la page : minuscules, chiffres et _ seulement
    titre: Vérifions que vous pouvez faire cette demande
    champs:                      # les questions de la page ; chacune est obligatoire sauf « obligatoire: non »
      - id: habite_province_sud  # identifiant de la réponse : ne le changez plus une fois publié
        type: oui_non            # types : texte, texte_long, nombre_entier, nombre_decimal, montant, date, oui_non,
                                 # choix, choix_multiple, case_a_cocher, email, telephone, adresse, commune, iban,
                                 # ridet, fichier, explication (un texte), bloc_repetable (questions à répéter)
        libelle: Habitez-vous en province Sud ?   # la question posée
      - id: date_installation
        type: date
        libelle: Depuis quand habitez-vous en province Sud ?
        aide: Une date approximative suffit        # texte d'aide sous la question
        visible_si: habite_province_sud            # posée seulement si la réponse précédente est « oui »
        max: aujourdhui                            # pas de date dans le futur
    arret_si:                    # si la condition est vraie, l'usager voit cette explication et s'arrête là
      - id: hors_province
        si: not habite_province_sud
        titre: Vous ne pouvez pas faire cette demande
        texte: |
          Cette aide est réservée aux personnes qui habitent en province Sud.

  - id: demande
    titre: Votre demande
    section: Votre demande       # regroupe les pages dans la barre d'étapes et le récapitulatif
    champs:
      - id: nom
        type: texte
        libelle: Nom de naissance
        prerempli: usager.nom_naissance   # repris du compte de l'usager (« dites-le nous une fois »)
        modifiable: non                   # affiché sans pouvoir être changé
      - id: email
        type: email
        libelle: Adresse électronique
        prerempli: usager.email           # proposé, mais l'usager peut le corriger
      - id: situation
        type: choix
        liste: situations                 # une liste déclarée plus haut, dans « listes »
        libelle: Quelle est votre situation professionnelle ?
      - id: montant_demande
        type: montant                     # en francs CFP, sans centimes
        libelle: Montant demandé
        min: 1
        max: 1000000
      - id: precisions
        type: texte_long
        libelle: Précisions sur votre demande
        obligatoire: non                  # question facultative
        longueur_max: 1000                # nombre de caractères au plus

parametres:                      # valeurs votées qui changent avec le temps ; la date du dépôt choisit la valeur
  plafond:
    libelle: Plafond de l'aide
    type: montant
    source: À compléter (délibération ou arrêté qui fixe le plafond)
    valeurs:
      - {depuis: 2026-01-01, valeur: 500000}

calculs:                         # valeurs calculées à partir des réponses, recalculées à chaque enregistrement
  montant_retenu:
    type: montant
    libelle: Montant retenu
    expr: min(montant_demande, plafond)   # la formule : réponses, paramètres et autres calculs
    afficher: recapitulatif               # montré à l'usager sur le récapitulatif

pieces:                          # pièces justificatives, demandées sur une page avant le récapitulatif
  - id: justificatif_domicile
    libelle: Justificatif de domicile de moins de 3 mois
    aide: Facture d'eau, d'électricité ou de téléphone
    formats: [pdf, jpg, png]     # formats acceptés
    taille_max: 5 Mo             # taille d'un fichier au plus
    validite: {moins_de: 3 mois, date_du_document: demandee}   # l'usager indique la date du document
  - id: devis
    libelle: Devis ou facture
    formats: [pdf]
    taille_max: 10 Mo
    nombre_max: 3                # nombre de fichiers au plus
    visible_si: montant_demande > 100000   # demandée seulement dans ce cas

recapitulatif:                   # la page « vérifiez vos réponses » avant l'envoi
  titre: Vérifiez votre demande avant de l'envoyer
  declaration: Je certifie sur l'honneur que les informations données sont exactes.
  bouton: Envoyer ma demande     # dites ce que fait le bouton

confirmation:                    # la page montrée une fois la demande envoyée
  titre: Votre demande est envoyée
  texte: |
    Votre numéro de dossier est {{ dossier.numero }}.
    Vous recevrez un courriel à chaque étape de l'examen de votre demande.

instruction:                     # le côté des agents : qui fait quoi, et les étapes du dossier
  roles:                         # les rôles des agents : « identifiant: libellé »
    instructeur: Agent instructeur
    responsable: Responsable du service
  champs_agent:                  # notes des agents, jamais montrées à l'usager
    - id: motif_refus
      type: choix
      liste: motifs_refus
      libelle: Motif du refus
      obligatoire: non
    - id: note_interne
      type: texte_long
      libelle: Note interne
      obligatoire: non
  etats:                         # les étapes du dossier ; « libelle_usager » : ce que l'usager lit
    brouillon: {libelle: Brouillon, initial: oui}      # un seul état initial
    depose: {libelle: Déposé, libelle_usager: Demande reçue}
    en_instruction: {libelle: En instruction, libelle_usager: En cours d'examen}
    incomplet:
      libelle: En attente de compléments
      libelle_usager: "Action requise : complétez votre demande"
      usager_peut_modifier: [pieces]                 # l'usager peut alors ajouter des pièces
    accepte: {libelle: Acceptée, libelle_usager: Demande acceptée, final: oui}   # final : le dossier est clos
    refuse: {libelle: Refusée, libelle_usager: Demande refusée, final: oui}
    sans_suite: {libelle: Classée sans suite, final: oui}
  transitions:                   # les passages d'un état à un autre : de, vers, par (rôles, usager ou systeme)
    - id: deposer
      de: brouillon
      vers: depose
      par: usager
      courriel: accuse_reception # courriel envoyé à l'usager (voir « courriels »)
    - id: prendre_en_charge
      de: depose
      vers: en_instruction
      par: instructeur
      attribuer_a: moi           # le dossier est attribué à l'agent qui le prend
    - id: demander_complements
      de: en_instruction
      vers: incomplet
      par: instructeur
      commentaire: obligatoire   # l'agent écrit ce qui manque ; il est recopié dans le courriel
      delai_reponse: 15 jours    # temps laissé à l'usager pour répondre…
      a_expiration: classer_sans_suite   # …puis le moteur prend cette transition
      courriel: demande_complements
    - id: completer
      de: incomplet
      vers: en_instruction
      par: usager
    - id: accepter
      libelle: Accepter la demande   # texte du bouton montré à l'agent
      de: en_instruction
      vers: accepte
      par: responsable
      condition: montant_retenu > 0  # la transition n'est possible que si la condition est vraie
      courriel: decision_accord
    - id: refuser
      de: en_instruction
      vers: refuse
      par: [instructeur, responsable]
      champs_requis: [motif_refus]   # l'agent doit remplir ces champs avant
      commentaire: obligatoire
      courriel: decision_refus
    - id: classer_sans_suite
      de: [depose, en_instruction, incomplet]
      vers: sans_suite
      par: [responsable, systeme]    # « systeme » : le moteur, quand un délai expire
      commentaire: obligatoire
      courriel: classement_sans_suite
  file_de_travail:               # la liste des dossiers vue par les agents
    colonnes: [dossier.numero, nom, montant_demande, montant_retenu, dossier.etat, dossier.date_depot]
    filtres: [dossier.etat, situation]
    tri: dossier.date_depot      # mettez un « - » devant pour voir les plus récents d'abord
    alerte_si: dossier.jours_dans_etat > 15   # signale les dossiers qui attendent trop

courriels:                       # textes à trous : {{ dossier.numero }}, {{ montant_retenu | montant }}…
  accuse_reception:
    objet: "Demande {{ dossier.numero }} reçue"
    corps: |
      Nous avons bien reçu votre demande le {{ dossier.date_depot | date }}.
      Suivre votre demande : {{ dossier.lien }}
  demande_complements:
    objet: "Demande {{ dossier.numero }} : des compléments sont nécessaires"
    corps: |
      Pour poursuivre l'examen de votre demande, nous avons besoin de :
      {{ transition.commentaire }}

      Complétez votre demande avant le {{ transition.date_limite | date }} : {{ dossier.lien }}
  decision_accord:
    objet: "Demande {{ dossier.numero }} : acceptée"
    corps: |
      Votre demande est acceptée. Montant accordé : {{ montant_retenu | montant }}.
  decision_refus:
    objet: "Demande {{ dossier.numero }} : décision"
    corps: |
      Votre demande n'a pas pu être acceptée : {{ motif_refus | libelle }}.
      {{ transition.commentaire }}
      Vous pouvez contester cette décision dans un délai de deux mois.
  classement_sans_suite:
    objet: "Demande {{ dossier.numero }} classée sans suite"
    corps: |
      Votre demande a été classée sans suite : {{ transition.commentaire }}

cas_de_test:                     # exemples vérifiés à chaque « guichet check » : les règles font ce qu'on croit
  - nom: Demande au-dessus du plafond
    date: 2026-03-01             # jour fixe : le cas donne toujours le même résultat
    reponses: {habite_province_sud: oui, date_installation: 2020-01-15, montant_demande: 800000}
    attendu: {valeurs: {montant_retenu: 500000}, arret: aucun}   # les calculs attendus ; aucun arrêt
  - nom: Personne qui n'habite pas en province Sud
    date: 2026-03-01
    reponses: {habite_province_sud: non}
    attendu: {arret: hors_province}
"""


def is_valid_slug(slug: str) -> bool:
    """A slug becomes the dispositif id and the file name, so it must be a valid, non-reserved identifier."""
    return bool(_SLUG.fullmatch(slug)) and slug not in RESERVED


def scaffold_text(slug: str, path: Path) -> str:
    """Apart from the writing, so the text can be checked without touching an editor's folder."""
    words = [word for word in slug.split("_") if word]
    prefix = "".join(word[0] for word in words) if len(words) > 1 else words[0][:4]
    text = _TEMPLATE.replace("__PATH__", path.as_posix()).replace("__PREFIX__", prefix.upper())
    return text.replace("__TITLE__", " ".join(words).capitalize()).replace("__SLUG__", slug)


def write_scaffold(slug: str, folder: Path) -> int:
    """Exit 2 rather than overwrite: an existing file is an editor's work, perhaps its only copy."""
    if not is_valid_slug(slug):
        reason = "c'est un mot réservé du moteur" if _SLUG.fullmatch(slug) else _SLUG_RULE
        print(f"guichet new : identifiant « {slug} » refusé : {reason}", file=sys.stderr)
        return 2
    path = folder / f"{slug}.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x" never overwrites an editor's work
            out.write(scaffold_text(slug, path))
    except FileExistsError:
        print(f"guichet new : {path} existe déjà ; il n'a pas été modifié", file=sys.stderr)
        return 2
    print(
        f"Fichier créé : {path}\nÉtapes suivantes :\n"
        f"  1. Ouvrez-le et remplacez les textes d'exemple et « À compléter » par les vôtres.\n"
        f"  2. Vérifiez-le : guichet check {path}\n"
        f"  3. Relisez-le en français : guichet explain {path}"
    )
    return 0
