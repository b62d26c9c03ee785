# Makes this directory a configuration of its own, which the build formats and validates. The
# documentation shows the other file.
terraform {
  required_version = ">= 1.7.0"

  required_providers {
    foundrydb = {
      source  = "foundrydb/foundrydb"
      version = "~> 0.1.0"
    }
  }
}
