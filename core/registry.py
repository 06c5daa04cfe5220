"""Extension points later apps plug into without the org tree knowing about them."""

# Callables `check(unit) -> list[str]`, each naming open work (leads, projects, problems …)
# that keeps a unit from being deactivated. Apps append to it in AppConfig.ready().
open_work_checks = []


def open_work_for(unit):
    found = []
    for check in open_work_checks:
        found.extend(check(unit))
    return found
