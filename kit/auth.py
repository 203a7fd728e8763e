"""Bearer JWT identity: verification against a JWKS or local public keys, and the embedded issuer.

A caller has roles and a unit scope (one unit and its subtree). Which roles exist and what a scope contains are
the services' business; this module only proves who is calling.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kit.problems import Forbidden, ServiceUnavailable, Text, Unauthenticated

ALGORITHMS = ["EdDSA", "RS256", "ES256", "PS256"]


@dataclass(frozen=True)
class Caller:
    """Who is calling: subject, display name, roles, and the root unit of their scope (None: no unit scope)."""

    subject: str
    roles: frozenset[str]
    unit_id: uuid.UUID | None = None
    name: str | None = None

    def has_any(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def require_any(self, roles: Iterable[str]) -> None:
        wanted = frozenset(roles)
        if not self.has_any(wanted):
            raise Forbidden(
                Text(
                    "Vai trò của bạn không được phép thực hiện thao tác này (cần một trong: "
                    + ", ".join(sorted(wanted))
                    + ")",
                    "Your roles do not allow this operation (needs one of: " + ", ".join(sorted(wanted)) + ")",
                ),
            )


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    roles = claims.get("roles") or claims.get("realm_access", {}).get("roles") or []
    unit = claims.get("unit_id")
    try:
        unit_id = uuid.UUID(str(unit)) if unit else None
    except ValueError as exc:
        raise Unauthenticated(Text("Token có unit_id không hợp lệ", "Token carries an invalid unit_id")) from exc
    return Caller(
        subject=str(claims["sub"]), roles=frozenset(map(str, roles)), unit_id=unit_id, name=claims.get("name")
    )


class TokenVerifier:
    """Verifies bearer tokens. Keys come from local PEM files or a JWKS URL (refetched when a `kid` is unknown)."""

    _REFETCH_AFTER_S = 60.0

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        public_keys: Iterable[Any] = (),
        jwks_url: str | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self._local = list(public_keys)
        self._jwks_url = jwks_url
        self._http = http
        self._jwks: dict[str, Any] = {}
        self._fetched_at = 0.0

    @classmethod
    def from_pem_file(cls, path: Path, *, issuer: str, audience: str) -> TokenVerifier:
        keys = [serialization.load_pem_public_key(path.read_bytes())] if path.exists() else []
        return cls(issuer=issuer, audience=audience, public_keys=keys)

    async def _keys_for(self, kid: str | None) -> list[Any]:
        if self._jwks_url is None:
            return self._local
        if (kid not in self._jwks) and time.monotonic() - self._fetched_at > self._REFETCH_AFTER_S:
            await self._fetch_jwks()
        if kid is not None and kid in self._jwks:
            return [self._jwks[kid]]
        return list(self._jwks.values())

    async def _fetch_jwks(self) -> None:
        assert self._jwks_url is not None
        client = self._http or httpx.AsyncClient(timeout=5)
        try:
            response = await client.get(self._jwks_url)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(Text("Không lấy được khóa xác thực (JWKS)", "Could not fetch the JWKS")) from exc
        finally:
            if self._http is None:
                await client.aclose()
        jwk_set = jwt.PyJWKSet.from_dict(response.json())
        self._jwks = {k.key_id or str(i): k.key for i, k in enumerate(jwk_set.keys)}
        self._fetched_at = time.monotonic()

    async def verify(self, token: str) -> Caller:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthenticated(Text("Token không đọc được", "Malformed token")) from exc
        for key in await self._keys_for(kid):
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=ALGORITHMS,
                    audience=self.audience,
                    issuer=self.issuer,
                    options={"require": ["exp", "sub"]},
                )
            except jwt.ExpiredSignatureError as exc:
                raise Unauthenticated(Text("Token đã hết hạn", "Token expired")) from exc
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as exc:
                raise Unauthenticated(Text("Token không hợp lệ", "Invalid token: " + str(exc))) from exc
            return caller_from_claims(claims)
        raise Unauthenticated(Text("Chữ ký token không hợp lệ", "Token signature not recognised"))


class TokenIssuer:
    """The embedded default's own issuer: an Ed25519 key kept under the data folder, created on first use."""

    def __init__(self, key_dir: Path, *, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        private_path = key_dir / "signing.pem"
        if not private_path.exists():
            key_dir.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            private_path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            private_path.chmod(0o600)
            (key_dir / "signing-public.pem").write_bytes(
                key.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )
        loaded = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        assert isinstance(loaded, Ed25519PrivateKey)
        self._key = loaded
        self.public_key: Ed25519PublicKey = loaded.public_key()
        self.kid = self.jwk()["kid"]

    def jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.public_key))
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk.update(kid=raw.hex()[:16], alg="EdDSA", use="sig")
        return jwk

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk()]}

    def issue(self, caller: Caller, *, ttl_seconds: int = 8 * 3600) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": caller.subject,
            "iat": now,
            "exp": now + ttl_seconds,
            "roles": sorted(caller.roles),
        }
        if caller.unit_id:
            claims["unit_id"] = str(caller.unit_id)
        if caller.name:
            claims["name"] = caller.name
        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": self.kid})


_bearer = HTTPBearer(auto_error=False, description="JWT from the embedded issuer or the province's OIDC provider")


async def _optional_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller | None:
    if credentials is None:
        return None
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(credentials.credentials)


async def _required_caller(caller: Annotated[Caller | None, Depends(_optional_caller)]) -> Caller:
    if caller is None:
        raise Unauthenticated(Text("Thao tác này cần token đăng nhập (Bearer)", "This operation needs a bearer token"))
    return caller


OptionalCaller = Annotated[Caller | None, Depends(_optional_caller)]
AuthenticatedCaller = Annotated[Caller, Depends(_required_caller)]


def requires(*roles: str) -> Any:
    """A dependency that yields the authenticated caller holding one of `roles`, else 401/403 before the handler runs.

    Declare who may call an operation in its signature, e.g.
    `Officer = Annotated[Caller, requires(Role.EMULATION_OFFICE, Role.ADMIN)]`; the roles are published in the
    operation's OpenAPI as `x-roles` (see `kit.app`). Scope on the data stays the service's check."""
    wanted = frozenset(roles)

    async def holding_role(caller: AuthenticatedCaller) -> Caller:
        caller.require_any(wanted)
        return caller

    holding_role.roles = wanted  # type: ignore[attr-defined]  # read by the OpenAPI annotation
    return Depends(holding_role)


def declared_roles(dependency: Any) -> frozenset[str] | None:
    """The roles a `requires(...)` dependency declares (None for any other dependency)."""
    roles = getattr(dependency, "roles", None)
    return roles if isinstance(roles, frozenset) else None
