"""``python -m extractor`` is the ``extractor`` command."""

from .cli import main

main()
