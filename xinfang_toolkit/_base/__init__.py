"""The ground floor: building blocks every room of the package shares, one copy each.

Nothing here imports anything else of ``xinfang_toolkit``; every other room may import it.
Import from the module that defines a block (``from .._base.text import fold_width``); this
face re-exports nothing, so that importing one block never loads another.
"""
