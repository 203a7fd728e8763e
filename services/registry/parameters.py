"""The path parameters the registry endpoints share, described once for the OpenAPI page."""

import uuid
from typing import Annotated

from fastapi import Path

BlocID = Annotated[uuid.UUID, Path(description="bloc id (Cụm/Khối thi đua)")]
EventID = Annotated[uuid.UUID, Path(description="lineage event id")]
MovementID = Annotated[uuid.UUID, Path(description="movement id (phong trào thi đua)")]
PersonID = Annotated[uuid.UUID, Path(description="person id")]
RegistrationID = Annotated[uuid.UUID, Path(description="registration id (đăng ký thi đua)")]
UnitID = Annotated[uuid.UUID, Path(description="unit id")]
