"""Retention analytics on DuckDB: metrics per period and market, lifecycle audiences.

- :mod:`.periods`: ``2026-Q3``, ``2026-09``, ``2026-W37``, ``START..END`` and the previous period;
- :mod:`.data`: customers, orders and NPS responses loaded and checked (bad rows reported);
- :mod:`.metrics`: CRR, churn, repeat rate, frequency, AOV, CLV and NPS per dimension;
- :mod:`.html`: the self-contained HTML report;
- :mod:`.rules` and :mod:`.audience`: lifecycle rules -> one message per customer.

DuckDB is imported inside functions only, so ``toolkit --help`` stays light.
"""
