"""The Wages area (retiros): pay periods, hours, lines, the live preview, approval, statements."""
