"""The only AWS writers: a run's results to S3, CloudWatch, SNS and DynamoDB (`outputs:`).

    settings.py    the `outputs:` config models (imported by `driftq.config_models`)
    clients.py     WriteClients: boto3 clients limited to an allow-list of write actions
    retry.py       one write, retried with backoff when AWS may accept it later
    run.py         publish_outputs: S3, CloudWatch and DynamoDB at a run's end
    s3.py, cloudwatch.py, dynamodb.py   one output each; slices.py splits a report
The SNS output is a notification channel: `driftq.notify.sns`.

This package stays import-light (no submodule is imported here), so that the config
models can import `settings` without a cycle.
"""
