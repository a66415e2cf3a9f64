"""Model fields that seal personal data at rest, for any app.

    from qinqing.core.crypto.fields import BlindIndexField, EncryptedCharField

    mobile = EncryptedCharField(_("手机号码"), max_length=11, blank=True, blind_index="mobile_bidx")
    mobile_bidx = BlindIndexField(source="mobile")

- The attribute holds the plain value; the column holds ``crypto.seal`` of it (widened to fit; the
  field's ``max_length`` stays the plain value's, so forms and validation are unchanged). Reads
  (instances, ``values()``, ``values_list()``) open it.
- ``filter(mobile="139…")`` and ``filter(mobile__in=[…])`` are answered from the blind index (every
  configured index key, so lookups work during a key rotation); ``filter(mobile="")`` compares the
  column. Other lookups (contains, startswith, ordering by value…) are refused: ciphertext has no order.
- ``save()`` and ``bulk_create()`` fill the blind index (``BlindIndexField.pre_save``); the model mixes
  in ``SealedFieldsModel`` so that ``save(update_fields=["mobile"])`` writes ``mobile_bidx`` too.
  ``bulk_update()`` and ``QuerySet.update()`` do not call it: pass ``with_blind_indexes(Model, fields)``
  as bulk_update's fields after ``fill_blind_indexes(objs)``, or update both columns.
- For many rows, ``seal_instances(objs)`` seals and indexes a whole list in one vectorised pass before
  ``bulk_create`` (the field then passes already sealed values through).
"""

import contextlib

from django.core import checks
from django.db import models
from django.db.models import lookups
from django.db.models.expressions import Col
from django.utils.datastructures import DictWrapper

from .. import crypto


