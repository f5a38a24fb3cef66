"""The worker's web face: health, readiness and metrics endpoints."""
