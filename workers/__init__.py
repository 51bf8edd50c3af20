"""driftq's Celery runtime: thin adapters around the engine.

`celery -A workers worker|beat|flower` finds the app here. Each task body calls the engine
(`driftq.engine`, which never imports Celery); this package adds the cluster: queues, the run
store in Redis, the run lock, cluster-wide AWS rate limits and the monitoring schedule.
"""

from workers.app import app

__all__ = ["app"]
