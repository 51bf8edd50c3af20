"""The registry as data: what `driftq types --json` prints and the README's coverage table."""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import NOT_YET


def type_rows() -> list[dict[str, Any]]:
    """One row per supported type: service, scope, compared and left-out attributes (with
    the reason), the AWS operations it calls and its import id format."""
    from driftq.resources.registry import REGISTRY  # the registry imports every module here

    return [
        {
            "type": spec.type,
            "service": spec.service,
            "scope": "global" if spec.is_global else "regional",
            "compared": list(spec.compared),
            "left_out": dict(sorted(spec.left_out.items())),
            "operations": sorted(f"{c}:{o}" for c, o in spec.operations_called),
            "import_id": spec.import_id_format,
        }
        for spec in sorted(REGISTRY.values(), key=lambda s: (s.service, s.type))
    ]


def coverage_table() -> str:
    """The README's table of supported types (generated: scripts/readme-coverage)."""
    lines = [
        "| type | service | compared | left out (not yet) | AWS calls |",
        "|---|---|---|---|---|",
    ]
    for row in type_rows():
        total = len(row["compared"]) + len(row["left_out"])
        pending = sum(1 for why in row["left_out"].values() if why == NOT_YET)
        lines.append(
            f"| `{row['type']}` | {row['service']} | {len(row['compared'])} of {total} | "
            f"{len(row['left_out'])} ({pending}) | "
            f"{', '.join(o.split(':', 1)[1] for o in row['operations'])} |"
        )
    return "\n".join(lines)
