"""专项工作: see docs/architecture.md."""
