# Plan-only: the mocked provider keeps the real schema (and terraform still asks the real provider
# to validate each configuration), but it neither plans defaults nor talks to an agent. Data
# sources get random strings for their computed attributes, so the services are overridden with
# what the agent would answer.

mock_provider "foundrydb" {}

override_data {
  target = data.foundrydb_service.source
  values = {
    id   = "svc_shop_postgres"
    kind = "postgresql"
  }
}

override_data {
  target = data.foundrydb_service.sink
  values = {
    id                = "svc_events_kafka"
    kind              = "kafka"
    bootstrap_servers = "kafka-1:9092"
  }
}

variables {
  source_service = "shop-postgres"
  sink_service   = "events-kafka"
  pipelines = {
    orders = {
      tables       = ["public.orders", "public.customers"]
      topic_prefix = "shop"
    }
    audit = {
      tables        = ["audit.events"]
      topic_prefix  = "shop.audit"
      snapshot_mode = "no_data"
      desired_state = "stopped"
      max_lag_bytes = 104857600
    }
  }
  timeouts = {
    create = "15m"
  }
}

run "one_pipeline_per_entry_and_the_topic_of_every_table" {
  command = plan

  assert {
    condition     = keys(foundrydb_pipeline.this) == ["audit", "orders"]
    error_message = "expected the pipelines audit and orders, got ${jsonencode(keys(foundrydb_pipeline.this))}"
  }

  assert {
    condition = alltrue([for p in foundrydb_pipeline.this :
    p.source_service_id == "svc_shop_postgres" && p.sink_service_id == "svc_events_kafka" && p.pipeline_type == "cdc_pg_to_kafka"])
    error_message = "every pipeline runs from svc_shop_postgres to svc_events_kafka"
  }

  assert {
    condition     = foundrydb_pipeline.this["orders"].name == "orders" && foundrydb_pipeline.this["orders"].config.tables == tolist(["public.orders", "public.customers"])
    error_message = "orders is named after its key and captures its tables in order"
  }

  # Defaults are the module's own, never left to the provider: a mocked provider plans none.
  assert {
    condition     = foundrydb_pipeline.this["orders"].config.snapshot_mode == "when_needed" && foundrydb_pipeline.this["orders"].desired_state == "running"
    error_message = "orders gets snapshot_mode when_needed and desired_state running by default"
  }

  assert {
    condition     = foundrydb_pipeline.this["audit"].config.snapshot_mode == "no_data" && foundrydb_pipeline.this["audit"].desired_state == "stopped" && foundrydb_pipeline.this["audit"].max_lag_bytes == 104857600
    error_message = "audit keeps its snapshot_mode, desired_state and max_lag_bytes"
  }

  assert {
    condition     = foundrydb_pipeline.this["orders"].timeouts.create == "15m" && foundrydb_pipeline.this["orders"].timeouts.delete == null
    error_message = "timeouts pass through; unset ones stay null (the provider's default)"
  }

  # Known at plan time, before any pipeline exists: this run applies nothing.
  assert {
    condition = output.topics == {
      orders = { "public.orders" = "shop.public.orders", "public.customers" = "shop.public.customers" }
      audit  = { "audit.events" = "shop.audit.audit.events" }
    }
    error_message = "topics: ${jsonencode(output.topics)}"
  }

  assert {
    condition     = output.all_topics == tolist(["shop.audit.audit.events", "shop.public.customers", "shop.public.orders"])
    error_message = "all_topics: ${jsonencode(output.all_topics)}"
  }

  assert {
    condition     = output.bootstrap_servers == "kafka-1:9092"
    error_message = "bootstrap_servers comes from the sink service"
  }
}

run "no_pipelines_is_a_valid_empty_module" {
  command = plan

  variables {
    pipelines = {}
  }

  assert {
    condition     = length(foundrydb_pipeline.this) == 0 && length(output.all_topics) == 0 && length(output.pipeline_ids) == 0
    error_message = "an empty map plans nothing"
  }
}

run "a_table_without_its_schema_is_refused" {
  command = plan

  variables {
    pipelines = {
      orders = { tables = ["orders"], topic_prefix = "shop" }
    }
  }

  expect_failures = [var.pipelines]
}

run "two_pipelines_writing_one_topic_are_refused" {
  command = plan

  variables {
    pipelines = {
      orders  = { tables = ["public.orders"], topic_prefix = "shop" }
      orders2 = { tables = ["public.customers", "public.orders"], topic_prefix = "shop" }
    }
  }

  expect_failures = [var.pipelines]
}

run "an_unknown_snapshot_mode_is_refused" {
  command = plan

  variables {
    pipelines = {
      orders = { tables = ["public.orders"], topic_prefix = "shop", snapshot_mode = "sometimes" }
    }
  }

  expect_failures = [var.pipelines]
}

run "a_sink_that_is_not_kafka_is_refused_at_plan" {
  command = plan

  override_data {
    target = data.foundrydb_service.sink
    values = {
      id   = "svc_shop_postgres"
      kind = "postgresql"
    }
  }

  expect_failures = [data.foundrydb_service.sink]
}
