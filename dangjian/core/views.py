"""Generic screens: a module declares a ``ModelViews`` subclass and gets list, detail, add,
edit, delete and export, all scoped, audited and version-guarded.

Every screen reads through ``visible_to(user, action)``; writes run in one transaction, are
re-checked with ``ensure_in_scope`` before commit and roll back if the row left the user's
scope. Out-of-scope rows answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View

from dangjian.core import audit, errors, exports, replica, stepup
from dangjian.core.excel import Column, xlsx_response
from dangjian.core.forms import preselect_single_choices
from dangjian.core.models import VersionConflict, protected_message
from dangjian.core.scoping import OutOfScope, ensure_in_scope, get_scoped_or_404, scope_for

PER_PAGE = 25

#: model -> its ModelViews, filled when a module's URLs are built (for get_absolute_url).
REGISTRY: dict[type[models.Model], type[ModelViews]] = {}


def detail_url(obj: models.Model) -> str:
    """The detail page of any registered model's row ('' when it has none)."""
    spec = REGISTRY.get(type(obj))
    if spec is None or "detail" not in spec.actions:
        return ""
    return spec.url("detail", obj)


@dataclass(frozen=True)
class Related:
    """A child list shown on a detail page, loaded with hx-get from the child's own list view
    (so it is scoped exactly like that list): ``url_name`` is the child's list, ``param`` the
    filter that selects this parent's children."""

    title: Any
    url_name: str
    param: str


def can(user: Any, model: type[models.Model], action: str) -> bool:
    """Whether the user has any scope for ``action`` on ``model``'s area (for buttons)."""
    area: str | None = getattr(model, "scope_area", None)
    return area is not None and not scope_for(user, area, action).is_empty


class ModelViews:
    """Declaration of a model's standard screens. Subclass and set the attributes."""

    model: ClassVar[type[models.Model]]
    name: ClassVar[str]  # URL name prefix, e.g. "member"
    queryset: ClassVar[models.QuerySet[Any] | None] = None
    table: ClassVar[type[tables.Table]]
    filterset: ClassVar[type[django_filters.FilterSet] | None] = None
    form: ClassVar[type[Any] | None] = None
    add_form: ClassVar[type[Any] | None] = None  # when creating differs from editing
    #: Heavy fields a list never shows (not fetched, not carried through the sort).
    list_defer: ClassVar[tuple[str, ...]] = ()
    export_columns: ClassVar[tuple[Column, ...]] = ()
    importer: ClassVar[Any] = None  # a dangjian.core.imports.Importer: adds the 导入 button
    detail_fields: ClassVar[tuple[str, ...]] = ()
    related: ClassVar[tuple[Related, ...]] = ()
    actions: ClassVar[tuple[str, ...]] = ("list", "detail", "add", "edit", "delete", "export")
    list_template: ClassVar[str] = "core/object_list.html"
    detail_template: ClassVar[str] = "core/object_detail.html"
    form_template: ClassVar[str] = "core/object_form.html"

    # -- hooks -----------------------------------------------------------------------------
    @classmethod
    def get_queryset(cls, request: HttpRequest) -> models.QuerySet[Any]:
        """The rows before scoping. Uses only ``request.user`` and ``request.GET``: a large
        export's background job calls it with a request carrying nothing else."""
        qs = cls.queryset if cls.queryset is not None else cls.model._default_manager.all()  # scope-ok: see scoped()
        return qs.all()

    @classmethod
    def scoped(cls, request: HttpRequest, action: str) -> models.QuerySet[Any]:
        return cls.get_queryset(request).visible_to(request.user, action)  # type: ignore[attr-defined]

    @classmethod
    def filtered(cls, request: HttpRequest, action: str, *, listing: bool = False) -> tuple[models.QuerySet[Any], Any]:
        qs = cls.scoped(request, action)
        if listing and cls.list_defer:
            qs = qs.defer(*cls.list_defer)
        if cls.filterset is None:
            return qs, None
        fs = cls.filterset(request.GET or None, queryset=qs, request=request)
        return fs.qs, fs

    @classmethod
    def url(cls, action: str, obj: Any = None) -> str:
        if obj is None:
            return reverse(f"{cls.namespace}:{cls.name}_{action}")
        return reverse(f"{cls.namespace}:{cls.name}_{action}", args=[obj.pk])

    namespace: ClassVar[str] = ""

    @classmethod
    def urls(cls, prefix: str) -> list[URLPattern]:
        """The URL patterns of the declared actions, explicit (no import side effects)."""
        prefix = prefix.rstrip("/") + "/" if prefix else ""
        REGISTRY[cls.model] = cls
        routes = {
            "list": (f"{prefix}", ObjectListView),
            "add": (f"{prefix}add/", ObjectEditView),
            "export": (f"{prefix}export.xlsx", ObjectExportView),
            "detail": (f"{prefix}<int:pk>/", ObjectDetailView),
            "edit": (f"{prefix}<int:pk>/edit/", ObjectEditView),
            "delete": (f"{prefix}<int:pk>/delete/", ObjectDeleteView),
        }
        return [
            path(route, view.as_view(spec=cls), name=f"{cls.name}_{action}")
            for action, (route, view) in routes.items()
            if action in cls.actions
        ]

    @classmethod
    def permissions(cls, user: Any) -> dict[str, bool]:
        return {
            "add": "add" in cls.actions and can(user, cls.model, "add"),
            "change": "edit" in cls.actions and can(user, cls.model, "change"),
            "delete": "delete" in cls.actions and can(user, cls.model, "delete"),
            "export": "export" in cls.actions and can(user, cls.model, "export"),
            "import": cls.importer is not None and cls.importer.allowed(user),
        }

    @classmethod
    def detail_rows(cls, obj: Any) -> list[tuple[str, Any]]:
        """(label, value) pairs of ``detail_fields``: model fields or labelled properties."""
        fields = {f.name: f for f in obj._meta.fields}
        rows: list[tuple[str, Any]] = []
        for name in cls.detail_fields:
            if name in fields:
                display = getattr(obj, f"get_{name}_display", None)
                value = display() if callable(display) else getattr(obj, name)
                rows.append((str(fields[name].verbose_name), value))
            else:
                prop = getattr(type(obj), name)
                label = getattr(getattr(prop, "fget", None), "short_description", name)
                rows.append((str(label), getattr(obj, name)))
        return rows

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """Hook: extra template context for the detail page."""
        return {}

    @classmethod
    def related_for(cls, obj: Any) -> tuple[Related, ...]:
        """Hook: the child lists of ``obj``'s page (default: the declared ``related``)."""
        return cls.related

    @classmethod
    def edit_elsewhere(cls, request: HttpRequest, obj: Any) -> str | None:
        """Hook: the URL where a record that is no longer edited by its form changes instead
        (a locked record's amendment screen); its edit URL leads there. ``None``: edit here."""
        return None

    @classmethod
    def after_save(cls, request: HttpRequest, obj: Any, created: bool) -> None:
        """Hook for a module to add messages or follow-up work after a successful save."""

    @classmethod
    def audit_export(cls, request: HttpRequest, count: int) -> None:
        with transaction.atomic():
            audit.record(
                "export", object_type=cls.model._meta.label_lower, object_repr=str(cls.model._meta.verbose_name_plural),
                changes={"rows": count, "filters": dict(request.GET.items())},
            )


