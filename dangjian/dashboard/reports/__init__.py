"""Official reports of a subtree (issue 18 item 5): the yearly 党内统计 tables, the quarterly work
report and the 通报 of compliance and inspection results, each as Word (core.documents), Excel
(core.excel) and PDF (the Word file converted by LibreOffice headless, see pdf.py).

Every number comes from the same functions as the dashboard (the statistics tables from
statistics.py, the rest from the declared figures through the dashboard cache), so the papers
and the screen cannot disagree.
"""
