# One pipeline per schema of one database: each schema's owners stop, resnapshot or lose their
# pipeline without touching the others', and subscribe to their schema's topics by pattern.
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

module "shop_schemas" {
  source = "../../../terraform/modules/postgres-schemas-to-kafka"

  source_service = "shop-postgres"
  sink_service   = "events-kafka"
  name_prefix    = "shop"
  topic_prefix   = "shop"

  schemas = {
    sales   = { tables = ["orders", "customers"] }
    billing = { tables = ["invoices", "payments"], desired_state = "stopped" }
  }
}

# For example a consumer's pattern subscription or a Kafka Connect sink's topics.regex:
# billing => ^shop\.billing\..+
output "topic_patterns" {
  value = module.shop_schemas.topic_patterns
}

output "pipeline_ids" {
  value = module.shop_schemas.pipeline_ids
}
