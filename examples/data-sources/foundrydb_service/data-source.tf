# A registered service by name: its id, kind and non-secret facts.
data "foundrydb_service" "shop_pg" {
  name = "shop-postgres"
}

output "shop_pg_hosts" {
  value = data.foundrydb_service.shop_pg.hosts
}
