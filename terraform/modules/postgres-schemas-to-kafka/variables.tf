variable "source_service" {
  description = "Name of the PostgreSQL service registered in the FoundryDB agent whose schemas are captured, for example `shop-postgres`."
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

variable "name_prefix" {
  description = "Start of every pipeline's name: the pipeline of schema `sales` is named `<name_prefix>-sales`. Pipeline names are unique within the agent, so use one prefix per source, for example `shop`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", var.name_prefix))
    error_message = "name_prefix is \"${var.name_prefix}\": use letters, digits, \"_\", \".\" or \"-\", starting with a letter or digit, for example \"shop\"."
  }
}

variable "topic_prefix" {
  description = "Prefix of every topic: changes of `sales.orders` go to `<topic_prefix>.sales.orders`, so each schema's topics share the prefix `<topic_prefix>.<schema>.`. Changing it replaces every pipeline."
  type        = string

  validation {
    condition     = length(var.topic_prefix) <= 200 && can(regex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$", var.topic_prefix))
    error_message = "topic_prefix is \"${var.topic_prefix}\": use at most 200 letters, digits, \"_\" and \"-\", in parts separated by single dots, for example \"shop\"."
  }
}

variable "schemas" {
  description = <<-EOT
    One pipeline per PostgreSQL schema, keyed by the schema's name. Each has:
    - `tables`: the schema's tables to capture, by name without the schema (`orders`, not
      `sales.orders`); changed in place.
    - `snapshot_mode` (default `when_needed`): Debezium's snapshot mode, one of `initial`,
      `no_data`, `when_needed`, `always`, `initial_only`; changing it replaces the pipeline.
    - `desired_state` (default `running`): `running` or `stopped`; changed in place.
    - `max_lag_bytes` (optional): lag above it shows as drift in `terraform plan`.
  EOT
  type = map(object({
    tables        = list(string)
    snapshot_mode = optional(string, "when_needed")
    desired_state = optional(string, "running")
    max_lag_bytes = optional(number)
  }))
  nullable = false

  validation {
    condition     = alltrue([for schema in keys(var.schemas) : can(regex("^[A-Za-z_][A-Za-z0-9_$]*$", schema))])
    error_message = "Invalid schema name: ${join(", ", [for schema in keys(var.schemas) : jsonencode(schema) if !can(regex("^[A-Za-z_][A-Za-z0-9_$]*$", schema))])}. A key is a schema's name: a letter or \"_\" followed by letters, digits, \"_\" or \"$\", for example \"sales\"."
  }

  validation {
    condition     = alltrue(flatten([for s in values(var.schemas) : [for t in s.tables : can(regex("^[A-Za-z_][A-Za-z0-9_$]*$", t))]]))
    error_message = "Invalid table name: ${join(", ", flatten([for schema, s in var.schemas : [for t in s.tables : "schemas[${jsonencode(schema)}] ${jsonencode(t)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_$]*$", t))]]))}. Name each table without its schema (the key says it): \"orders\", not \"sales.orders\"."
  }

  validation {
    condition     = alltrue([for s in values(var.schemas) : length(s.tables) > 0])
    error_message = "No tables for schemas ${join(", ", [for schema, s in var.schemas : jsonencode(schema) if length(s.tables) == 0])}: list at least one, or leave the schema out."
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