class SpecView(View):
    spec: type[ModelViews] = ModelViews

    def context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        spec = self.spec
        return {
            "spec": spec,
            "import_url": spec.importer.url() if spec.importer is not None else "",
            "model_name": spec.model._meta.verbose_name,
            "model_name_plural": spec.model._meta.verbose_name_plural,
            "perms": spec.permissions(request.user),
            **extra,
        }


class ObjectListView(SpecView):
    """Filtered, sorted, paginated list; htmx requests get only the table."""

    def get(self, request: HttpRequest) -> HttpResponse:
        spec = self.spec
        if not can(request.user, spec.model, "view"):
            raise Http404  # no role of this user reaches this kind of record at all
        qs, fs = spec.filtered(request, "view", listing=True)
        table = spec.table(qs, request=request)
        tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        ctx = self.context(request, table=table, filter=fs)
        template = "core/_table.html" if getattr(request, "htmx", False) else spec.list_template
        return render(request, template, ctx)


class ObjectDetailView(SpecView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        spec = self.spec
        obj = get_scoped_or_404(request.user, spec.get_queryset(request), "view", pk=pk)
        can_change = spec.permissions(request.user)["change"] and spec.scoped(request, "change").filter(pk=pk).exists()
        can_delete = spec.permissions(request.user)["delete"] and spec.scoped(request, "delete").filter(pk=pk).exists()
        return render(request, spec.detail_template, self.context(
            request, object=obj, rows=spec.detail_rows(obj), related=spec.related_for(obj),
            can_change=can_change, can_delete=can_delete, **spec.detail_context(request, obj),
        ))


class ObjectEditView(SpecView):
    """Create or edit in one transaction; stale versions answer 409 with the form re-shown. A
    rule error from the save (``core.errors.RuleError``) or a violated constraint shows on the
    form, beside its field or at the top, with the input kept (400)."""

    def get_object(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            if not can(request.user, self.spec.model, "add"):
                raise Http404
            return self.spec.model()
        return get_scoped_or_404(request.user, self.spec.get_queryset(request), "change", pk=pk)

    def form_class(self, pk: int | None) -> type[Any]:
        form = (self.spec.add_form or self.spec.form) if pk is None else self.spec.form
        assert form is not None
        return form

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(request, pk)
        elsewhere = self.spec.edit_elsewhere(request, obj) if pk is not None else None
        if elsewhere:
            return HttpResponseRedirect(elsewhere)
        form_class = self.form_class(pk)
        initial = {k: v for k, v in request.GET.items() if k in form_class.base_fields} if pk is None else None
        form = form_class(instance=obj, user=request.user, initial=initial)
        if pk is None:
            preselect_single_choices(form)
        return render(request, self.spec.form_template, self.context(request, form=form, object=obj if pk else None))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        spec = self.spec
        status = 200
        try:
            with transaction.atomic():
                obj = self.get_object(request, pk)
                form = self.form_class(pk)(request.POST, request.FILES, instance=obj, user=request.user)
                if form.is_valid():
                    saved = form.save()
                    ensure_in_scope(request.user, saved, "add" if pk is None else "change")
                    spec.after_save(request, saved, pk is None)
                    messages.success(request, gettext("Saved: %(obj)s") % {"obj": saved})
                    target = spec.url("detail", saved) if "detail" in spec.actions else spec.url("list")
                    return HttpResponseRedirect(target)
                status = 400
        except VersionConflict:
            form.add_error(None, gettext("Someone else changed this record after you opened it. Reload the page to see "
                                   "their change, then make yours again."))
            status = 409
        except IntegrityError as exc:  # a constraint the form could not check (a race, a resubmission)
            errors.add_to_form(form, errors.constraint_error(exc))
            status = 400
        except ValidationError as exc:  # a RuleError from the form's service, or model validation
            errors.add_to_form(form, exc)
            status = 400
        except OutOfScope:
            form.add_error(None, gettext("You may not save a record outside your organizations."))
            status = 403
        return render(request, spec.form_template, self.context(request, form=form, object=obj if pk else None),
                      status=status)


class ObjectDeleteView(SpecView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_scoped_or_404(request.user, self.spec.get_queryset(request), "delete", pk=pk)
        return render(request, "core/object_confirm_delete.html", self.context(request, object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        spec = self.spec
        with transaction.atomic():
            obj = get_scoped_or_404(request.user, spec.get_queryset(request), "delete", pk=pk)
            try:
                with transaction.atomic():
                    obj.delete()
            except (ProtectedError, RestrictedError) as exc:
                # The sentence on the card itself (no second delete button to press in vain).
                return render(request, "core/object_confirm_delete.html",
                              self.context(request, object=obj, refused=protected_message(exc)), status=409)
        messages.success(request, gettext("Deleted: %(obj)s") % {"obj": obj})
        return HttpResponseRedirect(spec.url("list"))


class ObjectExportView(SpecView):
    """The filtered rows the user may export, streamed as .xlsx and audited; more rows than
    ``DANGJIAN["EXPORT_JOB_ROWS"]`` become a background job (its progress page, then the file:
    ``dangjian.core.exports``). The rows may come from the hot standby (core/replica.py)."""

    @method_decorator(replica.reads_from_replica)
    def get(self, request: HttpRequest) -> HttpResponseBase:
        spec = self.spec
        if not can(request.user, spec.model, "export"):
            raise Http404
        if stepup.holds_personal_data(spec.model) and (refused := stepup.gate(request)) is not None:
            return refused  # a bulk export of personal data needs a recent re-authentication (SESS-02)
        qs, _fs = spec.filtered(request, "export")
        if exports.is_large(qs):
            # A GET changes nothing: a large export is started by the confirmation's POST.
            return render(request, "core/export_confirm.html", self.context(
                request, rows=qs.count(), action=request.get_full_path(), back=spec.url("list")))
        rows, columns = exports.rows_and_columns(spec, qs)
        response, count = xlsx_response(exports.file_name(spec), str(spec.model._meta.verbose_name_plural), columns, rows)
        spec.audit_export(request, count)
        return response

    def post(self, request: HttpRequest) -> HttpResponseBase:
        """Start the background export of a large list (the confirmation page's button); a
        list that has become small meanwhile is streamed at once."""
        spec = self.spec
        if not can(request.user, spec.model, "export"):
            raise Http404
        if stepup.holds_personal_data(spec.model) and (refused := stepup.gate(request)) is not None:
            return refused
        qs, _fs = spec.filtered(request, "export")
        if not exports.is_large(qs):
            return self.get(request)
        job = exports.start(request, spec)
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))
