"""French spacing around guillemets in every printed value."""

from renderers.html import environment, typographie


def test_guillemets_take_non_breaking_spaces():
    assert typographie("Saisissez « Nom de naissance »") == "Saisissez «\u00a0Nom de naissance\u00a0»"


def test_every_printed_value_gets_it_and_escaping_still_applies():
    html = environment().from_string("<p>{{ message }}</p>").render(message="« <b> »")
    assert html == "<p>«\u00a0&lt;b&gt;\u00a0»</p>"


def test_other_values_are_untouched():
    assert typographie(12) == 12
    assert typographie("sans guillemets") == "sans guillemets"


def test_an_editors_text_keeps_its_paragraphs_and_lists_escaped():
    from renderers.html import texte_riche

    text = "Préparez :\n- votre pièce d'identité ;\n- un justificatif\n  de domicile.\n\nPuis <envoyez> « tout »."
    assert str(texte_riche(text)) == (
        "<p>Préparez :</p><ul><li>votre pièce d&#39;identité ;</li><li>un justificatif de domicile.</li></ul>"
        "<p>Puis &lt;envoyez&gt; «\u00a0tout\u00a0».</p>"
    )
    assert str(texte_riche(None)) == ""
