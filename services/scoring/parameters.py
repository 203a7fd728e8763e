"""The path parameters the scoring endpoints share, described once for the OpenAPI page."""

import uuid
from typing import Annotated

from fastapi import Path

from services.scoring.vocabulary import GroupKind

PeriodID = Annotated[uuid.UUID, Path(description="scoring period id")]
UnitID = Annotated[uuid.UUID, Path(description="unit id (the registry's), a participant of the period")]
FrameworkID = Annotated[uuid.UUID, Path(description="framework version id")]
FileID = Annotated[uuid.UUID, Path(description="evidence file id")]
IndicatorCode = Annotated[str, Path(description="code of an indicator of the period's framework, e.g. CQS.1.2")]
NodeCode = Annotated[str, Path(description="code of an indicator, index or pillar of the period's framework")]
RankingKind = Annotated[GroupKind, Path(description="peer (same kind and level), bloc or custom")]
