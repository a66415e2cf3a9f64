"""问卷调查: see docs/architecture.md."""
