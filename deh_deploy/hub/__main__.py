"""``python -m deh_deploy.hub serve|migrate …``: the hub commands with the CLI's error handling (one line,
exit 1 for an expected failure), for hosts that run the service without the ``deh`` script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import typer
    from typer._click.exceptions import ClickException  # typer's bundled click

    from deh_deploy.errors import DehError
    from deh_deploy.hub.cli import _err, hub_app

    try:
        typer.main.get_command(hub_app).main(args=argv, prog_name="deh hub", standalone_mode=False)
    except DehError as exc:
        from deh_deploy.errors import ConfigError

        if isinstance(exc, ConfigError):
            for d in exc.diagnostics:
                _err(d.format())
        _err(f"deh: {exc if not isinstance(exc, ConfigError) else 'problems in the config'}")
        return exc.exit_code
    except ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
