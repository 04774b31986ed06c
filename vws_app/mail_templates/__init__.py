"""E-mail templates: one module per kind with `build(language, **context) -> MailContent`; `base` is the layout."""
