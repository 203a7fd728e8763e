"""The OpenAPI of every app documents what the app answers (kit.openapi): problem responses per operation as
problem+json, no security on public reads, downloads with their media types; and the answers that must agree with
it (Allow on a 405, uuid path segments). No database: the documents and routing are read in-process."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app as gateway_app
from gateway.settings import GatewaySettings
from kit.problems import PROBLEM_JSON
from services.awards.app import create_app as awards_app
from services.awards.settings import AwardsSettings
from services.registry.app import create_app as registry_app
from services.registry.settings import RegistrySettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.problems import assert_problem

UNUSED = "postgresql://unused/unused"
APPS = {
    "registry": lambda: registry_app(RegistrySettings(database_url=UNUSED)),
    "scoring": lambda: scoring_app(ScoringSettings(database_url=UNUSED)),
    "awards": lambda: awards_app(AwardsSettings(database_url=UNUSED)),
    "gateway": lambda: gateway_app(GatewaySettings()),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UNIT = "/units/{unit_id}"


def _document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = APPS[name]().openapi()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]


@pytest.fixture(scope="module")
def registry() -> dict[str, Any]:
    return _document("registry")


class TestProblemResponses:
    @pytest.mark.parametrize("name", sorted(APPS))
    def test_every_error_status_is_problem_json_with_the_problem_schema(self, name: str) -> None:
        document = _document(name)
        assert {"type", "title", "status", "detail", "instance", "request_id", "errors"} <= set(
            document["components"]["schemas"]["Problem"]["properties"]
        )
        for path, method, operation in _operations(document):
            errors = {code: r for code, r in operation["responses"].items() if code.startswith(("4", "5"))}
            assert "500" in errors, (path, method)
            for code, response in errors.items():
                assert response["content"] == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}, (
                    path,
                    method,
                    code,
                )

    def test_a_versioned_write_documents_its_caller_version_and_body_problems(self, registry: dict[str, Any]) -> None:
        operation = registry["paths"][UNIT]["patch"]
        assert set(operation["responses"]) == {
            "200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "500", "503",
        }  # fmt: skip
        if_match = next(p for p in operation["parameters"] if p["name"].lower() == "if-match")
        assert if_match["required"] is True
        assert operation["responses"]["401"]["headers"]["WWW-Authenticate"]

    def test_an_operation_with_nothing_to_read_documents_only_unexpected_failures(
        self, registry: dict[str, Any]
    ) -> None:
        assert set(registry["paths"]["/livez"]["get"]["responses"]) == {
            "200",
            "304",
            "500",
        }  # 304: every GET honours If-None-Match
        assert set(registry["paths"]["/unit-kinds"]["get"]["responses"]) == {"200", "304", "500"}

    def test_an_id_in_a_query_or_body_documents_404(self, registry: dict[str, Any]) -> None:
        assert "404" in registry["paths"]["/units/tree"]["get"]["responses"]  # ?root=
        assert "404" in registry["paths"]["/units"]["post"]["responses"]  # parent_id in the body

    def test_fastapis_own_validation_schema_is_gone(self, registry: dict[str, Any]) -> None:
        assert "HTTPValidationError" not in registry["components"]["schemas"]


class TestSecurity:
    def test_a_public_read_has_no_security_requirement_but_a_write_keeps_bearer(self, registry: dict[str, Any]) -> None:
        assert "security" not in registry["paths"][UNIT]["get"]  # OptionalCaller: anonymous callers see public units
        assert registry["paths"][UNIT]["patch"]["security"] == [{"HTTPBearer": []}]

    def test_a_public_read_still_documents_the_401_of_a_bad_token(self, registry: dict[str, Any]) -> None:
        assert "401" in registry["paths"][UNIT]["get"]["responses"]


class TestDownloads:
    def test_documents_are_docx(self) -> None:
        paths = _document("awards")["paths"]
        for path in (
            "/decisions/{decision_id}/document.docx",
            "/councils/{council_id}/minutes.docx",
            "/nominations/{nomination_id}/cover-letter.docx",
        ):
            assert paths[path]["get"]["responses"]["200"]["content"] == {
                DOCX: {"schema": {"type": "string", "format": "binary"}}
            }

    def test_evidence_declares_the_accepted_file_types(self) -> None:
        content = _document("scoring")["paths"]["/periods/{period_id}/evidence/{file_id}"]["get"]["responses"]["200"]
        assert {"application/pdf", "image/png", DOCX} <= set(content["content"])

    def test_open_data_pages_are_json_or_csv(self) -> None:
        paths = _document("gateway")["paths"]
        for path in ("/open-data/units", "/open-data/decisions", "/open-data/rankings/{period_id}"):
            assert set(paths[path]["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
        assert set(paths["/open-data"]["get"]["responses"]["200"]["content"]) == {"application/ld+json"}


async def _call(app: FastAPI, method: str, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.request(method, path)


class TestAnswersAgreeWithTheDocument:
    async def test_a_405_lists_every_method_of_its_path(self) -> None:
        response = await _call(APPS["registry"](), "OPTIONS", "/units/0b9d7c2e-3f1a-4c5e-9a7b-2d4e6f8a0c1e")
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "GET, PATCH"
        assert response.headers["content-type"] == PROBLEM_JSON

    async def test_a_named_path_beside_an_id_path_is_its_own_path(self) -> None:
        response = await _call(APPS["registry"](), "PATCH", "/units/import")
        # not /units/{unit_id} with a bad id, refused for its missing If-Match
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "POST"

    async def test_a_segment_that_is_no_uuid_is_no_path(self) -> None:
        response = await _call(APPS["registry"](), "GET", "/units/not-a-uuid")
        assert response.status_code == 404
        assert response.json()["type"] == "https://thidua.vn/problems/not-found"
