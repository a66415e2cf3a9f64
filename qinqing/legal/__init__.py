"""法治体检: see docs/architecture.md."""
