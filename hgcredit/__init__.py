"""hgcredit: the Hegang credit office's monthly work from a terminal."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use only: importlib.metadata costs ~30 ms at every CLI start.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("hgcredit")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0.0.0"
    raise AttributeError(name)
