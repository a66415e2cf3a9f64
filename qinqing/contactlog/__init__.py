"""亲清日志: see docs/architecture.md."""
