output "pipeline_names" {
  description = "Name of each schema's pipeline (`<name_prefix>-<schema>`), by schema."
  value       = local.pipeline_names
}

output "pipeline_ids" {
  description = "Id of each schema's pipeline (`pl_...`), by schema: for `terraform import` and the agent's API."
  value       = { for schema, name in local.pipeline_names : schema => module.pipelines.pipeline_ids[name] }
}

output "topics" {
  description = "For each schema, the Kafka topic of each captured table (`schema.table` => topic). Known at plan time."
  value       = { for schema, name in local.pipeline_names : schema => module.pipelines.topics[name] }
}

output "topic_patterns" {
  description = "For each schema, a regular expression matching its topics and any added later (`^<topic_prefix>\\.<schema>\\..+`): for a consumer's pattern subscription or a sink connector's `topics.regex`."
  value       = { for schema in keys(var.schemas) : schema => "^${replace("${var.topic_prefix}.${schema}", "/([.$])/", "\\$1")}\\..+" }
}

output "all_topics" {
  description = "Every topic the pipelines write, sorted. Known at plan time."
  value       = module.pipelines.all_topics
}

output "bootstrap_servers" {
  description = "Bootstrap servers of the sink's Kafka cluster, where the topics are read."
  value       = module.pipelines.bootstrap_servers
}

output "status" {
  description = "What the agent observed of each schema's pipeline at the last apply or refresh: `phase`, `desired_state`, `connector_state`, `task_states`, `lag_bytes`, `streaming_host` and `last_error`."
  value       = { for schema, name in local.pipeline_names : schema => module.pipelines.status[name] }
}
