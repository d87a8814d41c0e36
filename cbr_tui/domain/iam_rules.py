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
- An account's administrators may change the password length and character types and the login policy
  within the ranges those pages give (`SECURITY_RANGES`).
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


_USERNAME_RE = re.compile(r"[A-Za-z0-9 ._-]+")
_EMAIL_RE = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_PHONE_RE = re.compile(r"\+?[0-9]+")


# The account's Security Settings that may be changed, with IAM's documented ranges (user guide, *Password
# Policy* and *Login Authentication Policy*): (least, most, unit, what it is).
SECURITY_RANGES: dict[str, tuple[int, int, str, str]] = {
    "password_min_length": (PASSWORD_MIN, PASSWORD_MAX, "characters", "the shortest password"),
    "password_character_types": (2, 4, "types", "the character types a password needs"),
    "session_timeout_minutes": (15, 1440, "minutes", "the session timeout"),
    "failures_allowed": (3, 10, "failures", "the failed logins that lock a user"),
    "failure_window_minutes": (15, 60, "minutes", "the time the failures are counted in"),
    "lockout_minutes": (15, 30, "minutes", "the lockout"),
}


@dataclass(frozen=True)
class SecurityPolicy:
    """An account's password policy and login authentication policy (IAM's defaults unless changed)."""

    password_min_length: int = PASSWORD_MIN
    password_character_types: int = PASSWORD_CHARACTER_TYPES
    session_timeout_minutes: int = 60
    failures_allowed: int = 5
    failure_window_minutes: int = 15
    lockout_minutes: int = 15

    @property
    def session_timeout(self) -> timedelta:
        return timedelta(minutes=self.session_timeout_minutes)

    @property
    def failure_window(self) -> timedelta:
        return timedelta(minutes=self.failure_window_minutes)

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @property
    def password_rule(self) -> str:
        return (f"{self.password_min_length} to {PASSWORD_MAX} characters with at least "
                f"{self.password_character_types} of: upper-case letters, lower-case letters, digits, special "
                "characters")


DEFAULT_SECURITY = SecurityPolicy()


def check_security_policy(current: SecurityPolicy, changes: dict[str, int | None]) -> SecurityPolicy:
    """The settings with `changes` applied, each within IAM's range."""
    values = {name: getattr(current, name) for name in SECURITY_RANGES}
    for name, value in changes.items():
        if value is None:
            continue
        if name not in SECURITY_RANGES:
            raise invalid(f"{name!r} is not a security setting; the settings are {', '.join(SECURITY_RANGES)}.")
        least, most, unit, what = SECURITY_RANGES[name]
        if not least <= value <= most:
            raise invalid(f"{what.capitalize()} must be {least} to {most} {unit}; {value} is not.")
        values[name] = value
    return SecurityPolicy(**values)


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


def check_password(password: str, username: str, policy: SecurityPolicy = DEFAULT_SECURITY) -> str:
    """A new password under the account's password policy; the refusal never repeats the password."""
    least = policy.password_min_length
    if not least <= len(password) <= PASSWORD_MAX:
        raise invalid(f"A password has {least} to {PASSWORD_MAX} characters; this one has {len(password)}.")
    if any(not (character.isascii() and character.isprintable()) for character in password):
        raise invalid("A password may contain only letters, digits, spaces and the special characters of an "
                      "English keyboard.")
    if _character_types(password) < policy.password_character_types:
        raise invalid(f"A password needs at least {policy.password_character_types} of these character types: "
                      "upper-case letters, lower-case letters, digits and special characters.")
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
