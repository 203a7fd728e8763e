"""The awards's wire models, the part of its API other packages may build on (with `client.py` and
`vocabulary.py`): each domain package's request and answer models, re-exported by area. Import the area
(`from services.awards.schemas import councils`), never the domain package itself."""

from services.awards.councils import schemas as councils
from services.awards.decisions import schemas as decisions
from services.awards.history import schemas as history
from services.awards.nominations import schemas as nominations
from services.awards.rules import schemas as rules

__all__ = ["councils", "decisions", "history", "nominations", "rules"]
