"""The registry's wire models, the part of its API other packages may build on (with `client.py` and
`vocabulary.py`): each domain package's request and answer models, re-exported by area. Import the area
(`from services.registry.schemas import blocs`), never the domain package itself."""

from services.registry.blocs import schemas as blocs
from services.registry.lineage import schemas as lineage
from services.registry.movements import schemas as movements
from services.registry.registrations import schemas as registrations
from services.registry.units import schemas as units

__all__ = ["blocs", "lineage", "movements", "registrations", "units"]
