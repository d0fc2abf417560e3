# Generated from ksy/ptpip.ksy by scripts/gen_parsers.py: do not edit.
# struct layouts of each packet type's fixed-size fields (the decoder's fast
# path; the Kaitai parser generated from the same spec stays the decoder of
# record): (format, field ids, (u4 array id, its offset) or None, tail id or None)
LAYOUTS = {
    1: ('<16s', ('guid',), None, 'name_and_version'),
    2: ('<I16s', ('connection_number', 'guid'), None, 'name_and_version'),
    3: ('<I', ('connection_number',), None, None),
    4: ('<', (), None, None),
    5: ('<I', ('reason',), None, None),
    6: ('<IHI', ('data_phase', 'operation_code', 'transaction_id'), ('params', 18), None),
    7: ('<HI', ('response_code', 'transaction_id'), ('params', 14), None),
    8: ('<HI', ('event_code', 'transaction_id'), ('params', 14), None),
    9: ('<IQ', ('transaction_id', 'total_length'), None, None),
    10: ('<I', ('transaction_id',), None, 'data'),
    11: ('<I', ('transaction_id',), None, None),
    12: ('<I', ('transaction_id',), None, 'data'),
    13: ('<', (), None, None),
    14: ('<', (), None, None),
}
