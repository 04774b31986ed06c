"""What a signer types: the request, its checks (lengths, address, country) and the one-person-one-signature key."""

import dataclasses
from functools import cache

from babel import Locale
from email_validator import EmailNotValidError

from vws_app.i18n import BABEL_LOCALES, normalise_language
from vws_app.services.contact import clean_text, normalised_email

# Upper bounds of what is stored (and shown); longer input is refused, not cut.
MAX_LENGTHS = {"name": 200, "affiliation": 200, "city": 100, "email": 320}
# Babel's territories that are no country a person lives in (unknown, unions, pseudo-locales).
NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}


class SignatureInvalid(Exception):
    """One or more fields are wrong; `errors` maps each field to a catalogue key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {key}" for field, key in errors.items()))
        self.errors = errors


@dataclasses.dataclass(frozen=True)
class SignRequest:
    """A signature as typed. `language` is the page's (the mail and the consent sentence are in it)."""

    name: str
    email: str
    affiliation: str = ""
    city: str = ""
    country: str = ""
    is_public: bool = True
    is_organisation: bool = False
    consent: bool = False
    language: str = "en"
    honeypot: str = ""
    notice_id: int | None = None  # the privacy notice version the form showed

    def clean(self, field: str) -> str:
        """A text field trimmed and without control characters."""
        return clean_text(field, str(getattr(self, field) or ""))


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of every country, named and sorted in `language` (babel's CLDR data)."""
    names = Locale.parse(BABEL_LOCALES[normalise_language(language)]).territories
    found = [
        (code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    return tuple(sorted(found, key=lambda pair: pair[1].casefold()))


def country_name(code: str, language: str) -> str:
    """A country's name in `language`, or '' for no or an unknown code."""
    return dict(countries(language)).get(code or "", "")


def email_key(email: str) -> str:
    """What makes two addresses one signer: lower case, and a local part without dots or `+tag`.

    `Ana.Diaz+letters@Example.org` and `anadiaz@example.org` sign once between them.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0].replace('.', '')}@{domain}"


def field_errors(request: SignRequest, *, check_deliverability: bool = False) -> dict[str, str]:
    """Each wrong field's catalogue key (empty when all is well)."""
    errors: dict[str, str] = {}
    for field, limit in MAX_LENGTHS.items():
        if len(request.clean(field)) > limit:
            errors[field] = "letters_error_too_long"
    if "name" not in errors and not request.clean("name"):
        errors["name"] = "letters_error_name_required"
    email = request.clean("email")
    if "email" not in errors:
        if not email:
            errors["email"] = "letters_error_email_required"
        else:
            try:
                normalised_email(email, check_deliverability=check_deliverability)
            except EmailNotValidError:
                errors["email"] = "letters_error_email_invalid"
    country = request.clean("country").upper()
    if country and country not in dict(countries("en")):
        errors["country"] = "letters_error_country"
    if not request.consent:
        errors["consent"] = "letters_error_consent_required"
    return errors


def validate(request: SignRequest, *, check_deliverability: bool = False) -> str:
    """The normalised address of a valid request (lower case whole, as the mailing list stores it).

    Raises:
        SignatureInvalid: listing every field that is wrong.
    """
    errors = field_errors(request, check_deliverability=check_deliverability)
    if errors:
        raise SignatureInvalid(errors)
    return normalised_email(request.clean("email"), check_deliverability=check_deliverability).lower()
