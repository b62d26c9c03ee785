output "pipeline_ids" {
  description = "Id of each pipeline (`pl_...`), by pipeline name: for `terraform import` and the agent's API."
  value       = { for name, p in foundrydb_pipeline.this : name => p.id }
}

output "topics" {
  description = "For each pipeline, by name, the Kafka topic of each of its tables (`schema.table` => topic). Known at plan time."
  value       = local.topics
}

output "all_topics" {
  description = "Every topic the pipelines write, sorted: for consumers, topic ACLs or a sink connector's topic list. Known at plan time."
  value       = sort(flatten([for tables in values(local.topics) : values(tables)]))
}

output "bootstrap_servers" {
  description = "Bootstrap servers of the sink's Kafka cluster, where the topics are read."
  value       = data.foundrydb_service.sink.bootstrap_servers
}

output "status" {
  description = "What the agent observed of each pipeline, by name, at the last apply or refresh: `phase` (`running`, `stopped`, `failed`, ...), `desired_state`, `connector_state`, `task_states`, `lag_bytes`, `streaming_host` and `last_error`."
  value = {
    for name, p in foundrydb_pipeline.this : name => {
      phase           = p.phase
      desired_state   = p.desired_state
      connector_state = p.connector_state
      task_states     = p.task_states
      lag_bytes       = p.lag_bytes
      streaming_host  = p.streaming_host
      last_error      = p.last_error
    }
  }
}
