"""The lent-GPU training kit (docs/device.md): split snapshots, time-budget hooks, a streaming
synthetic-word dataset. Imported with tools/device on sys.path (MMEngine custom_imports)."""
