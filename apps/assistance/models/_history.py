"""The audit trail of the assistance models, written by statement-level triggers.

Row-level pghistory triggers attach the request context once per row, in a PL/pgSQL block with an
exception handler, i.e. one subtransaction per row: loading a month of duty logs or a county's
incomes that way takes minutes. Statement-level triggers write the same events (one per row, with
the same context) from the statement's transition table, once per statement.
"""

import pghistory
import pgtrigger


def tracked():
    # Fresh tracker instances: passing ``level=`` to pghistory.track() would change the shared
    # default trackers of every model tracked after this one.
    return pghistory.track(
        pghistory.InsertEvent(level=pgtrigger.Statement),
        pghistory.UpdateEvent(level=pgtrigger.Statement),
        pghistory.DeleteEvent(level=pgtrigger.Statement),
    )
