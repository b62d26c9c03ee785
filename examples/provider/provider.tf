terraform {
  required_providers {
    foundrydb = {
      source = "foundrydb/foundrydb"
    }
  }
}

# endpoint and token default to FOUNDRYDB_ENDPOINT and FOUNDRYDB_TOKEN.
provider "foundrydb" {}
