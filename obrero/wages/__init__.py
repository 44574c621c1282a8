"""Wages (retiros): pay periods, the assembly's sharing rule, exact shares, statements."""
