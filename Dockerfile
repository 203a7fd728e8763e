# One image for every service: `thidua serve <service>` picks which one runs (see docker-compose.yml).
FROM python:3.11-slim AS build
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY kit ./kit
COPY services ./services
COPY gateway ./gateway
COPY thidua ./thidua
COPY migrations ./migrations
COPY plans ./plans
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
RUN useradd --system --uid 10001 thidua
WORKDIR /app
COPY --from=build /app /app
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1 THIDUA_HOST=0.0.0.0
USER thidua
EXPOSE 8000 8001 8002 8003
CMD ["thidua", "serve", "registry"]
