terraform {
  # 1.7 is the first release whose `terraform test` has mock_provider and override_data, which
  # this module's tests use; the module itself needs optional() attribute defaults (1.3).
  required_version = ">= 1.7.0"

  required_providers {
    foundrydb = {
      source  = "foundrydb/foundrydb"
      version = "~> 0.1.0"
    }
  }
}
