data "foundrydb_service" "shop_pg" { name = "shop-postgres" }
data "foundrydb_service" "events" { name = "events-kafka" }

resource "foundrydb_pipeline" "orders" {
  name              = "orders-to-kafka"
  pipeline_type     = "cdc_pg_to_kafka"
  source_service_id = data.foundrydb_service.shop_pg.id
  sink_service_id   = data.foundrydb_service.events.id

  config = {
    tables        = ["public.orders", "public.customers"] # changes in place
    topic_prefix  = "shop"                                # records land on shop.<schema>.<table>
    snapshot_mode = "when_needed"                         # existing rows first, then changes; again after a failover
  }

  desired_state = "running"

  timeouts {
    create = "10m"
    delete = "10m"
  }
}
