import uuid

from pydantic import Field

from kit.schemas import OutModel


class InScope(OutModel):
    ids: list[uuid.UUID] = Field(description="the ids asked that are in your scope (unknown ones are left out)")
