"""Seed the library from what the repository holds (DOMAIN.md's restated rules with their article
numbers, seed 002), cite the platform's rule rows to their articles, and the 2026 record-quality
defaults. Texts are marked ``restated`` until the official text is uploaded (see _seed_data)."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import migrations

from dangjian.library.migrations import _seed_data as data
from dangjian.library.text import terms, to_chinese


def seed(apps, schema_editor):
    Document = apps.get_model("library", "Document")
    Version = apps.get_model("library", "Version")
    Article = apps.get_model("library", "Article")
    Posting = apps.get_model("library", "Posting")
    Citation = apps.get_model("library", "Citation")
    QualityRule = apps.get_model("library", "QualityRule")
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    by_code = {}
    for spec in data.DOCUMENTS:
        doc = Document.objects.create(code=spec["code"], title=spec["title"], short_title=spec["short_title"],
                                      issuer=spec["issuer"], doc_number=spec["doc_number"])
        version = Version.objects.create(document=doc, label=spec["version"], restated=True, source=spec["source"],
                                         effective_from=dt.date.fromisoformat(spec["effective_from"]))
        unit = spec.get("label")
        postings = []
        for number, chapter, text in spec["articles"]:
            label = f"{unit}{number}" if unit else f"第{to_chinese(number)}条"
            counts = Counter(terms(f"{chapter}\n{text}"))
            article = Article.objects.create(edition=version, number=number, label=label, chapter=chapter, text=text,
                                             items=text.count("（"), length=sum(counts.values()))
            postings += [Posting(term=t[:40], article_id=article.pk, tf=n) for t, n in counts.items()]
            by_code[(spec["code"], number)] = article
        Posting.objects.bulk_create(postings, batch_size=2000)
    for model, lookup, code, number, note in data.CITATIONS:
        app_label, model_name = model.split(".")
        try:
            Model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        article = by_code[(code, number)]
        rows = list(Model.objects.filter(**lookup).values_list("pk", flat=True))
        if model in ("dues.duesstandard", "dues.fixeddueamount"):
            Citation.objects.create(rule_model=model, object_id=None, article=article, note=note)
            continue
        for pk in rows:
            Citation.objects.get_or_create(rule_model=model, object_id=pk, article=article, defaults={"note": note})
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    for code, min_chars, threshold, resolution, words, topic in data.QUALITY_RULES:
        if code is not None and code not in kinds:
            continue
        QualityRule.objects.create(
            year=2026, kind=kinds.get(code) if code else None, duplicate_threshold=Decimal(threshold),
            min_minutes_chars=min_chars, require_resolution=resolution, resolution_words=words,
            boilerplate_words=data.BOILERPLATE, require_attendance=True, topic_repeat=topic, late_days=30,
            source=data.QUALITY_SOURCE)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("dues", "0002_seed_standards"),
        ("meetings", "0002_seed_kinds_and_requirements"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
