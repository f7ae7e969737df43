"""The JSON API: personal access tokens (Bearer authentication on /api/ paths) and /api/v1/."""
