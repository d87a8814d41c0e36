"""Secrets as they are kept: passwords and secret keys as scrypt hashes, session tokens as SHA-256 digests.

scrypt runs with N=2^14, r=8, p=1, the parameters its paper gives for interactive logins (about 16 MiB and
a few tens of milliseconds a check); the parameters travel in the stored string, so they can be raised later
without breaking existing hashes. A random token of 256 bits cannot be guessed, so a fast digest guards it.
"""

import base64
import hashlib
import hmac
import secrets

_N_LOG2, _R, _P = 14, 8, 1
_PREFIX = "$scrypt$"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _scrypt(secret: str, salt: bytes, n_log2: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=1 << n_log2, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def hash_secret(secret: str) -> str:
    """`$scrypt$ln=14,r=8,p=1$<salt>$<hash>` (the PHC string format) for a password or secret key."""
    salt = secrets.token_bytes(16)
    return f"{_PREFIX}ln={_N_LOG2},r={_R},p={_P}${_b64(salt)}${_b64(_scrypt(secret, salt, _N_LOG2, _R, _P))}"


def secret_matches(secret: str, stored: str | None) -> bool:
    """True when `secret` is the one `stored` was made from; a malformed or missing hash matches nothing."""
    if not stored or not stored.startswith(_PREFIX):
        return False
    try:
        params, salt, digest = stored[len(_PREFIX):].split("$")
        values = dict(item.split("=") for item in params.split(","))
        n_log2, r, p = int(values["ln"]), int(values["r"]), int(values["p"])
        if not (10 <= n_log2 <= 20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        return hmac.compare_digest(_scrypt(secret, _unb64(salt), n_log2, r, p), _unb64(digest))
    except (ValueError, KeyError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_access_key() -> tuple[str, str]:
    """An access key ID (20 upper-case letters and digits, as IAM's) and its 40-character secret."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    access = "".join(secrets.choice(alphabet) for _ in range(20))
    secret = "".join(secrets.choice(alphabet + "abcdefghijklmnopqrstuvwxyz") for _ in range(40))
    return access, secret
