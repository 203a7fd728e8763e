"""The path parameters the awards endpoints share, described once for the OpenAPI page."""

import uuid
from typing import Annotated

from fastapi import Path

AwardID = Annotated[uuid.UUID, Path(description="award id (one line of a decision)")]
CouncilID = Annotated[uuid.UUID, Path(description="council session id (Hội đồng Thi đua – Khen thưởng)")]
DecisionID = Annotated[uuid.UUID, Path(description="award decision id (Quyết định khen thưởng)")]
DocumentID = Annotated[uuid.UUID, Path(description="id of a document of the dossier")]
FormID = Annotated[uuid.UUID, Path(description="award form or emulation title id")]
NominationID = Annotated[uuid.UUID, Path(description="nomination id (hồ sơ đề nghị khen thưởng)")]
PersonID = Annotated[uuid.UUID, Path(description="person id (the registry's)")]
RuleID = Annotated[uuid.UUID, Path(description="award rule id")]
UnitID = Annotated[uuid.UUID, Path(description="unit id (the registry's)")]
