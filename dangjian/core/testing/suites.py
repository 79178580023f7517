"""Generated per-model test suites (ARCHITECTURE.md "Tests"; SECURITY.md AC-02, AC-03, REL-03).

A module declares, in ~10 lines, how to make a row and what a valid form looks like, and gets
the standard tests of every screen its ``ModelViews`` offers::

    class TestMemberSuite(ModelSuite):
        views = MemberViews
        allowed = "officer_b1"        # may do everything the views offer on the row
        outsider = "officer_b2"       # has a role in the area, but the row is outside its scope
        edit = {"name": "改名党员"}    # form field -> new value posted by the edit test
        marker = "name"               # attribute that identifies the row in an export

        @classmethod
        def make_row(cls, p): return make_member(p.b1)          # a new row in allowed's scope
        @classmethod
        def add_data(cls, p): return {...}                       # a valid add form
        @classmethod
        def foreign_add_data(cls, p): return {..., "org": p.b3.pk}  # the same, in another branch

Generated tests, for each action the views declare (list, detail, add, edit, delete, export):

- anonymous: every screen answers 302 to the login page; posts change nothing;
- allowed user: 200 / 302, the row is really listed, shown, created, changed, deleted or exported;
  each write leaves an audit entry with the actor and the before/after values; a stale
  ``version`` on edit answers 409 and does not overwrite (REL-03); a create into an
  organization outside the user's scope is refused and writes no row (AC-02);
- outsider: the list and the export do not contain the row; detail, edit and delete answer 404
  and the row is unchanged (AC-02);
- the list costs the same number of queries with 1 and with 4 rows.

Personas are built once per class (``setUpTestData``); each persona logs in once per class
through the real login page and every test gets a fresh client carrying that session.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import connection, models
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from dangjian.core.audit import _json_value
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import PASSWORD, Personas, build_personas, finish_login
from dangjian.core.views import ModelViews, can

LOGIN_URL = "/accounts/login/"
WRITE_ACTIONS = ("add", "edit", "delete")


def requires(*actions: str, scoped: bool = False, versioned: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a generated test as applying only when the views offer all of ``actions`` (and,
    with ``scoped``, the model belongs to an organization; with ``versioned``, it has a version)."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func._requires = (actions, scoped, versioned)  # type: ignore[attr-defined]
        return func

    return mark


def login(username: str) -> Client:
    """A client logged in through the real login page."""
    client = Client()
    response = finish_login(client, client.post(LOGIN_URL, {"username": username, "password": PASSWORD}), username)
    assert response.status_code == 302, f"login of {username} failed ({response.status_code})"
    return client


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """POST data that re-submits an unbound form's initial values unchanged."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, models.Model):
            value = value.pk
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            data[name] = local.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def export_rows(response: Any) -> list[tuple[Any, ...]]:
    """The data rows of an .xlsx export response (title row, header row and 序号 dropped)."""
    from openpyxl import load_workbook

    from dangjian.core.excel import FIRST_DATA_ROW

    # Consuming the test client's streaming content closes the response (and its temp file).
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [row[1:] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True)]


def export_text(response: Any) -> str:
    """Every cell of an export as one text (for 'does the export contain X')."""
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in export_rows(response))


def protecting_relations(model: type[models.Model]) -> list[str]:
    """The records that keep a row of ``model`` from being deleted (PROTECT / RESTRICT), as
    ``app.Model.field``: a suite whose views delete must show the refusal naming one of them."""
    return [f"{rel.field.model._meta.label}.{rel.field.name}" for rel in model._meta.related_objects
            if getattr(rel, "on_delete", None) in (models.PROTECT, models.RESTRICT)]


def assert_refusal_names(text: str, referrers: str) -> None:
    """A refused delete's answer says, in Chinese, what still refers to the row ("仍有 1 条线索
    引用它"), and never shows a constraint or a class name."""
    assert "该记录不能删除" in text and f"仍有 {referrers}引用它" in text, text[:3000]
    for internal in ("ProtectedError", "RestrictedError", "_fkey", "FOREIGN KEY", "IntegrityError"):
        assert internal not in text, internal


def row_values(model: type[models.Model], pk: Any) -> dict[str, Any] | None:
    """The stored column values of one row (``None`` once it is gone)."""
    return model._base_manager.filter(pk=pk).values().first()


def listed_pks(response: Any) -> set[Any]:
    """Primary keys of every row of the list page's table (all pages)."""
    table = response.context["table"]
    return {row.record.pk for row in table.rows}


