"""docker-compose.yml and the Dockerfile cannot be run here (no Docker engine): they are checked by reading them."""

from pathlib import Path

import yaml

from thidua.system import SERVICES

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, dict[str, object]]:
    services: dict[str, dict[str, object]] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return services


def test_every_service_has_a_container_serving_it_on_its_port() -> None:
    compose = _compose()
    for spec in SERVICES:
        container = compose[spec.name]
        port = spec.settings().port
        assert container["command"] == ["thidua", "serve", spec.name]
        assert f"{port}:{port}" in container["ports"]  # type: ignore[operator]
        env = container["environment"]
        assert isinstance(env, dict)
        assert env[f"THIDUA_{spec.name.upper()}_PORT"] == str(port)
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        depends = container["depends_on"]
        assert isinstance(depends, dict)
        assert depends["migrate"] == {"condition": "service_completed_successfully"}


def test_migrations_run_once_before_the_services_against_a_healthy_postgres() -> None:
    compose = _compose()
    assert compose["migrate"]["command"] == ["thidua", "demo"]
    assert compose["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert str(compose["postgres"]["image"]).startswith("postgres:")


def test_the_image_carries_the_code_the_services_need_and_runs_unprivileged() -> None:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    copied = {src for line in lines if line.startswith("COPY ") and "--from" not in line for src in line.split()[1:-1]}
    for package in ("kit", "services", "gateway", "thidua", "migrations", "plans", "uv.lock", "pyproject.toml"):
        assert package in copied, package
        assert (ROOT / package).exists(), package
    assert any(line.startswith("USER ") and "root" not in line for line in lines)
    assert any("uv sync --frozen" in line for line in lines)


def test_services_reach_the_registry_by_its_compose_name() -> None:
    scoring = _compose()["scoring"]["environment"]
    assert isinstance(scoring, dict)
    assert scoring["THIDUA_SCORING_REGISTRY_URL"] == "http://registry:8001"
    assert scoring["THIDUA_JWKS_URL"] == "http://registry:8001/auth/jwks.json"
    awards = _compose()["awards"]["environment"]
    assert isinstance(awards, dict)
    assert awards["THIDUA_AWARDS_REGISTRY_URL"] == "http://registry:8001"
    assert awards["THIDUA_AWARDS_SCORING_URL"] == "http://scoring:8002"
    assert awards["THIDUA_JWKS_URL"] == "http://registry:8001/auth/jwks.json"


def test_the_gateway_fronts_the_three_services_by_their_compose_names() -> None:
    gateway = _compose()["gateway"]
    assert gateway["command"] == ["thidua", "serve", "gateway"]
    assert "8000:8000" in gateway["ports"]  # type: ignore[operator]
    env = gateway["environment"]
    assert isinstance(env, dict)
    for name, port in (("registry", 8001), ("scoring", 8002), ("awards", 8003)):
        assert env[f"THIDUA_GATEWAY_{name.upper()}_URL"] == f"http://{name}:{port}"
    depends = gateway["depends_on"]
    assert isinstance(depends, dict)
    assert set(depends) == {"registry", "scoring", "awards"}
