"""Keeps `<html lang>` in step with the visitor's language, and removes what the server added for robots.

Done with a React effect compiled into the bundle rather than `rx.call_script`, which
evaluates code at run time and so needs `'unsafe-eval'` in the Content-Security-Policy.
"""

import reflex as rx
from reflex.vars.base import Var, VarData

from vws_app.services.seo import FALLBACK_ID, SERVER_ONLY_ATTRIBUTE
from vws_app.state.language import LanguageState


class DocumentLanguage(rx.Fragment):
    """Renders nothing; its effect runs after hydration and whenever the language changes."""

    def add_hooks(self) -> list[str | Var]:
        language = LanguageState.lang
        effect = (
            "useEffect(() => {"
            f" const code = {language!s} === 'es' ? 'es' : 'en';"
            " document.documentElement.lang = code;"
            f" document.getElementById({FALLBACK_ID!r})?.remove();"
            f" document.querySelectorAll('[{SERVER_ONLY_ATTRIBUTE}]').forEach((tag) => tag.remove());"
            f" }}, [{language!s}]);"
        )
        return [
            Var(
                _js_expr=effect,
                _var_data=VarData.merge(language._get_all_var_data(), VarData(imports={"react": ["useEffect"]})),
            )
        ]


def document_language() -> rx.Component:
    """Place once per page."""
    return DocumentLanguage.create()
