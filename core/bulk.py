"""Insert many rows fast: the ledger imports' hot path.

`bulk_create` prepares every value of every object through the model field machinery,
which costs more than the database does once a ledger reaches 10⁵ rows (quality.md asks
for ≥ 5,000 rows/s). Here values are given as plain dicts of field name → Python value,
adapted once per column kind, and sent with one `executemany` per chunk. No model
instance is built and no signal is sent, so only rows already validated by a ledger or
service come through here; the caller writes the audit record.
"""

from django.db import connection, models
from django.utils import timezone

CHUNK = 2000


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, rows):
    """INSERT `rows` (dicts of field name → value, all with the same keys) into `model`'s table.

    Foreign keys are given by their column name (`unit_id`), as ids.

    `created_at`/`updated_at` style fields (auto_now, auto_now_add) are filled with now.
    Returns the number of rows inserted; ids are not returned (query back by a natural key).
    """
    if not rows:
        return 0
    meta = model._meta
    names = list(rows[0])
    fields = [meta.get_field(name) for name in names]
    now = timezone.now()
    stamped = [
        f
        for f in meta.concrete_fields
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f.name not in names
    ]
    columns = [f.column for f in fields] + [f.column for f in stamped]
    adapters = [_adapter(f) for f in fields]
    stamp_values = [connection.ops.adapt_datetimefield_value(now) for _f in stamped]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 -- names come from the model, values are parameters
        quote(meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip; executemany would cost one per row.
            statement = "COPY {} ({}) FROM STDIN".format(quote(meta.db_table), ", ".join(quote(c) for c in columns))
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row[name] for name in names] + stamp_values)
            return len(rows)
        for start in range(0, len(rows), CHUNK):
            params = []
            for row in rows[start : start + CHUNK]:
                values = [row[name] for name in names]
                for i, adapt in enumerate(adapters):
                    if adapt is not None and values[i] is not None:
                        values[i] = adapt(values[i])
                params.append(values + stamp_values)
            cursor.executemany(sql, params)
    return len(rows)
