"""hgcredit: the Hegang credit office's monthly work from a terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hgcredit")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
