# A pipeline is imported by its id, which the agent's API lists (GET /v1/pipelines).
terraform import foundrydb_pipeline.orders pl_0123456789ab
