"""商会调解: see docs/architecture.md."""
