"""Command-line arguments shared by `driftq scan` (driftq/cli.py) and `driftq submit`
(workers/cli.py): the cluster client imports them from here, so that nothing in the engine
ever needs to import the Celery side."""

from __future__ import annotations

import argparse

from driftq.plan import Selection


def selection_from(args: argparse.Namespace) -> Selection:
    """The `--account/--region/--service/--resource-type/--tag` flags as a Selection."""
    return Selection(
        accounts=tuple(args.account),
        regions=tuple(args.region),
        services=tuple(args.service),
        resource_types=tuple(args.resource_type),
        tags=tuple(getattr(args, "tag", ())),
    )
