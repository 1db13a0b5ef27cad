"""``python -m xinfang_toolkit.cli``: the ``xinfang`` program."""

from ._main import entry

if __name__ == "__main__":  # pragma: no cover
    entry()
