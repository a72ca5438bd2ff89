"""``python -m alliance_playbook``: the ``alliance`` command."""

import sys

from .adapters.cli import main

sys.exit(main())
