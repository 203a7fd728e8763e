"""GraphQL names for service enums that share a Python name with another service's (imported before any type)."""

import strawberry

from services.awards import vocabulary
from services.awards.schemas import rules

strawberry.enum(vocabulary.SubjectType, name="AwardSubjectType")
strawberry.enum(vocabulary.Status, name="NominationStatus")
strawberry.enum(rules.Standing, name="CandidateStanding")
strawberry.enum(rules.Better, name="TieBreakBetter")