def sealed_length(max_length: int) -> int:
    """Column width for a sealed value of up to max_length characters (4 UTF-8 bytes each at most)."""
    raw = 12 + 4 * max_length + 16
    return len(crypto.PREFIX) + 16 + 1 + 4 * -(-raw // 3)


class EncryptedCharField(models.CharField):
    description = "Text sealed with SM4-GCM at rest"

    def __init__(self, *args, blind_index: str = "", **kwargs):
        self.blind_index = blind_index
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index:
            kwargs["blind_index"] = self.blind_index
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.blind_index:
            try:
                self.model._meta.get_field(self.blind_index)
            except Exception:
                errors.append(checks.Error(f"blind_index {self.blind_index!r} is not a field", obj=self))
        if self.blind_index and not issubclass(self.model, SealedFieldsModel):
            errors.append(checks.Error("a model with blind indexes must mix in SealedFieldsModel", obj=self))
        if self.unique or self.db_index:
            errors.append(checks.Error("a sealed column cannot be unique or indexed: use its blind index", obj=self))
        return errors

    def db_type_parameters(self, connection):
        params = dict(self.__dict__)
        params["max_length"] = sealed_length(self.max_length or 255)
        return DictWrapper(params, connection.ops.quote_name, "qn_")

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_sealed(value):
            return value
        return crypto.seal(value)

    def from_db_value(self, value, expression, connection):
        return crypto.open(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return SealedExact
        if lookup_name == "in":
            return SealedIn
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django answers FieldError("Unsupported lookup …")

    def get_transform(self, lookup_name):
        return None


class SealedFieldsModel(models.Model):
    """Mixin: ``save(update_fields=[…])`` naming a sealed field also writes its blind index."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = with_blind_indexes(type(self), list(update_fields))
        return super().save(*args, update_fields=update_fields, **kwargs)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's value (``crypto.blind_index``), filled on save; index it in Meta.indexes
    where lookups use it."""

    description = "Blind index of a sealed field"

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", crypto.INDEX_HEX)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        kwargs.setdefault("editable", False)
        # Not indexed by default: a model indexes the blind indexes it looks up with Meta.indexes (a plain
        # b-tree; db_index=True would add PostgreSQL's useless varchar_pattern_ops "_like" index too).
        kwargs.setdefault("db_index", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "blank", "default", "editable", "db_index"):
            kwargs.pop(key, None)
        kwargs.pop("db_default", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        if crypto.is_sealed(value):  # sealed by seal_instances, which set the index too
            return getattr(model_instance, self.attname)
        index = crypto.blind_index(value) if value else ""
        setattr(model_instance, self.attname, index)
        return index


def _index_column(lookup) -> tuple[Col, str]:
    lhs = lookup.lhs
    if not isinstance(lhs, Col) or not lhs.target.blind_index:
        raise TypeError(f"{lhs!r}: a sealed field is looked up by value only through its blind index")
    field = lhs.target.model._meta.get_field(lhs.target.blind_index)
    return field.get_col(lhs.alias), field


class SealedExact(lookups.Exact):
    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        if self.rhs in ("", None):
            return lookups.Exact(self.lhs, "").as_sql(compiler, connection)
        col, _field = _index_column(self)
        candidates = crypto.blind_index_candidates([str(self.rhs)])
        return lookups.In(col, candidates).as_sql(compiler, connection)


class SealedIn(lookups.In):
    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        values = [str(v) for v in self.rhs if v not in ("", None)]
        col, _field = _index_column(self)
        candidates = crypto.blind_index_candidates(values)
        parts = []
        params: list = []
        if candidates:
            sql, p = lookups.In(col, candidates).as_sql(compiler, connection)
            parts.append(sql)
            params.extend(p)
        if len(values) != len([v for v in self.rhs if v is not None]):  # "" among the values
            sql, p = lookups.Exact(self.lhs, "").as_sql(compiler, connection)
            parts.append(sql)
            params.extend(p)
        if not parts:
            raise lookups.EmptyResultSet
        return "(" + " OR ".join(parts) + ")", params


def sealed_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def seal_instances(objs: list[models.Model]) -> list[tuple[models.Model, str, str]]:
    """Seal every sealed field and fill its blind index on many instances in one vectorised pass
    (before bulk_create / bulk_update). Returns what ``restore_plain`` needs to put the plain values back."""
    restore: list[tuple[models.Model, str, str]] = []
    if not objs:
        return restore
    for field in sealed_fields(type(objs[0])):
        plain = [getattr(o, field.attname) for o in objs]
        if field.blind_index:
            index_name = type(objs[0])._meta.get_field(field.blind_index).attname
            for o, index in zip(objs, crypto.blind_index_many(plain), strict=True):
                setattr(o, index_name, index)
        for o, value, token in zip(objs, plain, crypto.seal_many(plain), strict=True):
            if token != value:
                restore.append((o, field.attname, value))
                setattr(o, field.attname, token)
    return restore


def restore_plain(restore: list[tuple[models.Model, str, str]]) -> None:
    for obj, attname, value in restore:
        setattr(obj, attname, value)


@contextlib.contextmanager
def sealed(objs: list[models.Model]):
    """``with sealed(objs): Model.objects.bulk_create(objs)`` — one vectorised pass instead of one
    OpenSSL call per value; the instances hold their plain values again afterwards."""
    restore = seal_instances(objs)
    try:
        yield objs
    finally:
        restore_plain(restore)


def fill_blind_indexes(objs: list[models.Model]) -> None:
    """Recompute the blind indexes of instances whose sealed fields were changed (before bulk_update)."""
    if not objs:
        return
    for field in sealed_fields(type(objs[0])):
        if field.blind_index:
            index_name = type(objs[0])._meta.get_field(field.blind_index).attname
            plain = [crypto.open(getattr(o, field.attname)) for o in objs]
            for o, index in zip(objs, crypto.blind_index_many(plain), strict=True):
                setattr(o, index_name, index)


def with_blind_indexes(model, fields: list[str]) -> list[str]:
    """bulk_update's field list plus the blind index of every sealed field in it."""
    extra = []
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, EncryptedCharField) and field.blind_index and field.blind_index not in fields:
            extra.append(field.blind_index)
    return [*fields, *extra]
