"""``POST /api/v1/imports/<kind>/``: the Excel import over the API (SPEC F2; SECURITY.md IO-04, REL-06).

The same checks and the same all-or-nothing write as the screens, in one request: the file is
stored under a generated name, inspected, validated, imported (or not) and removed again.

- ``dry_run``: validate only, write nothing (200 with the report);
- otherwise every row must be valid (201 with the report), or ``valid_only`` imports exactly
  the valid rows; rows with problems and no ``valid_only`` answer 422 with the report and
  nothing written;
- a refused file (too large, not .xlsx, macros, zip bomb, DTD/entities, too many rows) answers
  400, the same file a second time 409, both with the API's error shape and a Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import context
from dangjian.core.imports import (
    CappedUploadHandler,
    Importer,
    ImportRefused,
    Report,
    audit_refusal,
    cap_uploads,
    declared_too_large,
    import_file,
    store_upload,
    too_large,
)


class ImportRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="the .xlsx workbook (template from the import screen)")
    dry_run = serializers.BooleanField(default=False, help_text="validate only, write nothing")
    valid_only = serializers.BooleanField(default=False, help_text="import the valid rows even if others have problems")


class ImportProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.ChoiceField(choices=["validated", "imported", "invalid_rows", "no_valid_rows"])
    detail = serializers.CharField()
    kind = serializers.CharField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    valid_only = serializers.BooleanField()
    total_rows = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    error_rows = serializers.IntegerField()
    imported_rows = serializers.IntegerField()
    batch = serializers.IntegerField(allow_null=True)
    problems = ImportProblemSerializer(many=True)


ImportErrorSerializer = inline_serializer("ImportError", fields={
    "code": serializers.CharField(),
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
})


class FileRefused(exceptions.APIException):
    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "refused"

    def __init__(self, refusal: ImportRefused) -> None:
        super().__init__(refusal.message, refusal.code)
        if refusal.code in ("already_imported", "conflict"):
            self.status_code = status.HTTP_409_CONFLICT


class ImportAPIView(APIView):
    """Import one workbook of ``importer``'s kind (multipart upload)."""

    importer: type[Importer] | None = None
    parser_classes = [parsers.MultiPartParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # The size cap must be in place before anything (CSRF of session auth included) parses the body.
        self.upload_cap: CappedUploadHandler | None = None
        if request.method == "POST":
            self.upload_cap = cap_uploads(request._request)
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)

    @extend_schema(
        tags=["imports"],
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: OpenApiResponse(ImportReportSerializer, description="dry run: the report, nothing written"),
            201: OpenApiResponse(ImportReportSerializer, description="imported: the report with the counts"),
            400: OpenApiResponse(ImportErrorSerializer, description="the file was refused (code says why)"),
            409: OpenApiResponse(ImportErrorSerializer, description="this file was already imported"),
            422: OpenApiResponse(ImportReportSerializer, description="rows have problems: nothing written"),
        },
    )
    def post(self, request: Request) -> Response:
        importer_cls = self.importer
        assert importer_cls is not None
        if not importer_cls.allowed(request.user):
            raise exceptions.NotFound(gettext("Not found."))
        if declared_too_large(request._request) or (request.data is not None and self.upload_cap is not None
                                                     and self.upload_cap.exceeded):
            # refused before the body is read, or cut off while it streamed in
            refusal = too_large()
            audit_refusal(importer_cls, "", refusal)
            raise FileRefused(refusal)
        data = request.data
        form = ImportRequestSerializer(data=data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        dry_run: bool = form.validated_data["dry_run"]
        valid_only: bool = form.validated_data["valid_only"]
        options, invalid = importer_cls.clean_options(data)
        if invalid is not None:  # the importer's own options (e.g. the year) beside their fields
            raise serializers.ValidationError(invalid.errors)
        stored = None
        try:
            stored = store_upload(upload)
            report, _batch = import_file(importer_cls(request.user, **options), stored, valid_only=valid_only,
                                         dry_run=dry_run)
        except ImportRefused as exc:
            audit_refusal(importer_cls, upload.name or "", exc)
            raise FileRefused(exc) from exc
        finally:
            if stored is not None:
                stored.remove()
        return self.answer(report, dry_run=dry_run, valid_only=valid_only)

    def answer(self, report: Report, *, dry_run: bool, valid_only: bool) -> Response:
        status_code: int
        if dry_run:
            code, detail, status_code = "validated", gettext("Checked %(n)d rows; nothing was written.") % {
                "n": report.total_rows}, status.HTTP_200_OK
        elif report.written:
            code, detail, status_code = "imported", gettext("Imported %(n)d rows.") % {
                "n": report.imported_rows}, status.HTTP_201_CREATED
        elif report.valid_rows == 0:
            code, detail, status_code = "no_valid_rows", gettext("No row can be imported; nothing was written."), 422
        else:
            code, detail, status_code = "invalid_rows", gettext(
                "Some rows have problems; nothing was written. Fix them, or send valid_only to import only the valid "
                "rows."), 422
        body = {
            "code": code, "detail": detail, "kind": report.kind, "file_name": report.file_name,
            "sha256": report.sha256, "dry_run": dry_run, "valid_only": valid_only,
            "total_rows": report.total_rows, "valid_rows": report.valid_rows, "error_rows": report.error_rows,
            "imported_rows": report.imported_rows, "batch": report.batch_id,
            "problems": [p._asdict() for p in report.problems],
        }
        return Response(ImportReportSerializer(body).data, status=status_code)
