"""Writes src/core/libc_exp_table.rs: the table of 2^(k/128) that glibc's `exp`
(the one scikit-learn's Cython losses call) scales its result by.

Each entry k is a double H = 2^(k/128) rounded to nearest and the relative
error T = (2^(k/128) - H) / H rounded to nearest, stored as bits: T, and H's
bits less k/128 of an exponent step so that adding k's integer part (shifted
into the exponent field) gives the scale. Computed here with Python's decimal
module at 60 digits, so the table is derived rather than transcribed.

Run: python3 tests/math/make_exp_table.py
"""
import struct
from decimal import Decimal, getcontext
from fractions import Fraction
from pathlib import Path

N = 128
getcontext().prec = 60
ROOT = Path(__file__).resolve().parents[2]


def bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def nearest_double(d: Decimal) -> float:
    # Fraction -> float rounds to nearest, ties to even.
    return float(Fraction(d))


def main():
    rows = []
    for k in range(N):
        exact = Decimal(2) ** (Decimal(k) / N)
        high = nearest_double(exact)
        tail = nearest_double((exact - Decimal(high)) / Decimal(high))
        rows.append((bits(tail), (bits(high) - (k << 45)) % 2**64))
    lines = [
        "// Written by tests/math/make_exp_table.py: do not edit.",
        "/// `2^(k/128) ≈ H·(1 + T)`: pairs (bits of T, bits of H less `k << 45`).",
        f"pub(super) const TABLE: [(u64, u64); {N}] = [",
    ]
    lines += [f"    (0x{t:016x}, 0x{h:016x})," for t, h in rows]
    lines.append("];")
    out = ROOT / "src" / "core" / "libc_exp_table.rs"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {N} entries to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
