# The dashboard on driftq's metrics: the run's totals, then one line per account (the
# SEARCH expressions find every value of the Account dimension, however many accounts).

locals {
  per_account = {
    DriftedResources   = "Drifted resources by account"
    MissingResources   = "Missing resources by account"
    UnmanagedResources = "Unmanaged resources by account"
  }
  totals_widget = {
    type   = "metric"
    x      = 0
    y      = 0
    width  = 24
    height = 6
    properties = {
      title  = "Drift in the whole estate"
      region = var.region
      view   = "timeSeries"
      stat   = "Maximum"
      period = 300
      metrics = [
        [var.namespace, "DriftedResources"],
        [var.namespace, "MissingResources"],
        [var.namespace, "UnmanagedResources"],
        [var.namespace, "UnitsFailed", { yAxis = "right" }],
      ]
    }
  }
  account_widgets = [
    for i, metric in keys(local.per_account) : {
      type   = "metric"
      x      = (i % 3) * 8
      y      = 6
      width  = 8
      height = 8
      properties = {
        title  = local.per_account[metric]
        region = var.region
        view   = "timeSeries"
        period = 300
        metrics = [[{
          id         = "e${i}"
          expression = "SEARCH('{${var.namespace},Account} MetricName=\"${metric}\"', 'Maximum', 300)"
          label      = ""
        }]]
      }
    }
  ]
  run_widget = {
    type   = "metric"
    x      = 0
    y      = 14
    width  = 24
    height = 4
    properties = {
      title   = "Run duration (seconds)"
      region  = var.region
      view    = "timeSeries"
      stat    = "Maximum"
      period  = 300
      metrics = [[var.namespace, "RunSeconds"]]
    }
  }
}

resource "aws_cloudwatch_dashboard" "drift" {
  dashboard_name = var.dashboard_name
  dashboard_body = jsonencode({
    widgets = concat([local.totals_widget], local.account_widgets, [local.run_widget])
  })
}
