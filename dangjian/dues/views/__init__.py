"""Dues screens, in three kinds of file.

- :mod:`.declarations`: the generic screens of every dues model, declared (``ModelViews``).
- :mod:`.work`, :mod:`.reports`, :mod:`.decisions`: the work screens — assessment, import, bills,
  bulk entry, arrears and statements; the reports and the disclosure; the decisions taken on a
  row (relief, spending, budget, voiding a payment).

Every read goes through ``visible_to`` / ``get_scoped_or_404`` or an organization picker
narrowed to the user's dues scope; every write goes through a service; every sum comes from
:mod:`dangjian.dues.rules` (a view only arranges figures, it never adds them up).
"""
