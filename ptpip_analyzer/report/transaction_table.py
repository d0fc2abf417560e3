"""The report's table of every transaction: a row each (the first ``MAX_TRANSACTIONS``) with
its status as ``data-status`` and a class for its colour, a filter box and a status list that
the inline script (``report.script``) reads; wire text escaped."""

from __future__ import annotations

from html import escape

import pandas as pd

from . import summary

MAX_TRANSACTIONS = 5000  # rows of the filterable transactions table


def transactions_table(transactions: pd.DataFrame) -> str:
    tx = transactions.head(MAX_TRANSACTIONS)
    if tx.empty:
        return '<p class="muted">none</p>'
    rows = summary.transaction_rows(tx)
    status = tx["status"].astype(str).tolist() if "status" in tx.columns else [""] * len(tx)
    head = "".join(f"<th>{escape(str(c))}</th>" for c in rows.columns)
    body = "".join(
        f'<tr class="st-{escape(s)}" data-status="{escape(s)}">'
        + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for s, row in zip(status, rows.itertuples(index=False), strict=True))
    more = (f'<p class="muted">the first {MAX_TRANSACTIONS:,} of {len(transactions):,}; '
            "all: <code>ptpip-analyzer transactions</code></p>"
            if len(transactions) > MAX_TRANSACTIONS else "")
    return (f"{_controls(status, len(tx))}<table id=\"tx-table\"><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table>{more}")


def _controls(status: list[str], shown: int) -> str:
    choices = "".join(f'<option value="{escape(s)}">{escape(s)}</option>'
                      for s in sorted(set(status) - {""}))
    select = (f'<select id="tx-status"><option value="">any status</option>{choices}</select>'
              if choices else "")
    return (f'<div class="filter"><input id="tx-filter" type="search" '
            f'placeholder="filter: operation, response, tid, frame…"> {select} '
            f'<span id="tx-shown">{shown}</span> shown</div>')
