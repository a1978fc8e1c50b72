"""The organisation's REST API: municipalities, versions, units, posts, tasks and people, looked up by key."""
