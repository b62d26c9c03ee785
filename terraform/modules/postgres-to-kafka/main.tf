# The services are looked up by name, so a configuration reads like the agent's own and an id
# never has to be copied around. Their kind is checked at plan time: swapped names fail here
# with the reason instead of at apply time inside the agent.
data "foundrydb_service" "source" {
  name = var.source_service

  lifecycle {
    postcondition {
      condition     = self.kind == "postgresql"
      error_message = "source_service \"${var.source_service}\" is a ${self.kind} service; pipelines capture changes from a PostgreSQL service."
    }
  }
}

data "foundrydb_service" "sink" {
  name = var.sink_service

  lifecycle {
    postcondition {
      condition     = self.kind == "kafka"
      error_message = "sink_service \"${var.sink_service}\" is a ${self.kind} service; pipelines write change events to a Kafka service."
    }
  }
}

locals {
  # Debezium names the topic of schema.table "<topic_prefix>.<schema>.<table>". Derived from the
  # configuration rather than read from the pipelines, so it is known at plan time and other
  # modules (topic ACLs, consumers) can plan against it before the pipelines exist.
  topics = {
    for name, p in var.pipelines : name => { for table in p.tables : table => "${p.topic_prefix}.${table}" }
  }
}

resource "foundrydb_pipeline" "this" {
  for_each = var.pipelines

  name              = each.key
  pipeline_type     = "cdc_pg_to_kafka"
  source_service_id = data.foundrydb_service.source.id
  sink_service_id   = data.foundrydb_service.sink.id

  config = {
    tables        = each.value.tables
    topic_prefix  = each.value.topic_prefix
    snapshot_mode = each.value.snapshot_mode
  }

  desired_state = each.value.desired_state
  max_lag_bytes = each.value.max_lag_bytes

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }
}
