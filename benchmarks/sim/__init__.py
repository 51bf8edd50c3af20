"""A throttling AWS simulator for driftq's scale benchmarks (not part of the package).

`server.py` is an asyncio HTTP server answering the query, EC2, JSON, CBOR, REST-JSON and
REST-XML calls driftq makes, with AWS-style token buckets per (account, region, action),
per-call latency and a storm mode. Its answers are moto's, recorded once (`record.py`) from
a scan of the demo estate's `production` account grown to every service driftq scans
(`full_estate.py`: one resource of every type moto can make, planted drifts) and replayed
for any number of accounts, the account id rewritten: every simulated account has those
resources, drifts and Terraform states.
"""
