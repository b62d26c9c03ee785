terraform {
  required_providers {
    foundrydb = { source = "foundrydb/foundrydb" }
  }
}
provider "foundrydb" {
  endpoint = "http://127.0.0.1:9"
  token    = "capture-token"
}
variable "suffix" {
  type = string
}
resource "terraform_data" "later" {
  input = "public.customers"
}
resource "foundrydb_pipeline" "known" {
  name              = "orders-to-kafka"
  pipeline_type     = "cdc_pg_to_kafka"
  source_service_id = "svc_pg"
  sink_service_id   = "svc_kafka"
  config = {
    tables       = ["public.orders", "public.order_lines"]
    topic_prefix = "shop"
  }
  timeouts {
    create = "15m"
  }
}
resource "foundrydb_pipeline" "unknowns" {
  name              = "orders-${var.suffix}-${terraform_data.later.id}"
  pipeline_type     = "cdc_pg_to_kafka"
  source_service_id = "svc_pg"
  sink_service_id   = "svc_kafka"
  config = {
    tables        = ["public.orders", terraform_data.later.output]
    topic_prefix  = "shop.cdc"
    snapshot_mode = "no_data"
  }
  desired_state = "stopped"
}
