from django.urls import path

from dangjian.study import views
from dangjian.study.imports import QuestionImporter

app_name = "study"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("tests/<int:pk>/start/", views.exam_start, name="exam_start"),
    path("attempts/<int:pk>/take/", views.take, name="take"),
    path("attempts/<int:pk>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/submit/", views.submit, name="submit"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    path("courses/<int:pk>/learn/", views.course_page, name="course_page"),
    path("courses/<int:pk>/complete/", views.course_complete, name="course_complete"),
    path("chapters/<int:pk>/read/", views.chapter_page, name="chapter_page"),
    path("chapters/<int:pk>/beat/", views.chapter_beat, name="chapter_beat"),
    path("exams/<int:pk>/assemble/", views.exam_assemble, name="exam_assemble"),
    path("exams/<int:pk>/publish/", views.exam_publish, name="exam_publish"),
    path("exams/<int:pk>/results/", views.exam_results, name="exam_results"),
    *QuestionImporter.urls("bank/import/"),
    *views.QuestionViews.urls("bank/"),
    *views.ExamViews.urls("exams/"),
    *views.AttemptViews.urls("attempts/"),
    *views.CourseViews.urls("courses/"),
    *views.ChapterViews.urls("chapters/"),
    *views.StudyRuleViews.urls("rules/"),
]
