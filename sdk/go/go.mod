module foundrydb.com/pipelines/sdk/go

go 1.23

require (
)
