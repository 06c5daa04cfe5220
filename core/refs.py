"""Small reference tables read beside a list rather than joined into it.

A list row names its units, chain, segment, pool or category: rows of tables of a few hundred. Joined with
`select_related`, each one more join multiplies the time PostgreSQL spends planning the list's query (measured on the
province: 4 joins 4 ms, 5 joins 14 ms, 7 joins 50 ms, against 8 ms to run it). `with_refs("owner", "reporting_unit",
"chain")` instead reads, once the page's rows are fetched, each referenced table in ONE query for all of those
fields (the three unit fields together), and sets each row's related object as `select_related` would: the row's
`lead.reporting_unit.name` costs no query. The number of queries stays fixed: one per referenced table, whatever
the rows (even none).
"""

from django.db.models.query import ModelIterable


class RefsQuerySetMixin:
    _zs_refs = ()

    def with_refs(self, *fields):
        """Read these forward foreign keys' objects in one query per referenced table, after the rows."""
        clone = self._chain()
        clone._zs_refs = tuple(dict.fromkeys((*self._zs_refs, *fields)))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._zs_refs = self._zs_refs
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and self._zs_refs and issubclass(self._iterable_class, ModelIterable):
            attach_refs(self.model, self._result_cache, self._zs_refs)


def attach_refs(model, rows, fields):
    """Set `fields` (forward foreign keys of `model`) on each of its `rows`, one query per referenced model."""
    by_model = {}
    for name in fields:
        field = model._meta.get_field(name)
        by_model.setdefault(field.related_model, []).append(field)
    for related, model_fields in by_model.items():
        ids = {getattr(row, f.attname) for row in rows for f in model_fields} - {None}
        # One query per table even when these rows name none of it (`[0]` matches no key): a page's query count
        # then depends on its fields, never on what its rows happen to reference (the query budgets compare).
        found = related._base_manager.in_bulk(ids or [0])
        for row in rows:
            for f in model_fields:
                key = getattr(row, f.attname)
                if key is not None and not f.is_cached(row):
                    f.set_cached_value(row, found.get(key))
