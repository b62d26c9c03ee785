# The postgres-to-kafka module on the dev stack (bin/foundrydb-agent dev): the quickstart's
# pipeline, plus one kept stopped until its consumers are ready.
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

module "shop_cdc" {
  source = "../../../terraform/modules/postgres-to-kafka"

  source_service = "shop-postgres"
  sink_service   = "events-kafka"

  pipelines = {
    "orders-to-kafka" = {
      tables       = ["public.orders"]
      topic_prefix = "shop"
    }
    "orders-archive" = {
      tables        = ["public.orders"]
      topic_prefix  = "archive"
      snapshot_mode = "initial"
      desired_state = "stopped"
    }
  }
}

# Known at plan time: consumers, ACLs or a sink connector can be planned with the pipelines.
output "orders_topic" {
  value = module.shop_cdc.topics["orders-to-kafka"]["public.orders"]
}

output "bootstrap_servers" {
  value = module.shop_cdc.bootstrap_servers
}

output "status" {
  value = module.shop_cdc.status
}
