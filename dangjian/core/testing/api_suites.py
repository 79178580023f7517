"""Generated per-viewset API test suites (ARCHITECTURE.md "Tests"; SECURITY.md AC-02, REL-02, REL-03).

The API twin of :mod:`dangjian.core.testing.suites`. A module declares, in a few lines, which
viewset, who may use it, how to make a row and what a valid request body looks like::

    class TestMemberAPISuite(ViewSetSuite):
        viewset = MemberViewSet
        allowed = "officer_b1"        # may do everything the viewset offers on the row
        outsider = "officer_b2"       # has a role in the area, but the row is outside its scope
        change = {"phone": "13900000000"}   # PATCH body of the update tests

        @classmethod
        def make_row(cls, p): return make_member(p.b1)             # a new row in allowed's scope
        @classmethod
        def create_data(cls, p): return {...}                      # a valid POST body
        @classmethod
        def foreign_create_data(cls, p): return {..., "org": p.b3.pk}  # the same, in another branch

Generated tests, for each operation the viewset offers (list, retrieve, create, update, destroy
and its extra ``@action`` routes); every response of every test is validated against the
OpenAPI document by :class:`SchemaValidatingClient` (documented responses match their schema,
the others have the one error shape):

- anonymous: every operation answers 401 and nothing changes;
- a user without any role: the list is empty, the detail 404;
- allowed user: the row is listed and shown (with its version as ``ETag``); a create writes
  exactly one row with a ``create`` audit entry (actor, source ``api``), and a retry with the
  same ``Idempotency-Key`` replays it without a second row (REL-02); an update with
  ``If-Match`` changes the row and writes its ``update`` entry with the before/after values; a
  stale ``If-Match`` answers 412 and does not overwrite (REL-03); a destroy removes the row and writes its entry; a create into an organization
  outside the user's scope is refused and writes no row, and so is an update that would move
  the row there (``foreign_change``) (AC-02);
- outsider: the row is not listed; detail, update, destroy and every detail action answer 404
  and the row is unchanged (AC-02);
- the list costs the same number of queries with 1 and with 4 rows;
- the OpenAPI document describes every operation the viewset offers.

Personas are built once per class (``setUpTestData``); each persona gets one API token per
class through the real token endpoint.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, ClassVar

from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.viewsets import GenericViewSet

from dangjian.core.audit import _json_value
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient, openapi
from dangjian.core.testing.personas import PASSWORD, Personas, build_personas, one_time_code
from dangjian.core.testing.suites import assert_refusal_names, protecting_relations

API_ROOT = "/api/v1/"
NO_ROLE = "no_role_user"  # a persona with an account and no role anywhere
_keys = itertools.count(1)


def registered_viewsets() -> dict[type[Any], str]:
    """Every viewset of the API router -> its URL prefix (``dues/bills``)."""
    from dangjian.api_urls import router

    return {viewset: prefix for prefix, viewset, _basename in router.registry}


def api_token(username: str) -> str:
    """A token for ``username`` through the real token endpoint."""
    body = {"username": username, "password": PASSWORD, "otp": one_time_code(username)}
    response = SchemaValidatingClient().post(f"{API_ROOT}auth/token/", body, format="json")
    assert response.status_code == 201, f"token of {username}: {response.status_code} {response.content!r}"
    return str(response.json()["token"])


def new_key() -> str:
    return f"suite-key-{next(_keys)}"


def row_values(model: type[models.Model], pk: Any) -> dict[str, Any] | None:
    return model._base_manager.filter(pk=pk).values().first()


def requires(*operations: str, versioned: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a generated test as applying only when the viewset offers all of ``operations``
    (and, with ``versioned``, the model has a version)."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func._requires = (operations, versioned)  # type: ignore[attr-defined]
        return func

    return mark


class ViewSetSuite(TestCase):
    """Declare a viewset's API suite by subclassing; see the module docstring."""

    __test__ = False  # only declared subclasses are collected

    # -- the declaration ---------------------------------------------------------------------
    viewset: ClassVar[type[GenericViewSet]]  # type: ignore[type-arg]
    allowed: ClassVar[str]
    outsider: ClassVar[str]
    #: extra personas for this suite: username -> (role, Personas attribute of the organization)
    extra_users: ClassVar[dict[str, tuple[str, str]]] = {}
    #: PATCH body of the update tests (field -> new value, as JSON)
    change: ClassVar[dict[str, Any]] = {}
    #: the audit event a destroy writes ("delete"; a revocation that keeps the row: "update")
    destroy_event: ClassVar[str] = "delete"

    @classmethod
    def make_row(cls, p: Personas) -> models.Model:
        """A new row inside ``allowed``'s scope and outside ``outsider``'s (distinct per call)."""
        raise NotImplementedError

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        """A valid POST body, as ``allowed`` (distinct per call)."""
        raise NotImplementedError

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        """A POST body that would put the row into an organization outside ``allowed``'s scope."""
        raise NotImplementedError

    @classmethod
    def foreign_change(cls, p: Personas) -> dict[str, Any]:
        """A PATCH body that would move the row into an organization outside ``allowed``'s scope
        (declare it when the organization stays writable on update)."""
        raise NotImplementedError

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[models.Model, str]:
        """A row in ``allowed``'s scope that a real record still refers to, and what the refusal
        must name ("1 条党员"): required when the viewset destroys and a PROTECT or RESTRICT
        relation protects the model's rows (``core.testing.suites.protecting_relations``)."""
        raise NotImplementedError

    def assert_destroyed(self, pk: Any) -> None:
        """What a destroy leaves behind (default: nothing)."""
        assert row_values(self.model(), pk) is None, "the row is still there after DELETE"

    # -- machinery ---------------------------------------------------------------------------
    p: ClassVar[Personas]
    _tokens: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "viewset" not in cls.__dict__:
            return  # an intermediate base, not a declaration
        cls.__test__ = True
        offered = cls.operations()
        versioned = "version" in {f.name for f in cls.model()._meta.concrete_fields}
        for name in dir(cls):
            needed = getattr(getattr(cls, name, None), "_requires", None)
            if needed is None:
                continue
            operations, needs_version = needed
            if not set(operations) <= offered or (needs_version and not versioned):
                setattr(cls, name, None)  # not callable: not collected
        if not {"update", "destroy"} & offered and not any(action.detail for action in cls.extra_actions()):
            cls.test_outsider_cannot_write_the_row_404_and_unchanged = None  # type: ignore[assignment]  # no write
        if cls.foreign_change.__func__ is ViewSetSuite.foreign_change.__func__:  # type: ignore[attr-defined]
            cls.test_update_into_another_organization_is_refused_and_row_unchanged = None  # type: ignore[assignment]
        missing = []
        if cls.make_row.__func__ is ViewSetSuite.make_row.__func__:  # type: ignore[attr-defined]
            missing.append("make_row")
        if "create" in offered:
            for hook in ("create_data", "foreign_create_data"):
                if getattr(cls, hook).__func__ is getattr(ViewSetSuite, hook).__func__:
                    missing.append(hook)
        if "update" in offered and not cls.change:
            missing.append("change")
        if "destroy" in offered and protecting_relations(cls.model()):
            if cls.make_referenced_row.__func__ is ViewSetSuite.make_referenced_row.__func__:  # type: ignore[attr-defined]
                missing.append("make_referenced_row")
        else:
            cls.test_refused_destroy_names_what_refers_to_the_row = None  # type: ignore[assignment]
        if missing:
            raise TypeError(f"{cls.__name__} must declare {', '.join(missing)}")

    @classmethod
    def model(cls) -> type[models.Model]:
        queryset = cls.viewset.queryset
        assert queryset is not None, f"{cls.viewset.__name__} declares no queryset"
        return queryset.model  # type: ignore[no-any-return]

    @classmethod
    def operations(cls) -> set[str]:
        """The standard operations the viewset offers (by its methods and ``http_method_names``)."""
        methods = set(cls.viewset.http_method_names)
        offered = set()
        for operation, method in (("list", "get"), ("retrieve", "get"), ("create", "post"), ("update", "patch"),
                                  ("destroy", "delete")):
            if method in methods and hasattr(cls.viewset, operation):
                offered.add(operation)
        return offered

    @classmethod
    def extra_actions(cls) -> list[Any]:
        return list(cls.viewset.get_extra_actions())

    @classmethod
    def prefix(cls) -> str:
        prefix = registered_viewsets().get(cls.viewset)
        assert prefix is not None, f"{cls.viewset.__name__} is not registered in dangjian/api_urls.py"
        return prefix

    @classmethod
    def list_url(cls) -> str:
        return f"{API_ROOT}{cls.prefix()}/"

    @classmethod
    def detail_url(cls, obj: Any) -> str:
        return f"{API_ROOT}{cls.prefix()}/{obj.pk}/"

    @classmethod
    def action_url(cls, action: Any, obj: Any = None) -> str:
        base = cls.detail_url(obj) if action.detail else cls.list_url()
        return f"{base}{action.url_path}/"

    @classmethod
    def setUpTestData(cls) -> None:
        from dangjian.accounts.models import RoleGrant, User

        p = build_personas()
        with acting_as(None, reason="test personas"):
            for username, (role, org_attr) in {**cls.extra_users, NO_ROLE: ("", "")}.items():
                user = User(username=username, password_changed_at=timezone.now())
                user.set_password(PASSWORD)
                user.save()
                if role:
                    RoleGrant.objects.create(user=user, role=role, org=getattr(p, org_attr))
                p.users[username] = user
        cls.p = p
        cls._tokens = {name: api_token(name) for name in {cls.allowed, cls.outsider, NO_ROLE}}

    def client_as(self, username: str | None) -> SchemaValidatingClient:
        """A client with ``username``'s token (``None``: anonymous)."""
        client = SchemaValidatingClient()
        if username is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self._tokens[username]}")
        return client

    def user(self, username: str) -> Any:
        from dangjian.accounts.models import User

        return User.objects.get(username=username)

    def new_row(self) -> Any:
        with acting_as(None, reason="test fixture"):
            return self.make_row(self.p)

    def new_create_data(self, foreign: bool = False) -> dict[str, Any]:
        with acting_as(None, reason="test fixture"):
            return self.foreign_create_data(self.p) if foreign else self.create_data(self.p)

    def count(self) -> int:
        return self.model()._base_manager.count()

    def listed_ids(self, username: str, url: str | None = None) -> set[Any]:
        """Ids of every row of the list (all pages)."""
        client = self.client_as(username)
        ids: set[Any] = set()
        next_url: str | None = url or self.list_url()
        for _page in range(100):
            if next_url is None:
                return ids
            response = client.get(next_url)
            assert response.status_code == 200, (next_url, response.status_code, response.content)
            body = response.json()
            ids |= {row["id"] for row in body["results"]}
            next_url = body.get("next")
        raise AssertionError("more than 100 pages")

    def etag(self, username: str, obj: Any) -> str:
        response = self.client_as(username).get(self.detail_url(obj))
        assert response.status_code == 200, response.status_code
        return str(response["ETag"])

    def assert_audited(self, pk: Any, event: str, username: str) -> AuditEntry:
        entry = (AuditEntry.objects.filter(object_type=self.model()._meta.label_lower, object_id=str(pk), event=event)
                 .order_by("-id").first())
        assert entry is not None, f"no {event!r} audit entry for {self.model().__name__} {pk}"
        assert entry.actor_id == self.user(username).pk, f"{event} audited with actor {entry.actor_name!r}"
        assert entry.source == "api", f"{event} audited with source {entry.source!r}"
        assert entry.changes, f"{event} audit entry carries no changes"
        return entry

    # -- the document ------------------------------------------------------------------------
    def test_openapi_document_describes_every_operation(self) -> None:
        paths = openapi()["paths"]
        list_path, detail_path = self.list_url(), f"{self.list_url()}{{id}}/"
        expected = {"list": (list_path, "get"), "retrieve": (detail_path, "get"), "create": (list_path, "post"),
                    "update": (detail_path, "patch"), "destroy": (detail_path, "delete")}
        for operation in sorted(self.operations()):
            path, method = expected[operation]
            assert method in paths.get(path, {}), f"{method.upper()} {path} ({operation}) is not documented"
        for action in self.extra_actions():
            path = f"{detail_path if action.detail else list_path}{action.url_path}/"
            for method in action.mapping:
                assert method in paths.get(path, {}), f"{method.upper()} {path} ({action.url_name}) is not documented"

    # -- anonymous ---------------------------------------------------------------------------
    def test_anonymous_gets_401_everywhere_and_nothing_changes(self) -> None:
        obj = self.new_row()
        before, count = row_values(self.model(), obj.pk), self.count()
        anonymous = self.client_as(None)
        operations = self.operations()
        calls: list[tuple[str, str, dict[str, Any] | None]] = []
        if "list" in operations:
            calls.append(("get", self.list_url(), None))
        if "retrieve" in operations:
            calls.append(("get", self.detail_url(obj), None))
        if "create" in operations:
            calls.append(("post", self.list_url(), self.new_create_data()))
        if "update" in operations:
            calls.append(("patch", self.detail_url(obj), dict(self.change)))
        if "destroy" in operations:
            calls.append(("delete", self.detail_url(obj), None))
        for action in self.extra_actions():
            for method in action.mapping:
                calls.append((method, self.action_url(action, obj), {}))
        for method, url, body in calls:
            response = getattr(anonymous, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())
            assert response.status_code == 401, (method, url, response.status_code)
        assert row_values(self.model(), obj.pk) == before
        assert self.count() == count

    # -- a user without any role -------------------------------------------------------------
    @requires("list")
    def test_user_without_a_role_sees_an_empty_list(self) -> None:
        self.new_row()
        response = self.client_as(NO_ROLE).get(self.list_url())
        assert response.status_code == 200, response.status_code
        assert response.json()["count"] == 0 and response.json()["results"] == []

    @requires("retrieve")
    def test_user_without_a_role_gets_404_on_detail(self) -> None:
        obj = self.new_row()
        assert self.client_as(NO_ROLE).get(self.detail_url(obj)).status_code == 404

    # -- allowed user ------------------------------------------------------------------------
    @requires("list")
    def test_list_shows_row(self) -> None:
        obj = self.new_row()
        assert obj.pk in self.listed_ids(self.allowed)

    @requires("list")
    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        self.new_row()
        client = self.client_as(self.allowed)
        client.get(self.list_url())  # warm caches
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.list_url()).status_code == 200
        for _ in range(3):
            self.new_row()
        with CaptureQueriesContext(connection) as more:
            response = client.get(self.list_url())
        assert response.status_code == 200
        sqls = "\n".join(q["sql"] for q in more.captured_queries)
        assert len(more) == len(few), f"{len(few)} queries with 1 row, {len(more)} with 4:\n{sqls}"

    @requires("retrieve")
    def test_detail_shows_row_with_its_version(self) -> None:
        obj = self.new_row()
        response = self.client_as(self.allowed).get(self.detail_url(obj))
        assert response.status_code == 200, response.status_code
        body = response.json()
        assert body["id"] == obj.pk
        assert body.get("display") in (None, str(obj))
        version = getattr(self.model()._base_manager.get(pk=obj.pk), "version", None)
        if version is not None:
            assert response["ETag"] == f'"{version}"'

    @requires("create")
    def test_create_writes_one_row_and_its_audit_entry(self) -> None:
        before = set(self.model()._base_manager.values_list("pk", flat=True))
        response = self.client_as(self.allowed).post(self.list_url(), self.new_create_data(), format="json",
                                                     HTTP_IDEMPOTENCY_KEY=new_key())
        assert response.status_code == 201, f"create answered {response.status_code}: {response.content!r}"
        created = set(self.model()._base_manager.values_list("pk", flat=True)) - before
        assert created == {response.json()["id"]}, created
        self.assert_audited(created.pop(), "create", self.allowed)

    @requires("create")
    def test_create_retried_with_the_same_key_writes_one_row(self) -> None:
        client, data, key = self.client_as(self.allowed), self.new_create_data(), new_key()
        count = self.count()
        first = client.post(self.list_url(), data, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert first.status_code == 201, first.content
        again = client.post(self.list_url(), data, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        assert self.count() == count + 1

    @requires("create")
    def test_create_into_another_organization_is_refused_and_writes_no_row(self) -> None:
        data = self.new_create_data(foreign=True)
        count = self.count()
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = self.client_as(self.allowed).post(self.list_url(), data, format="json",
                                                     HTTP_IDEMPOTENCY_KEY=new_key())
        assert response.status_code in (400, 403, 404), response.status_code
        assert self.count() == count
        written = AuditEntry.objects.filter(pk__gt=last_entry, success=True).exclude(event="login")
        assert not written.exists(), list(written.values_list("event", "object_type"))

    @requires("update")
    def test_update_changes_row_and_writes_its_audit_entry(self) -> None:
        obj = self.new_row()
        client = self.client_as(self.allowed)
        before = row_values(self.model(), obj.pk)
        assert before is not None
        response = client.patch(self.detail_url(obj), self.change, format="json",
                                HTTP_IF_MATCH=self.etag(self.allowed, obj))
        assert response.status_code == 200, f"update answered {response.status_code}: {response.content!r}"
        fresh = self.model()._base_manager.get(pk=obj.pk)
        entry = self.assert_audited(obj.pk, "update", self.allowed)
        for name in self.change:
            field = self.model()._meta.get_field(name)
            attname = getattr(field, "attname", name)
            stored = getattr(fresh, attname)
            assert str(response.json()[name]) == str(_json_value(stored)), (name, response.json()[name], stored)
            assert stored != before[attname], f"{name} did not change"
            assert entry.changes.get(attname) == [_json_value(before[attname]), _json_value(stored)], entry.changes

    @requires("update", versioned=True)
    def test_update_with_a_stale_if_match_is_412_and_not_saved(self) -> None:
        obj = self.new_row()
        etag = self.etag(self.allowed, obj)
        with acting_as(None, reason="someone else edits first"):
            self.model()._default_manager.get(pk=obj.pk).save()
        saved = row_values(self.model(), obj.pk)
        response = self.client_as(self.allowed).patch(self.detail_url(obj), self.change, format="json",
                                                      HTTP_IF_MATCH=etag)
        assert response.status_code == 412, response.status_code
        assert row_values(self.model(), obj.pk) == saved

    @requires("update")
    def test_update_into_another_organization_is_refused_and_row_unchanged(self) -> None:
        obj = self.new_row()
        before = row_values(self.model(), obj.pk)
        response = self.client_as(self.allowed).patch(self.detail_url(obj), self.foreign_change(self.p), format="json",
                                                      HTTP_IF_MATCH=self.etag(self.allowed, obj))
        assert response.status_code in (400, 403, 404), response.status_code
        assert row_values(self.model(), obj.pk) == before

    @requires("destroy")
    def test_destroy_removes_row_and_writes_its_audit_entry(self) -> None:
        obj = self.new_row()
        response = self.client_as(self.allowed).delete(self.detail_url(obj),
                                                       HTTP_IF_MATCH=self.etag(self.allowed, obj))
        assert response.status_code == 204, f"destroy answered {response.status_code}: {response.content!r}"
        self.assert_destroyed(obj.pk)
        self.assert_audited(obj.pk, self.destroy_event, self.allowed)

    @requires("destroy")
    def test_refused_destroy_names_what_refers_to_the_row(self) -> None:
        """A row another record still refers to is kept: 409 with the sentence naming them."""
        obj, referrers = self.make_referenced_row(self.p)
        before = row_values(self.model(), obj.pk)
        response = self.client_as(self.allowed).delete(self.detail_url(obj), HTTP_IF_MATCH=self.etag(self.allowed, obj))
        assert response.status_code == 409, f"destroy answered {response.status_code}: {response.content!r}"
        assert_refusal_names(response.json()["detail"], referrers)
        assert row_values(self.model(), obj.pk) == before

    # -- outsider ----------------------------------------------------------------------------
    @requires("list")
    def test_outsider_list_lacks_row(self) -> None:
        obj = self.new_row()
        assert obj.pk not in self.listed_ids(self.outsider)

    @requires("retrieve")
    def test_outsider_detail_is_404(self) -> None:
        obj = self.new_row()
        assert self.client_as(self.outsider).get(self.detail_url(obj)).status_code == 404

    def test_outsider_cannot_write_the_row_404_and_unchanged(self) -> None:
        obj = self.new_row()
        before, count = row_values(self.model(), obj.pk), self.count()
        client = self.client_as(self.outsider)
        calls: list[tuple[str, str, dict[str, Any] | None]] = []
        if "update" in self.operations():
            calls.append(("patch", self.detail_url(obj), {**self.change, "version": getattr(obj, "version", None)}))
        if "destroy" in self.operations():
            calls.append(("delete", self.detail_url(obj), None))
        for action in self.extra_actions():
            if action.detail:
                calls += [(method, self.action_url(action, obj), {}) for method in action.mapping]
        for method, url, body in calls:
            response = getattr(client, method)(url, body, format="json", HTTP_IF_MATCH=f'"{getattr(obj, "version", 0)}"')
            assert response.status_code == 404, (method, url, response.status_code)
        assert row_values(self.model(), obj.pk) == before
        assert self.count() == count


__all__ = ["NO_ROLE", "ViewSetSuite", "registered_viewsets", "requires"]
