"""`attache train`: spaCy training in a run folder, promotion on success."""
from .run import TrainResult, train  # noqa: F401
