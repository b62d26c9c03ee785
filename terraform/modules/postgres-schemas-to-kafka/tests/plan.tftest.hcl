# Plan-only with a mocked provider; the services the agent would answer are overridden inside the
# postgres-to-kafka module this one calls.

mock_provider "foundrydb" {}

override_data {
  target = module.pipelines.data.foundrydb_service.source
  values = {
    id   = "svc_shop_postgres"
    kind = "postgresql"
  }
}

override_data {
  target = module.pipelines.data.foundrydb_service.sink
  values = {
    id                = "svc_events_kafka"
    kind              = "kafka"
    bootstrap_servers = "kafka-1:9092"
  }
}

variables {
  source_service = "shop-postgres"
  sink_service   = "events-kafka"
  name_prefix    = "shop"
  topic_prefix   = "cdc.shop"
  schemas = {
    sales   = { tables = ["orders", "customers"] }
    billing = { tables = ["invoices"], desired_state = "stopped", snapshot_mode = "initial" }
  }
}

run "one_pipeline_per_schema_with_qualified_tables_and_topic_patterns" {
  command = plan

  assert {
    condition     = output.pipeline_names == { sales = "shop-sales", billing = "shop-billing" }
    error_message = "pipeline_names: ${jsonencode(output.pipeline_names)}"
  }

  assert {
    condition     = keys(module.pipelines.status) == ["shop-billing", "shop-sales"]
    error_message = "expected the pipelines shop-billing and shop-sales, got ${jsonencode(keys(module.pipelines.status))}"
  }

  assert {
    condition = output.topics == {
      sales   = { "sales.orders" = "cdc.shop.sales.orders", "sales.customers" = "cdc.shop.sales.customers" }
      billing = { "billing.invoices" = "cdc.shop.billing.invoices" }
    }
    error_message = "topics: ${jsonencode(output.topics)}"
  }

  assert {
    condition     = output.all_topics == tolist(["cdc.shop.billing.invoices", "cdc.shop.sales.customers", "cdc.shop.sales.orders"])
    error_message = "all_topics: ${jsonencode(output.all_topics)}"
  }

  assert {
    condition     = output.status.billing.desired_state == "stopped" && output.status.sales.desired_state == "running"
    error_message = "each schema keeps its desired_state (running by default)"
  }

  assert {
    condition     = output.bootstrap_servers == "kafka-1:9092"
    error_message = "bootstrap_servers comes from the sink service"
  }

  assert {
    condition     = output.topic_patterns.sales == "^cdc\\.shop\\.sales\\..+"
    error_message = "topic_patterns.sales: ${output.topic_patterns.sales}"
  }

  assert {
    condition = alltrue([for t in values(output.topics.sales) : can(regex(output.topic_patterns.sales, t))]) && !anytrue([
      for t in ["cdc.shop.billing.invoices", "cdc.shop.salesx.orders", "cdcXshop.sales.orders"] : can(regex(output.topic_patterns.sales, t))
    ])
    error_message = "the sales pattern matches every sales topic and nothing else"
  }
}

run "a_qualified_table_name_is_refused" {
  command = plan

  variables {
    schemas = {
      sales = { tables = ["sales.orders"] }
    }
  }

  expect_failures = [var.schemas]
}
