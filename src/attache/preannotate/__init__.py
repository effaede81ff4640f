"""`attache preannotate`: articles -> Label Studio tasks with predictions."""
from .build import build_preannotator  # noqa: F401
from .tasks import preannotate, doc_to_results  # noqa: F401
