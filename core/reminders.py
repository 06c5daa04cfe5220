"""Reminders: what a person should do next, gathered from every app (domain.md §3, issue 7).

An app registers a source in its AppConfig.ready(): `register(source)`, where
`source(user, today) -> list[Reminder]` returns the reminders for that user within their
scope, in a fixed number of queries. The home page shows `collect(user)`; the reminders
app's sender turns the same list into in-app notifications and, where configured, e-mail
and the WeCom / DingTalk webhook robots.
"""

from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Reminder:
    kind: str  # e.g. "weekly_report_due", "lead_overdue", "problem_overdue", "progress_late", "target_behind"
    title: str  # one line in Chinese, e.g. "第47周专报未报送"
    url: str  # where to act on it
    detail: str = ""
    severity: str = "warning"  # "danger" (overdue) or "warning" (due soon / behind)
    key: str = ""  # stable identity for de-duplication, e.g. "weekly_report_due:12:2026-W47"


sources = []


def register(source):
    if source not in sources:
        sources.append(source)
    return source


def collect(user, today=None):
    today = today or timezone.localdate()
    found = []
    for source in sources:
        found.extend(source(user, today))
    return sorted(found, key=lambda r: (r.severity != "danger", r.kind, r.title))
