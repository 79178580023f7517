"""API of the library: the cited answer to a question, and the record-quality flags in scope."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import context
from dangjian.core.scoping import scope_for
from dangjian.library import answer as answering
from dangjian.library.models import FlagStatus, QualityCheck, QualityFlag


class AskQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    q = serializers.CharField(max_length=300, help_text="A question in plain Chinese, a phrase or an article number")


class ArticleRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    citation = serializers.CharField()
    url = serializers.CharField()


class QuoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(help_text="A sentence quoted verbatim from the article")
    article = ArticleRefSerializer()


class FactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField(help_text="The value the platform's rule row holds now")
    rule = serializers.CharField(help_text="app.model:id of the rule row")
    article = ArticleRefSerializer(allow_null=True)


class HitSerializer(ArticleRefSerializer):
    score = serializers.FloatField()
    text = serializers.CharField()


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    question = serializers.CharField()
    phrased_by_model = serializers.BooleanField()
    quotes = QuoteSerializer(many=True)
    facts = FactSerializer(many=True)
    articles = HitSerializer(many=True)


class _UserView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)


class AskView(_UserView):
    """The cited answer: quotes from the best articles and the platform's configured values."""

    @extend_schema(summary="Ask the rules library", parameters=[AskQuerySerializer], responses={200: AnswerSerializer})
    def get(self, request: Request) -> Response:
        if scope_for(request.user, "library", "view").is_empty:
            raise Http404
        query = AskQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(AnswerSerializer(answering.as_dict(answering.answer(query.validated_data["q"]))).data)


class FlagSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=QualityCheck.choices)
    status = serializers.ChoiceField(choices=FlagStatus.choices)

    class Meta:
        model = QualityFlag
        fields = ("id", "org", "meeting", "reason", "matched", "similarity", "rule", "detail", "status", "decided_at")


class FlagQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=FlagStatus.choices, required=False)


class FlagListView(_UserView):
    """Record-quality flags in the caller's scope (newest first, at most 500)."""

    @extend_schema(summary="Record-quality flags", parameters=[FlagQuerySerializer], responses={200: FlagSerializer(many=True)})
    def get(self, request: Request) -> Response:
        query = FlagQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = QualityFlag.objects.visible_to(request.user, "view").order_by("-id")
        if query.validated_data.get("status"):
            rows = rows.filter(status=query.validated_data["status"])
        return Response(FlagSerializer(rows[:500], many=True).data)