class ModelSuite(TestCase):
    """Declare a model's test suite by subclassing; see the module docstring."""

    __test__ = False  # only declared subclasses are collected

    # -- the declaration ---------------------------------------------------------------------
    views: ClassVar[type[ModelViews]]
    allowed: ClassVar[str]
    outsider: ClassVar[str]
    #: extra personas for this suite: username -> (role, Personas attribute of the organization)
    extra_users: ClassVar[dict[str, tuple[str, str]]] = {}
    #: edit form field -> value the edit tests post
    edit: ClassVar[dict[str, Any]] = {}
    #: attribute path (``a__b``) whose value identifies the row in an export
    marker: ClassVar[str | None] = None

    @classmethod
    def make_row(cls, p: Personas) -> models.Model:
        """A new row inside ``allowed``'s scope and outside ``outsider``'s (distinct per call)."""
        raise NotImplementedError

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any] | None:
        """Valid POST data for the add form, as ``allowed``."""
        return None

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any] | None:
        """Add-form data that would put the row in an organization outside ``allowed``'s scope.

        ``None`` only for global tables (``scope_path = None``), which have no organization.
        """
        return None

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[models.Model, str]:
        """A row in ``allowed``'s scope that a real record still refers to (a PROTECT or RESTRICT
        relation), and what the refusal must name ("1 条线索"). Required when the views delete
        and some relation protects the model's rows (:func:`protecting_relations`)."""
        raise NotImplementedError

    # -- machinery ---------------------------------------------------------------------------
    p: Personas
    _sessions: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "views" not in cls.__dict__:
            return  # an intermediate base, not a declaration
        cls.__test__ = True
        actions = set(cls.views.actions)
        is_scoped = getattr(cls.model(), "scope_path", None) is not None
        is_versioned = "version" in {f.name for f in cls.model()._meta.concrete_fields}
        for name in dir(cls):
            needed = getattr(getattr(cls, name, None), "_requires", None)
            if needed is None:
                continue
            needs_actions, needs_scope, needs_version = needed
            if not set(needs_actions) <= actions or (needs_scope and not is_scoped) \
                    or (needs_version and not is_versioned):
                setattr(cls, name, None)  # not callable: not collected
        missing = []
        if "add" in actions and cls.add_data is ModelSuite.add_data:
            missing.append("add_data")
        if "edit" in actions and not cls.edit:
            missing.append("edit")
        if cls.make_row is ModelSuite.make_row:
            missing.append("make_row")
        if "add" in actions and is_scoped and cls.foreign_add_data is ModelSuite.foreign_add_data:
            missing.append("foreign_add_data")
        if "delete" in actions and protecting_relations(cls.model()):
            if cls.make_referenced_row.__func__ is ModelSuite.make_referenced_row.__func__:  # type: ignore[attr-defined]
                missing.append("make_referenced_row (rows are protected by "
                               + ", ".join(protecting_relations(cls.model())) + ")")
        else:
            cls.test_refused_delete_names_what_refers_to_the_row = None  # type: ignore[assignment]  # none refuses
        if missing:
            raise TypeError(f"{cls.__name__} must declare {', '.join(missing)}")

    @classmethod
    def model(cls) -> type[models.Model]:
        return cls.views.model

    @classmethod
    def setUpTestData(cls) -> None:
        from dangjian.accounts.models import RoleGrant, User

        p = build_personas()
        with acting_as(None, reason="test personas"):
            for username, (role, org_attr) in cls.extra_users.items():
                user = User(username=username, password_changed_at=timezone.now())
                user.set_password(PASSWORD)
                user.save()
                RoleGrant.objects.create(user=user, role=role, org=getattr(p, org_attr))
                p.users[username] = user
        cls.p = p
        cookie = settings.SESSION_COOKIE_NAME
        cls._sessions = {name: login(name).cookies[cookie].value for name in {cls.allowed, cls.outsider}}

    def client_as(self, username: str) -> Client:
        """A fresh client with ``username``'s session (logged in once per class)."""
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[username]
        return client

    def user(self, username: str) -> Any:
        from dangjian.accounts.models import User

        return User.objects.get(username=username)  # fresh: no cached scopes

    def new_row(self) -> Any:
        with acting_as(None, reason="test fixture"):
            return self.make_row(self.p)

    def url(self, action: str, obj: Any = None) -> str:
        return self.views.url(action, obj)

    def edit_form_data(self, obj: Any, username: str) -> dict[str, Any]:
        """The edit form of ``obj`` as the user loads it, with the declared changes applied."""
        assert self.views.form is not None
        form = self.views.form(instance=self.model()._default_manager.get(pk=obj.pk), user=self.user(username))
        return {**form_data(form), **self.edit}

    def expected_edit_values(self, obj: Any) -> Iterator[tuple[str, Any]]:
        """(attribute, python value) the declared edit should leave on the row."""
        assert self.views.form is not None
        form = self.views.form(instance=obj, user=self.user(self.allowed))
        for name, value in self.edit.items():
            yield name, form.fields[name].clean(value)

    def assert_audited(self, obj_pk: Any, event: str, username: str) -> AuditEntry:
        entry = (AuditEntry.objects.filter(object_type=self.model()._meta.label_lower, object_id=str(obj_pk),
                                           event=event).order_by("-id").first())
        assert entry is not None, f"no {event!r} audit entry for {self.model().__name__} {obj_pk}"
        assert entry.actor_id == self.user(username).pk, f"{event} audited with actor {entry.actor_name!r}"
        assert entry.changes, f"{event} audit entry carries no changes"
        return entry

    def export(self, username: str) -> Any:
        response = self.client_as(username).get(self.url("export"))
        return response

    def export_count(self, username: str) -> tuple[int, str]:
        response = self.export(username)
        assert response.status_code == 200, response.status_code
        rows = export_rows(response)
        text = "\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)
        return len(rows), text

    def marker_of(self, obj: Any) -> str:
        assert self.marker is not None
        value: Any = obj
        for part in self.marker.split("__"):
            value = getattr(value, part)
        return str(value)

    # -- anonymous ---------------------------------------------------------------------------
    def test_anonymous_is_sent_to_login(self) -> None:
        obj = self.new_row()
        before = row_values(self.model(), obj.pk)
        count = self.model()._base_manager.count()
        anonymous = Client()
        for action in self.views.actions:
            url = self.url(action, obj if action in ("detail", "edit", "delete") else None)
            response = anonymous.get(url)
            assert response.status_code == 302, (action, response.status_code)
            assert response["Location"].startswith(LOGIN_URL), (action, response["Location"])
            if action in WRITE_ACTIONS:
                data = self.add_data(self.p) if action == "add" else dict(self.edit)
                response = anonymous.post(url, data or {})
                assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL), action
        assert row_values(self.model(), obj.pk) == before
        assert self.model()._base_manager.count() == count

    # -- allowed user ------------------------------------------------------------------------
    @requires("list")
    def test_list_shows_row(self) -> None:
        obj = self.new_row()
        response = self.client_as(self.allowed).get(self.url("list"))
        assert response.status_code == 200
        assert obj.pk in listed_pks(response)

    @requires("list")
    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        self.new_row()
        client = self.client_as(self.allowed)
        client.get(self.url("list"))  # warm caches
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.url("list")).status_code == 200
        for _ in range(3):
            self.new_row()
        with CaptureQueriesContext(connection) as more:
            response = client.get(self.url("list"))
        assert response.status_code == 200
        sqls = "\n".join(q["sql"] for q in more.captured_queries)
        assert len(more) == len(few), f"{len(few)} queries with 1 row, {len(more)} with 4:\n{sqls}"

    @requires("detail")
    def test_detail_shows_row(self) -> None:
        obj = self.new_row()
        response = self.client_as(self.allowed).get(self.url("detail", obj))
        assert response.status_code == 200
        assert escape(str(obj)) in response.content.decode()

    @requires("add")
    def test_add_creates_row_and_audits(self) -> None:
        client = self.client_as(self.allowed)
        assert client.get(self.url("add")).status_code == 200
        model = self.model()
        before = set(model._base_manager.values_list("pk", flat=True))
        response = client.post(self.url("add"), self.add_data(self.p))
        errors = response.context["form"].errors if response.status_code != 302 and response.context else ""
        assert response.status_code == 302, f"add answered {response.status_code}: {errors}"
        created = set(model._base_manager.values_list("pk", flat=True)) - before
        assert len(created) == 1, created
        pk = created.pop()
        entry = self.assert_audited(pk, "create", self.allowed)
        assert all(old is None for old, _new in entry.changes.values()), entry.changes

    @requires("add", scoped=True)
    def test_add_into_other_organization_is_refused(self) -> None:
        data = self.foreign_add_data(self.p)
        assert data is not None
        model = self.model()
        count = model._base_manager.count()
        response = self.client_as(self.allowed).post(self.url("add"), data)
        assert response.status_code in (400, 403, 404), response.status_code
        assert model._base_manager.count() == count

    @requires("edit")
    def test_edit_changes_row_and_audits(self) -> None:
        obj = self.new_row()
        client = self.client_as(self.allowed)
        assert client.get(self.url("edit", obj)).status_code == 200
        before = row_values(self.model(), obj.pk)
        response = client.post(self.url("edit", obj), self.edit_form_data(obj, self.allowed))
        errors = response.context["form"].errors if response.status_code != 302 and response.context else ""
        assert response.status_code == 302, f"edit answered {response.status_code}: {errors}"
        fresh = self.model()._default_manager.get(pk=obj.pk)
        entry = self.assert_audited(obj.pk, "update", self.allowed)
        assert before is not None
        for name, value in self.expected_edit_values(fresh):
            assert getattr(fresh, name) == value, (name, getattr(fresh, name), value)
            attname = getattr(fresh._meta.get_field(name), "attname", name)
            assert attname in entry.changes, (attname, entry.changes)
            assert entry.changes[attname] == [_json_value(before[attname]), _json_value(getattr(fresh, attname))]

    @requires("edit", versioned=True)
    def test_edit_with_stale_version_is_409_and_not_saved(self) -> None:
        model = self.model()
        obj = self.new_row()
        data = self.edit_form_data(obj, self.allowed)
        with acting_as(None, reason="someone else edits first"):
            other = model._default_manager.get(pk=obj.pk)
            other.save()
        saved = row_values(model, obj.pk)
        response = self.client_as(self.allowed).post(self.url("edit", obj), data)
        assert response.status_code == 409, response.status_code
        assert row_values(model, obj.pk) == saved

    @requires("edit", versioned=True)
    def test_edit_with_zero_or_missing_version_is_409_and_not_saved(self) -> None:
        """A form that does not say which version it edits is stale, never "unchecked" (REL-03)."""
        model = self.model()
        obj = self.new_row()
        data = self.edit_form_data(obj, self.allowed)
        saved = row_values(model, obj.pk)
        client = self.client_as(self.allowed)
        for version in ("0", None):
            submitted = {k: v for k, v in data.items() if k != "version"}
            if version is not None:
                submitted["version"] = version
            response = client.post(self.url("edit", obj), submitted)
            assert response.status_code == 409, (version, response.status_code)
            assert row_values(model, obj.pk) == saved, version

    @requires("delete")
    def test_delete_removes_row_and_audits(self) -> None:
        obj = self.new_row()
        client = self.client_as(self.allowed)
        assert client.get(self.url("delete", obj)).status_code == 200
        response = client.post(self.url("delete", obj))
        assert response.status_code == 302, response.status_code
        assert row_values(self.model(), obj.pk) is None
        entry = self.assert_audited(obj.pk, "delete", self.allowed)
        assert all(new is None for _old, new in entry.changes.values()), entry.changes

    @requires("delete")
    def test_refused_delete_names_what_refers_to_the_row(self) -> None:
        """A row another record still refers to is kept; the page says what refers to it (409)."""
        obj, referrers = self.make_referenced_row(self.p)
        before = row_values(self.model(), obj.pk)
        client = self.client_as(self.allowed)
        response = client.post(self.url("delete", obj))
        assert response.status_code == 409, response.status_code
        assert_refusal_names(html.unescape(response.content.decode()), referrers)
        assert row_values(self.model(), obj.pk) == before

    @requires("export")
    def test_export_contains_row(self) -> None:
        count, _text = self.export_count(self.allowed)
        obj = self.new_row()
        count_after, text = self.export_count(self.allowed)
        assert count_after == count + 1
        if self.marker:
            assert self.marker_of(obj) in text

    # -- outsider ----------------------------------------------------------------------------
    def outsider_can(self, action: str) -> bool:
        return can(self.user(self.outsider), self.model(), action)

    @requires("list")
    def test_outsider_list_lacks_row(self) -> None:
        obj = self.new_row()
        response = self.client_as(self.outsider).get(self.url("list"))
        if not self.outsider_can("view"):
            assert response.status_code == 404
            return
        assert response.status_code == 200
        assert obj.pk not in listed_pks(response)
        if "detail" in self.views.actions:
            assert f'href="{self.url("detail", obj)}"' not in response.content.decode()

    @requires("detail")
    def test_outsider_detail_is_404(self) -> None:
        obj = self.new_row()
        assert self.client_as(self.outsider).get(self.url("detail", obj)).status_code == 404

    @requires("edit")
    def test_outsider_edit_is_404_and_row_unchanged(self) -> None:
        obj = self.new_row()
        data = self.edit_form_data(obj, self.allowed)
        before = row_values(self.model(), obj.pk)
        client = self.client_as(self.outsider)
        assert client.get(self.url("edit", obj)).status_code == 404
        assert client.post(self.url("edit", obj), data).status_code == 404
        assert row_values(self.model(), obj.pk) == before

    @requires("delete")
    def test_outsider_delete_is_404_and_row_kept(self) -> None:
        obj = self.new_row()
        before = row_values(self.model(), obj.pk)
        client = self.client_as(self.outsider)
        assert client.get(self.url("delete", obj)).status_code == 404
        assert client.post(self.url("delete", obj)).status_code == 404
        assert row_values(self.model(), obj.pk) == before

    @requires("export")
    def test_outsider_export_lacks_row(self) -> None:
        if not self.outsider_can("export"):
            self.new_row()
            assert self.export(self.outsider).status_code == 404
            return
        count, _text = self.export_count(self.outsider)
        obj = self.new_row()
        count_after, text = self.export_count(self.outsider)
        assert count_after == count
        if self.marker:
            assert self.marker_of(obj) not in text
