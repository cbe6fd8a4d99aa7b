"""Tracking codes: short, unambiguous, fit for a paper receipt.

Eight characters from an alphabet without 0/O and 1/I, shown as two groups
of four (K7QM-4P9X). 32^8 is about 10^12 codes: guessing one is hopeless.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8

# Residents often type on a Cyrillic keyboard: letters that look Latin count as Latin.
_LOOKALIKES = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """'k7qm 4p9x', 'К7QМ-4Р9Х' -> 'K7QM4P9X'; anything else -> ''."""
    code = re.sub(r"[\s\-–—_.]", "", (text or "").upper().translate(_LOOKALIKES))
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def display(code):
    return f"{code[:4]}-{code[4:]}" if code else ""
