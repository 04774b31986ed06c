"""Keeps `<html lang>` in step with the visitor's language, and removes what the server added once the page is ready.

Done with a React effect compiled into the bundle rather than `rx.call_script`, which
evaluates code at run time and so needs `'unsafe-eval'` in the Content-Security-Policy.
"""

import reflex as rx
from reflex.vars.base import Var, VarData

from vws_app.services.seo import FALLBACK_ID, SERVER_ONLY_ATTRIBUTE
from vws_app.state.language import LanguageState


class DocumentLanguage(rx.Fragment):
    """Renders nothing; its effects keep `<html lang>` in step and clear the server's text once the page is ready."""

    ready: Var[bool]  # read by the hooks only, never handed to the Fragment

    def _exclude_props(self) -> list[str]:
        return [*super()._exclude_props(), "ready"]

    def add_hooks(self) -> list[str | Var]:
        language = LanguageState.lang
        ready = self.ready
        language_effect = (
            "useEffect(() => {"
            f" document.documentElement.lang = {language!s} === 'es' ? 'es' : 'en';"
            f" }}, [{language!s}]);"
        )
        # Until the page's own content has arrived, the server's text stays on screen (and the
        # app out of sight, see server/page_shell.py): the visitor never sees an empty page.
        server_text_effect = (
            "useEffect(() => {"
            f" if (!{ready!s}) return;"
            f" document.getElementById({FALLBACK_ID!r})?.remove();"
            f" document.querySelectorAll('[{SERVER_ONLY_ATTRIBUTE}]').forEach((tag) => tag.remove());"
            f" }}, [{ready!s}]);"
        )
        var_data = VarData.merge(
            language._get_all_var_data(), ready._get_all_var_data(), VarData(imports={"react": ["useEffect"]})
        )
        return [Var(_js_expr=effect, _var_data=var_data) for effect in (language_effect, server_text_effect)]


def document_language(ready: Var[bool] | bool = True) -> rx.Component:
    """Place once per page; `ready` turns true once the page shows its own content."""
    return DocumentLanguage.create(ready=ready)
