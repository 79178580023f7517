"""The rows of the job facility: one :class:`Job` per piece of long work started by a user or
the scheduler, and the :class:`ScheduledTask` table the scheduler reads (schedule as data).

A job belongs to the user who started it: only they reach it (``Job.objects.of``). Its live
progress is not a column written by the job's own transaction (that would stay invisible until
commit, and SQLite admits one writer at a time): the worker writes it to the ``jobs`` cache
(see ``dangjian.core.jobs.progress``); the row holds the state, the start, the end and the result.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobQuerySet(models.QuerySet["Job"]):
    def of(self, user: Any) -> JobQuerySet:
        """The jobs ``user`` started (the only ones they may see)."""
        return self.filter(user_id=getattr(user, "pk", None) or 0)


class Job(models.Model):
    """A background job: what runs (a registered handler and its parameters), for whom, how far
    it got and how it ended (its result summary, link and file, or its error in Chinese)."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "Queued")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        SUCCEEDED = "succeeded", pgettext_lazy("job status", "Done")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    handler = models.CharField(max_length=200)  # dotted path of a function decorated with @job
    title = models.CharField(_("job"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("started by"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(default=dict, blank=True)  # {"message": ..., "figures": [[label, value], ...]}
    result_url = models.CharField(max_length=300, blank=True)
    result_file = models.CharField(max_length=300, blank=True)  # storage name under jobs/
    result_file_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the tasks backend's result id
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the process that ran it
    scheduled = models.ForeignKey("core.ScheduledTask", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="jobs")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class ScheduledTask(models.Model):
    """One line of the schedule: which job handler runs how often, as whom. The scheduler claims
    a due line with a conditional UPDATE of ``next_run_at`` (a lease), so that of N scheduler
    processes on N nodes exactly one starts each run."""

    name = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("task"), max_length=200)
    handler = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    every_minutes = models.PositiveIntegerField(_("every (minutes)"))
    run_as = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("runs as"))
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    run_count = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        ordering = ("name",)
        verbose_name = _("scheduled task")
        verbose_name_plural = _("scheduled tasks")

    def __str__(self) -> str:
        return self.title
