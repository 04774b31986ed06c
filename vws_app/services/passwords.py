"""Password rules after NIST SP 800-63B §3.1.1.2: length, no composition rules, no common or obvious passwords.

The minimum stays at 12 characters (800-63B asks at least 8 for a password chosen by its
holder, 15 when it is the only factor): two-factor sign-in is optional, so 12 keeps a
password alone reasonably strong without refusing the passphrases editors already use.
Nothing asks for digits, capitals or symbols, and passwords never expire. Refused: the
30,000 most common passwords as shipped with zxcvbn (from leaked password sets), compared
without regard to case, and the account's own e-mail address or its part before the @.
"""

from functools import cache

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 copes, but nobody types more, and hashing is not free

TOO_SHORT, TOO_LONG, TOO_COMMON, IS_EMAIL = "too_short", "too_long", "common", "email"
# The message each reason is shown with (catalogue keys), wherever a password is set.
MESSAGE_KEYS = {
    TOO_SHORT: "admin_error_password_weak",
    TOO_LONG: "admin_error_password_long",
    TOO_COMMON: "admin_error_password_common",
    IS_EMAIL: "admin_error_password_email",
}


@cache
def _common_passwords() -> frozenset[str]:
    # Imported here, not at the top: zxcvbn's package builds all its word lists as it loads
    # (about 14 MiB), and a worker serving pages never needs them; only setting a password does.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def rules_text() -> str:
    """The rules above in two lines of plain English, for the operator's command line before it asks."""
    return (
        f"Password rules: at least {MIN_LENGTH} characters (a phrase of a few words is fine); not one of the "
        f"{len(_common_passwords()):,} most common passwords;\nnot the e-mail address or its part before the @. "
        "Digits, capitals and symbols are not required."
    )


def password_problem(password: str, email: str = "") -> str:
    """Why `password` may not be used by the account `email`, as one of the codes above; '' if it may."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.strip().casefold()
    if folded in _common_passwords():
        return TOO_COMMON
    address = email.strip().casefold()
    if address and folded in {address, address.partition("@")[0]}:
        return IS_EMAIL
    return ""
