"""A throttling AWS simulator for driftq's scale benchmarks (not part of the package).

`server.py` is an asyncio HTTP server answering the query, EC2, JSON, CBOR, REST-JSON and
REST-XML calls driftq makes, with AWS-style token buckets per (account, region, action),
per-call latency and a storm mode. Its answers are moto's, recorded once (`record.py`) from
the demo estate's `production` account and replayed for any number of accounts, the account
id rewritten: every simulated account has the demo's resources, drifts and Terraform states.
"""
