"""The optional bearer token of /api and /ui (``WIRESTREAM_API_TOKEN``).

Unset (the default), the API and the page are open to whoever reaches the web port, which binds
to loopback unless told otherwise. Set, every request must carry ``Authorization: Bearer <token>``
or the cookie that ``/ui/login`` sets; anything else gets 401. The token is unwrapped here and
nowhere else (besides the Kafka password in streams/kafka_client.py); it is compared in constant
time and never logged: faust's access log shows the request line, and the token is never in it.
"""

import hmac
from typing import Mapping

from pydantic import SecretStr

COOKIE = "wirestream_token"


def _bearer(header: str) -> str:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class TokenCheck:
    def __init__(self, token: SecretStr | None):
        self._token = token.get_secret_value().encode() if token is not None else None

    @property
    def required(self) -> bool:
        return self._token is not None

    def allows(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        if self._token is None:
            return True
        given = _bearer(headers.get("Authorization", "")) or cookies.get(COOKIE, "")
        return hmac.compare_digest(given.encode(), self._token)

    def matches(self, candidate: str) -> bool:
        """For the login form: is this the token?"""
        return self._token is not None and hmac.compare_digest(candidate.encode(), self._token)

    def headers(self) -> dict[str, str]:
        """What a client of the API (the CLI, a worker asking another) sends."""
        return {"Authorization": f"Bearer {self._token.decode()}"} if self._token is not None else {}
