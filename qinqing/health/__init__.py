"""企业健康体检: see docs/architecture.md."""
