variable "source_service" {
  description = "Name of the PostgreSQL service registered in the FoundryDB agent to capture changes from, for example `shop-postgres`."
  type        = string

  validation {
    condition     = trimspace(var.source_service) != ""
    error_message = "source_service must name a PostgreSQL service registered in the agent, for example \"shop-postgres\"."
  }
}

variable "sink_service" {
  description = "Name of the Kafka service registered in the FoundryDB agent to write change events to, for example `events-kafka`."
  type        = string

  validation {
    condition     = trimspace(var.sink_service) != ""
    error_message = "sink_service must name a Kafka service registered in the agent, for example \"events-kafka\"."
  }
}

variable "pipelines" {
  description = <<-EOT
    The pipelines from the source to the sink, keyed by pipeline name (unique within the agent;
    1-63 letters, digits, `_`, `.` or `-`, starting with a letter or digit; changing it replaces
    the pipeline). Each has:
    - `tables`: the tables to capture, as `schema.table`; changed in place.
    - `topic_prefix`: changes of `schema.table` go to the topic `<topic_prefix>.<schema>.<table>`;
      changing it replaces the pipeline.
    - `snapshot_mode` (default `when_needed`): Debezium's snapshot mode, one of `initial`,
      `no_data`, `when_needed`, `always`, `initial_only`; changing it replaces the pipeline.
    - `desired_state` (default `running`): `running` or `stopped`; changed in place.
    - `max_lag_bytes` (optional): lag above it shows as drift in `terraform plan`.
  EOT
  type = map(object({
    tables        = list(string)
    topic_prefix  = string
    snapshot_mode = optional(string, "when_needed")
    desired_state = optional(string, "running")
    max_lag_bytes = optional(number)
  }))
  nullable = false

  validation {
    condition     = alltrue([for name in keys(var.pipelines) : can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", name))])
    error_message = "Invalid pipeline name: ${join(", ", [for name in keys(var.pipelines) : jsonencode(name) if !can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", name))])}. A name has 1-63 letters, digits, \"_\", \".\" or \"-\" and starts with a letter or digit, for example \"orders-to-kafka\"."
  }

  validation {
    condition     = alltrue([for p in values(var.pipelines) : length(p.tables) > 0])
    error_message = "No tables in pipelines ${join(", ", [for name, p in var.pipelines : jsonencode(name) if length(p.tables) == 0])}: list at least one table as \"schema.table\", for example [\"public.orders\"]."
  }

  validation {
    condition     = alltrue(flatten([for p in values(var.pipelines) : [for t in p.tables : can(regex("^[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*$", t))]]))
    error_message = "Invalid table name: ${join(", ", flatten([for name, p in var.pipelines : [for t in p.tables : "pipelines[${jsonencode(name)}] ${jsonencode(t)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*$", t))]]))}. Write each table as \"schema.table\", for example \"public.orders\"."
  }

  validation {
    condition     = alltrue([for p in values(var.pipelines) : length(distinct(p.tables)) == length(p.tables)])
    error_message = "A table is listed twice in pipelines ${join(", ", [for name, p in var.pipelines : jsonencode(name) if length(distinct(p.tables)) != length(p.tables)])}: list each table once."
  }

  validation {
    condition     = alltrue([for p in values(var.pipelines) : length(p.topic_prefix) <= 200 && can(regex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$", p.topic_prefix))])
    error_message = "Invalid topic_prefix in pipelines ${join(", ", [for name, p in var.pipelines : jsonencode(name) if !(length(p.topic_prefix) <= 200 && can(regex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$", p.topic_prefix)))])}: use at most 200 letters, digits, \"_\" and \"-\", in parts separated by single dots, for example \"shop\"."
  }

  validation {
    condition     = alltrue([for p in values(var.pipelines) : contains(["initial", "no_data", "when_needed", "always", "initial_only"], p.snapshot_mode)])
    error_message = "Invalid snapshot_mode in pipelines ${join(", ", [for name, p in var.pipelines : "${jsonencode(name)} (${jsonencode(p.snapshot_mode)})" if !contains(["initial", "no_data", "when_needed", "always", "initial_only"], p.snapshot_mode)])}: use one of \"initial\", \"no_data\", \"when_needed\", \"always\", \"initial_only\", or leave it out for \"when_needed\"."
  }

  validation {
    condition     = alltrue([for p in values(var.pipelines) : contains(["running", "stopped"], p.desired_state)])
    error_message = "Invalid desired_state in pipelines ${join(", ", [for name, p in var.pipelines : "${jsonencode(name)} (${jsonencode(p.desired_state)})" if !contains(["running", "stopped"], p.desired_state)])}: use \"running\" or \"stopped\", or leave it out for \"running\"."
  }

  # Two pipelines writing one topic would interleave two streams of the same table's changes,
  # each with its own snapshot: consumers would see every row at least twice.
  validation {
    condition = alltrue([
      for topic, names in { for pair in flatten([for name, p in var.pipelines : [for t in distinct(p.tables) : { topic = "${p.topic_prefix}.${t}", name = name }]]) : pair.topic => pair.name... } : length(names) == 1
    ])
    error_message = "Several pipelines would write the same topic: ${join("; ", [for topic, names in { for pair in flatten([for name, p in var.pipelines : [for t in distinct(p.tables) : { topic = "${p.topic_prefix}.${t}", name = name }]]) : pair.topic => pair.name... } : "${topic} by ${join(" and ", [for n in names : jsonencode(n)])}" if length(names) > 1])}. Give each pipeline its own topic_prefix, or list each table in one pipeline only."
  }
}

variable "timeouts" {
  description = "How long `terraform apply` waits for a pipeline to be created (running or stopped as desired), changed in place, and deleted, as durations such as `15m`. Unset ones keep the provider's default of `10m`."
  type = object({
    create = optional(string)
    update = optional(string)
    delete = optional(string)
  })
  default  = {}
  nullable = false
}
