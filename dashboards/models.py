"""The dashboards keep no table of their own: every figure is counted from the other apps' records
(dashboards.selectors), cached in Django's cache (dashboards.caching)."""
