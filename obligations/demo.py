"""The rules of today (Kết luận 215-KL/TW, the 2025 law on local government), from the data file."""

from .services import obligations_load


def load(stdout=None):
    added = obligations_load()
    if stdout is not None and added:
        stdout.write(f"Obligations: {added} rules added.")
