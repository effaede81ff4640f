"""`python -m attache`: the same as the `attache` console script."""
from .cli.main import main

main()
