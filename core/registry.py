"""Extension points later apps plug into without the org tree knowing about them."""

# Callables `check(unit) -> list[str]`, each naming open work (leads, projects, problems …)
# that keeps a unit from being deactivated. Apps append to it in AppConfig.ready().
open_work_checks = []


def open_work_for(unit):
    found = []
    for check in open_work_checks:
        found.extend(check(unit))
    return found


# Callables `hook(*, keep, absorb)` run inside a company merge, after every link has moved
# to `keep`: apps whose natural keys include the company (outreach's visit keys) recompute
# them, so the merged company's visits are still recognised on the next import.
company_merge_hooks = []


def after_company_merge(*, keep, absorb):
    for hook in company_merge_hooks:
        hook(keep=keep, absorb=absorb)


# Callables `hook(visit)` run at the end of outreach.services.create_visit, inside its
# transaction: leads checks whether another unit already holds the visited company (撞单).
visit_recorded_hooks = []


def after_visit_recorded(visit):
    for hook in visit_recorded_hooks:
        hook(visit)
