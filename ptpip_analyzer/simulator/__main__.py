"""``python -m ptpip_analyzer.simulator``: the ``simulate`` command without the main CLI."""

from __future__ import annotations

import sys

from ..cli.simulate import simulator_main as main

if __name__ == "__main__":
    sys.exit(main())
