# One pipeline per schema: each schema's pipeline has its own replication slot, connector and
# lifecycle, so one schema can be stopped, resnapshotted or fail without holding up the others,
# and each team that owns a schema reads topics under its own `<topic_prefix>.<schema>.` prefix.
locals {
  pipelines = {
    for schema, s in var.schemas : "${var.name_prefix}-${schema}" => {
      tables        = [for t in s.tables : "${schema}.${t}"]
      topic_prefix  = var.topic_prefix
      snapshot_mode = s.snapshot_mode
      desired_state = s.desired_state
      max_lag_bytes = s.max_lag_bytes
    }
  }
  pipeline_names = { for schema in keys(var.schemas) : schema => "${var.name_prefix}-${schema}" }
}

module "pipelines" {
  source = "../postgres-to-kafka"

  source_service = var.source_service
  sink_service   = var.sink_service
  pipelines      = local.pipelines
  timeouts       = var.timeouts
}
