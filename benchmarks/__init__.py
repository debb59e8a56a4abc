"""`make bench`: the national-scale benchmark (issue 12). `dataset` builds the registry in bulk,
`floors` holds what each item is measured against, `run` measures and prints the table."""
