"""What the REST API shares across apps: pagination, the exception handler, the lookups by key."""
