"""``python -m deh_deploy.hub serve|migrate …``: ``deh hub …`` for hosts that run the service without the ``deh``
script (an entry point, like the CLI itself)."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from deh_deploy.cli import main

    main(["hub", *sys.argv[1:]])
