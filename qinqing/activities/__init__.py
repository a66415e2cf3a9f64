"""活动与培训: see docs/architecture.md."""
