"""Browser tests (Playwright on Debian chromium against live_server)."""
