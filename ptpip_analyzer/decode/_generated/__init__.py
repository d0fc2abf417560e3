# Generated Kaitai parsers: see scripts/gen_parsers.py
