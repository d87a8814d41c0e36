"""IAM's own rules for users, as Huawei Cloud documents them: usernames, the password policy and the login
authentication policy (the README cites the pages). Each check refuses with a sentence a person understands.

- Username (API reference, *Creating an IAM User*): 1 to 64 characters; letters (case-sensitive), digits,
  spaces, `-`, `_` and `.`; it cannot start with a digit or a space.
- Password policy (user guide, *Password Policy*, the defaults): 8 to 32 characters, at least 2 of the 4
  character types (upper-case letters, lower-case letters, digits, special characters), not the username
  nor the username spelled backwards.
- Login authentication policy (user guide, *Login Authentication Policy*, the defaults): a session ends
  after 1 hour without activity; 5 failed logins within 15 minutes lock the user out for 15 minutes, and
  nobody can unlock it sooner.
"""

import re
import string
from dataclasses import dataclass
from datetime import timedelta

from cbr_tui.domain.errors import invalid
from cbr_tui.domain.rules import check_description, check_plain_text

USERNAME_MAX = 64
GROUP_NAME_MAX = 64
PASSWORD_MIN = 8
PASSWORD_MAX = 32
PASSWORD_CHARACTER_TYPES = 2
EMAIL_MAX = 255
PHONE_DIGITS_MAX = 32
SSH_KEYS_PER_USER = 5

PASSWORD_RULE = (f"{PASSWORD_MIN} to {PASSWORD_MAX} characters with at least {PASSWORD_CHARACTER_TYPES} of: upper-case "
                 "letters, lower-case letters, digits, special characters")

_USERNAME_RE = re.compile(r"[A-Za-z0-9 ._-]+")
_EMAIL_RE = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_PHONE_RE = re.compile(r"\+?[0-9]+")


@dataclass(frozen=True)
class LoginPolicy:
    """The login authentication policy's defaults; the ranges the console allows are in the docstring above."""

    session_timeout: timedelta = timedelta(hours=1)
    failures_allowed: int = 5
    failure_window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


LOGIN_POLICY = LoginPolicy()


def check_username(value: str | None, what: str = "username") -> str:
    name = value or ""
    if not name:
        raise invalid(f"The {what} is required: enter 1 to {USERNAME_MAX} characters.")
    if len(name) > USERNAME_MAX:
        raise invalid(f"The {what} has {len(name)} characters; it can have at most {USERNAME_MAX}.")
    if not _USERNAME_RE.fullmatch(name):
        raise invalid(f"The {what} {name!r} may contain only letters, digits, spaces, hyphens (-), "
                      "underscores (_) and periods (.).")
    if name[0].isdigit() or name[0] == " ":
        raise invalid(f"The {what} {name!r} cannot start with a digit or a space.")
    return name


def check_group_name(value: str | None) -> str:
    """A user group's name: as a username, up to 64 characters."""
    return check_username(value, "user group name")


def _character_types(password: str) -> int:
    kinds = (str.isupper, str.islower, str.isdigit)
    found = {index for character in password for index, kind in enumerate(kinds) if kind(character)}
    special = any(character in string.punctuation or character == " " for character in password)
    return len(found) + special


def check_password(password: str, username: str) -> str:
    """A new password under the password policy; the refusal never repeats the password."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise invalid(f"A password has {PASSWORD_MIN} to {PASSWORD_MAX} characters; this one has {len(password)}.")
    if any(not (character.isascii() and character.isprintable()) for character in password):
        raise invalid("A password may contain only letters, digits, spaces and the special characters of an "
                      "English keyboard.")
    if _character_types(password) < PASSWORD_CHARACTER_TYPES:
        raise invalid(f"A password needs at least {PASSWORD_CHARACTER_TYPES} of these character types: upper-case "
                      "letters, lower-case letters, digits and special characters.")
    if password.lower() in (username.lower(), username.lower()[::-1]):
        raise invalid("A password cannot be the username or the username spelled backwards.")
    return password


def check_email(value: str | None, *, required: bool) -> str | None:
    """An email address; required when the user sets their own password at first login."""
    email = (value or "").strip()
    if not email:
        if required:
            raise invalid("The email address is required when the password type is Set by user: the user is "
                          "sent the link to set it.")
        return None
    if len(email) > EMAIL_MAX:
        raise invalid(f"The email address has {len(email)} characters; it can have at most {EMAIL_MAX}.")
    if not _EMAIL_RE.fullmatch(email):
        raise invalid(f"{email!r} is not an email address (name@example.com).")
    return check_plain_text(email, "email address")


def check_phone(value: str | None) -> str | None:
    """An optional mobile number: digits with an optional leading + (the country code), at most 32 digits."""
    phone = (value or "").replace(" ", "").replace("-", "")
    if not phone:
        return None
    if not _PHONE_RE.fullmatch(phone) or len(phone.lstrip("+")) > PHONE_DIGITS_MAX:
        raise invalid(f"The mobile number {value!r} must be digits with an optional leading + and country code, "
                      f"at most {PHONE_DIGITS_MAX} digits.")
    return phone


def check_user_description(value: str | None) -> str | None:
    return check_description(value, "user description")
