"""Pages that cost about the same deep in a list as on its first page (quality.md: "a deep page must not cost much
more than the first").

`OFFSET 90000` makes the database build, join and throw away 90,000 rows before the page: with a list's
select_related that is every joined row of the scope, sorted. The deferred join finds the page's keys with the
narrow query (the table alone, its WHERE, ORDER BY, LIMIT and OFFSET: an index walk), then joins only those rows,
in the same statement and so at the same number of queries as the first page:
`… WHERE … AND id = ANY(ARRAY(SELECT id … ORDER BY … LIMIT 50 OFFSET 90000)) ORDER BY …` on PostgreSQL. Not
`id IN (SELECT …)`: that is a semi-join, and PostgreSQL does not reorder more than join_collapse_limit (8)
relations, so behind a list's nine joins it was joined last, after every row of the scope. `ARRAY(…)` is computed
once, first, and its keys are looked up in the primary key's index. SQLite runs `id IN (SELECT …)` that way itself.
"""

from django.core.paginator import Paginator
from django.db.models import Field, Lookup, QuerySet
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRows


@Field.register_lookup
class KeysOf(Lookup):
    """`pk__zs_keys_of=<a sliced values("pk") queryset>`: the keys a sub-select finds, looked up by index."""

    lookup_name = "zs_keys_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


def page_of(queryset, bottom, top):
    """The rows `queryset[bottom:top]`, their keys found first by the narrow query (see the module's doc).

    The first page too: where no index gives the list's order, the rows are sorted before any join, not after.
    What is not a plain ordered queryset is sliced as it is.
    """
    if not isinstance(queryset, QuerySet) or not queryset.ordered:
        return queryset[bottom:top]
    query = queryset.query
    if query.combinator or query.is_sliced or query.distinct_fields:
        return queryset[bottom:top]
    return queryset.filter(pk__zs_keys_of=queryset.values("pk")[bottom:top])


class DeferredJoinPaginator(Paginator):
    """Django's paginator, whose pages are fetched with `page_of`. It takes a queryset (the API's
    pages) or a django-tables2 table's rows over a queryset (the list pages)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, BoundRows) and isinstance(rows.data, TableQuerysetData):
            sliced = BoundRows(
                data=page_of(rows.data.data, bottom, top), table=rows.table, pinned_data=rows.pinned_data
            )
        else:
            sliced = page_of(rows, bottom, top)
        return self._get_page(sliced, number, self)
