from kit.migrations import run_env
from services.awards.models import Base

run_env(Base.metadata)
