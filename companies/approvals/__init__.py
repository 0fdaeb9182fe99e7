"""Purchase approval (采购审批): a company's rules, the requests they stop at checkout, their steps.

``rules.py`` is the pure evaluation (no ORM); ``services.py`` the only code that writes (submit,
approve, reject, expire, cancel, and the rules' management); ``selectors.py`` what each person
may see; ``notify.py`` the e-mails and their signed links.
"""
