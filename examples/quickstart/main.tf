# The quickstart: one pipeline from the dev stack's shop.public.orders to Kafka.
# bin/foundrydb-agent dev starts the stack; source ~/.foundrydb/dev.env sets the provider's
# FOUNDRYDB_ENDPOINT and FOUNDRYDB_TOKEN.
terraform {
  required_version = ">= 1.7.0"

  required_providers {
    foundrydb = {
      source  = "foundrydb/foundrydb"
      version = "~> 0.1.0"
    }
  }
}

provider "foundrydb" {}

data "foundrydb_service" "shop_pg" { name = "shop-postgres" }
data "foundrydb_service" "events" { name = "events-kafka" }

resource "foundrydb_pipeline" "orders" {
  name              = "orders-to-kafka"
  pipeline_type     = "cdc_pg_to_kafka"
  source_service_id = data.foundrydb_service.shop_pg.id
  sink_service_id   = data.foundrydb_service.events.id
  config = {
    tables       = ["public.orders"]
    topic_prefix = "shop"
  }
}

output "pipeline_id" {
  value = foundrydb_pipeline.orders.id
}

output "topics" {
  value = foundrydb_pipeline.orders.topics
}

output "connector_state" {
  value = foundrydb_pipeline.orders.connector_state
}
