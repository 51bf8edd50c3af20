"""Event-driven detection: a CloudTrail record of a change -> a targeted rescan of the one
resource it touched, with who changed it (docs/events.md).

- ``mapping`` / ``types/``: eventSource + eventName -> Terraform types and resource ids;
- ``parse``: the EventBridge envelope, a raw CloudTrail record, a log file, or a list;
- ``plan``: calls -> targets (account, region, service, types, ids), or why not;
- ``targeted``: one target scanned with the engine, findings carrying ``changed_by``;
- ``debounce``: bursts for one resource coalesce (Redis);
- ``receiver`` / ``consumer``: the HTTP receiver and the SQS consumer.
"""
