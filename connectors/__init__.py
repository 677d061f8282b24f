"""The outside world, one file per platform (see ARCHITECTURE.md). Connectors land with
the Publishing capability; exports readers with Measure."""
