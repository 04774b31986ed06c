"""Catalogue text as a frontend value that follows the visitor's language without a round trip."""

import reflex as rx
from reflex.vars.base import Var

from vws_app.i18n import CATALOGUES
from vws_app.state.language import LanguageState


def t(key: str) -> Var:
    """The text for `key` in the visitor's language (English until the language is known).

    Raises:
        KeyError: when `key` is missing from a catalogue, at compile time.
    """
    return rx.cond(LanguageState.lang == "es", CATALOGUES["es"][key], CATALOGUES["en"][key])


def t_by_code(prefix: str, code: Var) -> Var:
    """The text for the key `prefix + code` (a category, a language) where `code` is only known at run time."""
    keys = [key for key in CATALOGUES["en"] if key.startswith(prefix)]
    table = {language: {key.removeprefix(prefix): CATALOGUES[language][key] for key in keys} for language in CATALOGUES}
    return rx.cond(
        LanguageState.lang == "es",
        Var.create(table["es"]).to(dict)[code].to(str),
        Var.create(table["en"]).to(dict)[code].to(str),
    )
