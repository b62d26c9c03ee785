terraform {
  required_version = ">= 1.7.0"

  required_providers {
    foundrydb = {
      source  = "foundrydb/foundrydb"
      version = "~> 0.1.0"
    }
  }
}

# endpoint and token default to FOUNDRYDB_ENDPOINT and FOUNDRYDB_TOKEN.
provider "foundrydb" {}
