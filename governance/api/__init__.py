"""The political and collaborative layer's REST API: committees, who serves them, memberships, forums, networks and
budget responsibilities, on the organisation API's routes."""
