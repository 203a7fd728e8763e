"""The scoring's wire models, the part of its API other packages may build on (with `client.py` and
`vocabulary.py`): each domain package's request and answer models, re-exported by area. Import the area
(`from services.scoring.schemas import frameworks`), never the domain package itself."""

from services.scoring.frameworks import schemas as frameworks
from services.scoring.periods import schemas as periods
from services.scoring.scores import schemas as scores
from services.scoring.submissions import schemas as submissions

__all__ = ["frameworks", "periods", "scores", "submissions"]
